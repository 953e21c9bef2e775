"""Requests that cannot be answered get a 400 that says why, never a 500, and the server keeps
serving: a graph URL that is no IRI, a SERVICE whose endpoint is an unbound variable (also when
an escaped local name would hide the SERVICE from the endpoint check)."""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from ckg.graph.store import Store
from ckg.server.runtime import operations

from .conftest import in_process
from .test_updates import scratch_store

ROWS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://test.example/g/base> { ?s ?p ?o } }"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    for app in in_process(Path(scratch_store(tmp_path_factory.mktemp("bad-requests")))):
        yield app.test_client()


def still_serving(client) -> bool:
    response = client.get("/sparql", query_string={"query": ROWS}, headers=JSON)
    return response.status_code == 200 and response.json["results"]["bindings"][0]["n"]["value"] == "300"


def test_a_graph_url_that_is_no_iri_is_a_400(client):
    response = client.get("/store/a%3E%20%7D")
    assert response.status_code == 400
    assert "cannot name a graph" in response.text and "/store?graph=" in response.text
    assert still_serving(client)


@pytest.fixture
def listener():
    """A loopback port that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.2)
    connected = threading.Event()
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            connected.set()
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connected
    stop.set()
    thread.join(2)
    server.close()


ESCAPED = "PREFIX ex: <https://test.example/> SELECT * WHERE {{ ?s ?p ?o FILTER(?o != ex:a\\') SERVICE {target} {{ ?a ?b 'z' }} }} LIMIT 1"
"""An escaped quote in a local name: read as a string's start, it would hide the SERVICE after it."""


def test_service_behind_an_escaped_local_name_is_refused_before_anything_runs(client, listener):
    port, connected = listener
    for target in ("?x", f"<http://127.0.0.1:{port}/sparql>"):
        response = client.get("/sparql", query_string={"query": ESCAPED.format(target=target)}, headers=JSON)
        assert response.status_code == 400, response.text
        assert "SERVICE" in response.text and "allow" in response.text
    assert not connected.wait(1.0)
    assert still_serving(client)


def test_service_on_an_unbound_variable_in_the_query_process_is_a_400(tmp_path):
    """What the query process answers when such a query reaches the store: the client's mistake, said so."""
    with Store.open(Path(scratch_store(tmp_path / "store"))) as store:
        outcome = operations.query(store, operations.Query("SELECT * WHERE { ?s ?p ?o SERVICE ?x { ?a ?b ?c } }"),
                                   operations.Caps())
    assert outcome.status == 400
    assert b"could not be run" in outcome.body and b"unbound" in outcome.body
