"""SERVICE and LOAD fetch nothing the operator has not allowed, and say nothing of closed ports
(asked of the application in this process; the allowed endpoint is a live server)."""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from ckg.graph.store import Store
from ckg.server.app import create_app
from ckg.server.runtime import federation
from ckg.settings import Settings

from .live import free_port, serving
from .test_updates import AUTH, TOKEN, scratch_store

SELECT = {"Accept": "application/sparql-results+json"}


class Listener:
    """A loopback port that counts the connections made to it (and answers none)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.socket.close()


@pytest.fixture(scope="module")
def listener():
    port = Listener()
    yield port
    port.close()


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    """Another SPARQL endpoint, the one the operator allows."""
    path = tmp_path_factory.mktemp("remote")
    with Store.open(path) as store:
        store.put_graph("https://remote.example/g", [(ox.NamedNode("https://remote.example/s"),
                        ox.NamedNode("https://remote.example/p"), ox.Literal("from the allowed endpoint"))])
    yield from serving(path)


@pytest.fixture(scope="module")
def server(tmp_path_factory, remote):
    """The application, in this process, with updates on and the remote endpoint alone allowed (its
    query process fetches what SERVICE names over real HTTP)."""
    store = Path(scratch_store(tmp_path_factory.mktemp("federation")))
    app = create_app(Settings(store=store, update_token=TOKEN, allowed_services=(remote + "/sparql",)))
    yield app.test_client()
    app.extensions["ckg.executor"].stop()


def query(client, text: str):
    return client.post("/sparql", data={"query": text}, headers=SELECT)


def test_service_to_an_address_not_allowed_is_refused_without_a_connection(server, listener):
    for text in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}",
                 f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}",
                 f"PREFIX p: <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ service p:x {{ ?s ?p ?o }} }}",
                 f"SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}",
                 f"BASE <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ SERVICE <x> {{ ?s ?p ?o }} }}",
                 "SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",  # the server itself, by its own base
                 "SELECT * WHERE { BIND(<http://a.example/> AS ?x) SERVICE ?x { ?s ?p ?o } }"):
        response = query(server, text)
        assert response.status_code == 400, (text, response.text)
        assert "SERVICE" in response.text and "allow" in response.text
    assert listener.connections == 0


def test_open_and_closed_ports_get_the_same_answer(server, listener):
    closed = free_port()
    answers = [query(server, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}")
               for port in (listener.port, closed)]
    assert answers[0].status_code == answers[1].status_code == 400
    assert answers[0].text.replace(str(listener.port), "PORT") == answers[1].text.replace(str(closed), "PORT")


def test_load_is_refused_even_with_the_token(server, listener):
    response = server.post("/sparql", data={
        "update": f"LOAD <http://127.0.0.1:{listener.port}/data.ttl> INTO GRAPH <https://test.example/g/l>"},
        headers=AUTH)
    assert response.status_code == 400 and "LOAD" in response.text, response.text
    assert listener.connections == 0


def test_the_word_service_elsewhere_is_no_fetch(server):
    response = query(server, 'PREFIX ex: <https://x.example/> SELECT ?service WHERE { '
                             'BIND("SERVICE <http://127.0.0.1:1/>" AS ?service) # SERVICE <http://127.0.0.1:2/>\n'
                             'OPTIONAL { ?service ex:SERVICE ?o } }')
    assert response.status_code == 200, response.text
    assert response.json["results"]["bindings"][0]["service"]["value"].startswith("SERVICE")


def test_an_allowed_endpoint_is_queried(server, remote):
    response = query(server, f"SELECT ?o WHERE {{ SERVICE <{remote}/sparql> {{ ?s ?p ?o }} }}")
    assert response.status_code == 200, response.text
    assert [row["o"]["value"] for row in response.json["results"]["bindings"]] == ["from the allowed endpoint"]
    description = server.get("/sparql", headers={"Accept": "text/turtle"}).text
    assert "BasicFederatedQuery" in description


def test_without_an_allow_list_the_service_description_claims_no_federation(remote):
    description = requests.get(remote + "/sparql", headers={"Accept": "text/turtle"}, timeout=30).text
    assert "UnionDefaultGraph" in description and "BasicFederatedQuery" not in description


@pytest.mark.parametrize("text, expected", [
    ("SELECT * { SERVICE <http://a.example/s> {} }", [("SERVICE", "http://a.example/s")]),
    ("SELECT * { ?s ?p '''SERVICE <http://b.example/>''' }", []),
    ('SELECT * { ?s ?p "a \\" SERVICE <http://b.example/>" }', []),
    ("PREFIX : <http://c.example/> SELECT * { SERVICE :s {} }", [("SERVICE", "http://c.example/s")]),
    ("SELECT * { SERVICE ex:s {} }", [("SERVICE", None)]),
    ("LOAD SILENT <http://d.example/f.ttl>", [("LOAD", "http://d.example/f.ttl")]),
    ("INSERT DATA { <a:s> <a:p> <a:o> } ; load <e.ttl>", [("LOAD", "http://base.example/e.ttl")]),
    ("SELECT * { ?s ?p ?o FILTER(?o<?o)SERVICE<http://f.example/>{} #>\n }", [("SERVICE", "http://f.example/")]),
    ("PREFIX p: <http://g.example/> SELECT * { SERVICEp:x {} }", [("SERVICE", "http://g.example/x")]),
    ("SELECT * { ?s <http://x.example/service> ?o ; ?p (?o <http://x.example/load/service>) }", []),
    ("SELECT * { ?s ?p ?o FILTER(?o<5&&?o>3) }", []),
])
def test_endpoints_are_read_as_the_grammar_reads_them(text, expected):
    assert federation.endpoints(text, "http://base.example/") == expected


@pytest.mark.parametrize("hidden", [
    "?s ?p ?o FILTER((?o<?o)=false)SERVICEp:x#>\n{ ?s ?p ?o }",  # '<' a comparison, not an IRI's start
    "?s ?p ?o FILTER(?o<?o)SERVICE?x#>\n{ ?s ?p ?o }",
    "?s ?p ?o SERVICEp:x { ?s ?p ?o }",  # a keyword glued to its endpoint
    "?s ?p ?o FILTER(true) service:x { ?s ?p ?o }",  # SERVICE and the default prefix's name ':x'
])
def test_a_service_hidden_by_how_its_tokens_are_read_is_refused_without_a_connection(server, listener, hidden):
    before = listener.connections
    text = (f"PREFIX p: <http://127.0.0.1:{listener.port}/> PREFIX : <http://127.0.0.1:{listener.port}/> "
            f"SELECT * WHERE {{ {hidden} }}")
    response = query(server, text)
    assert response.status_code == 400, (text, response.text)
    assert "SERVICE" in response.text and "allow" in response.text
    assert listener.connections == before

