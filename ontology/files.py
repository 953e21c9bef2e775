"""Where the ontology's files live, so that no other module spells a path."""
from __future__ import annotations

from pathlib import Path

from . import vocabulary

HERE = Path(__file__).resolve().parent

ONTOLOGY = HERE / "ckg.ttl"
"""The TBox and the extraction lexicon: the file an analyst opens in Protégé."""

KNOWLEDGE_BASE = HERE / "kb.ttl"
"""States, provinces and capitals, generated from libraries by ``python -m ckg.ontology.kbgen``."""

ACTORS = HERE / "actors.ttl"
"""Curated actors: international organisations, news media, armed groups, known people."""

GEOMETRY = HERE / "geo.ttl"
"""WKT geometries, kept out of the files the reasoner reads (HermiT rejects geo:wktLiteral)."""

# The names are the vocabulary's; graph/lexicon.py reads the namespace from here.
NAMESPACE, ONTOLOGY_IRI, ID_BASE = vocabulary.NAMESPACE, vocabulary.ONTOLOGY_IRI, vocabulary.ID_BASE


def reasoned_files() -> list[Path]:
    """The files that together must be consistent: ontology plus knowledge bases."""
    return [p for p in (ONTOLOGY, KNOWLEDGE_BASE, ACTORS) if p.exists()]
