"""Analysts' standing ratings of sources (Admiralty A–F): set with the token, kept by rebuilds, shown, exported.

A store built from seeds/ and one article of our own with `ckg build`, served by `ckg serve` with
an update token on a loopback port; real HTTP (requests), rdflib reading the JSON-LD, and
Chromium setting a rating from a source's page and seeing it after `ckg build`.
"""
from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
import rdflib
import requests

from ckg.ontology.vocabulary import CKG, PROV, SCHEMA, VERDICTS_GRAPH
from ckg.server.http.iri_paths import local_path

from .conftest import ROOT
from .live import serving
from .test_editor_browser import browser, offline_page  # noqa: F401  (fixture)
from .test_verdicts import ARTICLE, build, ckg, select

TOKEN = "rating-token-5"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("ratings")
    documents = folder / "news"
    documents.mkdir()
    (documents / "tyre.txt").write_text(ARTICLE.format(figure="12"), encoding="utf-8")
    build(folder / "store", documents)
    return {"store": folder / "store", "documents": documents}


@pytest.fixture(scope="module")
def site(world):
    yield from serving(world["store"], "--update-token", TOKEN)


@pytest.fixture(scope="module")
def claimants(site) -> list[dict]:
    """The claimants of /contested's claims (name, page, IRI), the first of each."""
    charts = requests.get(site + "/contested.json", timeout=30).json()["items"]
    seen: dict[str, dict] = {}
    for bar in (bar for chart in charts for bar in chart["bars"]):
        seen.setdefault(bar["claimant_href"], {"name": bar["claimant"], "href": bar["claimant_href"]})
    found = list(seen.values())
    assert len(found) >= 2, "the contested counts have claims by two sources at least"
    for entry in found:
        entry["iri"] = requests.get(site + entry["href"] + ".json", timeout=30).json()["iri"]
    return found


def rate(url: str, source: str, headers: dict | None = None, **fields: str) -> requests.Response:
    return requests.post(url + "/ratings", data={"source": source, **fields}, headers=AUTH if headers is None else headers,
                         allow_redirects=False, timeout=30)


def states(url: str, source: str) -> list[dict]:
    """Every rating state of ``source`` reached from the one in force."""
    return select(url, f"""SELECT ?state ?letter ?who ?at ?until ?reason ?names WHERE {{ GRAPH <{VERDICTS_GRAPH}> {{
      ?current <{CKG.ratedSource}> {ox.NamedNode(source)} ; <{PROV.wasRevisionOf}>* ?state .
      ?state <{CKG.sourceReliability}> ?letter ; <{PROV.wasAttributedTo}> ?who ; <{PROV.generatedAtTime}> ?at .
      OPTIONAL {{ ?state <{PROV.invalidatedAtTime}> ?until }}
      OPTIONAL {{ ?state <{CKG.rationale}> ?reason }}
      OPTIONAL {{ ?state <{CKG.ratedSource}> ?names }} }} }}""")


def triples_in_verdicts_graph(url: str) -> int:
    return int(select(url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{VERDICTS_GRAPH}> {{ ?s ?p ?o }} }}")[0]["n"])


def test_a_rating_with_the_token_is_stored_with_who_and_when_and_a_new_one_keeps_the_old(site, claimants):
    source = claimants[0]["iri"]
    answer = rate(site, source, reliability="b", analyst="Ann Analyst", reason="a record of <i>accurate</i> tallies")
    assert answer.status_code == 201, answer.text
    assert answer.json()["reliability"] == "B" and answer.headers["Location"].startswith("/")
    [state] = states(site, source)
    assert state["letter"] == CKG.term("reliability-B") and state["names"] == source
    assert state["reason"] == "a record of <i>accurate</i> tallies"
    types = select(site, f"SELECT ?t WHERE {{ GRAPH <{VERDICTS_GRAPH}> {{ <{state['state']}> a ?t }} }}")
    assert [row["t"] for row in types] == [CKG.SourceRating]

    assert rate(site, source, reliability="D", analyst="Bo Analyst", reason="revised its count twice").status_code == 201
    chain = states(site, source)
    assert len(chain) == 2
    [current] = [s for s in chain if "names" in s]
    [earlier] = [s for s in chain if "names" not in s]
    assert current["letter"] == CKG.term("reliability-D") and "until" not in current
    assert earlier["letter"] == CKG.term("reliability-B") and earlier["until"] >= earlier["at"]

    page = requests.get(site + claimants[0]["href"], headers={"Accept": "text/html"}, timeout=30).text
    section = page[page.index('id="reliability"'):]
    assert '<span class="reliability-mark r-D"' in section and "History: 2 ratings" in section
    assert "a record of &lt;i&gt;accurate&lt;/i&gt; tallies" in section and "<i>accurate</i>" not in section
    data = requests.get(site + claimants[0]["href"] + ".json", timeout=30).json()
    assert data["source_rating"]["reliability"] == "D" and data["source_rating"]["analystLabel"] == "Bo Analyst"
    assert [(s["value"], s["in_force"]) for s in data["source_rating_history"]] == [("D", True), ("B", False)]


