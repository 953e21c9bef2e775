"""Protégé compatibility: the OWL API (Protégé's engine) reads the ontology whole, finds it in
OWL 2 DL, and saving it from Protégé (RDF/XML or Turtle) loses nothing the project relies on."""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from ckg.ontology import files, reasoning, vocabulary

from . import owlapi
from .conftest import require

XSD_STRING = rdflib.URIRef(vocabulary.XSD.string)

SAVED_NAMES = {"rdfxml": "ckg.owl", "turtle": "ckg.ttl"}
"""The names Protégé gives by default; the suffix also tells rdflib which parser to use."""

DECLARED_KINDS = {
    "classes": OWL.Class,
    "object properties": OWL.ObjectProperty,
    "datatype properties": OWL.DatatypeProperty,
    "annotation properties": OWL.AnnotationProperty,
    "named individuals": OWL.NamedIndividual,
}


@pytest.fixture(scope="session")
def checker(tmp_path_factory) -> owlapi.OwlApiChecker:
    """OwlApiCheck compiled once for the whole session."""
    reason = owlapi.unavailable_reason()
    require(reason is None, reason or "")
    return owlapi.compile_checker(tmp_path_factory.mktemp("owlapi-classes"))


@pytest.fixture(scope="module")
def original_report(checker) -> dict:
    return checker.check(files.ONTOLOGY)


@pytest.fixture(scope="module")
def resaved(checker, tmp_path_factory) -> dict[str, Path]:
    """The ontology saved by the OWL API in each syntax Protégé offers for RDF."""
    folder = tmp_path_factory.mktemp("protege-saved")
    out: dict[str, Path] = {}
    for fmt, name in SAVED_NAMES.items():
        out[fmt] = folder / name
        checker.resave(files.ONTOLOGY, out[fmt], fmt)
    return out


def assert_clean(report: dict, what: str) -> None:
    """Nothing the OWL API could not map to OWL, and nothing outside OWL 2 DL."""
    assert report["unparsedTriples"] == 0, f"{what}: triples the OWL API could not parse: {report['unparsedSample']}"
    assert report["dlProfileViolations"] == 0, f"{what}: OWL 2 DL violations: {report['dlViolationSample']}"
    assert report["inDL"] is True, f"{what} is not in OWL 2 DL"


def parse(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format=rdflib.util.guess_format(str(path)) or "turtle")


def declared(graph: rdflib.Graph, kind: rdflib.URIRef) -> set[rdflib.URIRef]:
    return {s for s in graph.subjects(RDF.type, kind) if isinstance(s, rdflib.URIRef)}


def named_subclass_pairs(graph: rdflib.Graph) -> set[tuple[rdflib.URIRef, rdflib.URIRef]]:
    return {(s, o) for s, o in graph.subject_objects(RDFS.subClassOf)
            if isinstance(s, rdflib.URIRef) and isinstance(o, rdflib.URIRef)}


def labels(graph: rdflib.Graph) -> set[tuple[rdflib.URIRef, str, str | None, str | None]]:
    """Labels of named things; a typed xsd:string equals a plain string (RDF 1.1)."""
    out = set()
    for s, label in graph.subject_objects(RDFS.label):
        if isinstance(s, rdflib.URIRef) and isinstance(label, rdflib.Literal):
            datatype = None if label.datatype in (None, XSD_STRING) else str(label.datatype)
            out.add((s, str(label), label.language, datatype))
    return out


# ---------------------------------------------------------------- the checker itself

def test_checker_reports_what_it_cannot_parse(checker, tmp_path):
    """Guards the tests below: a triple outside OWL is counted, a broken axiom leaves DL."""
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        vocabulary.TURTLE_PREFIXES +
        "<http://example.com/o> a owl:Ontology .\n"
        "<http://example.com/A> a owl:Class ;\n"
        "    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty <http://example.com/p> ] ;\n"
        "    owl:unknownTerm [ owl:alsoUnknown <http://example.com/B> ] .\n",
        encoding="utf-8",
    )
    report = checker.check(broken)
    assert report["unparsedTriples"] >= 1
    assert report["inDL"] is False


def test_checker_rejects_a_file_that_is_not_an_ontology(checker, tmp_path):
    junk = tmp_path / "junk.ttl"
    junk.write_text("this is < not RDF in any syntax\n", encoding="utf-8")
    with pytest.raises(owlapi.OwlApiError, match="junk.ttl"):
        checker.check(junk)


# ---------------------------------------------------------------- opening in Protégé

def test_owlapi_reads_the_ontology_whole_and_in_dl(original_report):
    assert original_report["ontologyIri"] == vocabulary.ONTOLOGY_IRI
    assert original_report["versionIri"], "the ontology should carry an owl:versionIRI"
    assert original_report["classes"] > 0 and original_report["logicalAxioms"] > 0
    assert_clean(original_report, files.ONTOLOGY.name)


