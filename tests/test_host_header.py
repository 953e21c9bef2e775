"""The request's ``Host`` header names no data: a graph the server creates is named under the
configured base IRI, whatever Host the client sends."""
from __future__ import annotations

from pathlib import Path

import pytest

from ckg.graph import iris

from .conftest import in_process
from .test_updates import AUTH, TOKEN, scratch_store

BASE = "https://data.example.net/kg/id/"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = Path(scratch_store(tmp_path_factory.mktemp("host-header")))
    try:
        for app in in_process(store, update_token=TOKEN, base_iri=BASE):
            yield app.test_client()
    finally:
        iris.use_base(None)  # the base is the process's: leave the default for the tests after


def graphs(client) -> set[str]:
    response = client.get("/sparql", query_string={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"},
                          headers={"Accept": "application/sparql-results+json"})
    return {row["g"]["value"] for row in response.json["results"]["bindings"]}


def test_a_graph_created_by_post_is_named_under_the_base_iri_not_the_host(client):
    created = client.post("/store", data='<https://test.example/x> <https://test.example/p> "y" .',
                          headers={**AUTH, "Content-Type": "application/n-triples", "Host": "attacker.example"})
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    assert location.startswith("https://data.example.net/store/") and "attacker" not in location
    assert location in graphs(client)
    assert not any("attacker" in graph for graph in graphs(client))
    read = client.get("/store", query_string={"graph": location}, headers={"Accept": "application/n-triples"})
    assert read.status_code == 200 and '"y"' in read.text
