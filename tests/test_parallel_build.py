"""Builds in worker processes: the same store as a serial build; derived facts as the global rules."""
from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from ckg.graph import reconcile
from ckg.graph.build import BATCH_DOCUMENTS, build
from ckg.graph.store import Store
from ckg.ontology.vocabulary import CKG, DERIVED_GRAPH, IDENTITY_GRAPH, PROV, SPARQL_PREFIXES, is_derived_graph

from .conftest import ROOT

SOURCES = [ROOT / "seeds", ROOT / "tests" / "data" / "articles"]
RUN_TIMES = {PROV.startedAtTime, PROV.endedAtTime}

GLOBAL_RULES = SPARQL_PREFIXES + """
CONSTRUCT { ?a ?rel ?b } WHERE {
  {
    ?a a ckg:QuantityClaim ; ckg:aboutVariable ?v ; ckg:minValue ?minA ; ckg:claimedBy ?ca .
    ?b a ckg:QuantityClaim ; ckg:aboutVariable ?v ; ckg:minValue ?minB ; ckg:claimedBy ?cb .
    OPTIONAL { ?a ckg:maxValue ?maxA } OPTIONAL { ?b ckg:maxValue ?maxB }
    OPTIONAL { ?a ckg:claimedOnBehalfOf ?sa } OPTIONAL { ?b ckg:claimedOnBehalfOf ?sb }
    FILTER (?a != ?b && ?ca != ?cb)
    BIND (IF((BOUND(?maxA) && ?maxA < ?minB) || (BOUND(?maxB) && ?maxB < ?minA), ckg:contradicts,
             IF(!BOUND(?sa) || !BOUND(?sb) || ?sa != ?sb, ckg:corroborates, ?unbound)) AS ?rel)
    FILTER (BOUND(?rel))
  } UNION {
    ?a a ckg:Denial ; ckg:aboutVariable ?v ; ckg:maxValue 0 ; ckg:claimedBy ?cd .
    ?b ckg:aboutVariable ?v ; ckg:minValue ?m ; ckg:claimedBy ?co . FILTER (?m > 0 && ?cd != ?co)
    VALUES ?rel { ckg:denies ckg:contradicts }
  } UNION {
    ?b a ckg:Denial ; ckg:aboutVariable ?v ; ckg:maxValue 0 ; ckg:claimedBy ?cd .
    ?a ckg:aboutVariable ?v ; ckg:minValue ?m ; ckg:claimedBy ?co . FILTER (?m > 0 && ?cd != ?co)
    BIND (ckg:contradicts AS ?rel)
  } UNION {
    ?a a ckg:EventClaim ; ckg:aboutEvent ?e ; ckg:claimedOnBehalfOf ?sa .
    ?b a ckg:EventClaim ; ckg:aboutEvent ?e ; ckg:claimedOnBehalfOf ?sb .
    FILTER (?a != ?b && ?sa != ?sb) BIND (ckg:corroborates AS ?rel)
  }
}"""
"""Cross-document facts as one join over the whole store: the specification the build must meet."""


def quads_of(path) -> set[tuple[str, str, str, str]]:
    """Every quad but the ontology's blank nodes (labelled anew on each load) and the run times."""
    with Store.open(path, read_only=True) as store:
        return {(str(q.subject), str(q.predicate), "<run time>" if q.predicate.value in RUN_TIMES else str(q.object),
                 str(q.graph_name)) for q in store.oxigraph
                if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    path = tmp_path_factory.mktemp("serial")
    with Store.open(path) as store:
        summary = build(SOURCES, store, jobs=1)
    assert summary.failures == [] and summary.built >= 4
    return path


def test_parallel_build_writes_the_same_quads_as_a_serial_one(serial, tmp_path):
    with Store.open(tmp_path / "parallel") as store:
        summary = build(SOURCES, store, jobs=2)
    assert summary.failures == []
    expected = quads_of(serial)
    assert len(expected) > 50_000 and quads_of(tmp_path / "parallel") == expected


def test_derived_facts_equal_the_global_rules(serial):
    with Store.open(serial, read_only=True) as store:
        sources = [g for g in store.oxigraph.named_graphs() if not is_derived_graph(g.value)]
        expected = {(str(t[0]), str(t[1]), str(t[2])) for t in store.query(GLOBAL_RULES, default_graph=sources)}
        links = {str(ox.NamedNode(CKG.term(name))) for name in ("contradicts", "corroborates", "denies")}
        found = {(str(q.subject), str(q.predicate), str(q.object))  # the links; their explanations aside
                 for q in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(DERIVED_GRAPH))
                 if str(q.predicate) in links}
        assert any("contradicts" in p for _, p, _ in expected) and any("corroborates" in p for _, p, _ in expected)
        assert found == expected
        closure = set()
        for sparql in reconcile.RULES.values():
            closure |= {(str(t[0]), str(t[1]), str(t[2])) for t in store.query(sparql, default_graph=sources)}
        # the identity graph carries its own closure: it copies an alias's derived facts too
        derived = [g for g in store.oxigraph.named_graphs() if is_derived_graph(g.value) or g.value == IDENTITY_GRAPH]
        materialised = {(str(t[0]), str(t[1]), str(t[2]))
                        for t in store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graph=derived)}
        assert len(closure) > 1000 and closure <= materialised


