"""Short labels cut from long text: at a word boundary, with an ellipsis, never mid-word."""
from __future__ import annotations

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters; a cut one ends at a word boundary with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - len(ELLIPSIS) + 1]
    space = cut.rfind(" ")
    head = cut[:space] if space > limit // 2 else cut[:limit - len(ELLIPSIS)]
    return head.rstrip(" ,;:.–—-“\"'(") + ELLIPSIS
