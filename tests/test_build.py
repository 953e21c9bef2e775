"""ckg build: idempotent, skips what did not change, isolates bad documents, validates."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pyoxigraph as ox

from ckg.graph.build import build
from ckg.graph.store import Store
from ckg.ontology.vocabulary import (CKG, DAY_INDEX_GRAPH, ID_BASE, PROV, RDF, SPARQL_PREFIXES, XSD, document_graph,
                                     is_document_graph)

from .conftest import ROOT

SEED = ROOT / "seeds" / "2026-02-27-pakistan-afghanistan-open-war.txt"
OTHERS = ROOT / "tests" / "data" / "articles"


def subjects(path) -> set[str]:
    with Store.open(path, read_only=True) as store:
        return {q.subject.value for q in store.oxigraph.quads_for_pattern(None, None, None)
                if not isinstance(q.graph_name, ox.DefaultGraph) and is_document_graph(q.graph_name.value)}


def run_ckg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ckg.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_same_input_same_iris_and_unchanged_documents_are_skipped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder)
    with Store.open(tmp_path / "a") as store:
        first = build([folder], store)
        quads = store.quad_count()
        again = build([folder], store)
        assert (first.built, again.built, again.skipped) == (1, 0, 1)
        assert store.quad_count() == quads
        forced = build([folder], store, force=True)
        assert forced.built == 1 and store.quad_count() == quads
    with Store.open(tmp_path / "b") as store:
        build([folder], store)
    assert subjects(tmp_path / "a") == subjects(tmp_path / "b")


def test_a_bad_document_fails_alone_and_changes_nothing(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(OTHERS, folder)
    with Store.open(tmp_path / "s") as store:
        build([folder], store)
        before = store.quad_count()
    target = folder / "2026-03-14-armenia-azerbaijan-border.txt"
    target.write_bytes(target.read_bytes().replace(b"Yerevan", b"Yerevan\xff"))
    (folder / "notes.docx").write_bytes(b"PK")
    result = run_ckg("build", "--store", str(tmp_path / "s"), "-q", str(folder))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "failed                       2" in result.stdout
    assert "not UTF-8" in result.stdout and "unknown format '.docx'" in result.stdout
    with Store.open(tmp_path / "s", read_only=True) as store:
        assert store.quad_count() == before  # the old graph of the broken document is still there


def test_check_validates_the_store_with_shacl(tmp_path):
    with Store.open(tmp_path / "s") as store:
        build([SEED], store)
    good = run_ckg("check", "--store", str(tmp_path / "s"))
    assert good.returncode == 0 and "conforms" in good.stdout, good.stdout + good.stderr
    with Store.open(tmp_path / "s") as store:
        claim = ox.NamedNode(ID_BASE + "claim/broken")
        store.replace_graph(document_graph(ID_BASE, "broken"), [
            (claim, ox.NamedNode(RDF.type), ox.NamedNode(CKG.QuantityClaim)),
            (claim, ox.NamedNode(CKG.minValue), ox.Literal("5", datatype=ox.NamedNode(XSD.integer))),
        ])
    bad = run_ckg("check", "--store", str(tmp_path / "s"))
    assert bad.returncode == 1
    assert "a claim must say who claimed it" in bad.stdout and "a claim must point at the text span" in bad.stdout


RUN_TIMES = (PROV.startedAtTime, PROV.endedAtTime)


def built_quads(path) -> set[tuple[str, str, str, str]]:
    """Every quad but the run times; blank nodes (the ontology's axioms) get fresh ids on each load."""
    with Store.open(path, read_only=True) as store:
        quads = list(store.oxigraph.quads_for_pattern(None, None, None))
    return {tuple("_:" if isinstance(t, ox.BlankNode) else str(t) for t in q)
            for q in quads if q.predicate.value not in RUN_TIMES}


def test_the_build_does_not_depend_on_the_hash_seed(tmp_path):
    """Two processes with different PYTHONHASHSEED values build the same quads (run times aside)."""
    import os

    runs = []
    for seed in ("1", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        runs.append(subprocess.Popen([sys.executable, "-m", "ckg.cli", "build", "-q", "--store",
                                      str(tmp_path / seed), str(SEED), str(OTHERS)], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    for run in runs:
        output, _ = run.communicate(timeout=600)
        assert run.returncode == 0, output
    first, second = built_quads(tmp_path / "1"), built_quads(tmp_path / "4")
    assert len(first) > 10_000
    assert first == second, sorted(first ^ second)[:10]


def test_base_iri_flag_mints_under_it_and_a_bad_one_is_refused_before_anything_changes(tmp_path):
    article = OTHERS / "2026-05-02-sudan-el-fasher.md"
    good = run_ckg("build", "-q", "--store", str(tmp_path / "s"), "--base-iri", "http://data.example.net/kg/", str(article))
    assert good.returncode == 0, good.stdout + good.stderr
    minted = subjects(tmp_path / "s")
    assert any(s.startswith("http://data.example.net/kg/claim/") for s in minted)
    assert not any(s.startswith(ID_BASE + "claim/") for s in minted)
    with Store.open(tmp_path / "s", read_only=True) as store:
        before = store.quad_count()
    for bad, why in (("data.example.net/kg/", "not an absolute http(s) IRI"), ("ftp://example.net/kg/", "http(s)"),
                     ("http://data.example.net/kg", "must end in '/' or '#'"),
                     ("http://data.example.net/k g/", "no spaces")):
        result = run_ckg("build", "-q", "--store", str(tmp_path / "s"), "--force", "--base-iri", bad, str(article))
        assert result.returncode == 2 and why in result.stderr, result.stderr
    with Store.open(tmp_path / "s", read_only=True) as store:
        assert store.quad_count() == before


def test_an_open_ended_vague_past_gets_no_invented_earliest_bound(tmp_path):
    article = tmp_path / "old-dispute.txt"
    article.write_text("title: Border dispute flares\ndate: 2026-06-10\nplace: Yerevan\n\n"
                       "Armenia’s Defence Ministry said a ceasefire agreed decades ago had collapsed.\n",
                       encoding="utf-8")
    with Store.open(tmp_path / "s") as store:
        build([article], store)
        found = [(r[0].value, r[1] and r[1].value, r[2].value) for r in store.query(
            SPARQL_PREFIXES + "SELECT ?w ?eb ?le WHERE { "
            "?x ckg:timeExpression ?w ; ckg:latestEnd ?le OPTIONAL { ?x ckg:earliestBegin ?eb } }")]
    decades = [row for row in found if row[0] == "decades ago"]
    assert len(decades) == 1 and decades[0][1] is None, found  # the ceasefire's; the statement was not made then
    assert decades[0][2].startswith("2024-06-09")


def test_a_store_without_the_day_index_gets_it_from_the_next_build_with_nothing_extracted(tmp_path):
    article = next(p for p in sorted(OTHERS.iterdir()) if p.suffix == ".txt")
    with Store.open(tmp_path / "s") as store:
        build([article], store)
        indexed = store.triples_in(DAY_INDEX_GRAPH)
        assert indexed > 0 and store.document_state(DAY_INDEX_GRAPH) == str(indexed)
        store.replace_graph(DAY_INDEX_GRAPH, [])
        store.set_state(DAY_INDEX_GRAPH, None)
        again = build([article], store)
        assert (again.built, again.skipped) == (0, 1)
        assert store.triples_in(DAY_INDEX_GRAPH) == indexed