def test_knowledge_base_with_the_ontology_stays_in_dl(checker):
    if not files.KNOWLEDGE_BASE.exists():
        pytest.skip(f"{files.KNOWLEDGE_BASE.name} has not been generated (python -m ckg.ontology.kbgen)")
    report = checker.check(files.ONTOLOGY, files.KNOWLEDGE_BASE)
    assert report["ontologyIri"] == vocabulary.ONTOLOGY_IRI
    assert report["individuals"] > 0
    assert_clean(report, f"{files.ONTOLOGY.name} + {files.KNOWLEDGE_BASE.name}")


@pytest.mark.parametrize("name", ["kb.ttl", "actors.ttl"])
def test_each_file_opens_alone_offline_with_nothing_undeclared(checker, name):
    """As File › Open of that one file: its import of the ontology is found through the
    catalog beside it, and every term it uses is declared there."""
    path = files.ONTOLOGY.parent / name
    report = checker.check(path)
    assert report["imports"] == [vocabulary.ONTOLOGY_IRI] and report["missingImports"] == [], report
    assert report["guessedDeclarations"] == 0, f"{name}: terms used but declared nowhere: {report['guessedSample']}"
    assert report["individuals"] > 0
    assert_clean(report, f"{name} alone")


def test_a_file_whose_import_is_not_in_the_catalog_reports_it_missing(checker, tmp_path):
    lone, elsewhere = tmp_path / "lone.ttl", (tmp_path / "not-there.ttl").as_uri()
    lone.write_text(f"<urn:x:lone> a <{OWL.Ontology}> ; <{OWL.imports}> <{elsewhere}> .\n", encoding="utf-8")
    report = checker.check(lone)
    assert report["imports"] == [] and report["missingImports"] == [elsewhere]


def test_all_reasoned_files_together_stay_in_dl(checker, original_report):
    paths = files.reasoned_files()
    report = checker.check(*paths)
    assert_clean(report, " + ".join(p.name for p in paths))
    if len(paths) > 1:
        assert report["individuals"] > original_report["individuals"]


# ---------------------------------------------------------------- saving from Protégé

@pytest.mark.parametrize("fmt", sorted(SAVED_NAMES))
def test_saving_keeps_every_declaration(resaved, fmt):
    before, after = parse(files.ONTOLOGY), parse(resaved[fmt])
    for what, kind in DECLARED_KINDS.items():
        lost = declared(before, kind) - declared(after, kind)
        added = declared(after, kind) - declared(before, kind)
        assert not lost and not added, f"{fmt} save changed the {what}: lost {sorted(lost)[:5]}, added {sorted(added)[:5]}"
    assert declared(after, OWL.Class), "the saved file declares no class at all"


@pytest.mark.parametrize("fmt", sorted(SAVED_NAMES))
def test_saving_keeps_the_named_class_hierarchy(resaved, fmt):
    before, after = named_subclass_pairs(parse(files.ONTOLOGY)), named_subclass_pairs(parse(resaved[fmt]))
    assert before, "the ontology states no named subclass at all"
    assert before == after, f"lost {sorted(before - after)[:5]}, added {sorted(after - before)[:5]}"


@pytest.mark.parametrize("fmt", sorted(SAVED_NAMES))
def test_saving_keeps_every_label(resaved, fmt):
    before, after = labels(parse(files.ONTOLOGY)), labels(parse(resaved[fmt]))
    assert before, "the ontology has no rdfs:label at all"
    assert before == after, f"lost {sorted(before - after)[:5]}, added {sorted(after - before)[:5]}"


@pytest.mark.parametrize("fmt", sorted(SAVED_NAMES))
def test_saved_file_reopens_clean_with_the_same_axioms(checker, resaved, original_report, fmt):
    report = checker.check(resaved[fmt])
    assert_clean(report, f"{fmt} save")
    assert report["ontologyIri"] == original_report["ontologyIri"]
    assert report["versionIri"] == original_report["versionIri"]
    for count in ("axioms", "logicalAxioms", "classes", "objectProperties", "dataProperties",
                  "annotationProperties", "individuals"):
        assert report[count] == original_report[count], f"{fmt} save changed the number of {count}"


@pytest.fixture(scope="module")
def original_reasoning() -> reasoning.ReasoningReport:
    return reasoning.check([files.ONTOLOGY])


@pytest.mark.parametrize("fmt", sorted(SAVED_NAMES))
def test_project_reasoner_agrees_on_the_saved_file(resaved, original_reasoning, fmt):
    """A file saved from Protégé is consistent and classifies exactly as the one in the repository."""
    after = reasoning.check([resaved[fmt]])
    assert original_reasoning.consistent, original_reasoning.message
    assert after.consistent == original_reasoning.consistent, after.message
    assert after.unsatisfiable == original_reasoning.unsatisfiable
    assert after.hierarchy == original_reasoning.hierarchy
    assert after.classified == original_reasoning.classified
