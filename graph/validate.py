"""SHACL validation of built data (pyshacl): the minimum an analyst can rely on."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib

from ckg.ontology.vocabulary import SHACL, is_derived_graph, is_document_graph

SHAPES = Path(__file__).resolve().parent / "shapes.ttl"


@dataclass
class Validation:
    conforms: bool
    violations: int
    report: str


def validate(data: rdflib.Graph, ontology: rdflib.Graph | None = None) -> Validation:
    """Validate data against the shapes; the ontology lets sh:class see subclasses."""
    import pyshacl

    conforms, results, text = pyshacl.validate(
        data, shacl_graph=rdflib.Graph().parse(SHAPES), ont_graph=ontology,
        inference="none", advanced=True, allow_warnings=True)
    sh = rdflib.Namespace(SHACL)
    violations = len(list(results.subjects(rdflib.RDF.type, sh.ValidationResult)))
    return Validation(bool(conforms), violations, text)


def validate_store(store, ontology_path: Path | None = None) -> Validation:
    """Validate every document graph in a store (the knowledge bases are checked by HermiT)."""
    import io

    from ckg.ontology import files

    data = rdflib.Graph()
    for graph_iri in store.graph_iris():
        if not (is_document_graph(graph_iri) or is_derived_graph(graph_iri)):
            continue
        buffer = io.BytesIO()
        store.dump(buffer, "nt", graph_iri=graph_iri)
        data.parse(data=buffer.getvalue(), format="nt")
    ontology = rdflib.Graph().parse(ontology_path or files.ONTOLOGY, format="turtle")
    return validate(data, ontology)
