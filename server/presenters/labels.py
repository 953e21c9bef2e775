"""Names for people: labels from the data, else made from the IRI; links to where a resource is shown.

Labels come from the data (rdfs:label, skos:prefLabel …); where the data has none, one is
derived from the IRI, so a page never shows a raw IRI as a name.
"""
from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

from ckg.ontology.vocabulary import NAMESPACE, ONTOLOGY_IRI

from ..http.iri_paths import local_path
from .description import Term

MINTED_TAIL = re.compile(r"-[0-9a-f]{10}$")
MINTED_PAREN = re.compile(r"\s*\((?:[a-z0-9]+-)+[0-9a-f]{10}\)")
"""'(slug-0123456789)' in a label: the minted name of an episode, not a name for people."""
MINTED_BARE = re.compile(r"\b((?:[a-z0-9]+-)+)[0-9a-f]{10}\b")


def fallback_label(iri: str) -> str:
    """A name from the IRI itself: 'ckg#claimedBy' → 'claimed by', 'claim/two-killed-0123456789' → 'two killed'."""
    tail = re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
    tail = MINTED_TAIL.sub("", unquote(tail))
    if re.fullmatch(r"[A-Za-z]+", tail) and re.search(r"[a-z][A-Z]", tail):
        tail = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tail).lower()
    return tail.replace("-", " ").replace("_", " ").strip() or iri


def readable(label: str) -> str:
    """A label from the data without minted names: '(arm-aze-…-a26df25a99)' goes, 'shelling-tovuz-0123456789'
    becomes 'shelling tovuz'."""
    label = MINTED_PAREN.sub("", label)
    return MINTED_BARE.sub(lambda m: m.group(1).replace("-", " ").strip(), label)


def label_of(iri: str, labels: dict[str, str]) -> str:
    found = labels.get(iri)
    return readable(found) if found else fallback_label(iri)


def link(iri: str, labels: dict[str, str]) -> dict:
    return {"href": local_path(iri), "label": label_of(iri, labels), "iri": iri}


def render_value(value: Term, labels: dict[str, str]) -> dict:
    if value.is_iri:
        return link(value.value, labels)
    if value.kind == "bnode":
        return {"literal": "(blank node)"}
    return {"literal": value.value, "lang": value.lang,
            "datatype": fallback_label(value.datatype) if value.datatype and "#string" not in value.datatype else None}


def editor_link(text: str) -> str:
    """The query editor opened on this query (YASGUI reads ``?query=``; so does the plain form)."""
    return "/?query=" + quote(text, safe="")


def value_of(term: Term | None) -> str | None:
    return term.value if term is not None else None


def web_address(value: str | None) -> str | None:
    """A document's own URL, only when it is http(s): data from articles never becomes a script link."""
    return value if value and urlsplit(value).scheme in ("http", "https") else None


def term_link(iri: str) -> str:
    """Where this server shows an IRI; a term of the ontology at its section of the documentation."""
    if iri.startswith(NAMESPACE):
        return f"{urlsplit(ONTOLOGY_IRI).path}#{quote(iri[len(NAMESPACE):], safe='')}"
    return local_path(iri)
