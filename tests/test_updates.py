"""Writes through the server: off without a token (asked in this process); with one, only for its
bearers, seen by every worker of a live server; builds and rebuilds under a running server."""
from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import requests

from ckg.graph.store import Store
from ckg.ontology.vocabulary import SPARQL_PREFIXES
from ckg.server.app import create_app
from ckg.settings import Settings

from .conftest import ROOT
from .live import serving

TOKEN = "correct horse battery staple"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ASK_MARK = "ASK { <https://test.example/s> <https://test.example/p> ?o }"
ARTICLE = ROOT / "tests" / "data" / "articles"


def scratch_store(path) -> str:
    with Store.open(path) as store:
        store.put_graph("https://test.example/g/base", [
            (ox.NamedNode(f"https://test.example/n/{i}"), ox.NamedNode("https://test.example/next"),
             ox.NamedNode(f"https://test.example/n/{i + 1}")) for i in range(300)])
    return str(path)


def ask(url: str, query: str) -> bool:
    response = requests.get(url + "/sparql", params={"query": query},
                            headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def count(url: str, graph: str) -> int:
    response = requests.get(url + "/sparql", params={
        "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"}, timeout=30)
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    yield from serving(scratch_store(tmp_path_factory.mktemp("writable")), "--update-token", TOKEN,
                       "--workers", "3", "--query-timeout", "2")


@pytest.fixture(scope="module")
def read_only(tmp_path_factory):
    """The application over a scratch store with no update token, in this process."""
    app = create_app(Settings(store=Path(scratch_store(tmp_path_factory.mktemp("read-only")))))
    yield app.test_client()
    app.extensions["ckg.executor"].stop()


def test_without_a_token_configured_every_write_is_refused(read_only):
    insert = {"update": "INSERT DATA { <https://test.example/s> <https://test.example/p> 1 }"}
    for response in (read_only.post("/sparql", data=insert, headers=AUTH),
                     read_only.put("/store?graph=https://test.example/g/x", data="<a:b> <a:c> <a:d> .",
                                   headers={**AUTH, "Content-Type": "application/n-triples"}),
                     read_only.delete("/store?graph=https://test.example/g/base", headers=AUTH)):
        assert response.status_code == 403 and "read-only" in response.text
    asked = read_only.get("/sparql", query_string={"query": ASK_MARK}, headers={"Accept": "application/sparql-results+json"})
    assert asked.json["boolean"] is False
    exported = read_only.get("/store", query_string={"graph": "https://test.example/g/base"},
                             headers={"Accept": "application/n-triples"})
    assert exported.status_code == 200 and len(rdflib.Graph().parse(data=exported.text, format="nt")) == 300


def test_missing_or_wrong_token(writable):
    update = {"update": "INSERT DATA { <https://test.example/s> <https://test.example/p> 1 }"}
    missing = requests.post(writable + "/sparql", data=update, timeout=30)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = requests.post(writable + "/sparql", data=update, headers={"Authorization": "Bearer guess"}, timeout=30)
    assert wrong.status_code == 403 and "wrong" in wrong.text
    assert not ask(writable, ASK_MARK)


def test_an_update_is_seen_by_every_worker(writable):
    response = requests.post(writable + "/sparql", headers={**AUTH, "Content-Type": "application/sparql-update"},
                             data="INSERT DATA { <https://test.example/s> <https://test.example/p> 'seen' }", timeout=30)
    assert response.status_code == 204, response.text
    # three workers, each with its own query process: all of them answer from the new snapshot
    assert all(ask(writable, ASK_MARK) for _ in range(12))
    requests.post(writable + "/sparql", data={"update": "DELETE WHERE { <https://test.example/s> ?p ?o }"},
                  headers=AUTH, timeout=30).raise_for_status()
    assert not any(ask(writable, ASK_MARK) for _ in range(12))


def test_a_bad_update_changes_nothing(writable):
    response = requests.post(writable + "/sparql", headers=AUTH, timeout=30, data={
        "update": "DROP GRAPH <https://test.example/g/base> ; INSERT DATA { <https://test.example/s> }"})
    assert response.status_code == 400 and "not valid SPARQL" in response.text
    assert count(writable, "https://test.example/g/base") == 300


def test_an_update_past_the_time_limit_is_stopped_and_undone(writable):
    slow = ("INSERT { GRAPH <https://test.example/g/big> { ?a ?b ?c } } "
            "WHERE { GRAPH ?g { ?a ?b ?c . ?d ?e ?f . ?h ?i ?j . ?k ?l ?m } } ; DROP GRAPH <https://test.example/g/base>")
    response = requests.post(writable + "/sparql", data={"update": slow}, headers=AUTH, timeout=60)
    assert response.status_code == 503 and "nothing was changed" in response.text
    assert count(writable, "https://test.example/g/base") == 300
    assert count(writable, "https://test.example/g/big") == 0
    after = requests.post(writable + "/sparql", data={"update": "INSERT DATA { GRAPH <https://test.example/g/after> "
                                                                "{ <https://test.example/a> <https://test.example/b> 1 } }"},
                          headers=AUTH, timeout=30)
    assert after.status_code == 204 and count(writable, "https://test.example/g/after") == 1


def test_graph_store_put_post_get_delete(writable):
    graph = "https://test.example/g/doc"
    turtle = {**AUTH, "Content-Type": "text/turtle"}
    created = requests.put(writable + "/store", params={"graph": graph}, headers=turtle, timeout=30,
                           data="<https://test.example/x> <https://test.example/says> \"<script>\" .")
    assert created.status_code == 201
    added = requests.post(writable + "/store", params={"graph": graph}, headers=turtle, timeout=30,
                          data="<https://test.example/x> <https://test.example/says> \"more\" .")
    assert added.status_code == 204
    got = requests.get(writable + "/store", params={"graph": graph}, headers={"Accept": "application/ld+json"},
                       timeout=30)
    assert got.headers["Content-Type"].startswith("application/ld+json")
    assert {str(o) for o in rdflib.Graph().parse(data=got.text, format="json-ld").objects()} == {"<script>", "more"}
    bad = requests.put(writable + "/store", params={"graph": graph}, headers=turtle, data="<x> <y", timeout=30)
    assert bad.status_code == 400 and "could not be parsed" in bad.text
    assert count(writable, graph) == 2
    unsupported = requests.put(writable + "/store", params={"graph": graph}, data="x", timeout=30,
                               headers={**AUTH, "Content-Type": "application/pdf"})
    assert unsupported.status_code == 415
    assert requests.delete(writable + "/store", params={"graph": graph}, headers=AUTH, timeout=30).status_code == 204
    missing = requests.get(writable + "/store", params={"graph": graph}, timeout=30)
    assert missing.status_code == 404 and graph in missing.text
    not_an_iri = requests.get(writable + "/store", params={"graph": "no iri"}, timeout=30)
    assert not_an_iri.status_code == 400 and "absolute IRI" in not_an_iri.text


def test_a_build_while_serving_is_picked_up(tmp_path):
    store = tmp_path / "store"
    scratch_store(store)
    for url in serving(store):
        before = ask(url, SPARQL_PREFIXES + "ASK { ?s a ckg:CommunicationEvent }")
        built = subprocess.run([sys.executable, "-m", "ckg.cli", "build", "-q", "--store", str(store),
                                str(ARTICLE / "2026-03-14-armenia-azerbaijan-border.txt")], cwd=ROOT, capture_output=True,
                               text=True, timeout=600)
        assert built.returncode == 0, built.stderr
        after = ask(url, SPARQL_PREFIXES + "ASK { ?s a ckg:CommunicationEvent }")
        assert (before, after) == (False, True)


def test_a_store_deleted_and_rebuilt_while_serving_is_served_anew(tmp_path):
    import shutil

    store = tmp_path / "store"
    scratch_store(store)
    for url in serving(store):
        assert count(url, "https://test.example/g/base") == 300
        first_dumps = requests.get(url + "/dump", headers={"Accept": "application/json"}, timeout=60)
        assert first_dumps.status_code == 200
        shutil.rmtree(store)
        shutil.rmtree(store.with_name("store.snapshots"))
        built = subprocess.run([sys.executable, "-m", "ckg.cli", "build", "-q", "--store", str(store),
                                str(ARTICLE / "2026-03-14-armenia-azerbaijan-border.txt")], cwd=ROOT, capture_output=True,
                               text=True, timeout=600)
        assert built.returncode == 0, built.stderr
        assert count(url, "https://test.example/g/base") == 0  # not the old store's handle, kept open
        assert ask(url, SPARQL_PREFIXES + "ASK { ?s a ckg:CommunicationEvent }")
        dump = requests.get(url + "/dump/all.nq.gz", timeout=300)
        assert dump.status_code == 200 and b"https://test.example/g/base" not in gzip.decompress(dump.content)
