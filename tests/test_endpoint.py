"""The SPARQL endpoint: the protocol's answers asked of the application in this process; the time
limit and killed workers and query processes on gunicorn, over real HTTP."""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import rdflib
import requests

from ckg.ontology.vocabulary import ONTOLOGY_GRAPH, SD, SPARQL_PREFIXES

from .conftest import in_process
from .live import serving

COUNT_AIRSTRIKES = SPARQL_PREFIXES + "SELECT ?e WHERE { ?e a ckg:Airstrike } ORDER BY ?e"


@pytest.fixture(scope="module")
def endpoint(seed_store):
    """A live server of its own: the process tests kill its workers."""
    yield from serving(seed_store)


@pytest.fixture(scope="module")
def impatient(seed_store):
    yield from serving(seed_store, "--query-timeout", "2", "--workers", "1")


@pytest.fixture(scope="module")
def capped(seed_store):
    """The application with a row cap of 5, in this process."""
    for app in in_process(seed_store, row_cap=5):
        yield app.test_client()


def test_get_form_post_and_direct_post_agree(client):
    get = client.get("/sparql", query_string={"query": COUNT_AIRSTRIKES})
    form = client.post("/sparql", data={"query": COUNT_AIRSTRIKES})
    direct = client.post("/sparql", data=COUNT_AIRSTRIKES.encode(),
                           headers={"Content-Type": "application/sparql-query"})
    assert get.status_code == form.status_code == direct.status_code == 200
    assert get.headers["Content-Type"].startswith("application/sparql-results+json")
    rows = [b["e"]["value"] for b in get.json["results"]["bindings"]]
    assert len(rows) == 3 and rows == [b["e"]["value"] for b in form.json["results"]["bindings"]]
    assert direct.json == get.json
    assert get.headers["Access-Control-Allow-Origin"] == "*" and "Accept" in get.headers["Vary"]


@pytest.mark.parametrize("accept, media", [
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
])
def test_result_formats_by_accept(client, accept, media):
    response = client.get("/sparql", query_string={"query": COUNT_AIRSTRIKES}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(media)
    assert "charset=utf-8" in response.headers["Content-Type"]
    if media == "text/csv":
        assert len(list(csv.reader(io.StringIO(response.text)))) == 4


@pytest.mark.parametrize("fmt, rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("rdfxml", "xml"), ("jsonld", "json-ld")])
def test_construct_in_rdf_formats_parses(client, fmt, rdflib_format):
    query = SPARQL_PREFIXES + "CONSTRUCT { ?e a ckg:Airstrike } WHERE { ?e a ckg:Airstrike }"
    response = client.get("/sparql", query_string={"query": query, "format": fmt})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.data, format=rdflib_format)
    assert len(graph) == 3


def test_errors_say_what_is_wrong(client):
    bad = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert bad.status_code == 400 and "not valid SPARQL" in bad.text and "1:" in bad.text
    unacceptable = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert unacceptable.status_code == 406 and "application/sparql-results+json" in unacceptable.text
    unsupported = client.post("/sparql", data=b"ASK {}", headers={"Content-Type": "text/x-unknown"})
    assert unsupported.status_code == 415
    huge = client.post("/sparql", data={"query": "ASK {} #" + "x" * 2_000_000})
    assert huge.status_code == 413
    update = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert update.status_code == 403
    still = client.get("/sparql", query_string={"query": COUNT_AIRSTRIKES})
    assert len(still.json["results"]["bindings"]) == 3  # nothing was lost, the server keeps serving


def test_service_description_and_dataset_parameters(client):
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=description.text, format="turtle")
    sd = rdflib.Namespace(SD)
    assert (None, sd.endpoint, rdflib.URIRef("http://localhost/sparql")) in graph
    only_ontology = client.get("/sparql", query_string={
        "query": COUNT_AIRSTRIKES, "default-graph-uri": ONTOLOGY_GRAPH})
    assert only_ontology.json["results"]["bindings"] == []
    for name in ("default-graph-uri", "named-graph-uri"):
        bad = client.get("/sparql", query_string={"query": COUNT_AIRSTRIKES, name: "not an iri"})
        assert bad.status_code == 400 and name in bad.text and "absolute IRI" in bad.text, bad.text
    assert client.get("/sparql", query_string={"query": COUNT_AIRSTRIKES}).status_code == 200  # still serving


