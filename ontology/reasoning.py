"""Consistency and classification with HermiT, through owlready2.

owlready2 reads RDF/XML or N-Triples, not Turtle, so each run converts the Turtle files
with rdflib into one N-Triples file in a scratch folder and loads it into a fresh World:
runs never leak state into each other.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from .vocabulary import OWL

OWL_THING = OWL.Thing


@dataclass
class ReasoningReport:
    """What HermiT concluded about a set of files."""

    consistent: bool
    hierarchy: dict[str, set[str]] = field(default_factory=dict)
    """Class IRI → its direct named superclasses after reasoning."""
    classified: dict[str, set[str]] = field(default_factory=dict)
    """Individual IRI → its named types after reasoning."""
    unsatisfiable: set[str] = field(default_factory=set)
    message: str = ""
    triples: int = 0

    def inferred_members(self, class_iri: str) -> set[str]:
        return {i for i, types in self.classified.items() if class_iri in types}


def merge(paths: list[Path], extra: rdflib.Graph | None = None) -> rdflib.Graph:
    """Parse every file (format from its suffix) into one graph."""
    graph = rdflib.Graph()
    for path in paths:
        graph.parse(path, format=rdflib.util.guess_format(str(path)) or "turtle")
    if extra is not None:
        graph += extra
    graph.remove((None, rdflib.OWL.imports, None))  # the files are merged here; the reasoner must fetch nothing
    return graph


def _named(entities) -> set[str]:
    return {e.iri for e in entities if hasattr(e, "iri") and e.iri != OWL_THING}


def reason(graph: rdflib.Graph) -> ReasoningReport:
    """Run HermiT over an rdflib graph; never raises for an inconsistent input."""
    import owlready2

    with tempfile.TemporaryDirectory(prefix="ckg-reason-") as scratch:
        source = Path(scratch) / "input.nt"
        graph.serialize(source, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(source.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as error:
            return ReasoningReport(consistent=False, message=str(error).strip()[:500], triples=len(graph))
        nothing = world[OWL.Nothing]
        hierarchy = {c.iri: _named(c.is_a) or {OWL_THING} for c in world.classes()}
        unsatisfiable = {c.iri for c in world.classes() if nothing in c.equivalent_to}
        classified = {i.iri: _named(i.is_a) for i in world.individuals()}
        return ReasoningReport(True, hierarchy, classified, unsatisfiable, "", len(graph))


def check(paths: list[Path], extra: rdflib.Graph | None = None) -> ReasoningReport:
    """Consistency and classification of the given files (plus optional extra triples)."""
    return reason(merge(paths, extra))