def test_a_rebuild_extracts_only_the_changed_document_and_recomputes_the_derived_facts(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(ROOT / "tests" / "data" / "articles", folder)
    with Store.open(tmp_path / "s") as store:
        first = build([folder], store, jobs=2)
        before = store.triples_in(DERIVED_GRAPH)
        target = next(p for p in sorted(folder.iterdir()) if p.suffix == ".txt")
        target.write_text(target.read_text(encoding="utf-8") + "\n\nA closing paragraph.\n", encoding="utf-8")
        again = build([folder], store, jobs=2)
        assert (again.built, again.skipped) == (1, first.built - 1)
        assert store.triples_in(DERIVED_GRAPH) == before
        assert store.document_state(DERIVED_GRAPH) is not None


def test_a_derived_step_cut_short_is_redone_by_the_next_build(tmp_path):
    """What a build killed while streaming the derived facts leaves: some of them, no fingerprint."""
    folder = tmp_path / "in"
    shutil.copytree(ROOT / "tests" / "data" / "articles", folder)
    with Store.open(tmp_path / "s") as store:
        build([folder], store)
        derived = ox.NamedNode(DERIVED_GRAPH)
        before = {q.triple for q in store.oxigraph.quads_for_pattern(None, None, None, derived)}
        assert any(t.predicate.value.endswith("#contradicts") for t in before)
        store.set_state(DERIVED_GRAPH, None)
        store.oxigraph.update(f"DELETE WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s <{CKG.contradicts}> ?o }} }}")
        again = build([folder], store)
        assert again.built == 0
        assert {q.triple for q in store.oxigraph.quads_for_pattern(None, None, None, derived)} == before
        assert store.document_state(DERIVED_GRAPH) is not None


def test_a_build_stopped_after_its_documents_leaves_the_derived_facts_for_the_next_build(tmp_path):
    """A build interrupted once every new document is written, before the cross-document step:
    the next build, with nothing left to extract, still recomputes the derived facts."""
    from benchmarks.corpus import write

    corpus = write(tmp_path / "corpus.jsonl", BATCH_DOCUMENTS)
    with open(corpus, encoding="utf-8") as handle:
        first = handle.readline()
    with open(corpus, "a", encoding="utf-8") as handle:
        handle.write(first)  # a record whose id is taken: read after the first batch, refused by every build
    article = ROOT / "tests" / "data" / "articles" / "2026-03-14-armenia-azerbaijan-border.txt"

    def stop_after_the_batch(done: int, _path: str) -> None:
        if done > BATCH_DOCUMENTS + 1:
            raise KeyboardInterrupt

    derived = ox.NamedNode(DERIVED_GRAPH)
    facts = lambda store: {q.triple for q in store.oxigraph.quads_for_pattern(None, None, None, derived)}  # noqa: E731
    with Store.open(tmp_path / "whole") as store:
        build([article, corpus], store)
        expected = facts(store)
    with Store.open(tmp_path / "s") as store:
        build([article], store)
        assert facts(store) != expected
        with pytest.raises(KeyboardInterrupt):
            build([article, corpus], store, progress=stop_after_the_batch)
        assert store.document_state(DERIVED_GRAPH) is None
        again = build([article, corpus], store)
        assert (again.built, again.skipped) == (0, BATCH_DOCUMENTS + 1)
        assert facts(store) == expected and store.document_state(DERIVED_GRAPH) is not None
