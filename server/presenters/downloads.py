"""The downloads as data: which files there are for a graph, and where each one is, on disk and on the web."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..http.iri_paths import local_path

WHOLE = "all"


@dataclass
class Download:
    name: str
    """The file's name under /dump/."""
    format: str
    label: str
    media_type: str
    url: str
    bytes: int | None
    """Its size once made (made on first download)."""


@dataclass
class Dump:
    title: str
    graph: str | None
    triples: int
    downloads: list[Download]


def stem_of(graph_iri: str | None) -> str | None:
    """The file name (without suffix) of a graph's dumps; None when the server shows no path for it."""
    if graph_iri is None:
        return WHOLE
    path = local_path(graph_iri)
    return None if path.startswith("/resource") else "graph" + path


def disk_name(graph_iri: str | None, extension: str) -> str:
    """The file on disk: named by a digest of the graph's IRI, so no part of a URL reaches a path."""
    key = WHOLE if graph_iri is None else "graph-" + hashlib.sha256(graph_iri.encode()).hexdigest()[:24]
    return f"{key}.{extension}.gz"
