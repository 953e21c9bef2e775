"""ckg against a remote SPARQL 1.1 store: `oxigraph serve` (PyPI) started on loopback by the tests.

The seeds are built into it with `ckg build --store URL`; every named query, `ckg export`, and the
server's pages, API and /sparql must answer as they do from the embedded build of the same seeds.
A bad document must leave the remote store as it was, an unreachable store must be a one-line error,
and a second build must skip what did not change.
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import pytest
import requests

from ckg.ontology.vocabulary import CKG

from .conftest import require_tool
from .live import free_port, serving
from .remote_stores import BLANK, ckg, named_answers, remote_store, running_oxigraph, seeds_built_into

RUN_TIMES = re.compile(r"<http://www\.w3\.org/ns/prov#(startedAtTime|endedAtTime)>")
CLAIM_FIGURES = (f"SELECT ?c ?min WHERE {{ ?c a <{CKG.QuantityClaim}> ; "
                 f"<{CKG.minValue}> ?min }} ORDER BY ?c ?min")


@pytest.fixture(scope="module")
def remote(tmp_path_factory) -> Iterator[str]:
    """The seeds built into a fresh `oxigraph serve` through `ckg build --store URL`."""
    yield from seeds_built_into(running_oxigraph(tmp_path_factory.mktemp("oxigraph")))


def test_every_named_query_answers_as_the_embedded_store(remote, seed_store):
    answers = named_answers(remote, seed_store)
    assert [name for name, (here, there) in answers.items() if here != there] == []
    assert sum(here.count("\n") for here, _ in answers.values()) > 100


def test_ckg_query_and_export_give_the_embedded_stores_answers(remote, seed_store):
    here = ckg("query", "claims", "--store", str(seed_store), "--format", "csv")
    there = ckg("query", "claims", "--store", remote, "--format", "csv")
    assert here.returncode == there.returncode == 0, there.stderr
    assert here.stdout == there.stdout and here.stdout.count("\n") > 2

    def quads(store: str) -> list[str]:
        done = ckg("export", "--store", store)
        assert done.returncode == 0, done.stderr
        from ckg.ontology.vocabulary import STORE_STAMP

        return sorted(BLANK.sub("_:b", line) for line in done.stdout.splitlines()
                      if not RUN_TIMES.search(line) and not line.startswith(f"<{STORE_STAMP}>"))

    embedded, far = quads(str(seed_store)), quads(remote)
    assert len(embedded) > 10_000
    assert embedded == far


def test_a_second_build_skips_unchanged_documents(remote):
    with remote_store(remote) as far:
        before = far.stamp()
    again = ckg("build", "--quiet", "--store", remote, "seeds")
    assert again.returncode == 0, again.stderr
    assert re.search(r"unchanged, skipped\s+1\b", again.stdout) and re.search(r"built\s+0\b", again.stdout)
    with remote_store(remote) as far:
        assert far.stamp() == before  # nothing written: what servers see is not renamed


def test_a_malformed_document_leaves_the_remote_store_as_it_was(remote, tmp_path):
    exported = ckg("export", "--store", remote)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"title: broken\n\n\xff\xfe not text at all \xc3")
    built = ckg("build", "--quiet", "--store", remote, "seeds", str(bad))
    assert built.returncode == 2
    assert "FAILED" in built.stdout and "bad.txt" in built.stdout and "UTF-8" in built.stdout
    assert ckg("export", "--store", remote).stdout == exported.stdout


def test_an_unreachable_store_is_a_one_line_error():
    gone = f"http://127.0.0.1:{free_port()}/query"
    for arguments in (("build", "--quiet", "seeds"), ("query", "claims"), ("export",), ("serve",)):
        done = ckg(*arguments, "--store", gone)
        assert done.returncode == 1, arguments
        assert f"cannot reach the store at {gone}" in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    unknown = ckg("query", "claims", "--store", "http://127.0.0.1:1/somewhere")
    assert unknown.returncode == 1 and "--update-endpoint" in unknown.stderr


def test_the_server_answers_from_the_remote_store_as_from_the_embedded(remote, live):
    for base in serving(remote, "--workers", "1"):
        for path in ("/api/queries/claims", "/api/queries/contradictions?limit=3"):
            mine, theirs = requests.get(base + path, timeout=60), requests.get(live + path, timeout=60)
            assert mine.status_code == theirs.status_code == 200, mine.text
            assert json.loads(mine.text.replace(base, "")) == json.loads(theirs.text.replace(live, ""))
        for path in ("/contested", "/documents"):
            page = requests.get(base + path, timeout=60)
            assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
            other = requests.get(live + path, timeout=60).text
            assert _links(page.text.replace(base, "")) == _links(other.replace(live, "")) and len(_links(other)) > 10
        answer = requests.get(base + "/sparql", params={"query": CLAIM_FIGURES}, headers={"Accept": "text/csv"},
                              timeout=60)
        embedded = requests.get(live + "/sparql", params={"query": CLAIM_FIGURES}, headers={"Accept": "text/csv"},
                                timeout=60)
        assert answer.status_code == 200 and answer.text == embedded.text and answer.text.count("\n") > 6
        bad = requests.get(base + "/sparql", params={"query": "SELECT WHERE {"}, timeout=60)
        assert bad.status_code == 400
        tagged = requests.get(base + "/documents", timeout=60)
        assert tagged.headers.get("ETag")
        again = requests.get(base + "/documents", headers={"If-None-Match": tagged.headers["ETag"]}, timeout=60)
        assert again.status_code == 304
        search = requests.get(base + "/search", params={"q": "said"}, timeout=60)
        assert search.status_code == 503 and "remote store" in search.text


def test_the_server_caps_rows_and_stops_a_remote_query_past_its_time_limit(remote, live):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    for base in serving(remote, "--workers", "1", "--query-timeout", "3", "--row-cap", "5"):
        capped = requests.get(base + "/sparql", params={"query": CLAIM_FIGURES}, headers={"Accept": "text/csv"},
                              timeout=60)
        assert capped.status_code == 200 and "row cap" in capped.headers.get("Ckg-Truncated", "")
        first = requests.get(live + "/sparql", params={"query": CLAIM_FIGURES + " LIMIT 5"},
                             headers={"Accept": "text/csv"}, timeout=60)
        assert capped.text.count("\n") == 6 and capped.text == first.text
        began = time.monotonic()
        answer = requests.get(base + "/sparql", params={"query": slow}, timeout=60)
        assert answer.status_code == 503 and "time limit" in answer.text
        assert time.monotonic() - began < 15
        assert requests.get(base + "/api/queries/claims", timeout=60).status_code == 200  # still serving


def test_writes_through_the_server_reach_the_remote_store_and_rename_answers(remote):
    graph = "https://example.org/scratch/remote-write"
    for base in serving(remote, "--workers", "1", "--update-token", "secret"):
        before = requests.get(base + "/documents", timeout=60).headers["ETag"]
        refused = requests.put(base + "/store", params={"graph": graph}, data="<urn:a> <urn:b> <urn:c> .",
                               headers={"Content-Type": "application/n-triples"}, timeout=60)
        assert refused.status_code in (401, 403)
        put = requests.put(base + "/store", params={"graph": graph}, data="<urn:a> <urn:b> <urn:c> .",
                           headers={"Content-Type": "application/n-triples", "Authorization": "Bearer secret"},
                           timeout=60)
        assert put.status_code == 201, put.text
        with remote_store(remote) as far:
            assert far.triples_in(graph) == 1
        assert requests.get(base + "/documents", timeout=60).headers["ETag"] != before
        broken = requests.put(base + "/store", params={"graph": graph}, data="<urn:a> <urn:b> \"unclosed .",
                              headers={"Content-Type": "application/n-triples", "Authorization": "Bearer secret"},
                              timeout=60)
        assert broken.status_code == 400
        with remote_store(remote) as far:
            assert far.triples_in(graph) == 1  # the bad body changed nothing
        gone = requests.delete(base + "/store", params={"graph": graph}, headers={"Authorization": "Bearer secret"},
                               timeout=60)
        assert gone.status_code == 204
        with remote_store(remote) as far:
            assert not far.has_graph(graph)


def _links(html: str) -> list[str]:
    """A page's links, in order: what it lists, without what names the store it came from."""
    return re.findall(r'href="([^"]*)"', html)


def test_check_validates_the_remote_stores_data(remote):
    require_tool("java")
    done = ckg("check", "--store", remote)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"SHACL: the data in {remote} conforms" in done.stdout
