"""The narrow forms of the named queries (queries/narrow/): the rows of the query they narrow,
for every value of every parameter they are for, on the seed graph."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from ckg.graph import queries
from ckg.graph.store import Store
from ckg.ontology.vocabulary import SPARQL_PREFIXES

VALUES = {
    "iri": """SELECT DISTINCT ?value WHERE {
        VALUES ?p { ckg:reportedIn ckg:claimedBy ckg:speaker ckg:inEvent oa:hasSource }
        ?x ?p ?value . FILTER (isIRI(?value)) } ORDER BY ?value""",
    "string": """SELECT DISTINCT ?value WHERE {
        ?x ckg:claimedOnBehalfOf|ckg:onBehalfOf ?state . ?state a ckg:State ; rdfs:label ?label
        BIND (UCASE(STR(?label)) AS ?value) } ORDER BY ?value""",
}
"""Values to narrow by, from the graph: what claims and statements are reported in, made by,
about; the names of the states they are made for (upper case: the parameter ignores case)."""
PER_KIND = 12


@pytest.fixture(scope="module")
def store(seed_store):
    opened = Store.open(seed_store, read_only=True)
    yield opened
    opened.close()


def rows(store, text: str) -> Counter:
    return Counter(tuple(None if t is None else str(t) for t in solution) for solution in store.query(text))


def candidates(store, kind: str) -> list[str]:
    found = [s[0].value for s in store.query(SPARQL_PREFIXES + VALUES[kind])]
    step = max(1, len(found) // PER_KIND)
    return found[::step][:PER_KIND] + (["https://example.org/nothing"] if kind == "iri" else ["no such state"])


NARROWED = sorted((name, parameter) for name, query in queries.catalogue().items() for parameter in query.narrow_when)


def test_the_contract_listings_have_narrow_forms():
    assert {"claims", "statements", "contradictions"} <= {name for name, _ in NARROWED}


@pytest.mark.parametrize("name,parameter", NARROWED)
def test_a_narrow_form_answers_as_the_query_it_narrows(store, name, parameter):
    query = queries.named(name)
    whole = replace(query, narrow="", narrow_when=())
    kind = query.parameter(parameter).type
    answered = 0
    for value in candidates(store, kind):
        narrow_text, whole_text = queries.bind(query, {parameter: value}), queries.bind(whole, {parameter: value})
        assert narrow_text != whole_text
        expected = rows(store, whole_text)
        assert rows(store, narrow_text) == expected, f"{name} {parameter}={value}"
        answered += bool(expected)
    assert answered, f"no value of {parameter} gave {name} a row to compare"


def test_the_narrow_form_is_only_for_its_parameters():
    claims = queries.named("claims")
    assert queries.bind(claims, {"kind": "killed"}).count("LATERAL") == claims.text.count("LATERAL")
    assert "LATERAL" in queries.bind(claims, {"document": "https://example.org/d"})


def test_a_narrow_form_for_an_unknown_parameter_is_refused():
    with pytest.raises(queries.QueryError, match="no parameter 'colour'"):
        queries.with_narrow(queries.named("claims"), "#+ when: colour\nSELECT * WHERE { }")
    with pytest.raises(queries.QueryError, match="names no parameter"):
        queries.with_narrow(queries.named("claims"), "SELECT * WHERE { }")


def test_a_narrow_form_of_no_query_is_refused(tmp_path):
    (tmp_path / "listing.rq").write_text("#+ param: document iri\nSELECT * WHERE { }\n")
    (tmp_path / queries.NARROW).mkdir()
    (tmp_path / queries.NARROW / "listing.rq").write_text("#+ when: document\nSELECT * WHERE { ?s ?p ?_document }\n")
    assert queries.catalogue(tmp_path)["listing"].narrow_when == ("document",)
    (tmp_path / queries.NARROW / "other.rq").write_text("#+ when: document\nSELECT * WHERE { }\n")
    with pytest.raises(queries.QueryError, match="narrow form of no query"):
        queries.catalogue(tmp_path)
