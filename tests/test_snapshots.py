"""Snapshots left by writes are kept by count as well as by age, and never removed under a reader:
through a live server's updates, and on a real store with a reader holding an old snapshot."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from ckg.graph import snapshots
from ckg.graph.store import Store

from .live import serving
from .test_updates import AUTH, TOKEN, count, scratch_store

KEPT = 3


def folders(store: Path | str) -> list[Path]:
    root = snapshots.root_of(store)
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name.isdigit())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = scratch_store(tmp_path_factory.mktemp("snapshots") / "store")
    for url in serving(store, "--update-token", TOKEN, "--workers", "1", "--snapshots-kept", str(KEPT)):
        yield url, store


def test_updates_through_the_server_leave_at_most_the_configured_number(server):
    url, store = server
    for i in range(20):
        response = requests.post(url + "/sparql", headers=AUTH, timeout=30, data={
            "update": f"INSERT DATA {{ GRAPH <https://test.example/g/n> {{ <https://test.example/s> "
                      f"<https://test.example/p> {i} }} }}"})
        assert response.status_code == 204, response.text
    assert len(folders(store)) <= KEPT
    assert count(url, "https://test.example/g/n") == 20  # the newest is what is served


def insert(store_path: str, value: int) -> None:
    with snapshots.writing(store_path, keep=KEPT) as store:
        store.oxigraph.add(ox.Quad(ox.NamedNode("https://test.example/s"), ox.NamedNode("https://test.example/p"),
                                   ox.Literal(value), ox.NamedNode("https://test.example/g/n")))


def test_a_snapshot_a_reader_holds_outlives_the_count_until_it_is_let_go(tmp_path):
    store_path = scratch_store(tmp_path / "store")
    insert(store_path, 0)
    held = snapshots.current(store_path)
    with snapshots.in_use(held), Store.open(held, read_only=True) as reader:
        for value in range(1, 10):
            insert(store_path, value)
        assert held in folders(store_path) and len(folders(store_path)) == KEPT + 1
        answer = reader.oxigraph.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert int(next(iter(answer))["n"].value) == 301  # still whole: the 300 and the one insert it saw
    insert(store_path, 10)
    assert held not in folders(store_path) and len(folders(store_path)) == KEPT
