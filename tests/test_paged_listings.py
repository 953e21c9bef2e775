"""Paged listings: named queries through the API and `ckg query`, and the documents page, a page at
a time; following the next links visits every row of the whole listing once, in order."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys

import pytest
import requests

from ckg.graph import queries
from ckg.ontology.vocabulary import CKG

from .conftest import ROOT
from .live import serving
from .test_editor_browser import browser, offline_page  # noqa: F401  (fixture)

TOKEN = "paging token"
DOCUMENTS = 23
"""Documents added to the seed's one: 24 in all, so pages of 5 and 7 end part full and pages of 6 and 8 full."""


@pytest.fixture(scope="module")
def server(seed_store, tmp_path_factory):
    """`ckg serve` over a copy of the seed store with more documents, added through the server."""
    store = tmp_path_factory.mktemp("paging") / "store"
    shutil.copytree(seed_store, store)
    for url in serving(store, "--update-token", TOKEN):
        triples = " ".join(
            f'<https://test.example/doc/{i:02d}> a <{CKG}Document> ; <http://schema.org/headline> "Report {i:02d}" ; '
            f'<http://schema.org/datePublished> "2025-01-{1 + i % 28:02d}T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .'
            for i in range(DOCUMENTS))
        added = requests.post(url + "/sparql", data={"update": f"INSERT DATA {{ GRAPH <https://test.example/g> {{ {triples} }} }}"},
                              headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
        assert added.status_code in (200, 204), added.text
        yield url


def follow(url: str, headers: dict | None = None) -> list[requests.Response]:
    """Every page from ``url`` on, by the Link headers' rel=next."""
    pages = []
    while url:
        response = requests.get(url, headers=headers or {}, timeout=60)
        assert response.status_code == 200, response.text
        pages.append(response)
        assert len(pages) < 100
        url = response.links.get("next", {}).get("url")
    return pages


def whole(server: str, name: str, **params) -> list[dict]:
    response = requests.get(f"{server}/api/queries/{name}", params=params, timeout=60)
    assert response.status_code == 200 and "Link" not in response.headers and "page" not in response.json()
    return response.json()["rows"]


@pytest.mark.parametrize("limit", [1, 4, 7, 1000])
def test_paging_a_named_query_visits_every_row_once_in_order(server, limit):
    rows = whole(server, "claims")
    assert len(rows) > 12
    pages = follow(f"{server}/api/queries/claims?limit={limit}")
    seen = [row for page in pages for row in page.json()["rows"]]
    assert seen == rows
    assert len(pages) == -(-len(rows) // limit)
    assert all(len(p.json()["rows"]) == limit for p in pages[:-1])
    assert "next" not in pages[-1].links and pages[-1].json()["page"]["next"] is None
    assert "prev" not in pages[0].links
    for before, page in zip(pages, pages[1:]):
        assert requests.get(page.links["prev"]["url"], timeout=60).json()["rows"] == before.json()["rows"]


def test_pages_keep_the_querys_parameters_and_format(server):
    rows = whole(server, "claims", kind="killed")
    assert 3 <= len(rows) < len(whole(server, "claims"))
    pages = follow(f"{server}/api/queries/claims?kind=killed&format=csv&limit=2")
    assert all(p.headers["Content-Type"].startswith("text/csv") for p in pages)
    seen = [row for p in pages for row in csv.DictReader(io.StringIO(p.text))]
    assert [r["claim"] for r in seen] == [r["claim"] for r in rows]
    assert "kind=killed" in pages[0].links["next"]["url"]


def test_a_page_that_ends_the_listing_exactly_has_no_next(server):
    rows = whole(server, "claims")
    last = requests.get(f"{server}/api/queries/claims", params={"limit": 3, "offset": len(rows) - 3}, timeout=60)
    assert len(last.json()["rows"]) == 3 and "next" not in last.links and "prev" in last.links
    beyond = requests.get(f"{server}/api/queries/claims", params={"limit": 3, "offset": len(rows) + 10}, timeout=60)
    assert beyond.status_code == 200 and beyond.json()["rows"] == [] and "next" not in beyond.links


@pytest.mark.parametrize("params, says", [
    ({"limit": "0"}, "'limit' must be a whole number from 1 to 10,000; got '0'"),
    ({"limit": "-5"}, "'limit' must be a whole number"),
    ({"limit": "ten"}, "got 'ten'"),
    ({"limit": "10001"}, "from 1 to 10,000"),
    ({"limit": "2.5"}, "'limit' must be a whole number"),
    ({"offset": "-1"}, "'offset' must be a whole number from 0 to"),
    ({"offset": "99999999999999999999"}, "'offset' must be a whole number"),
    ({"limit": ["2", "3"]}, "give the parameter 'limit' once"),
])
def test_bad_page_values_are_refused_with_what_is_wrong(server, params, says):
    for path in ("/api/queries/claims", "/documents", "/documents.json", "/contested"):
        response = requests.get(server + path, params=params, timeout=60)
        assert response.status_code == 400 and says in response.text, (path, response.text)
    assert requests.get(server + "/api/queries/claims", params={"limit": 2}, timeout=60).status_code == 200


def test_the_documents_listing_pages_in_json(server):
    everything = requests.get(server + "/documents.json", timeout=60)
    assert "Link" not in everything.headers, "a page of 100 holds every document here"
    documents = everything.json()["items"]
    assert len(documents) == DOCUMENTS + 1
    for limit in (5, 6):
        pages = follow(f"{server}/documents.json?limit={limit}")
        assert [d["iri"] for p in pages for d in p.json()["items"]] == [d["iri"] for d in documents]
        assert len(pages) == -(-len(documents) // limit) and "next" not in pages[-1].links


def test_the_contested_listing_pages_by_count_never_cutting_a_chart(server):
    charts = requests.get(server + "/contested.json", timeout=60).json()["items"]
    assert len(charts) >= 2 and any(len(c["bars"]) >= 3 for c in charts)
    pages = follow(f"{server}/contested.json?limit=1")
    assert [len(p.json()["items"]) for p in pages] == [1] * len(charts)
    def shown(chart: dict) -> tuple:  # a side's colour is the page's own: not compared
        return chart["variable"], chart["label"], [(b["claim"], b["claimant"], b["low"], b["high"]) for b in chart["bars"]]

    assert [shown(c) for p in pages for c in p.json()["items"]] == [shown(c) for c in charts]
    html = requests.get(server + "/contested", params={"limit": 1, "offset": 1}, timeout=60)
    assert html.text.count('<section class="chart">') == 1
    assert 'rel="prev"' in html.text and ('rel="next"' in html.text) == (len(charts) > 2)


def test_the_documents_page_links_to_the_next_and_previous_pages_in_a_browser(server, browser):  # noqa: F811
    documents = [d["title"] for d in requests.get(server + "/documents.json", timeout=60).json()["items"]]
    page, outside = offline_page(browser, server)
    page.goto(server + "/documents?limit=7")
    seen: list[str] = []
    visited = 0
    while True:
        visited += 1
        seen += page.locator("table.list td:first-child a:first-child").all_inner_texts()
        assert (page.locator("nav.pager a[rel=prev]").count() == 1) == (visited > 1)
        following = page.locator("nav.pager a[rel=next]")
        if following.count() == 0:
            break
        following.click()
        page.wait_for_load_state()
    assert seen == documents and visited == 4
    page.locator("nav.pager a[rel=prev]").click()
    page.wait_for_load_state()
    assert page.locator("table.list td:first-child a:first-child").all_inner_texts() == documents[14:21]
    assert page.locator("h1 .count").inner_text() == f"15–21 of {len(documents)}"
    assert outside == []
    page.close()


def test_the_openapi_document_describes_the_page_parameters(server):
    document = requests.get(server + "/api/openapi.json", timeout=60).json()
    parameters = {p["name"]: p for p in document["paths"]["/api/queries/claims"]["get"]["parameters"]}
    assert parameters["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": queries.MAX_LIMIT}
    assert parameters["offset"]["schema"]["minimum"] == 0


def ckg_query(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ckg.cli", "query", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_ckg_query_pages_with_limit_and_offset(seed_store):
    full = ckg_query("claims", "--store", str(seed_store), "--format", "csv")
    assert full.returncode == 0, full.stderr
    rows = list(csv.reader(io.StringIO(full.stdout)))
    header, body = rows[0], rows[1:]
    seen = []
    for offset in range(0, len(body) + 5, 5):
        page = ckg_query("claims", "--store", str(seed_store), "--format", "csv", "--limit", "5",
                         "--offset", str(offset))
        assert page.returncode == 0, page.stderr
        got = list(csv.reader(io.StringIO(page.stdout)))
        assert got[0] == header and len(got) - 1 <= 5
        seen += got[1:]
    assert seen == body
    refused = ckg_query("claims", "--store", str(seed_store), "--limit", "0")
    assert refused.returncode == 2 and "--limit" in refused.stderr and "0" in refused.stderr
    own = ckg_query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", "--store", str(seed_store), "--limit", "2")
    assert own.returncode == 1 and "its own LIMIT" in own.stderr


def test_paging_adds_limit_and_offset_to_the_outermost_query_only():
    text = ('SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p "LIMIT 3 } #" } LIMIT 3 } # LIMIT\n'
            "  ?x <urn:offset> ?limit } ORDER BY ?x")
    paged = queries.paged(text, queries.Page(4, 8), extra=1)
    assert paged == text + "\nLIMIT 5 OFFSET 8\n"
    assert queries.paged(text, queries.Page()) == text
    with pytest.raises(queries.QueryError, match="its own OFFSET"):
        queries.paged("SELECT * { ?s ?p ?o } OFFSET 2", queries.Page(3))
    with pytest.raises(queries.QueryError, match="its own VALUES"):
        queries.paged("SELECT * { ?s ?p ?o } VALUES ?s { <urn:a> }", queries.Page(3))
