"""The on-disk store: exact, atomic graph replacement that survives kill -9."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from ckg.graph.store import Store, StoreError
from ckg.ontology import vocabulary

from .conftest import ROOT

G = vocabulary.document_graph(vocabulary.ID_BASE, "test")


def triples(n: int, tag: str):
    p = ox.NamedNode("https://example.org/p")
    return [(ox.NamedNode(f"https://example.org/s/{i}"), p, ox.Literal(f"{tag} {i} “quoted” \\ \n")) for i in range(n)]


def test_replace_is_exact_and_idempotent(tmp_path):
    with Store.open(tmp_path / "s") as store:
        store.replace_graph(G, triples(100, "old"), fingerprint="a")
        store.replace_graph(G + "/other", triples(10, "other"))
        store.replace_graph(G, triples(50, "new"), fingerprint="b")
        store.replace_graph(G, triples(50, "new"), fingerprint="b")
        assert store.triples_in(G) == 50 and store.triples_in(G + "/other") == 10
        assert store.document_state(G) == "b"
        values = {r[0].value for r in store.query(f"SELECT ?o WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")}
        assert all(v.startswith("new ") for v in values)
        union = list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s <https://example.org/p> ?o }"))
        assert int(union[0][0].value) == 60


WRITER = """
import sys, pyoxigraph as ox
from pathlib import Path
from ckg.graph.store import Store
store = Store.open(sys.argv[1])
p = ox.NamedNode("https://example.org/p")
new = [(ox.NamedNode(f"https://example.org/s/{i}"), p, ox.Literal(f"new {i}")) for i in range(200000)]
Path(sys.argv[2]).write_text("writing")
store.replace_graph(sys.argv[3], new, fingerprint="new")
Path(sys.argv[2]).write_text("done")
"""


@pytest.mark.parametrize("delay", [0.0, 0.3, 0.8])
def test_kill_9_mid_write_leaves_old_or_new_never_a_mix(tmp_path, delay):
    path = tmp_path / "s"
    with Store.open(path) as store:
        store.replace_graph(G, triples(1000, "old"), fingerprint="old")
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(marker), G], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store.open(path) as store:
        count, state = store.triples_in(G), store.document_state(G)
        assert (count, state) in {(1000, "old"), (200000, "new")}, (count, state)


def test_read_only_opening_and_clear_errors(tmp_path):
    with Store.open(tmp_path / "s") as store:
        store.replace_graph(G, triples(5, "x"))
    with Store.open(tmp_path / "s", read_only=True) as reader:
        assert reader.triples_in(G) == 5
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        Store.open(tmp_path / "file")
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "notes.txt").write_text("x")
    with pytest.raises(StoreError, match="other than an Oxigraph store"):
        Store.open(tmp_path / "junk")
    with pytest.raises(StoreError, match="no store at"):
        Store.open(tmp_path / "missing", read_only=True)


def test_dump_streams_one_graph(tmp_path):
    with Store.open(tmp_path / "s") as store:
        store.replace_graph(G, triples(3, "x"))
        out = tmp_path / "g.nt"
        with open(out, "wb") as handle:
            store.dump(handle, "nt", graph_iri=G)
        assert len(out.read_text(encoding="utf-8").strip().splitlines()) == 3
        with pytest.raises(StoreError, match="unknown format"):
            store.dump(open(os.devnull, "wb"), "docx")


BATCH_WRITER = """
import sys, pyoxigraph as ox
from pathlib import Path
from ckg.graph.store import Store
store = Store.open(sys.argv[1])
p = ox.NamedNode("https://example.org/p")
graphs = []
for d in range(40):
    g = ox.NamedNode(f"{sys.argv[3]}/{d}")
    quads = [ox.Quad(ox.NamedNode(f"https://example.org/s/{i}"), p, ox.Literal(f"{sys.argv[4]} {i}"), g)
             for i in range(5000)]
    graphs.append((g.value, ox.serialize(quads, format=ox.RdfFormat.N_QUADS), sys.argv[4]))
Path(sys.argv[2]).write_text("writing")
store.add_graphs(graphs)
Path(sys.argv[2]).write_text("done")
"""


def write_batch_and_kill(tmp_path, path, tag: str, delay: float) -> None:
    marker = tmp_path / f"marker-{tag}-{delay}"
    proc = subprocess.Popen([sys.executable, "-c", BATCH_WRITER, str(path), str(marker), G, tag], cwd=ROOT)
    deadline = time.monotonic() + 120
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def batch_state(path) -> set[tuple[int, str | None]]:
    with Store.open(path) as store:
        return {(store.triples_in(f"{G}/{d}"), store.document_state(f"{G}/{d}")) for d in range(40)}


@pytest.mark.parametrize("delay", [0.0, 0.5, 1.5])
def test_a_batch_of_new_graphs_is_written_whole_or_not_at_all(tmp_path, delay):
    path = tmp_path / "s"
    write_batch_and_kill(tmp_path, path, "new", delay)
    assert batch_state(path) in ({(0, None)}, {(5000, "new")})


@pytest.mark.parametrize("delay", [0.0, 0.5, 1.5])
def test_a_batch_replacing_graphs_leaves_all_old_or_all_new(tmp_path, delay):
    path = tmp_path / "s"
    subprocess.run([sys.executable, "-c", BATCH_WRITER, str(path), str(tmp_path / "m"), G, "old"], cwd=ROOT, check=True)
    write_batch_and_kill(tmp_path, path, "replacement", delay)
    state = batch_state(path)
    assert state in ({(5000, "old")}, {(5000, "replacement")}), state
    with Store.open(path) as store:
        tags = {r[0].value.split()[0] for r in store.query(f"SELECT ?o WHERE {{ GRAPH <{G}/7> {{ ?s ?p ?o }} }}")}
        assert tags == {state.pop()[1]}  # never a mix inside a graph either
