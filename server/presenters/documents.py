"""A document as an annotated reading view, and the list of documents."""
from __future__ import annotations

from collections import defaultdict

from ckg.ontology.vocabulary import CKG

from ..http.iri_paths import local_path
from . import annotate
from .labels import fallback_label, readable, web_address


def reading_view(text: str, rows: list[dict]) -> list[annotate.Segment]:
    """The document's text with every span marked, linked to what it names or evidences."""
    things: dict[str, list[tuple[str, str]]] = defaultdict(list)
    bounds: dict[str, tuple[int, int]] = {}
    for row in rows:
        span = row["span"].value
        bounds[span] = (int(row["start"].value), int(row["end"].value))
        if "thing" in row:
            thing = row["thing"].value
            label = readable(row["thingLabel"].value) if "thingLabel" in row else fallback_label(thing)
            if (thing, label) not in things[span]:
                things[span].append((thing, label))
    spans = []
    for span, (start, end) in bounds.items():
        named = sorted(things.get(span, []), key=lambda t: (CKG not in t[0] and "/claim/" in t[0], t[1]))
        spans.append(annotate.Span(start, end, span.partition("#")[2] or span,
                                   href=local_path(named[0][0]) if named else local_path(span),
                                   title=", ".join(label for _, label in named)))
    return annotate.segments(text, spans)


LIST_COLUMNS = ("iri", "title", "date", "url", "claims")
"""/documents as a table: one row per document."""


def document_list(rows: list[dict]) -> list[dict]:
    """The documents with their titles, dates, own URLs and how many claims each yields."""
    return [{"iri": row["document"].value, "href": local_path(row["document"].value),
             "title": row["title"].value if "title" in row else fallback_label(row["document"].value),
             "date": row["date"].value if "date" in row else None,
             "url": web_address(row["link"].value) if "link" in row else None,
             "claims": int(row["claims"].value)} for row in rows]
