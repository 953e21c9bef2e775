"""HTTP caching over a live server: answers are named by the snapshot they come from, a client
holding one is answered 304 with nothing run, and a write through the server renames them all."""
from __future__ import annotations

import email.utils
import os
import re
import shutil
import time

import pytest
import requests

from ckg.graph import queries
from ckg.ontology.vocabulary import ID_BASE, NAMESPACE

from .live import serving

TOKEN = "caching token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON_RESULTS = "application/sparql-results+json"
QUERY = "PREFIX ckg: <" + NAMESPACE + "> SELECT ?s WHERE { ?s a ckg:State } ORDER BY ?s LIMIT 5"
MARK = "https://test.example/cached"

READS = {
    "a query": ("/sparql", {"query": QUERY}, {"Accept": JSON_RESULTS}),
    "a page": ("/documents", {}, {"Accept": "text/html"}),
    "a page's data": ("/contested.json", {}, {}),
    "a resource": ("/ckg/id/state/PAK", {}, {"Accept": "text/turtle"}),
    "an API call": ("/api/queries/claims", {"kind": "killed"}, {}),
    "a page of an API call": ("/api/queries/claims", {"limit": "3"}, {"Accept": "text/csv"}),
}


@pytest.fixture(scope="module")
def server(seed_store, tmp_path_factory):
    """`ckg serve` (two workers) over a copy of the seed store, with updates enabled."""
    store = tmp_path_factory.mktemp("caching") / "store"
    shutil.copytree(seed_store, store)
    yield from serving(store, "--update-token", TOKEN, "--workers", "2")


def ran(response: requests.Response) -> int:
    """How many requests the answer sent to the query process, by its Server-Timing header."""
    found = re.search(r'desc="(\d+) run"', response.headers.get("Server-Timing", ""))
    assert found, f"no Server-Timing in {dict(response.headers)}"
    return int(found.group(1))


def get(url: str, path: str, params: dict, headers: dict, **more) -> requests.Response:
    return requests.get(url + path, params=params, headers={**headers, **more}, timeout=60)


def published_second_passed(url: str) -> None:
    """Wait until the newest snapshot's second is over, when Last-Modified is sent."""
    deadline = time.monotonic() + 5
    while "Last-Modified" not in get(url, "/sparql", {"query": QUERY}, {}).headers:
        assert time.monotonic() < deadline, "no Last-Modified two seconds after a publication"
        time.sleep(0.2)


@pytest.mark.parametrize("what", list(READS))
def test_a_repeated_read_is_answered_304_with_nothing_run(server, what):
    path, params, headers = READS[what]
    first = get(server, path, params, headers)
    assert first.status_code == 200 and first.content
    assert ran(first) >= 1
    tag = first.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', tag)
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Accept" in first.headers["Vary"]
    for _ in range(4):  # whichever worker answers
        again = get(server, path, params, headers, **{"If-None-Match": tag})
        assert again.status_code == 304, again.text
        assert again.content == b"" and ran(again) == 0
        assert again.headers["ETag"] == tag and "Accept" in again.headers["Vary"]
        assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    other = get(server, path, params, headers, **{"If-None-Match": '"0123456789abcdef0123456789abcdef"'})
    assert other.status_code == 200 and other.headers["ETag"] == tag and ran(other) >= 1


def test_head_and_get_share_a_tag_and_every_worker_gives_the_same(server):
    path, params, headers = READS["a query"]
    tags = {get(server, path, params, headers).headers["ETag"] for _ in range(6)}
    head = requests.head(server + path, params=params, headers=headers, timeout=60)
    assert len(tags) == 1 and head.status_code == 200 and head.headers["ETag"] in tags


def test_another_accept_or_parameter_is_another_answer(server):
    base = get(server, "/sparql", {"query": QUERY}, {"Accept": JSON_RESULTS})
    csv = get(server, "/sparql", {"query": QUERY}, {"Accept": "text/csv"})
    other = get(server, "/sparql", {"query": QUERY.replace("LIMIT 5", "LIMIT 6")}, {"Accept": JSON_RESULTS})
    api = get(server, "/api/queries/claims", {"kind": "killed"}, {})
    api_other = get(server, "/api/queries/claims", {"kind": "wounded"}, {})
    page = get(server, "/api/queries/claims", {"limit": "3"}, {})
    next_page = get(server, "/api/queries/claims", {"limit": "3", "offset": "3"}, {})
    tags = [r.headers["ETag"] for r in (base, csv, other, api, api_other, page, next_page)]
    assert all(r.status_code == 200 for r in (base, csv, other, api, api_other, page, next_page))
    assert len(set(tags)) == len(tags)
    held = get(server, "/sparql", {"query": QUERY}, {"Accept": "text/csv"}, **{"If-None-Match": base.headers["ETag"]})
    assert held.status_code == 200 and held.headers["Content-Type"].startswith("text/csv"), \
        "the JSON answer's tag does not stand for the CSV one"


