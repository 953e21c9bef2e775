"""Facets on /contested and /documents: the search's facet parameters narrow each listing to the
items that have every chosen value, the counts beside the list say how many items each value
leads to, and the links keep the request's other parameters.

A store is built from articles about other conflicts (tests/data/articles/) and an article full
of markup (tests/data/hostile/), and served by one live `ckg serve` for the module; what a
narrowed list holds is checked against the store itself through /sparql.
"""
from __future__ import annotations

import csv
import io
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests

from ckg.graph.build import build
from ckg.graph.store import Store
from ckg.ontology.vocabulary import CKG, SPARQL_PREFIXES

from .conftest import ROOT
from .live import serving
from .test_editor_browser import browser, offline_page  # noqa: F401  (fixture)

SOURCES = [ROOT / "tests" / "data" / "articles", ROOT / "tests" / "data" / "hostile"]
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ALL = {"limit": "1000"}
"""Enough for every item on one page."""
TOKEN = "facets token"
ARTIFACTS = ROOT / "test-artifacts" / "pages"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("listing-facets")
    with Store.open(path) as s:
        assert build(SOURCES, s).failures == []
    yield from serving(path, "--update-token", TOKEN)


def data(server: str, path: str, params=None) -> dict:
    response = requests.get(server + path, params=params, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def ask(server: str, query: str) -> bool:
    response = requests.get(server + "/sparql", params={"query": SPARQL_PREFIXES + query},
                            headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def values(listing: dict, facet: str) -> list[dict]:
    return listing["facets"][facet]["values"]


def test_a_side_narrows_the_documents_to_those_reporting_a_claim_for_it(server):
    everything = data(server, "/documents.json", ALL)
    assert everything["total"] == len(everything["items"]) >= 9 and everything["filters"] == []
    sides = values(everything, "side")
    side = next(v for v in sides if 0 < v["count"] < everything["total"])
    narrowed = data(server, side["href"])
    assert narrowed["total"] == side["count"] == len(narrowed["items"])
    assert narrowed["filters"] == [{"facet": "side", "value": side["value"], "label": side["label"],
                                    "remove": narrowed["filters"][0]["remove"]}]
    kept = {d["iri"] for d in narrowed["items"]}
    for document in everything["items"]:
        has = ask(server, f"ASK {{ ?c ckg:reportedIn <{document['iri']}> ; ckg:claimedOnBehalfOf <{side['value']}> }}")
        assert has == (document["iri"] in kept), document["title"]
    chosen = [v for v in values(narrowed, "side") if v["selected"]]
    assert [v["value"] for v in chosen] == [side["value"]] and chosen[0]["count"] == side["count"]


def test_a_count_kind_narrows_the_contested_counts_to_counts_of_that_kind(server):
    everything = data(server, "/contested.json", ALL)
    assert everything["total"] == len(everything["items"]) >= 3
    kinds = values(everything, "kind")
    assert len(kinds) >= 2, "the articles contest more than one kind of count"
    kind = kinds[-1]
    narrowed = data(server, kind["href"])
    assert narrowed["total"] == kind["count"] == len(narrowed["items"]) < everything["total"]
    for chart in narrowed["items"]:
        assert ask(server, f'ASK {{ <{chart["variable"]}> ckg:countOf/skos:notation "{kind["value"]}" }}'), chart["label"]
    left = {c["variable"] for c in everything["items"]} - {c["variable"] for c in narrowed["items"]}
    for variable in left:
        assert not ask(server, f'ASK {{ <{variable}> ckg:countOf/skos:notation "{kind["value"]}" }}')


def test_each_value_leads_to_as_many_items_as_it_counts(server):
    for path in ("/contested.json", "/documents.json"):
        listing = data(server, path, ALL)
        facets = [name for name, facet in listing["facets"].items() if facet["values"]]
        assert {"side", "kind", "claimant", "day", "month"} <= set(facets), path
        for name in facets:
            for value in values(listing, name)[:3]:
                narrowed = data(server, value["href"])
                assert narrowed["total"] == value["count"] == len(narrowed["items"]), (path, name, value)
                assert all(v["count"] <= value["count"] for facet in narrowed["facets"].values()
                           for v in facet["values"]), "a narrowed list counts within itself"


def test_two_values_keep_the_items_with_both(server):
    listing = data(server, "/contested.json", ALL)
    first = values(listing, "side")[0]
    narrowed = data(server, first["href"])
    second = next(v for v in values(narrowed, "side") if not v["selected"])
    both = data(server, second["href"])
    assert [f["facet"] for f in both["filters"]] == ["side", "side"]
    assert both["total"] == second["count"] == len(both["items"]) <= narrowed["total"]
    for chart in both["items"]:
        for side in (first, second):
            assert ask(server, f"""ASK {{ ?c ckg:aboutVariable <{chart['variable']}> ;
                                           ckg:claimedOnBehalfOf <{side['value']}> }}"""), chart["label"]
    back = data(server, both["filters"][1]["remove"])
    assert [f["value"] for f in back["filters"]] == [first["value"]] and back["total"] == narrowed["total"]


def test_links_keep_the_other_parameters_and_pages_keep_the_facets(server):
    listing = data(server, "/documents.json", ALL)
    kind = max(values(listing, "kind"), key=lambda v: v["count"])
    assert 3 <= kind["count"]
    chosen = ("kind", kind["value"])
    first = requests.get(server + "/documents", params=[chosen, ("limit", "2")], headers={"Accept": BROWSER_ACCEPT},
                         timeout=60)
    assert first.status_code == 200
    assert chosen in parse_qsl(urlsplit(first.links["next"]["url"]).query)
    assert ("limit", "2") in parse_qsl(urlsplit(first.links["next"]["url"]).query)
    page = data(server, "/documents.json", [chosen, ("limit", "2"), ("offset", "2")])
    for name, facet in page["facets"].items():
        for value in facet["values"]:
            asked = parse_qsl(urlsplit(value["href"]).query)
            assert ("limit", "2") in asked and "offset" not in dict(asked), value["href"]
            assert (chosen in asked) != (value["selected"] and name == "kind"), value["href"]
    assert chosen in parse_qsl(urlsplit(page["page"]["prev"]).query)
    seen, url = [], f"{server}/documents.json?{urlencode([chosen, ('limit', '2')])}"
    while url:
        response = requests.get(url, timeout=60)
        seen += [d["iri"] for d in response.json()["items"]]
        url = response.links.get("next", {}).get("url")
    whole = data(server, "/documents.json", [chosen, *ALL.items()])
    assert seen == [d["iri"] for d in whole["items"]] and len(seen) == kind["count"]


def test_the_page_shows_the_facets_the_chosen_values_and_their_removal(server):
    listing = data(server, "/documents.json", ALL)
    side = values(listing, "side")[0]
    page = requests.get(server + "/documents", params={"side": side["value"]}, headers={"Accept": BROWSER_ACCEPT},
                        timeout=60).text
    assert '<aside class="facets">' in page and 'data-facet="side"' in page and 'class="selected"' in page
    assert f"side = {side['label']}" in page and 'class="remove"' in page
    assert page.count("<tr><td>") == side["count"]


def test_a_narrowed_listing_as_csv_holds_the_same_items(server):
    documents = data(server, "/documents.json", ALL)
    side = values(documents, "side")[0]
    table = requests.get(server + "/documents.csv", params={"side": side["value"], **ALL}, timeout=60)
    assert table.status_code == 200 and table.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert [r["iri"] for r in rows] == [d["iri"] for d in data(server, side["href"])["items"]]
    assert len(rows) == side["count"]
    contested = data(server, "/contested.json", ALL)
    kind = values(contested, "kind")[-1]
    asked = requests.get(server + "/contested", params={"kind": kind["value"], "format": "csv", **ALL}, timeout=60)
    rows = list(csv.DictReader(io.StringIO(asked.text)))
    charts = data(server, kind["href"])["items"]
    assert [r["claim"] for r in rows] == [b["claim"] for c in charts for b in c["bars"]]
    assert {r["variable"] for r in rows} == {c["variable"] for c in charts} and len(charts) == kind["count"]


@pytest.mark.parametrize("path, params, says", [
    ("/contested", {"type": "claim"}, "there is no facet 'type' on /contested; the facets on /contested are side, kind"),
    ("/documents", {"document": "https://example.org/x"}, "the facets on /documents are side, kind, claimant, channel"),
    ("/documents.json", {"colour": "red"}, "there is no parameter 'colour' on /documents"),
    ("/documents", {"day": "2026-02-30"}, "is not a day, YYYY-MM-DD"),
    ("/contested.json", {"week": "2026-W60"}, "is not an ISO week"),
    ("/contested", {"side": "not an IRI"}, "is not an IRI"),
    ("/contested", {"kind": "<script>"}, "is not a word"),
])
def test_a_bad_facet_is_refused_with_what_is_wrong(server, path, params, says):
    response = requests.get(server + path, params=params, timeout=60)
    assert response.status_code == 400 and says in response.text, response.text
    assert not response.headers["Content-Type"].startswith("text/html")
    assert requests.get(server + "/documents.json", timeout=60).status_code == 200, "the server keeps serving"


def test_a_value_nothing_has_gives_an_empty_list_that_can_be_undone(server):
    narrowed = data(server, "/documents.json", {"side": "https://example.org/nowhere"})
    assert narrowed["total"] == 0 and narrowed["items"] == []
    chosen = values(narrowed, "side")
    assert [(v["value"], v["count"], v["selected"]) for v in chosen] == [("https://example.org/nowhere", 0, True)]
    assert urlsplit(chosen[0]["href"]).query == ""


def test_markup_in_labels_stays_text(server):
    contested = data(server, "/contested.json", ALL)
    titles = [v for v in values(contested, "document") if "<script>" in v["label"]]
    assert titles, "the article with markup in its title has contested figures"
    page = requests.get(server + "/contested", params={"document": titles[0]["value"]},
                        headers={"Accept": BROWSER_ACCEPT}, timeout=60).text
    own = '<script src="/assets/pages/complete.js" defer></script>'
    assert "<script>document.title" not in page.replace(own, "") and "<b>bold</b>" not in page
    assert "&lt;script&gt;document.title" in page


def side_clicked_in_a_browser(browser, server: str, path: str, rows: str, screenshot: str) -> None:  # noqa: F811
    """Open a listing whole, click one side in its facet, see that side's rows alone, then remove it."""
    base = path.split("?")[0]
    listing = data(server, base + ".json", ALL)
    side = next(v for v in values(listing, "side") if v["count"] < listing["total"])
    page, outside = offline_page(browser, server)
    page.goto(server + path)
    found = page.locator(rows)
    assert found.count() == listing["total"]
    page.locator('section.facet[data-facet="side"] a', has_text=side["label"]).first.click()
    page.wait_for_url(f"**{base}?*side=*")
    assert found.count() == side["count"]
    assert page.locator('section.facet[data-facet="side"] li.selected').count() == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / screenshot), full_page=True)
    page.locator("p.narrowed a.remove").click()
    page.wait_for_url(f"**{path}")
    assert found.count() == listing["total"] and outside == []
    page.close()


def test_clicking_a_facet_value_narrows_the_documents_in_a_browser(server, browser):  # noqa: F811
    side_clicked_in_a_browser(browser, server, "/documents", "table.list td:first-child a:first-child",
                              "documents-facets.png")


def test_a_write_is_counted_by_the_next_request(server):
    """Runs last: it adds a document. The facets' values are kept per snapshot, so the next
    snapshot's are made anew."""
    before = data(server, "/documents.json", ALL)
    assert all(v["value"] != "2031-01" for v in values(before, "month"))
    triples = (f'<https://test.example/doc/later> a <{CKG}Document> ; <http://schema.org/headline> "Later report" ; '
               '<http://schema.org/datePublished> "2031-01-05T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .')
    update = f"INSERT DATA {{ GRAPH <https://test.example/g> {{ {triples} }} }}"
    added = requests.post(server + "/sparql", data={"update": update},
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert added.status_code in (200, 204), added.text
    after = data(server, "/documents.json", ALL)
    assert after["total"] == before["total"] + 1
    month = [v for v in values(after, "month") if v["value"] == "2031-01"]
    assert [v["count"] for v in month] == [1]
    assert [d["title"] for d in data(server, month[0]["href"])["items"]] == ["Later report"]
