"""What a store holds, in numbers: the facts a VoID description states.

Computed with SPARQL over a store (a published snapshot), once per snapshot: on a large
store these queries scan everything, so callers cache the result (see
server/publication.py). ``python -m ckg.graph.statistics STORE OUT.json`` writes them.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pyoxigraph as ox

from ckg.ontology.vocabulary import CKG, DCTERMS, ONTOLOGY_IRI

from . import iris

EXAMPLE_CLASSES = ("QuantityClaim", "CommunicationEvent", "Person", "EventClaim", "Airstrike")
"""Classes of the ontology whose first instance is shown as an example resource."""

GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
CLASSES = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?p"
ENTITIES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), STR($space))) }"
SUBJECTS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"
OBJECTS = "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"
EXAMPLE = "SELECT ?s WHERE { ?s a $c FILTER(STRSTARTS(STR(?s), STR($space))) } LIMIT 1"
LICENSE = f"SELECT ?l WHERE {{ $ontology <{DCTERMS.license}> ?l }} LIMIT 1"


def _rows(store: ox.Store, query: str, **bindings) -> list:
    """Rows of a query with ``$name`` replaced by the term (written in its own syntax, so escaped)."""
    for name, term in bindings.items():
        query = query.replace(f"${name}", str(term))
    return list(store.query(query, use_default_graph_as_union=True))


def _count(store: ox.Store, query: str, **bindings) -> int:
    rows = _rows(store, query, **bindings)
    return int(rows[0]["n"].value) if rows else 0


def statistics(store: ox.Store, uri_space: str | None = None) -> dict:
    """Triples (once per graph that holds them), graphs, classes and properties with counts,
    entities in the URI space, example resources and the licence the ontology states."""
    space = ox.Literal(uri_space or iris.base())
    graphs = {row["g"].value: int(row["n"].value) for row in _rows(store, GRAPHS)}
    classes = {row["c"].value: int(row["n"].value) for row in _rows(store, CLASSES)
               if isinstance(row["c"], ox.NamedNode)}
    properties = {row["p"].value: int(row["n"].value) for row in _rows(store, PROPERTIES)}
    examples = []
    for name in EXAMPLE_CLASSES:
        found = _rows(store, EXAMPLE, c=ox.NamedNode(CKG.term(name)), space=space)
        if found:
            examples.append(found[0]["s"].value)
    license_rows = _rows(store, LICENSE, ontology=ox.NamedNode(ONTOLOGY_IRI))
    return {"uri_space": space.value, "triples": len(store), "graphs": graphs, "classes": classes,
            "properties": properties, "entities": _count(store, ENTITIES, space=space),
            "distinct_subjects": _count(store, SUBJECTS), "distinct_objects": _count(store, OBJECTS),
            "examples": examples, "license": license_rows[0]["l"].value if license_rows else None}


def write(store_path: Path, out: Path, uri_space: str | None = None) -> None:
    """Compute the statistics of a store and write them as JSON, whole or not at all."""
    store = ox.Store.read_only(str(store_path))
    data = statistics(store, uri_space)
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    partial.replace(out)


if __name__ == "__main__":
    write(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)