def test_if_modified_since_is_answered_by_the_snapshots_publication(server):
    published_second_passed(server)
    path, params, headers = READS["an API call"]
    first = get(server, path, params, headers)
    modified = first.headers["Last-Modified"]
    assert email.utils.parsedate_to_datetime(modified).timestamp() <= time.time()
    same = get(server, path, params, headers, **{"If-Modified-Since": modified})
    assert same.status_code == 304 and ran(same) == 0 and same.headers["ETag"] == first.headers["ETag"]
    earlier = email.utils.format_datetime(email.utils.parsedate_to_datetime(modified).replace(
        year=2000), usegmt=True)
    older = get(server, path, params, headers, **{"If-Modified-Since": earlier})
    assert older.status_code == 200 and ran(older) == 1
    overruled = get(server, path, params, headers, **{"If-Modified-Since": modified, "If-None-Match": '"other"'})
    assert overruled.status_code == 200, "If-None-Match decides when both are sent"


def test_a_post_query_is_never_answered_304(server):
    got = get(server, "/sparql", {"query": QUERY}, {"Accept": JSON_RESULTS})
    posted = requests.post(server + "/sparql", data={"query": QUERY},
                           headers={"Accept": JSON_RESULTS, "If-None-Match": got.headers["ETag"],
                                    "If-Modified-Since": got.headers.get("Last-Modified", "")}, timeout=60)
    assert posted.status_code == 200 and ran(posted) == 1
    assert "ETag" not in posted.headers and "Cache-Control" not in posted.headers
    assert posted.json() == got.json()


def test_downloads_and_the_dataset_description_are_validated_too(server):
    for path in ("/dump/all.nt.gz", "/.well-known/void", "/dump"):
        get(server, path, {}, {})  # the first makes the file, or the statistics, from the snapshot
        first = get(server, path, {}, {})
        assert first.status_code == 200 and "ETag" in first.headers, path
        again = get(server, path, {}, {}, **{"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.content == b"", path
    listing = get(server, "/dump.json", {}, {})
    made = get(server, "/dump/all.ttl.gz", {}, {})
    assert made.status_code == 200
    relisted = get(server, "/dump.json", {}, {}, **{"If-None-Match": listing.headers["ETag"]})
    assert relisted.status_code == 200, "a file made since changes the listing, which shows its size"
    sizes = {d["name"]: d["bytes"] for d in relisted.json()[0]["downloads"]}
    assert sizes["all.ttl.gz"] == len(made.content)


def test_a_write_renames_every_answer(server):
    published_second_passed(server)
    reads = {name: READS[name] for name in ("a query", "a page", "an API call")}
    before = {name: get(server, *read) for name, read in reads.items()}
    store_read = get(server, "/store", {"graph": MARK}, {"Accept": "application/n-triples"})
    assert store_read.status_code == 404

    update = requests.post(server + "/sparql", data={"update": f"INSERT DATA {{ GRAPH <{MARK}> {{ "
                                                               f"<{ID_BASE}state/PAK> <{MARK}#seen> true }} }}"},
                           headers={**AUTH, "If-None-Match": before["a query"].headers["ETag"]}, timeout=60)
    assert update.status_code in (200, 204), update.text
    assert "ETag" not in update.headers
    for name, read in reads.items():
        old = before[name]
        after = get(server, *read, **{"If-None-Match": old.headers["ETag"],
                                      "If-Modified-Since": old.headers["Last-Modified"]})
        assert after.status_code == 200 and ran(after) >= 1, name
        assert after.headers["ETag"] != old.headers["ETag"], name
        held = get(server, *read, **{"If-None-Match": after.headers["ETag"]})
        assert held.status_code == 304, name

    graph = get(server, "/store", {"graph": MARK}, {"Accept": "application/n-triples"})
    assert graph.status_code == 200 and "seen" in graph.text
    replaced = requests.put(server + "/store", params={"graph": MARK}, data=f"<{MARK}#a> <{MARK}#b> <{MARK}#c> .\n",
                            headers={**AUTH, "Content-Type": "application/n-triples"}, timeout=60)
    assert replaced.status_code in (200, 201, 204), replaced.text
    after = get(server, "/store", {"graph": MARK}, {"Accept": "application/n-triples"},
                **{"If-None-Match": graph.headers["ETag"]})
    assert after.status_code == 200 and "#b>" in after.text and after.headers["ETag"] != graph.headers["ETag"]


def test_a_refused_write_changes_nothing_and_errors_are_not_validated(server):
    before = get(server, *READS["a query"])
    refused = requests.post(server + "/sparql", data={"update": "INSERT DATA { <a:b> <a:c> <a:d> }"},
                            headers={"Authorization": "Bearer wrong"}, timeout=60)
    assert refused.status_code == 403
    held = get(server, *READS["a query"], **{"If-None-Match": before.headers["ETag"]})
    assert held.status_code == 304, "a refused write publishes nothing"
    bad = get(server, "/sparql", {"query": "SELECT nothing"}, {})
    assert bad.status_code == 400 and "ETag" not in bad.headers


def test_an_edited_named_query_renames_the_answers(server):
    path, params, headers = READS["an API call"]
    before = get(server, path, params, headers)
    edited = queries.named("claims").path
    times = edited.stat()
    try:
        os.utime(edited, ns=(times.st_atime_ns, times.st_mtime_ns + 1_000_000_000))  # saved again, as an editor does
        after = get(server, path, params, headers, **{"If-None-Match": before.headers["ETag"]})
        assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    finally:
        os.utime(edited, ns=(times.st_atime_ns, times.st_mtime_ns))
    restored = get(server, path, params, headers, **{"If-None-Match": before.headers["ETag"]})
    assert restored.status_code == 304
