"""Answers kept per snapshot: every named listing's whole answer, made once after a snapshot is
published, gives the same rows as running the query, whole and a page at a time, through
``ckg query``, ``/api/queries`` and its pages; a new snapshot never serves the old answers."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from ckg.graph import kept_answers, queries, snapshots
from ckg.graph.build import build
from ckg.graph.store import Store

from .conftest import ROOT
from .live import serving

ARTICLES = ROOT / "tests" / "data" / "articles"
FIRST = [ARTICLES / "2026-05-02-sudan-el-fasher.md", ARTICLES / "2026-10-15-russia-ukraine-kharkiv.txt",
         ARTICLES / "2026-06-12-israel-hezbollah-toll.md"]
LATER = ARTICLES / "2026-03-14-armenia-azerbaijan-border.txt"
PAGES = [(5, 0), (7, 3), (1, 40), (3, 10_000)]


def newest(store: Path) -> Path:
    found = snapshots.current(store)
    assert found is not None and found.is_dir()
    return found


def make_kept(store: Path) -> Path:
    """The newest snapshot, with its kept answers made (here, or by a process already at it)."""
    snapshot = newest(store)
    subprocess.run([sys.executable, "-m", "ckg.graph.kept_answers", str(snapshot)], check=True, cwd=ROOT,
                   capture_output=True)
    deadline = time.monotonic() + 120
    while kept_answers.missing(snapshot) and time.monotonic() < deadline:
        time.sleep(0.3)  # another process (the server's first asking) makes them
    assert kept_answers.missing(snapshot) == []
    return snapshot


def run(snapshot: Path, text: str) -> dict:
    """The query's SPARQL JSON results, from Oxigraph on the snapshot."""
    with snapshots.in_use(snapshot), Store.open(snapshot, read_only=True) as store:
        return json.loads(store.query(text).serialize(format=ox.QueryResultsFormat.JSON))


def serialized(snapshot: Path, text: str, fmt: str) -> bytes:
    """The query's answer as Oxigraph writes it in CSV or TSV."""
    with snapshots.in_use(snapshot), Store.open(snapshot, read_only=True) as store:
        return store.query(text).serialize(format={"csv": ox.QueryResultsFormat.CSV,
                                                   "tsv": ox.QueryResultsFormat.TSV}[fmt])


@pytest.fixture(scope="module")
def store(seed_store, tmp_path_factory) -> Path:
    """The seed store with a few more articles, its snapshot published and its answers kept."""
    path = tmp_path_factory.mktemp("kept") / "store"
    shutil.copytree(seed_store, path)
    with Store.open(path) as opened:
        assert build(FIRST, opened).failures == []
        snapshots.publish(opened, keep=3)
    make_kept(path)
    return path


def test_every_listing_is_kept_and_answers_as_the_query_does(store):
    snapshot = newest(store)
    listed = kept_answers.listings()
    assert {q.name for q in listed} >= {"claims", "statements", "timeline", "operations"}
    assert all(not any(p.required for p in q.parameters) for q in listed)
    nonempty = 0
    for query in listed:
        found = kept_answers.kept(snapshot, query)
        assert found is not None, query.name
        expected = run(snapshot, kept_answers.text_of(query))
        assert found.results() == expected, query.name
        assert found.total == len(expected["results"]["bindings"]) and list(found.columns) == expected["head"]["vars"]
        nonempty += found.total > 0
        for limit, offset in PAGES:
            page = run(snapshot, queries.paged(kept_answers.text_of(query), queries.Page(limit, offset)))
            assert found.results(offset, limit) == page, (query.name, limit, offset)
    assert nonempty >= 10


def test_a_query_edited_since_is_not_answered_from_its_old_text(store):
    query = queries.named("claims")
    edited = queries.parse(query.text.replace("ORDER BY ?kind", "ORDER BY DESC(?kind)"), "claims")
    assert kept_answers.kept(newest(store), query) is not None
    assert kept_answers.kept(newest(store), edited) is None


