"""Where the ontology's files live, so that no other module spells a path."""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

ONTOLOGY = HERE / "ckg.ttl"
"""The TBox and the extraction lexicon: the file an analyst opens in Protégé."""

KNOWLEDGE_BASE = HERE / "kb.ttl"
"""States, provinces and capitals, generated from libraries by ``python -m ckg.ontology.kbgen``."""

ACTORS = HERE / "actors.ttl"
"""Curated actors: international organisations, news media, armed groups, known people."""

GEOMETRY = HERE / "geo.ttl"
"""WKT geometries, kept out of the files the reasoner reads (HermiT rejects geo:wktLiteral)."""

NAMESPACE = "https://example.org/ckg#"
ONTOLOGY_IRI = "https://example.org/ckg"
ID_BASE = "https://example.org/ckg/id/"


def reasoned_files() -> list[Path]:
    """The files that together must be consistent: ontology plus knowledge bases."""
    return [p for p in (ONTOLOGY, KNOWLEDGE_BASE, ACTORS) if p.exists()]
