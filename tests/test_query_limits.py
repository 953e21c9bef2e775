"""Queries too deep or too long for the parser are refused; one that kills its process takes no other with it."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from ckg.ontology.vocabulary import CKG
from ckg.server.runtime.executor import Executor
from ckg.server.runtime.operations import Update

from .live import serving

SHAPES = {
    "braces": ("SELECT * WHERE " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000, "CKG_MAX_QUERY_DEPTH"),
    "parentheses": ("SELECT * WHERE { ?s ?p ?o FILTER (" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
                    "CKG_MAX_QUERY_DEPTH"),
    "optional": ("SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 5_000 + "}" * 5_000 + " }",
                 "CKG_MAX_QUERY_DEPTH"),
    "union": ("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 20_000) + " }", "CKG_MAX_QUERY_OPERATORS"),
    "path": ("SELECT * WHERE { ?s " + "/".join(["<http://example.org/p>"] * 20_000) + " ?o }",
             "CKG_MAX_QUERY_OPERATORS"),
}
CHEAP = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{CKG.State}> }}"


def cheap_answer(endpoint: str) -> int:
    answer = requests.post(endpoint + "/sparql", data={"query": CHEAP}, timeout=60)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("name", SHAPES)
def test_a_query_too_deep_or_too_long_is_refused_and_the_server_still_answers(live, name):
    query, limit = SHAPES[name]
    answer = requests.post(live + "/sparql", data={"query": query}, timeout=60)
    assert answer.status_code == 400
    assert limit in answer.text and "more than the limit of" in answer.text
    assert cheap_answer(live) > 100


def test_an_update_too_deep_is_refused_before_it_reaches_the_store(seed_store):
    executor = Executor(seed_store, 10)
    try:
        outcome = executor.submit(Update("INSERT { <urn:a> <urn:b> <urn:c> } WHERE " + "{" * 5_000 + "}" * 5_000))
    finally:
        executor.stop()
    assert outcome.status == 400 and b"CKG_MAX_QUERY_DEPTH" in outcome.body
    assert executor._children["write"] is None  # no write process was started for it


def test_a_query_that_kills_its_process_takes_no_other_query_with_it(seed_store, monkeypatch):
    monkeypatch.setenv("CKG_MAX_QUERY_DEPTH", "1000000")  # let the query past the scan, to the parser
    counting = ("SELECT (COUNT(*) AS ?n) WHERE { VALUES ?k { " + " ".join(map(str, range(30))) + " } ?a ?b ?c }")
    killer = "SELECT * WHERE " + "{" * 100_000 + " ?s ?p ?o " + "}" * 100_000  # past the query process's stack
    for endpoint in serving(seed_store, "--workers", "1", "--threads", "4"):
        expected = requests.post(endpoint + "/sparql", data={"query": counting}, timeout=60).json()
        with ThreadPoolExecutor(4) as pool:
            others = [pool.submit(requests.post, endpoint + "/sparql", data={"query": counting}, timeout=120)
                      for _ in range(3)]
            crash = pool.submit(requests.post, endpoint + "/sparql", data=killer.encode(), timeout=120,
                                headers={"Content-Type": "application/sparql-query"})
            answers = [other.result() for other in others]
            crashed = crash.result()
        assert crashed.status_code == 500 and "was not run again" in crashed.text
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert all(a.json()["results"]["bindings"] == expected["results"]["bindings"] for a in answers)
        assert cheap_answer(endpoint) > 100