@pytest.mark.parametrize("fields, status, says", [
    ({"reliability": "G", "analyst": "Eve"}, 400, "'reliability' must be a letter of the Admiralty scale"),
    ({"reliability": "", "analyst": "Eve"}, 400, "'reliability' must be a letter"),
    ({"reliability": "A"}, 400, "'analyst' is missing"),
    ({"reliability": "A", "analyst": "Eve", "reason": "x" * 2_001}, 400, "'reason' may be at most 2,000"),
    ({"reliability": "A", "analyst": "Eve\x07"}, 400, "'analyst' holds control characters"),
])
def test_bad_ratings_are_refused_with_a_message_and_nothing_is_stored(site, claimants, fields, status, says):
    before = triples_in_verdicts_graph(site)
    answer = rate(site, claimants[1]["iri"], **fields)
    assert answer.status_code == status and says in answer.text
    assert triples_in_verdicts_graph(site) == before


def test_a_rating_of_what_is_no_source_or_without_the_token_is_refused(site, claimants):
    before = triples_in_verdicts_graph(site)
    claim = requests.get(site + "/contested.json", timeout=30).json()["items"][0]["bars"][0]["claim"]
    answer = rate(site, claim, reliability="A", analyst="Eve")
    assert answer.status_code == 400 and "is not a person, organisation or state of this store" in answer.text
    assert rate(site, "not an iri", reliability="A", analyst="Eve").status_code == 400
    assert rate(site, claimants[1]["iri"], {}, reliability="A", analyst="Eve").status_code == 401
    assert rate(site, claimants[1]["iri"], {"Authorization": "Bearer wrong"}, reliability="A",
                analyst="Eve").status_code == 403
    assert triples_in_verdicts_graph(site) == before
    assert requests.get(site + "/contested", timeout=30).status_code == 200, "the server keeps serving"


def test_the_claims_listing_and_contested_show_and_narrow_by_the_claimants_reliability(site, claimants):
    rated, other = claimants[0], claimants[1]
    assert rate(site, rated["iri"], reliability="C", analyst="Ann Analyst").status_code == 201
    listing = requests.get(site + "/claims.json", params={"reliability": "C", "limit": 500}, timeout=60).json()
    assert listing["items"] and {item["claimant"] for item in listing["items"]} == {rated["iri"]}
    assert {item["reliability"] for item in listing["items"]} == {"C"}
    [facet] = [f for name, f in listing["facets"].items() if name == "reliability"]
    assert facet["name"] == "Source reliability" and any(v["value"] == "C" and v["selected"] for v in facet["values"])
    unrated = requests.get(site + "/claims.json", params={"reliability": "none", "limit": 500}, timeout=60).json()
    assert rated["iri"] not in {item["claimant"] for item in unrated["items"]}
    assert other["iri"] in {item["claimant"] for item in unrated["items"]}
    page = requests.get(site + "/claims", params={"reliability": "C"}, headers={"Accept": "text/html"}, timeout=60).text
    assert "source reliability" in page and '<span class="reliability-mark r-C">C</span>' in page
    assert "reliability" in requests.get(site + "/claims.csv", timeout=60).text.splitlines()[0]

    contested = requests.get(site + "/contested.json", params={"reliability": "C"}, timeout=60).json()
    assert contested["items"], "the counts with a claim of the rated source"
    assert all(any(bar["claimant_href"] == rated["href"] for bar in chart["bars"]) for chart in contested["items"])
    assert "reliability" in contested["facets"]
    bars = [bar for chart in contested["items"] for bar in chart["bars"]]
    assert {bar["reliability"] for bar in bars if bar["claimant_href"] == rated["href"]} == {"C"}
    assert {bar["reliability"] for bar in bars if bar["claimant_href"] != rated["href"]} <= {""}, "unrated"
    charts = requests.get(site + "/contested", params={"reliability": "C"}, headers={"Accept": "text/html"},
                          timeout=60).text
    assert '<tspan class="reliability-tag">source C</tspan>' in charts
    assert requests.get(site + "/contested.csv", timeout=60).text.splitlines()[0].endswith(",reliability")
    bad = requests.get(site + "/claims", params={"reliability": "A B"}, timeout=30)
    assert bad.status_code == 400 and "reliability" in bad.text
    assert requests.get(site + "/documents", params={"reliability": "A"}, timeout=30).status_code == 400


