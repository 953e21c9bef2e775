"""Every contradicts, corroborates and denies link is explained in the graph, and shown.

A store is built from articles with conflicting figures (tests/data/articles/, and
tests/data/timeline/: one claimant revising a toll, a denial, a <script> in the text); each
link must have its ckg:ClaimComparison with the right rule and both intervals, and the
comparison page must show both sentences with the figures marked, as HTML, JSON, CSV and RDF.
"""
from __future__ import annotations

import csv
import io

import pytest
import rdflib
import requests

from ckg.graph.build import build
from ckg.graph.store import Store
from ckg.ontology.vocabulary import CKG

from .conftest import ROOT
from .live import serving
from .test_seed_graph import rows

ARTICLES = [ROOT / "tests" / "data" / "articles" / name for name in (
    "2026-03-14-armenia-azerbaijan-border.txt", "2026-05-02-sudan-el-fasher.md")] + [ROOT / "tests" / "data" / "timeline"]
RULES = {name: CKG.term(f"rule-{name}") for name in (
    "disjoint-intervals", "overlapping-intervals", "denial-of-positive-figure", "same-event-different-sides")}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("comparisons")
    with Store.open(path) as s:
        summary = build(ARTICLES, s)
    assert summary.failures == []
    return path


@pytest.fixture(scope="module")
def store(store_path):
    opened = Store.open(store_path, read_only=True)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def server(store_path, store):
    yield from serving(store_path)


def _number(value):
    return None if value is None else float(value)


def test_every_link_has_its_comparison_with_rule_and_intervals(store):
    links = set(rows(store, """SELECT ?a ?p ?b WHERE { GRAPH ?g { ?a ?p ?b }
        VALUES ?p { ckg:contradicts ckg:corroborates ckg:denies } }"""))
    assert len(links) > 10
    found = rows(store, """SELECT ?c ?first ?second ?rule ?fmin ?fmax ?smin ?smax ?amin ?amax ?bmin ?bmax WHERE {
        ?c a ckg:ClaimComparison ; ckg:firstClaim ?first ; ckg:secondClaim ?second ; ckg:comparisonRule ?rule .
        OPTIONAL { ?c ckg:firstMinValue ?fmin } OPTIONAL { ?c ckg:firstMaxValue ?fmax }
        OPTIONAL { ?c ckg:secondMinValue ?smin } OPTIONAL { ?c ckg:secondMaxValue ?smax }
        OPTIONAL { ?first ckg:minValue ?amin } OPTIONAL { ?first ckg:maxValue ?amax }
        OPTIONAL { ?second ckg:minValue ?bmin } OPTIONAL { ?second ckg:maxValue ?bmax } }""")
    by_pair = {}
    for c, first, second, rule, fmin, fmax, smin, smax, amin, amax, bmin, bmax in found:
        assert frozenset((first, second)) not in by_pair, "one comparison per pair of claims"
        by_pair[frozenset((first, second))] = rule
        if rule != RULES["same-event-different-sides"]:
            assert (_number(fmin), _number(fmax), _number(smin), _number(smax)) == (
                _number(amin), _number(amax), _number(bmin), _number(bmax)), c
        if rule == RULES["disjoint-intervals"]:
            assert (amax is not None and float(amax) < float(bmin)) or (bmax is not None and float(bmax) < float(amin))
            assert (first, CKG.contradicts, second) in links and (second, CKG.contradicts, first) in links
        elif rule == RULES["overlapping-intervals"]:
            assert (first, CKG.corroborates, second) in links
        elif rule == RULES["denial-of-positive-figure"]:
            assert float(fmax) == 0 and float(smin) > 0
            assert (first, CKG.denies, second) in links and (first, CKG.contradicts, second) in links
        else:
            assert rule == RULES["same-event-different-sides"] and (first, CKG.corroborates, second) in links
    for a, _, b in links:
        assert frozenset((a, b)) in by_pair, f"no comparison explains {a} – {b}"
    assert {RULES["disjoint-intervals"], RULES["denial-of-positive-figure"]} <= set(by_pair.values())


