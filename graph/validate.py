"""SHACL validation of built data (pyshacl): the minimum an analyst can rely on."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib

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
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = len(list(results.subjects(rdflib.RDF.type, sh.ValidationResult)))
    return Validation(bool(conforms), violations, text)