def test_a_query_past_the_time_limit_is_stopped_and_others_are_served(impatient):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    began = time.monotonic()
    with ThreadPoolExecutor(1) as pool:  # one worker process: the quick query shares it with the heavy one
        slow = pool.submit(requests.get, impatient + "/sparql", params={"query": heavy}, timeout=60)
        time.sleep(0.5)
        quick = requests.get(impatient + "/sparql", params={"query": COUNT_AIRSTRIKES}, timeout=30)
        assert not slow.done()
        assert quick.status_code == 200 and len(quick.json()["results"]["bindings"]) == 3
        slow = slow.result()
    assert slow.status_code == 503 and "time limit of 2 s" in slow.text
    assert time.monotonic() - began < 15
    again = requests.get(impatient + "/sparql", params={"query": COUNT_AIRSTRIKES}, timeout=30)
    assert again.status_code == 200 and len(again.json()["results"]["bindings"]) == 3


def test_gzip_when_asked(client):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 500"
    raw = client.get("/sparql", query_string={"query": query}, headers={"Accept-Encoding": "identity"})
    zipped = client.get("/sparql", query_string={"query": query}, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in raw.headers and zipped.headers["Content-Encoding"] == "gzip"
    assert int(zipped.headers["Content-Length"]) < len(raw.data)
    assert json.loads(gzip.decompress(zipped.data)) == raw.json


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_row_cap_cuts_results_and_says_so(capped, fmt):
    query = SPARQL_PREFIXES + "SELECT ?s ?o WHERE { ?s rdfs:label ?o } LIMIT 50"
    cut = capped.get("/sparql", query_string={"query": query, "format": fmt})
    assert cut.status_code == 200 and "row cap of 5" in cut.headers["Ckg-Truncated"]
    if fmt == "json":
        assert len(cut.json["results"]["bindings"]) == 5
    elif fmt == "xml":
        assert cut.text.count("<result>") == 5
    else:
        assert len(list(csv.reader(io.StringIO(cut.text), delimiter="," if fmt == "csv" else "\t"))) == 6
    small = capped.get("/sparql", query_string={"query": COUNT_AIRSTRIKES, "format": fmt})
    assert "Ckg-Truncated" not in small.headers


def processes_serving(port: int) -> dict[int, int]:
    """pid → parent pid of every process whose command line serves this port (master and workers)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if str(port).encode() in command:
                found[int(entry.name)] = parent
    return found


def children_of(pid: int) -> list[int]:
    """The processes started by any thread of ``pid``."""
    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


def test_a_killed_worker_or_query_process_is_replaced(endpoint):
    port = int(endpoint.rsplit(":", 1)[1])
    serving_pids = processes_serving(port)
    workers = [pid for pid, parent in serving_pids.items() if parent in serving_pids]
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)
    for child in children_of(workers[1]):
        os.kill(child, signal.SIGKILL)  # the query process (and the resource tracker)
    answers = [requests.get(endpoint + "/sparql", params={"query": COUNT_AIRSTRIKES}, timeout=60) for _ in range(12)]
    assert [a.status_code for a in answers].count(200) >= 11  # one may meet the dying query process
    assert answers[-1].status_code == 200 and answers[-1].json()["results"]["bindings"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = processes_serving(port)
        if len([pid for pid, parent in now.items() if parent in now]) == 2:
            break
        time.sleep(0.5)
    assert workers[0] not in now and len([pid for pid, parent in now.items() if parent in now]) == 2


def test_a_query_whose_process_is_killed_under_it_is_answered_by_a_new_one(endpoint):
    def counting(n: int) -> str:
        return ("SELECT (COUNT(*) AS ?n) WHERE { VALUES ?k { " + " ".join(map(str, range(n)))
                + " } ?a ?b ?c }")

    began = time.monotonic()
    small = requests.get(endpoint + "/sparql", params={"query": counting(20)}, timeout=60).json()
    per_value = (time.monotonic() - began) / 20
    n = max(20, int(2.0 / per_value))  # about two seconds of work
    expected = int(small["results"]["bindings"][0]["n"]["value"]) // 20 * n
    port = int(endpoint.rsplit(":", 1)[1])
    with ThreadPoolExecutor(1) as pool:
        asked = pool.submit(requests.get, endpoint + "/sparql", params={"query": counting(n)}, timeout=120)
        time.sleep(0.5)
        assert not asked.done()
        serving_pids = processes_serving(port)
        for worker in [pid for pid, parent in serving_pids.items() if parent in serving_pids]:
            for child in children_of(worker):
                os.kill(child, signal.SIGKILL)
        answer = asked.result()
    assert answer.status_code == 200
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == expected