def test_the_rules_are_concepts_of_the_ontology_with_labels(store):
    labels = dict(rows(store, "SELECT ?r ?l WHERE { ?r skos:inScheme ckg:ComparisonRuleScheme ; rdfs:label ?l }"))
    assert set(RULES.values()) <= set(labels)
    assert labels[RULES["denial-of-positive-figure"]] == "a denial ([0, 0]) against a positive figure"


def _comparison_of(store, first_stated: str, second_stated: str, document: str = "") -> str:
    found = rows(store, f"""SELECT DISTINCT ?c WHERE {{ ?c ckg:firstClaim/ckg:statedValue "{first_stated}" ;
        ckg:secondClaim ?second . ?second ckg:statedValue "{second_stated}" ; ckg:reportedIn ?d
        FILTER (CONTAINS(STR(?d), "{document}")) }}""")
    assert len(found) == 1
    return found[0][0]


def test_the_comparison_page_shows_both_sentences_with_the_figures_marked(store, server):
    iri = _comparison_of(store, "17", "at least 250")
    path = server + iri.removeprefix("https://example.org")
    page = requests.get(path, headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    html = page.text
    assert "disjoint intervals on one count variable" in html
    assert "<strong>17</strong> of its fighters were killed" in html
    assert "had killed <strong>at least 250</strong> fighters" in html
    assert '<span class="interval">17</span> <span class="muted">against</span> <span class="interval">[250, ∞)</span>' in html
    assert 'class="relation contradicts"' in html


def test_document_text_is_escaped_on_the_comparison_page(store, server):
    iri = _comparison_of(store, "any", "four", "a-monday")
    html = requests.get(server + iri.removeprefix("https://example.org") + ".html", timeout=30).text
    assert "a denial ([0, 0]) against a positive figure" in html
    assert "<strong>any</strong>" in html and "<strong>four</strong>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_the_comparison_as_json_csv_and_rdf(store, server):
    iri = _comparison_of(store, "17", "at least 250")
    path = server + iri.removeprefix("https://example.org")
    data = requests.get(path + ".json", timeout=30).json()
    assert data["kind"] == "comparison" and data["comparison"]["relation"] == "contradicts"
    assert [s["interval"] for s in data["comparison"]["sides"]] == ["17", "[250, ∞)"]
    assert data["comparison"]["cards"]["second"]["evidence"][0]["figure"] == "at least 250"
    answer = requests.get(path, headers={"Accept": "text/csv"}, timeout=30)
    assert answer.headers["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(r["side"], r["stated"], r["min"], r["max"]) for r in table] == [
        ("first", "17", "17", "17"), ("second", "at least 250", "250", "")]
    assert "17 of its fighters" in table[0]["sentence"]
    graph = rdflib.Graph().parse(data=requests.get(path + ".ttl", timeout=30).text, format="turtle")
    node = rdflib.URIRef(iri)
    assert (node, rdflib.RDF.type, rdflib.URIRef(CKG.ClaimComparison)) in graph
    assert int(graph.value(node, rdflib.URIRef(CKG.secondMinValue))) == 250
    assert graph.value(node, rdflib.URIRef(CKG.secondMaxValue)) is None


def test_the_claim_page_and_contested_link_to_the_comparison(store, server):
    iri = _comparison_of(store, "17", "at least 250")
    local = iri.removeprefix("https://example.org")
    claim = rows(store, f"SELECT ?a WHERE {{ <{iri}> ckg:firstClaim ?a }}")[0][0]
    html = requests.get(server + claim.removeprefix("https://example.org") + ".html", timeout=30).text
    assert f'<a class="why" href="{local}">why?</a>' in html
    contested = requests.get(server + "/contested", headers={"Accept": "text/html"}, timeout=30).text
    assert f'class="comparison-link" href="{local}"' in contested


def test_a_csv_of_a_page_without_a_table_is_refused(store, server):
    # a statement's page has no table (a claim's page now has its verdicts' history)
    statement = rows(store, 'SELECT ?s WHERE { ?a ckg:statedValue "17" ; ckg:assertedIn ?s }')[0][0]
    answer = requests.get(server + statement.removeprefix("https://example.org"), headers={"Accept": "text/csv"},
                          timeout=30)
    assert answer.status_code == 406 and "text/turtle" in answer.text