def test_ratings_are_exported_beside_the_claim_reviews(site, world, claimants, tmp_path):
    source = claimants[0]["iri"]
    assert rate(site, source, reliability="B", analyst="Ann Analyst", reason="consistent with others").status_code == 201
    s = rdflib.Namespace(SCHEMA)
    for text in (requests.get(site + "/verdicts.jsonld", timeout=30).text, None):
        if text is None:
            out = tmp_path / "reviews.jsonld"
            done = ckg("export", "--verdicts", "--store", str(world["store"]), "-o", str(out))
            assert done.returncode == 0, done.stderr
            text = out.read_text(encoding="utf-8")
        graph = rdflib.Graph().parse(data=text, format="json-ld")
        [review] = graph.subjects(s.itemReviewed, rdflib.URIRef(source))
        assert (review, rdflib.RDF.type, s.Review) in graph
        rating = graph.value(review, s.reviewRating)
        assert str(graph.value(rating, s.ratingValue)) == "B"
        assert graph.value(rating, rdflib.URIRef(CKG.sourceReliability)) == rdflib.URIRef(CKG.term("reliability-B"))
        assert str(graph.value(review, s.reviewBody)) == "consistent with others"
    listing = requests.get(site + "/verdicts", headers={"Accept": "text/html"}, timeout=30).text
    assert f'href="{claimants[0]["href"]}"' in listing and "Source reliability" in listing


def test_in_a_browser_an_analyst_rates_a_source_and_sees_it_after_a_rebuild(browser, world, claimants):  # noqa: F811
    shots = ROOT / "test-artifacts" / "pages"
    shots.mkdir(parents=True, exist_ok=True)
    source = claimants[-1]
    for url in serving(world["store"], "--update-token", TOKEN):
        page, outside = offline_page(browser, url)
        page.goto(url + source["href"])
        form = page.locator("form.rating-form")
        assert form.locator("button[type=submit]").is_enabled()
        form.locator("select[name=reliability]").select_option("E")
        form.locator("input[name=reason]").fill("figures <b>never</b> matched")
        form.locator("input[name=analyst]").fill("Browser Analyst")
        form.locator("input[name=token]").fill(TOKEN)
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(re.escape(source["href"]) + "#reliability$"))
        assert page.locator("section.source-rating .verdict-now .reliability-mark").text_content() == "E"
        assert outside == []
        page.close()
    build(world["store"], world["documents"])
    for url in serving(world["store"]):
        page, outside = offline_page(browser, url)
        page.goto(url + source["href"])
        section = page.locator("section.source-rating")
        assert section.locator(".verdict-now .reliability-mark").text_content() == "E"
        assert section.locator(".verdict-reason").text_content() == "figures <b>never</b> matched"
        assert section.locator("button[type=submit]").is_disabled(), "a server without the token takes no rating"
        section.screenshot(path=str(shots / "source-rating.png"))
        page.goto(url + "/claims?reliability=E")
        assert page.locator("td.reliability .reliability-mark.r-E").count() >= 1
        assert page.locator(f'table.list a[href="{source["href"]}"]').count() >= 1
        assert outside == []
        page.close()
    assert local_path(source["iri"]) == source["href"]
