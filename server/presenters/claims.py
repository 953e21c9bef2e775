"""A claim for people: who claimed what figure, about what, and the sentence that carries it."""
from __future__ import annotations

from ckg.ontology.vocabulary import CKG

from ..http.iri_paths import local_path
from . import annotate
from .description import Description, Term
from .labels import label_of, link, value_of


def claim_label(claimant: str | None, stated: str | None, kind: str, about: str | None) -> str:
    """A claim's name for people: who, what figure (or what kind of claim), about what."""
    head = f"{claimant}: " if claimant else ""
    return f"{head}{stated or kind}" + (f" — {about}" if about else "")


def evidence(rows: list[dict], texts: dict[str, str], figure: str | None = None) -> list[dict]:
    """Each evidence span in its sentence: the words before, the span (marked), the words after;
    within the span, the figure as worded is picked out."""
    found = []
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        document = row["document"].value
        text = texts.get(document)
        if text is not None:
            before, marked, after = annotate.sentence_around(text, start, end)
        else:
            before, marked, after = "", value_of(row.get("exact")) or "", ""
        at = marked.lower().find(figure.lower()) if figure else -1
        parts = (marked[:at], marked[at:at + len(figure)], marked[at + len(figure):]) if at >= 0 else (marked, "", "")
        found.append({"before": before, "marked": parts[0], "figure": parts[1], "marked_after": parts[2], "after": after,
                      "span": row["span"].value,
                      "href": local_path(row["span"].value), "document": document})
    return found


def interval(low: Term | None, high: Term | None) -> str:
    if low is None:
        return ""
    lo = f"{low.number():g}" if low.number() is not None else low.value
    if high is None:
        return f"[{lo}, ∞)"
    hi = f"{high.number():g}" if high.number() is not None else high.value
    return f"{lo}" if lo == hi else f"[{lo}, {hi}]"


def claim_summary(description: Description, claim: str) -> dict:
    """One claim as a card: who, the figure as worded and its interval (the page adds the sentences)."""
    labels = description.labels
    get = lambda p: description.value(CKG + p, claim)  # noqa: E731
    claimant = get("claimedBy")
    side = get("claimedOnBehalfOf")
    about = get("aboutVariable") or get("aboutEvent")
    types = [t for t in description.types(claim) if t.startswith(CKG) and t != CKG + "Claim"]
    return {
        "iri": claim, "href": local_path(claim),
        "type": label_of(types[0], labels) if types else "claim",
        "claimant": link(claimant.value, labels) if claimant else None,
        "side": link(side.value, labels) if side else None,
        "stated": value_of(get("statedValue")),
        "interval": interval(get("minValue"), get("maxValue")),
        "about": link(about.value, labels) if about else None,
        "evidence": [],
    }
