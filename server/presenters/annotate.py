"""A document's text cut at the boundaries of its extracted spans, for the reading view.

Spans may nest or overlap, and links cannot nest in HTML, so the text is cut into flat
segments at every span boundary; each segment knows every span that covers it and links
to the innermost one. Offsets are code points (Python string indices), as in the store.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    anchor: str
    """The fragment of the span's IRI (``char=12,20``), an id in the page."""
    href: str | None = None
    title: str = ""


@dataclass
class Segment:
    text: str
    covering: list[Span] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    """Spans that begin here: the page puts their ids on this segment."""

    @property
    def innermost(self) -> Span | None:
        return min(self.covering, key=lambda s: s.end - s.start) if self.covering else None

    @property
    def depth(self) -> int:
        return min(len(self.covering), 4)

    @property
    def title(self) -> str:
        return " · ".join(dict.fromkeys(s.title for s in sorted(self.covering, key=lambda s: s.end - s.start)
                                        if s.title))


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """The text as consecutive segments; spans outside the text are clipped or dropped."""
    valid = [s for s in spans if 0 <= s.start < s.end and s.start < len(text)]
    cuts = sorted({0, len(text)} | {s.start for s in valid} | {min(s.end, len(text)) for s in valid})
    found = []
    for left, right in zip(cuts, cuts[1:]):
        covering = [s for s in valid if s.start <= left and min(s.end, len(text)) >= right]
        anchors = list(dict.fromkeys(s.anchor for s in valid if s.start == left))
        found.append(Segment(text[left:right], covering, anchors))
    return found


SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’»)]*\s+|\n\s*")


def sentence_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(words before, the span, words after) within the sentence(s) that hold the span."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    begin = 0
    for match in SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    after = SENTENCE_END.search(text, end)
    stop = after.start() if after else len(text)
    if end > 0 and text[end - 1] in ".!?…":
        stop = end
    return text[begin:start].lstrip(), text[start:end], text[end:stop].rstrip()
