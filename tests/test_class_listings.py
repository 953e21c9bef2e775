"""Listings by class (/claims, /people, /organisations, /places) with the search's facets: each
narrows to the items with every chosen value, counts the values beside the list, pages through
the narrowed list, and gives it as JSON and CSV; a facet a listing does not take is a 400.

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

from .live import serving
from .test_editor_browser import browser  # noqa: F401  (fixture)
from .test_listing_facets import ALL, BROWSER_ACCEPT, SOURCES, ask, data, side_clicked_in_a_browser, values

LISTINGS = {
    "claims": ("side", "kind", "claimant", "reliability", "channel", "document", "day", "week", "month"),
    "people": ("side", "kind", "channel", "document", "day", "week", "month"),
    "organisations": ("side", "kind", "channel", "document", "day", "week", "month"),
    "places": ("side", "kind", "document", "day", "week", "month"),
}
CLASSES = {"claims": "ckg:Claim", "people": "ckg:Person", "organisations": "ckg:Organization", "places": "ckg:Place"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("class-listings")
    with Store.open(path) as s:
        assert build(SOURCES, s).failures == []
    yield from serving(path)


def narrowed_by(server: str, name: str, facet: str) -> tuple[dict, dict]:
    """The listing narrowed by the most frequent value of ``facet`` that keeps fewer than all, and that value."""
    everything = data(server, f"/{name}.json")
    value = next(v for v in values(everything, facet) if 0 < v["count"] < everything["total"])
    return data(server, value["href"], ALL), value


@pytest.mark.parametrize("name", LISTINGS)
def test_each_listing_gives_its_class_with_counts_and_takes_its_facets(server, name):
    first = data(server, f"/{name}.json", {"limit": "5"})
    assert list(first["facets"]) == list(LISTINGS[name])
    assert first["total"] > len(first["items"]) == 5 and first["filters"] == []
    assert first["page"]["next"] and first["page"]["prev"] is None
    for item in first["items"]:
        assert ask(server, f"ASK {{ <{item['iri']}> a {CLASSES[name]} }}"), item
    for facet in ("document", "month"):
        for value in values(first, facet)[:2]:
            narrowed = data(server, value["href"])  # the link keeps limit=5
            assert narrowed["total"] == value["count"], (name, facet, value)
            assert len(narrowed["items"]) == min(5, value["count"])
            assert [v["value"] for v in values(narrowed, facet) if v["selected"]] == [value["value"]]


def test_a_kind_narrows_the_claims_to_claims_of_that_kind(server):
    everything = data(server, "/claims.json", ALL)
    assert everything["total"] == len(everything["items"])
    narrowed, kind = narrowed_by(server, "claims", "kind")
    kept = {c["iri"] for c in narrowed["items"]}
    assert all(c["kind"] == kind["value"] for c in narrowed["items"])
    for claim in everything["items"]:
        has = ask(server, f'ASK {{ <{claim["iri"]}> ckg:aboutVariable/ckg:countOf/skos:notation "{kind["value"]}" }}')
        assert has == (claim["iri"] in kept), claim["label"]


def test_a_side_narrows_the_people_to_those_acting_for_it(server):
    everything = data(server, "/people.json", ALL)
    narrowed, side = narrowed_by(server, "people", "side")
    kept = {p["iri"] for p in narrowed["items"]}
    for person in everything["items"]:
        has = ask(server, f"ASK {{ <{person['iri']}> prov:actedOnBehalfOf|org:memberOf <{side['value']}> }}")
        assert has == (person["iri"] in kept), person["label"]


def test_a_document_narrows_the_organisations_to_those_it_mentions(server):
    narrowed, document = narrowed_by(server, "organisations", "document")
    assert narrowed["items"]
    for organisation in narrowed["items"]:
        assert ask(server, f"ASK {{ <{document['value']}> ckg:mentions <{organisation['iri']}> }}"), organisation
    assert not ask(server, f"""ASK {{ <{document['value']}> ckg:mentions ?o . ?o a ckg:Organization
        FILTER (?o NOT IN ({', '.join(f"<{o['iri']}>" for o in narrowed['items'])})) }}""")


def test_paging_a_narrowed_listing_keeps_the_facets_and_visits_each_item_once(server):
    _, kind = narrowed_by(server, "claims", "kind")
    assert kind["count"] >= 3
    chosen = ("kind", kind["value"])
    first = requests.get(server + "/claims", params=[chosen, ("limit", "2")], headers={"Accept": BROWSER_ACCEPT},
                         timeout=60)
    assert first.status_code == 200
    assert {chosen, ("limit", "2")} <= set(parse_qsl(urlsplit(first.links["next"]["url"]).query))
    assert 'rel="next"' in first.text
    seen, url = [], f"{server}/claims.json?{urlencode([chosen, ('limit', '2')])}"
    while url:
        response = requests.get(url, timeout=60)
        seen += [c["iri"] for c in response.json()["items"]]
        url = response.links.get("next", {}).get("url")
    whole = data(server, "/claims.json", [chosen, *ALL.items()])
    assert seen == [c["iri"] for c in whole["items"]] and len(seen) == kind["count"] == len(set(seen))
    page = data(server, "/claims.json", [chosen, ("limit", "2"), ("offset", "2")])
    for facet in page["facets"].values():
        for value in facet["values"]:
            asked = parse_qsl(urlsplit(value["href"]).query)
            assert ("limit", "2") in asked and "offset" not in dict(asked), value["href"]


@pytest.mark.parametrize("name, facet, column", [("claims", "side", "side"), ("places", "side", "state"),
                                                 ("people", "month", None)])
def test_a_narrowed_listing_as_csv_holds_the_same_items(server, name, facet, column):
    narrowed, value = narrowed_by(server, name, facet)
    table = requests.get(server + f"/{name}.csv", params={facet: value["value"], **ALL}, timeout=60)
    assert table.status_code == 200 and table.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert [r["iri"] for r in rows] == [i["iri"] for i in narrowed["items"]] and len(rows) == value["count"]
    if column:
        assert {r[column] for r in rows} == {value["value"]}


def test_the_page_shows_the_list_its_facets_and_the_chosen_value(server):
    narrowed, side = narrowed_by(server, "organisations", "side")
    page = requests.get(server + "/organisations", params={"side": side["value"], **ALL},
                        headers={"Accept": BROWSER_ACCEPT}, timeout=60)
    assert page.status_code == 200
    text = page.text
    assert "<h1>Organisations" in text and '<aside class="facets">' in text and 'class="selected"' in text
    assert f"side = {side['label']}" in text and 'class="remove"' in text
    assert text.count("<tr><td><a href=") == side["count"] == len(narrowed["items"])
    assert '<a href="/people">People</a>' in text, "every page links the listings"


@pytest.mark.parametrize("path, params, says", [
    ("/people", {"type": "person"}, "there is no facet 'type' on /people; the facets on /people are side, kind"),
    ("/people.json", {"claimant": "https://example.org/x"}, "there is no facet 'claimant' on /people"),
    ("/places", {"channel": "https://example.org/x"}, "the facets on /places are side, kind, document"),
    ("/claims.json", {"colour": "red"}, "there is no parameter 'colour' on /claims"),
    ("/claims", {"day": "2026-02-30"}, "is not a day, YYYY-MM-DD"),
    ("/organisations.csv", {"side": "not an IRI"}, "is not an IRI"),
    ("/claims", {"limit": "0"}, "limit"),
])
def test_a_bad_facet_is_refused_with_what_is_wrong(server, path, params, says):
    response = requests.get(server + path, params=params, timeout=60)
    assert response.status_code == 400 and says in response.text, response.text
    assert not response.headers["Content-Type"].startswith("text/html")
    assert requests.get(server + "/claims.json", params={"limit": "1"}, timeout=60).status_code == 200


def test_markup_in_a_document_title_stays_text_in_the_facets(server):
    claims = data(server, "/claims.json", ALL)
    titles = [v for v in values(claims, "document") if "<script>" in v["label"]]
    assert titles, "the article with markup in its title yields claims"
    page = requests.get(server + "/claims", params={"document": titles[0]["value"]},
                        headers={"Accept": BROWSER_ACCEPT}, timeout=60).text
    own = '<script src="/assets/pages/complete.js" defer></script>'
    assert "<script>document.title" not in page.replace(own, "") and "&lt;script&gt;document.title" in page


def test_clicking_a_side_narrows_the_people_in_a_browser(server, browser):  # noqa: F811
    side_clicked_in_a_browser(browser, server, "/people?limit=1000", "table.list td:first-child a", "people-facets.png")
