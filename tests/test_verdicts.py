"""Analysts' verdicts: set over HTTP with the token, kept by every rebuild, shown, filtered, exported.

A store built from seeds/ and one article of our own, served by `ckg serve` with an update
token on a loopback port; real HTTP (requests), `ckg build`, `ckg query` and `ckg export`
as subprocesses, rdflib reading the ClaimReview JSON-LD, Chromium for the claim page's form.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare
import requests

from ckg.ontology.vocabulary import CKG, ID_BASE, PROV, RDFS, SCHEMA, VERDICTS_GRAPH
from ckg.server.http.iri_paths import local_path

from .conftest import ROOT
from .live import serving
from .test_editor_browser import browser, offline_page  # noqa: F401  (fixture)

TOKEN = "verdict-token-7"
ARTICLE = """title: Strike on Tyre
date: 2026-03-01
url: https://news.example.net/tyre-strike

The Health Ministry of Lebanon said on Monday that {figure} people were killed in an Israeli air strike on Tyre.

The Israeli army said it had killed three militants in the strike.
"""
ARTIFACTS = ROOT / "test-artifacts" / "pages"


def ckg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ckg.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def build(store: Path, documents: Path) -> None:
    done = ckg("build", "--store", str(store), "--force", "-j", "1", str(ROOT / "seeds"), str(documents))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict:
    """A store of seeds/ and the Tyre article (its ministry says 12 killed)."""
    folder = tmp_path_factory.mktemp("verdicts")
    documents = folder / "news"
    documents.mkdir()
    (documents / "tyre.txt").write_text(ARTICLE.format(figure="12"), encoding="utf-8")
    build(folder / "store", documents)
    return {"store": folder / "store", "documents": documents}


@pytest.fixture(scope="module")
def site(world):
    yield from serving(world["store"], "--update-token", TOKEN)


@pytest.fixture(scope="module")
def contested_claims(site) -> list[str]:
    """The claims of the first contested count, as /contested charts them."""
    charts = requests.get(site + "/contested.json", timeout=30).json()["items"]
    return [bar["claim"] for bar in charts[0]["bars"]]


def select(url: str, query: str) -> list[dict]:
    answer = requests.get(url + "/sparql", params={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return [{k: v["value"] for k, v in row.items()} for row in answer.json()["results"]["bindings"]]


def stored(url: str, claim: str) -> list[dict]:
    """The verdicts the verdicts graph holds on ``claim``, with who set them and when."""
    return select(url, f"""SELECT ?verdict ?value ?name ?at ?reason ?reliability ?credibility WHERE {{
      GRAPH <{VERDICTS_GRAPH}> {{ ?verdict <{CKG.assessedClaim}> {ox.NamedNode(claim)} ;
          <{CKG.assessment}> ?value ; <{PROV.wasAttributedTo}> ?who ; <{PROV.generatedAtTime}> ?at .
        ?who <{RDFS.label}> ?name
        OPTIONAL {{ ?verdict <{CKG.rationale}> ?reason }}
        OPTIONAL {{ ?verdict <{CKG.sourceReliability}> ?reliability }}
        OPTIONAL {{ ?verdict <{CKG.credibility}> ?credibility }} }} }}""")


def verdict_triples(url: str) -> int:
    rows = select(url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{VERDICTS_GRAPH}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"])


def post(url: str, headers: dict | None = None, **fields: str) -> requests.Response:
    return requests.post(url + "/verdicts", data=fields, headers=headers or {}, allow_redirects=False, timeout=30)


def rows(url: str, query: str, **params: str) -> list[dict]:
    answer = requests.get(f"{url}/api/queries/{query}", params={**params, "format": "json"}, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()["rows"]


def test_a_verdict_from_the_form_with_the_token_is_stored_with_who_and_when(site, contested_claims):
    claim = contested_claims[0]
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    answer = post(site, {"Accept": "text/html"}, claim=claim, verdict="preferred", reliability="B", credibility="2",
                  reason="matches the ministry's own release", analyst="Ann Analyst", token=TOKEN)
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(local_path(claim) + "#verdict")
    [found] = stored(site, claim)
    assert found["value"] == CKG.term("assess-preferred")
    assert found["name"] == "Ann Analyst"
    assert found["reason"] == "matches the ministry's own release"
    assert (found["reliability"], found["credibility"]) == (CKG.term("reliability-B"), CKG.term("credibility-2"))
    at = dt.datetime.fromisoformat(found["at"].replace("Z", "+00:00"))
    assert before <= at <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    page = requests.get(site + local_path(claim), headers={"Accept": "text/html"}, timeout=30).text
    assert '<span class="verdict-mark preferred">preferred</span>' in page and "by Ann Analyst" in page

    # the claim's one verdict: a second replaces the first; a script may send the header instead
    answer = post(site, {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"},
                  claim=claim, verdict="disputed", analyst="Bo Analyst")
    assert answer.status_code == 201 and answer.json()["claim"] == claim
    [found] = stored(site, claim)
    assert (found["value"], found["name"], found.get("reason")) == (CKG.term("assess-disputed"), "Bo Analyst", None)
    post(site, {"Authorization": f"Bearer {TOKEN}"}, claim=claim, verdict="preferred", analyst="Ann Analyst",
         credibility="2", reliability="B", reason="matches the ministry's own release")


def test_without_the_token_nothing_is_stored(site, world, contested_claims):
    claim = contested_claims[1]
    count = verdict_triples(site)
    assert post(site, claim=claim, verdict="deprecated", analyst="Eve").status_code == 401
    assert post(site, claim=claim, verdict="deprecated", analyst="Eve", token="wrong").status_code == 403
    assert post(site, {"Authorization": "Bearer wrong"}, claim=claim, verdict="deprecated", analyst="Eve",
                token=TOKEN).status_code == 403  # the header wins over the form
    assert verdict_triples(site) == count and stored(site, claim) == []
    for url in serving(world["store"]):  # no token configured: read-only, the form disabled
        assert post(url, claim=claim, verdict="deprecated", analyst="Eve", token=TOKEN).status_code == 403
        page = requests.get(url + local_path(claim), headers={"Accept": "text/html"}, timeout=30).text
        assert "<fieldset disabled>" in page and "read-only" in page
    assert verdict_triples(site) == count


@pytest.mark.parametrize("fields, says", [
    ({"verdict": "great"}, "'verdict' must be one of preferred, deprecated, disputed"),
    ({"reliability": "G"}, "'reliability' must be a letter of the Admiralty scale, A to F"),
    ({"credibility": "7"}, "'credibility' must be a digit of the Admiralty scale, 1 to 6"),
    ({"credibility": "0"}, "'credibility' must be a digit"),
    ({"claim": ID_BASE + "state/PAK"}, "is not a claim of this store"),
    ({"claim": "not an iri"}, "is not an absolute IRI"),
    ({"claim": ""}, "'claim' is missing"),
    ({"analyst": ""}, "'analyst' is missing"),
    ({"reason": "x" * 2001}, "'reason' may be at most 2,000 characters"),
])
def test_bad_values_are_refused_with_a_message_and_nothing_is_stored(site, contested_claims, fields, says):
    count = verdict_triples(site)
    form = {"claim": contested_claims[2], "verdict": "disputed", "analyst": "Ann Analyst", "token": TOKEN, **fields}
    answer = post(site, **form)
    assert answer.status_code == 400
    assert says in answer.text
    assert verdict_triples(site) == count
    assert requests.get(site + "/sparql", params={"query": "ASK {}"}, timeout=10).status_code == 200


def test_verdict_filters_the_named_queries(site, world, contested_claims):
    preferred, deprecated = contested_claims[0], contested_claims[1]
    everything = rows(site, "claims")
    pairs = rows(site, "contradictions")
    post(site, {"Authorization": f"Bearer {TOKEN}"}, claim=preferred, verdict="preferred", analyst="Ann Analyst",
         credibility="2", reliability="B", reason="matches the ministry's own release")
    post(site, {"Authorization": f"Bearer {TOKEN}"}, claim=deprecated, verdict="deprecated", analyst="Ann Analyst")
    assert rows(site, "claims") == everything, "no parameter: the answer is what it was"
    assert [r["claim"] for r in rows(site, "claims", verdict="preferred")] == [preferred]
    assert [r["claim"] for r in rows(site, "claims", verdict="deprecated")] == [deprecated]
    assert rows(site, "claims", verdict="disputed") == []
    unmarked = rows(site, "claims", verdict="none")
    assert len(unmarked) == len(everything) - 2 and {preferred, deprecated}.isdisjoint(r["claim"] for r in unmarked)
    marked = rows(site, "contradictions", verdict="preferred")
    assert marked and all(preferred in (r["claimA"], r["claimB"]) for r in marked)
    assert len(marked) == sum(preferred in (r["claimA"], r["claimB"]) for r in pairs)
    bad = requests.get(site + "/api/queries/claims", params={"verdict": "maybe"}, timeout=30)
    assert bad.status_code == 400 and "must be one of preferred, deprecated, disputed, none" in bad.text
    spec = requests.get(site + "/api/openapi.json", timeout=30).json()
    [parameter] = [p for p in spec["paths"]["/api/queries/claims"]["get"]["parameters"] if p["name"] == "verdict"]
    assert parameter["schema"]["enum"] == ["preferred", "deprecated", "disputed", "none"]
    done = ckg("query", "claims", "--store", str(world["store"]), "-p", "verdict=preferred", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert [line.split(",")[0] for line in done.stdout.splitlines()[1:]] == [preferred]
    done = ckg("query", "claims", "--store", str(world["store"]), "-p", "verdict=maybe")
    assert done.returncode == 1 and "must be one of" in done.stderr


def test_contested_marks_each_claim_by_its_verdict_with_a_legend(site, contested_claims):
    preferred, deprecated = contested_claims[0], contested_claims[1]
    post(site, {"Authorization": f"Bearer {TOKEN}"}, claim=deprecated, verdict="deprecated", analyst="Ann Analyst")
    page = requests.get(site + "/contested", headers={"Accept": "text/html"}, timeout=30).text
    bars = re.findall(r'<g class="bar colour-\d( verdict-\w+)?">(.*?)</g>', page, flags=re.S)
    marks = {href: mark.strip() for mark, body in bars for href in re.findall(r'<a href="(/ckg/id/claim/[^"]+)"', body)}
    assert marks[local_path(preferred)] == "verdict-preferred"
    assert marks[local_path(deprecated)] == "verdict-deprecated"
    assert marks[local_path(contested_claims[2])] == ""
    assert '<p class="legend"' in page and "★ preferred" in page and "✕ deprecated" in page
    data = requests.get(site + "/contested.json", timeout=30).json()["items"]
    assert {bar["claim"]: bar["verdict"] for bar in data[0]["bars"]}[deprecated] == "deprecated"


def claim_review_graph(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format="json-ld")


def check_reviews(graph: rdflib.Graph, claim: str) -> None:
    s = rdflib.Namespace(SCHEMA)
    [review] = list(graph.subjects(s.itemReviewed, rdflib.URIRef(claim)))
    assert (review, rdflib.RDF.type, s.ClaimReview) in graph
    assert (rdflib.URIRef(claim), rdflib.RDF.type, s.Claim) in graph
    assert graph.value(review, s.claimReviewed) is not None
    assert str(graph.value(review, s.reviewBody)) == "matches the ministry's own release"
    rating = graph.value(review, s.reviewRating)
    assert (rating, rdflib.RDF.type, s.Rating) in graph
    assert graph.value(rating, s.ratingValue).toPython() == 2
    assert str(graph.value(rating, s.alternateName)) == "preferred"
    author = graph.value(review, s.author)
    assert (author, rdflib.RDF.type, s.Person) in graph and str(graph.value(author, s.name)) == "Ann Analyst"
    assert isinstance(graph.value(review, s.datePublished).toPython(), dt.datetime)
    claimant = graph.value(rdflib.URIRef(claim), s.author)
    assert claimant is not None and graph.value(claimant, s.name) is not None
    appearance = graph.value(rdflib.URIRef(claim), s.appearance)
    assert str(appearance).startswith(ID_BASE + "doc/")


def test_verdicts_are_exported_as_claim_reviews(site, world, contested_claims, tmp_path):
    claim = contested_claims[0]
    post(site, {"Authorization": f"Bearer {TOKEN}"}, claim=claim, verdict="preferred", analyst="Ann Analyst",
         credibility="2", reliability="B", reason="matches the ministry's own release")
    quote = rows(site, "claims", verdict="preferred")[0]["quote"]
    answer = requests.get(site + "/verdicts.jsonld", timeout=30)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/ld+json")
    graph = claim_review_graph(answer.text)
    check_reviews(graph, claim)
    s = rdflib.Namespace(SCHEMA)
    assert str(graph.value(next(graph.subjects(s.itemReviewed, rdflib.URIRef(claim))), s.claimReviewed)) == quote
    negotiated = requests.get(site + "/verdicts", headers={"Accept": "application/ld+json"}, timeout=30)
    assert rdflib.compare.isomorphic(claim_review_graph(negotiated.text), graph)
    out = tmp_path / "reviews.jsonld"
    done = ckg("export", "--verdicts", "--store", str(world["store"]), "-o", str(out))
    assert done.returncode == 0, done.stderr
    check_reviews(claim_review_graph(out.read_text(encoding="utf-8")), claim)
    assert "@context" in json.loads(out.read_text(encoding="utf-8"))


def test_verdicts_survive_a_rebuild_and_a_lost_claim_is_shown_orphaned(site, world, contested_claims):
    kept = contested_claims[0]
    post(site, {"Authorization": f"Bearer {TOKEN}"}, claim=kept, verdict="preferred", analyst="Ann Analyst",
         credibility="2", reliability="B", reason="matches the ministry's own release")
    [tyre] = [r["claim"] for r in rows(site, "claims") if r["stated"] == "12" and "tyre" in r["document"]]
    assert post(site, {"Authorization": f"Bearer {TOKEN}"}, claim=tyre, verdict="disputed",
                analyst="Ann Analyst").status_code == 201
    # the ministry's figure is corrected: the rebuild no longer produces the claim with 12
    (world["documents"] / "tyre.txt").write_text(ARTICLE.format(figure="14"), encoding="utf-8")
    build(world["store"], world["documents"])
    for url in serving(world["store"], "--update-token", TOKEN):
        [found] = stored(url, kept)
        assert found["value"] == CKG.term("assess-preferred") and found["name"] == "Ann Analyst"
        assert [r["claim"] for r in rows(url, "claims", verdict="preferred")] == [kept]
        [lost] = stored(url, tyre)
        assert lost["value"] == CKG.term("assess-disputed")
        assert tyre not in [r["claim"] for r in rows(url, "claims")]
        listing = requests.get(url + "/verdicts", headers={"Accept": "text/html"}, timeout=30).text
        [orphan] = re.findall(r'<tr class="verdict-row disputed orphaned">(.*?)</tr>', listing, flags=re.S)
        assert '<span class="orphan-mark">orphaned</span>' in orphan and tyre in orphan
        assert f'href="{local_path(kept)}"' in listing
        page = requests.get(url + local_path(kept), headers={"Accept": "text/html"}, timeout=30).text
        assert '<span class="verdict-mark preferred">preferred</span>' in page
        reviews = claim_review_graph(requests.get(url + "/verdicts.jsonld", timeout=30).text)
        reviewed = {str(o) for o in reviews.objects(None, rdflib.Namespace(SCHEMA).itemReviewed)}
        assert {kept, tyre} <= reviewed, "the orphaned verdict is exported too"


def a_persons_contested_claim(url: str) -> dict:
    """A bar of /contested whose claimant is a person: the claim the analyst will reach by name."""
    charts = requests.get(url + "/contested.json", timeout=30).json()["items"]
    bars = [bar for chart in charts for bar in chart["bars"] if "/person/" in bar["claimant_href"]]
    assert bars, "the store has a contested claim made by a person"
    return bars[0]


def test_in_a_browser_an_analyst_goes_from_a_name_to_a_verdict_seen_after_a_rebuild(browser, world):  # noqa: F811
    """The workbench end to end: the search box completes a claimant's name, the person's page
    opens their figure timeline, a mark there opens the claim, the claim page's form sets a
    verdict with the token, and after `ckg build` /contested shows it. A screenshot per step."""
    shots = ROOT / "test-artifacts" / "workbench"
    shots.mkdir(parents=True, exist_ok=True)
    for url in serving(world["store"], "--update-token", TOKEN):
        bar = a_persons_contested_claim(url)
        claim_path = bar["href"]
        page, outside = offline_page(browser, url)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url + "/contested")
        box = page.locator("form.search-box input[name=q]")
        box.click()
        box.press_sequentially(bar["claimant"][:5], delay=60)
        suggestion = page.locator("form.search-box ul.suggestions a", has_text=bar["claimant"])
        suggestion.wait_for(state="visible", timeout=10_000)
        page.screenshot(path=str(shots / "1-search-completion.png"))
        suggestion.click()
        page.wait_for_url("**" + bar["claimant_href"])
        assert bar["claimant"] in page.locator("h1").inner_text()
        page.screenshot(path=str(shots / "2-person.png"), full_page=True)
        page.locator("a.timeline-link", has_text="the figures it claimed").click()
        page.wait_for_selector("svg.timeline")
        assert page.url.startswith(url + "/timeline?claimant=")
        mark = page.locator(f'svg.timeline a.mark[href="{claim_path}"]')
        assert mark.count() == 1, "the contested claim is on its claimant's timeline"
        page.screenshot(path=str(shots / "3-timeline.png"), full_page=True)
        mark.click()
        page.wait_for_url("**" + claim_path)
        assert page.locator("section.verdict .verdict-mark").count() == 0, "no verdict yet"
        form = page.locator("form.verdict-form")
        form.locator("select[name=verdict]").select_option("deprecated")
        form.locator("select[name=reliability]").select_option("E")
        form.locator("select[name=credibility]").select_option("5")
        form.locator("input[name=reason]").fill("contradicted by <b>two</b> other sides")
        form.locator("input[name=analyst]").fill("Browser Analyst")
        form.locator("input[name=token]").fill(TOKEN)
        page.screenshot(path=str(shots / "4-claim-verdict-form.png"), full_page=True)
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(re.escape(claim_path) + "#verdict$"))
        assert page.locator("section.verdict .verdict-mark.deprecated").text_content() == "deprecated"
        assert page.locator("section.verdict .verdict-reason").text_content() == "contradicted by <b>two</b> other sides"
        page.screenshot(path=str(shots / "5-claim-verdict-set.png"), full_page=True)
        assert outside == [] and errors == []
        page.close()
    build(world["store"], world["documents"])
    for url in serving(world["store"]):
        page, outside = offline_page(browser, url)
        page.goto(url + "/contested")
        marked = page.locator(f'g.bar.verdict-deprecated:has(a[href="{claim_path}"])')
        assert marked.count() == 1
        assert marked.locator("tspan.verdict-tag.deprecated").text_content() == "✕ deprecated"
        opacity = marked.evaluate("g => getComputedStyle(g).opacity")
        assert float(opacity) < 0.5, "a deprecated claim is greyed"
        assert page.locator("p.legend").is_visible()
        page.screenshot(path=str(shots / "6-contested-after-rebuild.png"), full_page=True)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "contested-verdicts.png"), full_page=True)
        assert outside == []
        page.close()
