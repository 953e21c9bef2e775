"""The narrow forms of the named queries (queries/narrow/): the rows of the query they narrow,
for every value of every parameter they are for, on the seed graph."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

import pytest

from ckg.graph import days, queries
from ckg.graph.store import Store
from ckg.ontology.vocabulary import DAY_INDEX_GRAPH, SPARQL_PREFIXES

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
INSTANTS = "SELECT DISTINCT ?t WHERE { ?x ckg:earliestBegin|schema:datePublished ?t } ORDER BY ?t"
"""The instants the day index holds: begin times and publication dates."""


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


def moment(store) -> str:
    """The graph's last instant: a moment after the tenures it attests have begun."""
    return [row[0].value for row in store.query(SPARQL_PREFIXES + INSTANTS)][-1]


def ranges(store) -> list[dict[str, str]]:
    """A day, a week and a month from each day an instant of the graph falls on, and a week with none."""
    found = sorted({days.utc_day(row[0]) for row in store.query(SPARQL_PREFIXES + INSTANTS)})
    out = [{"from": str(day), "to": str(day + dt.timedelta(days=length))} for day in found for length in (1, 7, 31)]
    return out + [{"from": "1999-01-01", "to": "1999-01-08"}]


NARROWED = sorted((name, parameter) for name, query in queries.catalogue().items() for parameter in query.narrow_when)


def test_the_contract_listings_have_narrow_forms():
    assert {"claims", "statements", "contradictions"} <= {name for name, _ in NARROWED}


@pytest.mark.parametrize("name,parameter", NARROWED)
def test_a_narrow_form_answers_as_the_query_it_narrows(store, name, parameter):
    query = queries.named(name)
    whole = replace(query, narrow="", narrow_when=())
    if parameter == queries.DAYS:
        given = ranges(store)
    else:
        given = [{parameter: value} for value in candidates(store, query.parameter(parameter).type)]
    required = {p.name: moment(store) for p in query.parameters if p.required and p.type == "dateTime"}
    given = [{**required, **values} for values in given]
    answered = 0
    for values in given:
        narrow_text, whole_text = queries.bind(query, values), queries.bind(whole, values)
        assert narrow_text != whole_text
        expected = rows(store, whole_text)
        assert rows(store, narrow_text) == expected, f"{name} {values}"
        answered += bool(expected)
    assert answered, f"no value of {parameter} gave {name} a row to compare"


def test_the_day_index_holds_each_instant_once_under_its_utc_day(store):
    instants = [row[0] for row in store.query(SPARQL_PREFIXES + INSTANTS)]
    indexed = list(store.query(f"SELECT ?day ?t WHERE {{ GRAPH <{DAY_INDEX_GRAPH}> {{ ?day ?p ?t }} }}"))
    assert len(instants) > 3
    assert sorted(str(row[1]) for row in indexed) == sorted(str(t) for t in instants)
    assert all(row[0] == days.day(days.utc_day(row[1])) for row in indexed)


def test_a_range_starts_from_its_days_only_when_nothing_narrower_is_given():
    claims = queries.named("claims")
    week = queries.bind(claims, {"from": "2026-03-02", "to": "2026-03-09"})
    assert "LATERAL" in week and week.count("/index/day/") == 7 and "/index/day/2026-03-08>" in week
    noon = dt.datetime(2026, 3, 2, 12, tzinfo=dt.timezone.utc)
    assert days.within(noon, noon + dt.timedelta(days=1)) == [days.day(dt.date(2026, 3, d)) for d in (2, 3)]
    assert "/index/day/" not in queries.bind(claims, {"from": "2026-03-02", "document": "https://example.org/d"})
    assert "LATERAL" not in queries.bind(claims, {"from": "2026-03-02"})  # open-ended: no days to start from
    assert "LATERAL" not in queries.bind(claims, {"from": "2026-01-01", "to": "2026-12-31"})  # too long
    assert "LATERAL" not in queries.bind(claims, {"from": "2026-03-09", "to": "2026-03-02"})  # empty


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
