"""Deterministic IRIs: the same input always mints the same names.

Slugs keep IRIs readable (analysts cite them); a short hash keeps them unique where a
slug alone would collide. The base of minted data is set once per process by whoever
holds the settings (``use_base``: the build, the server; forked workers inherit it); the
knowledge base keeps its own IRIs.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

from ckg.ontology import vocabulary

DEFAULT_BASE = vocabulary.ID_BASE
_base = DEFAULT_BASE


def base() -> str:
    return _base


def use_base(value: str | None) -> None:
    """Mint under ``value`` (checked) from now on in this process; None restores the default."""
    global _base
    _base = DEFAULT_BASE if value is None else check_base(value)


def check_base(value: str) -> str:
    """The base IRI for minted data, or ValueError saying what is wrong with it."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base IRI {value!r} is not an absolute http(s) IRI (like {DEFAULT_BASE})")
    if not value.endswith(("/", "#")):
        raise ValueError(f"base IRI {value!r} must end in '/' or '#', so that minted names can follow it")
    if any(c.isspace() or c in '<>"{}|\\^`' for c in value) or parts.query or parts.fragment:
        raise ValueError(f"base IRI {value!r} may hold no spaces, query, fragment or any of <>\"{{}}|\\^`")
    return value


def slug(text: str, limit: int = 60) -> str:
    """Lowercase ASCII words joined by hyphens ('Türkiye’s army' → 'turkiyes-army')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("'", "").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-") or "x"


def short_hash(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:10]


def kb(path: str) -> str:
    """An IRI in the knowledge base's namespace (states, curated actors)."""
    return vocabulary.ID_BASE + path


def state(iso3: str) -> str:
    return kb(f"state/{iso3}")


def organization(state_iso: str, kind: str) -> str:
    return kb(f"org/{state_iso}/{kind}")


def post(organization_iri: str, kind: str) -> str:
    tail = organization_iri.split("/org/", 1)[-1] if "/org/" in organization_iri else slug(organization_iri)
    return kb(f"post/{tail}/{kind}")


def person(name: str) -> str:
    return kb(f"person/{slug(name)}")


def minted(kind: str, *parts: object, readable: str = "") -> str:
    """Anything else: {base}{kind}/{readable-slug}-{hash of parts}."""
    tail = f"{slug(readable)}-{short_hash(*parts)}" if readable else short_hash(*parts)
    return f"{base()}{kind}/{tail}"


def document_key(doc_id: str) -> str:
    """The readable, unique part of a document's IRI and of its graph's."""
    return f"{slug(doc_id, 120)}-{short_hash(doc_id)[:6]}"


def document(doc_id: str) -> str:
    return f"{base()}doc/{document_key(doc_id)}"


def document_graph(doc_id: str) -> str:
    """The document's graph, named as the vocabulary names document graphs, under the current base."""
    return vocabulary.document_graph(base(), document_key(doc_id))
