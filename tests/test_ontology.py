"""The ontology file: well-formed, self-describing, OWL 2 DL, consistent, classifying."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from ckg.ontology import files, reasoning, vocabulary

from .conftest import ROOT, require_tool

CKG = rdflib.Namespace(vocabulary.NAMESPACE)
DATA = ROOT / "tests" / "data"
BUILTIN = {str(RDF), str(RDFS), str(OWL), str(XSD)}
OWL2_DATATYPES = {XSD.string, XSD.integer, XSD.decimal, XSD.dateTime, XSD.dateTimeStamp, XSD.boolean,
                  XSD.nonNegativeInteger, XSD.anyURI, XSD.double, RDF.langString, RDF.PlainLiteral}
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(files.ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def everything() -> rdflib.Graph:
    return reasoning.merge(files.reasoned_files())


def declared(graph: rdflib.Graph, *types) -> set:
    return {s for t in types for s in graph.subjects(RDF.type, t) if isinstance(s, rdflib.URIRef)}


def test_header_names_the_ontology_and_its_version(onto):
    ont = rdflib.URIRef(vocabulary.ONTOLOGY_IRI)
    assert (ont, RDF.type, OWL.Ontology) in onto
    version_iri = onto.value(ont, OWL.versionIRI)
    version = onto.value(ont, OWL.versionInfo)
    assert version is not None and str(version_iri).endswith("/" + str(version))
    assert onto.value(ont, rdflib.DCTERMS.license) is not None
    assert not list(onto.objects(None, OWL.imports)), "no owl:imports: Protégé must open it offline"


def test_every_class_and_property_has_a_label_and_a_definition(onto):
    terms = declared(onto, OWL.Class, *PROPERTY_TYPES)
    terms = {t for t in terms if not any(str(t).startswith(ns) for ns in BUILTIN)}
    assert len(terms) > 100
    missing = sorted(str(t) for t in terms
                     if onto.value(t, RDFS.label) is None or onto.value(t, SKOS.definition) is None)
    assert missing == []


def test_no_term_is_used_without_being_declared(everything):
    properties = declared(everything, *PROPERTY_TYPES)
    classes = declared(everything, OWL.Class, RDFS.Datatype)
    individuals = declared(everything, OWL.NamedIndividual)
    undeclared_predicates = {p for p in everything.predicates()
                             if not any(str(p).startswith(ns) for ns in BUILTIN) and p not in properties}
    assert undeclared_predicates == set()
    undeclared_types = {o for o in everything.objects(None, RDF.type)
                        if isinstance(o, rdflib.URIRef) and not any(str(o).startswith(ns) for ns in BUILTIN)
                        and o not in classes}
    assert undeclared_types == set()
    known = properties | classes | individuals | {rdflib.URIRef(vocabulary.ONTOLOGY_IRI)}
    dangling = {t for t in set(everything.subjects()) | set(everything.objects())
                if isinstance(t, rdflib.URIRef) and str(t).startswith(vocabulary.NAMESPACE) and t not in known}
    assert dangling == set()


def test_only_owl2_datatypes(everything):
    used = {o.datatype for o in everything.objects() if isinstance(o, rdflib.Literal) and o.datatype}
    assert used <= OWL2_DATATYPES, used - OWL2_DATATYPES


def test_each_object_or_data_property_has_one_kind(onto):
    for kinds in [(OWL.ObjectProperty, OWL.DatatypeProperty), (OWL.ObjectProperty, OWL.AnnotationProperty),
                  (OWL.DatatypeProperty, OWL.AnnotationProperty), (OWL.Class, OWL.ObjectProperty)]:
        assert declared(onto, kinds[0]) & declared(onto, kinds[1]) == set(), kinds


def test_the_lexicon_is_data(onto):
    """Triggers, count kinds, channels and conventions live in the ontology, not in code."""
    assert set(onto.objects(CKG.Airstrike, CKG.trigger)) >= {rdflib.Literal("air strike", lang="en")}
    kinds = set(onto.subjects(SKOS.inScheme, CKG.CountKindScheme))
    assert {CKG["kind-killed"], CKG["kind-wounded"], CKG["kind-captured"], CKG["kind-missing"],
            CKG["kind-destroyed"], CKG["kind-displaced"], CKG["kind-returned"]} <= kinds
    assert all(list(onto.objects(k, CKG.cue)) for k in kinds)
    at_least = CKG["q-at-least"]
    assert onto.value(at_least, CKG.upperFactor) is None and int(onto.value(at_least, CKG.lowerOffset)) == 0
    assert int(onto.value(CKG["q-more-than"], CKG.lowerOffset)) == 1
    assert int(onto.value(CKG["q-several"], CKG.impliedMin)) == 3
    assert float(onto.value(CKG["time-late-night"], CKG.startHour)) == 21.0


def test_ontology_and_knowledge_bases_are_consistent_under_hermit(java):
    report = reasoning.check(files.reasoned_files())
    assert report.consistent, report.message
    assert report.unsatisfiable == set()
    assert vocabulary.NAMESPACE + "Strike" in report.hierarchy[vocabulary.NAMESPACE + "Airstrike"]
    # a state is both an agent and a place
    state_supers = report.hierarchy[vocabulary.NAMESPACE + "State"]
    assert {vocabulary.NAMESPACE + "Organization", vocabulary.NAMESPACE + "Place"} <= state_supers


def test_a_contradictory_sample_is_inconsistent(java):
    report = reasoning.check([files.ONTOLOGY, DATA / "inconsistent-sample.ttl"])
    assert not report.consistent


def test_reasoner_classifies_officials_and_mediators(java):
    report = reasoning.check([files.ONTOLOGY, DATA / "classification-sample.ttl"])
    assert report.consistent
    test = vocabulary.ID_BASE + "test/"
    assert report.inferred_members(vocabulary.NAMESPACE + "Official") == {test + "minister"}
    assert report.inferred_members(vocabulary.NAMESPACE + "Mediator") == {test + "norway"}


def run_ckg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ckg.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_ckg_check_reports_and_exits_by_consistency(java):
    good = run_ckg("check", "--with", str(DATA / "classification-sample.ttl"))
    assert good.returncode == 0, good.stderr
    assert "consistent: yes" in good.stdout
    assert "classified as Mediator: 1 (Norway)" in good.stdout
    bad = run_ckg("check", "--with", str(DATA / "inconsistent-sample.ttl"))
    assert bad.returncode == 1
    assert "INCONSISTENT" in bad.stdout
