"""Checks shared by the tests of RDF outputs: an independent parser (rapper) and rdflib."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from .conftest import require_tool

RAPPER_NAMES = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "nt": "ntriples", "rdfxml": "rdfxml"}
"""rapper's parser for each export format (raptor has no JSON-LD parser: rdflib reads that one)."""
RDFLIB_NAMES = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def rapper_count(path: Path, fmt: str) -> int:
    """Triples rapper reads from the file; fails the test when rapper rejects it."""
    rapper = require_tool("rapper")
    parsed = subprocess.run([rapper, "-i", RAPPER_NAMES[fmt], "-c", str(path), "http://example.invalid/"],
                            capture_output=True, text=True, timeout=300)
    assert parsed.returncode == 0, f"rapper rejects the {fmt} output: {parsed.stderr[-2000:]}"
    return int(parsed.stderr.split("returned ")[1].split()[0])


def store_graph(store_path: Path, graph_iri: str | None = None) -> rdflib.Graph:
    """What the store holds (one graph, or the merge of all), read quad by quad, not through an exporter."""
    store = ox.Store.read_only(str(store_path))
    graph = None if graph_iri is None else ox.NamedNode(graph_iri)
    lines = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in store.quads_for_pattern(None, None, None, graph))
    del store
    return rdflib.Graph().parse(data=lines, format="nt")


def store_dataset(store_path: Path) -> rdflib.Dataset:
    """Every quad of the store, read quad by quad, not through an exporter."""
    store = ox.Store.read_only(str(store_path))
    lines = "\n".join(f"{q.subject} {q.predicate} {q.object}"
                      + ("" if isinstance(q.graph_name, ox.DefaultGraph) else f" {q.graph_name}") + " ."
                      for q in store)
    del store
    return rdflib.Dataset().parse(data=lines, format="nquads")


def graphs_of(dataset: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    """A dataset's non-empty graphs by name."""
    found: dict[str, rdflib.Graph] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        found.setdefault(str(g), rdflib.Graph()).add((s, p, o))
    return found


def same_dataset(a: rdflib.Dataset, b: rdflib.Dataset) -> bool:
    """The same graph names, and each graph isomorphic to its namesake (blank nodes included)."""
    first, second = graphs_of(a), graphs_of(b)
    return first.keys() == second.keys() and all(isomorphic(first[name], second[name]) for name in first)


def size(dataset: rdflib.Dataset) -> int:
    return sum(1 for _ in dataset.quads((None, None, None, None)))
