"""A query's memory is bounded: answers are cut at a byte cap as they are written, and a query
process past its memory limit is killed, the query refused with a message and the process
restarted, while other clients' queries are answered (a live server over a small store)."""
from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from ckg.graph.store import Store
from ckg.server.runtime.executor import resident_bytes

from .conftest import in_process
from .live import serving
from .test_endpoint import children_of, processes_serving

LIMIT_MIB = 256
TRIPLES = 3000
SELECT = {"Accept": "application/sparql-results+json"}
CHEAP = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
WIDE = 'SELECT * WHERE { VALUES ?v { "' + "x" * 100_000 + '" } ?s ?p ?o }'
"""One long literal joined with every triple: a 300 MB answer from a 100 KB query."""
DOUBLING = ('SELECT (STRLEN(?v20) AS ?n) WHERE { BIND("' + "x" * 2048 + '" AS ?v0) '
            + " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(20)) + " }")
"""A 2 KB string doubled twenty times: 2 GiB for one solution."""


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("small")
    with Store.open(path) as store:
        store.put_graph("https://test.example/g", [
            (ox.NamedNode(f"https://test.example/s{i}"), ox.NamedNode("https://test.example/p"), ox.Literal(f"v{i}"))
            for i in range(TRIPLES)])
    return path


@pytest.fixture(scope="module")
def limited(small_store):
    """One worker of two threads whose query process may hold 256 MiB; answers uncapped in bytes,
    so only the memory limit stands between a query and the machine's memory."""
    yield from serving(small_store, "--workers", "1", "--threads", "2", "--query-memory", str(LIMIT_MIB),
                       "--byte-cap", str(2**31))


def query_processes(url: str) -> list[int]:
    """The server's query processes (its workers' children that are not multiprocessing's tracker)."""
    port = int(url.rsplit(":", 1)[1])
    serving_pids = processes_serving(port)
    found = []
    for worker in [pid for pid, parent in serving_pids.items() if parent in serving_pids]:
        for child in children_of(worker):
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
    return found


@pytest.mark.parametrize("shape", [WIDE, DOUBLING], ids=["wide-answer", "doubling-string"])
def test_a_query_past_the_memory_limit_is_refused_and_others_are_answered(limited, shape):
    def cheap() -> int:
        return requests.post(limited + "/sparql", data={"query": CHEAP}, headers=SELECT, timeout=30).status_code

    with ThreadPoolExecutor(2) as pool:
        hungry = pool.submit(requests.post, limited + "/sparql", data={"query": shape}, headers=SELECT, timeout=60)
        others = []
        while not hungry.done():  # another client's queries, one at a time, while the hungry one runs
            others.append(pool.submit(cheap).result())
            time.sleep(0.05)
        answer = hungry.result()
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:200])
    assert f"needed more than {LIMIT_MIB} MiB" in answer.text
    assert others and set(others) == {200}
    after = requests.post(limited + "/sparql", data={"query": CHEAP}, headers=SELECT, timeout=30)
    assert after.status_code == 200 and after.json()["results"]["bindings"][0]["n"]["value"] == str(TRIPLES)
    processes = query_processes(limited)
    assert processes and all(0 < resident_bytes(pid) < LIMIT_MIB * 2**20 for pid in processes)


@pytest.fixture(scope="module")
def byte_capped(small_store):
    """The application in this process with answers cut at 100,000 bytes."""
    app = next(gen := in_process(small_store, byte_cap=100_000))
    yield app.test_client()
    next(gen, None)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_results_are_cut_at_the_byte_cap_to_whole_rows(byte_capped, fmt):
    query = 'SELECT ?s ?o ?v WHERE { VALUES ?v { "' + "y" * 1000 + '" } ?s ?p ?o }'
    cut = byte_capped.get("/sparql", query_string={"query": query, "format": fmt})
    assert cut.status_code == 200 and "byte cap of 100,000 bytes" in cut.headers["Ckg-Truncated"]
    assert 90_000 < len(cut.data) <= 100_000
    if fmt == "json":
        rows = json.loads(cut.data)["results"]["bindings"]
    elif fmt == "xml":
        from xml.etree import ElementTree

        rows = ElementTree.fromstring(cut.data).findall(".//{http://www.w3.org/2005/sparql-results#}result")
    else:
        rows = cut.text.splitlines()[1:]
    assert 0 < len(rows) < TRIPLES
    assert all("y" * 1000 in json.dumps(row) if fmt == "json" else True for row in rows)


@pytest.mark.parametrize("fmt", ["nt", "ttl", "rdfxml", "jsonld"])
def test_graphs_are_cut_at_the_byte_cap_to_whole_triples(byte_capped, fmt):
    query = 'CONSTRUCT { ?s ?p ?v } WHERE { VALUES ?v { "' + "z" * 1000 + '" } ?s ?p ?o }'
    cut = byte_capped.get("/sparql", query_string={"query": query, "format": fmt})
    assert cut.status_code == 200 and "byte cap" in cut.headers["Ckg-Truncated"]
    assert len(cut.data) <= 100_000
    parsed = list(ox.parse(cut.data, format={"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE,
                                             "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}[fmt]))
    assert 50 < len(parsed) < TRIPLES