def test_ckg_query_pages_come_from_the_kept_answer_and_match_the_query(store):
    snapshot = newest(store)
    for name in ("claims", "statements", "timeline"):
        query = queries.named(name)
        expected = run(snapshot, queries.paged(kept_answers.text_of(query), queries.Page(4, 2)))
        done = subprocess.run([sys.executable, "-m", "ckg.cli", "query", name, "--store", str(store), "--limit", "4",
                               "--offset", "2", "--format", "json"], capture_output=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == expected
        csv_page = subprocess.run([sys.executable, "-m", "ckg.cli", "query", name, "--store", str(store), "--limit",
                                   "4", "--format", "csv"], capture_output=True, cwd=ROOT, text=True)
        assert csv_page.returncode == 0 and len(csv_page.stdout.strip().splitlines()) == 1 + min(
            4, kept_answers.kept(snapshot, query).total)


def test_the_api_pages_and_whole_answers_match_the_query(store):
    for url in serving(store):
        snapshot = make_kept(store)  # of the snapshot the server published as it started
        for query in kept_answers.listings():
            text = kept_answers.text_of(query)
            whole = requests.get(f"{url}/api/queries/{query.name}", params={"format": "srj"}, timeout=60)
            assert whole.status_code == 200 and json.loads(whole.content) == run(snapshot, text), query.name
            for fmt in ("csv", "tsv"):
                streamed = requests.get(f"{url}/api/queries/{query.name}", params={"format": fmt}, timeout=60)
                assert streamed.content == serialized(snapshot, text, fmt), (query.name, fmt)
            rows = requests.get(f"{url}/api/queries/{query.name}", timeout=60).json()
            expected = run(snapshot, text)
            assert rows["columns"] == expected["head"]["vars"] and rows["truncated"] is False
            assert rows["rows"] == [{c: b[c]["value"] if c in b else None for c in rows["columns"]}
                                    for b in expected["results"]["bindings"]], query.name
            page = requests.get(f"{url}/api/queries/{query.name}", params={"format": "srj", "limit": 3, "offset": 2},
                                timeout=60)
            assert json.loads(page.content) == run(snapshot, queries.paged(text, queries.Page(3, 2))), query.name
        claims = requests.get(f"{url}/api/queries/claims", params={"limit": 2}, timeout=60)
        expected = run(snapshot, queries.paged(kept_answers.text_of(queries.named("claims")), queries.Page(3)))
        assert [row["claim"] for row in claims.json()["rows"]] == [
            b["claim"]["value"] for b in expected["results"]["bindings"][:2]]
        assert "next" in claims.links and claims.json()["page"]["next"]
        html = requests.get(f"{url}/api/queries/claims", params={"limit": 2, "format": "html"}, timeout=60)
        assert html.status_code == 200 and expected["results"]["bindings"][0]["claim"]["value"] in html.text
        narrowed = requests.get(f"{url}/api/queries/claims", params={"kind": "killed", "limit": 50}, timeout=60)
        run_as_asked = run(snapshot, queries.paged(queries.bind(queries.named("claims"), {"kind": "killed"}),
                                                   queries.Page(50)))
        assert [r["claim"] for r in narrowed.json()["rows"]] == [
            b["claim"]["value"] for b in run_as_asked["results"]["bindings"]]


def test_a_new_snapshot_answers_from_its_own_kept_answers(store, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    asked = {"format": "srj", "limit": 5}
    listed = [query.name for query in kept_answers.listings()]

    def first_pages(url: str) -> dict[str, dict]:
        return {name: json.loads(requests.get(f"{url}/api/queries/{name}", params=asked, timeout=60).content)
                for name in listed}

    for url in serving(copy):
        before = make_kept(copy)
        first = first_pages(url)
        with Store.open(copy) as opened:
            assert build([LATER], opened).failures == []
            snapshots.publish(opened, keep=3)
        after = newest(copy)
        assert after != before and not kept_answers.folder_of(after).exists()
        expected = {name: run(after, queries.paged(kept_answers.text_of(queries.named(name)), queries.Page(5)))
                    for name in listed}
        changed = [name for name in listed if expected[name] != first[name]]
        assert "claims" in changed, "the added article's claims change the first page of claims"
        assert first_pages(url) == expected  # not kept yet: run as asked (the first asking starts making them)
        make_kept(copy)
        assert kept_answers.kept(after, queries.named("claims")) is not None
        assert first_pages(url) == expected


def test_a_listing_past_its_time_limit_is_marked_and_run_as_asked(store, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    with Store.open(copy) as opened:
        snapshots.publish(opened, keep=3)
    snapshot = newest(copy)
    made = subprocess.run([sys.executable, "-m", "ckg.graph.kept_answers", str(snapshot), "--timeout", "0"],
                          capture_output=True, text=True, cwd=ROOT)
    assert made.returncode == 0, made.stderr
    failed = sorted(p.stem for p in kept_answers.folder_of(snapshot).glob("*.failed"))
    assert failed and "CKG_KEPT_ANSWERS_TIMEOUT" in made.stdout
    assert all(kept_answers.kept(snapshot, queries.named(name)) is None for name in failed)
    for url in serving(copy):
        name = failed[0]
        page = requests.get(f"{url}/api/queries/{name}", params={"format": "srj", "limit": 3}, timeout=60)
        expected = run(snapshot, queries.paged(kept_answers.text_of(queries.named(name)), queries.Page(3)))
        assert page.status_code == 200 and json.loads(page.content) == expected
