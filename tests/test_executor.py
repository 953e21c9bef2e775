"""The killable query process on its own: more asking threads than lanes, and a kill under them."""
from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest

from ckg.graph import snapshots
from ckg.graph.store import Store
from ckg.ontology.vocabulary import SPARQL_PREFIXES
from ckg.server.runtime.executor import Executor

JSON = [("application/sparql-results+json", 1.0)]
AIRSTRIKES = SPARQL_PREFIXES + "SELECT ?e WHERE { ?e a ckg:Airstrike } ORDER BY ?e"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def published(seed_store):
    """The seed store with a snapshot for readers, as ``ckg serve`` leaves it."""
    if snapshots.current(seed_store) is None:
        snapshots.refresh(seed_store)
    return seed_store


def in_process(store_path, query: str) -> bytes:
    """The same query's answer from pyoxigraph itself, on the snapshot the executor reads."""
    with Store.open(snapshots.current(store_path), read_only=True) as store:
        return store.query(query).serialize(format=ox.QueryResultsFormat.JSON)


def test_threads_waiting_for_the_only_lane_are_answered_after_the_child_is_killed(published):
    executor = Executor(published, timeout=2, threads=1)
    try:
        began = time.monotonic()
        with ThreadPoolExecutor(3) as pool:
            slow = pool.submit(executor.run, HEAVY, accept=JSON)
            time.sleep(0.5)  # the heavy query holds the lane; these two wait for it
            quick = [pool.submit(executor.run, AIRSTRIKES, accept=JSON) for _ in range(2)]
            answers = [q.result(timeout=60) for q in quick]
            slow = slow.result(timeout=60)
        assert slow.status == 503 and "time limit of 2 s" in slow.body.decode()
        expected = in_process(published, AIRSTRIKES)
        assert len(json.loads(expected)["results"]["bindings"]) == 3
        assert [(a.status, a.body) for a in answers] == [(200, expected)] * 2
        assert time.monotonic() - began < 20
        again = executor.run(AIRSTRIKES, accept=JSON)
        assert again.status == 200 and again.body == in_process(published, AIRSTRIKES)
    finally:
        executor.stop()


def test_answers_of_every_size_come_back_whole(published):
    executor = Executor(published, timeout=30, threads=2)
    try:
        for limit in (0, 1, 1000, 20000):
            query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} ORDER BY ?s ?p ?o LIMIT {limit}"
            outcome = executor.run(query, accept=JSON)
            assert outcome.status == 200 and outcome.body == in_process(published, query)
            assert len(json.loads(outcome.body)["results"]["bindings"]) == limit
    finally:
        executor.stop()
