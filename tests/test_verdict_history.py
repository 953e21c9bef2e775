"""A verdict's history: each verdict that replaces another keeps the earlier one as a PROV revision.

One article of our own built with `ckg build`, served by `ckg serve` with an update token on a
loopback port; verdicts set with real HTTP (requests), the history read back through /sparql,
the claim's page, its JSON and its CSV.
"""
from __future__ import annotations

import csv
import io
import time

import pytest
import requests

from ckg.ontology.vocabulary import CKG, PROV, VERDICTS_GRAPH
from ckg.server.http.iri_paths import local_path

from .live import serving
from .test_editor_browser import browser, offline_page  # noqa: F401  (fixture)
from .test_verdicts import ARTICLE, ARTIFACTS, ckg, select

TOKEN = "history-token-3"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("verdict-history")
    (folder / "news").mkdir()
    (folder / "news" / "tyre.txt").write_text(ARTICLE.format(figure="12"), encoding="utf-8")
    done = ckg("build", "--store", str(folder / "store"), "-j", "1", str(folder / "news"))
    assert done.returncode == 0, done.stdout + done.stderr
    yield from serving(folder / "store", "--update-token", TOKEN)


@pytest.fixture(scope="module")
def claims(site) -> list[str]:
    rows = select(site, f"SELECT DISTINCT ?claim WHERE {{ ?claim a <{CKG.Claim}> }} ORDER BY ?claim")
    assert len(rows) >= 2, "the article yields claims"
    return [row["claim"] for row in rows]


def set_verdict(url: str, claim: str, **fields: str) -> None:
    answer = requests.post(url + "/verdicts", data={"claim": claim, **fields},
                           headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}, timeout=30)
    assert answer.status_code == 201, answer.text


def revisions(url: str, claim: str) -> list[dict]:
    """Every verdict state of ``claim`` reached from the one in force, with its revision link."""
    return select(url, f"""SELECT ?state ?value ?at ?until ?earlier ?names WHERE {{ GRAPH <{VERDICTS_GRAPH}> {{
      ?current <{CKG.assessedClaim}> <{claim}> ; <{PROV.wasRevisionOf}>* ?state .
      ?state <{CKG.assessment}> ?value ; <{PROV.generatedAtTime}> ?at ; <{PROV.wasAttributedTo}> ?who .
      OPTIONAL {{ ?state <{PROV.invalidatedAtTime}> ?until }}
      OPTIONAL {{ ?state <{PROV.wasRevisionOf}> ?earlier }}
      OPTIONAL {{ ?state <{CKG.assessedClaim}> ?names }} }} }}""")


def test_a_verdict_changed_twice_keeps_its_earlier_states_in_order(site, claims):
    claim = claims[0]
    set_verdict(site, claim, verdict="preferred", analyst="Ann Analyst", reliability="B", credibility="2",
                reason="the ministry's own release")
    time.sleep(1.1)  # a second apart, so each state's time differs
    set_verdict(site, claim, verdict="disputed", analyst="Bo Analyst", reason="a rebel count differs")
    set_verdict(site, claim, verdict="deprecated", analyst="Cy Analyst", reason="the ministry <b>revised</b> it")

    states = revisions(site, claim)
    assert len(states) == 3
    [current] = [s for s in states if "names" in s]
    assert current["value"] == CKG.term("assess-deprecated") and "until" not in current
    chain, state = [], current
    while state is not None:
        chain.append(state["value"].rsplit("-", 1)[-1])
        state = next((s for s in states if s["state"] == state.get("earlier")), None)
    assert chain == ["deprecated", "disputed", "preferred"]
    earlier = [s for s in states if "names" not in s]
    assert all("until" in s and s["until"] >= s["at"] for s in earlier), "each replaced state says when"

    # every other reader of verdicts sees the one in force only
    rows = requests.get(site + "/api/queries/claims", params={"verdict": "deprecated", "format": "json"},
                        timeout=60).json()["rows"]
    assert [r["claim"] for r in rows] == [claim]
    assert requests.get(site + "/api/queries/claims", params={"verdict": "preferred", "format": "json"},
                        timeout=60).json()["rows"] == []
    reviews = requests.get(site + "/verdicts.jsonld", timeout=30).json()["@graph"]
    assert [r["reviewRating"]["alternateName"] for r in reviews if r["itemReviewed"]["@id"] == claim] == ["deprecated"]


def test_the_claim_page_json_and_csv_show_the_history(site, claims):
    claim = claims[0]
    page = requests.get(site + local_path(claim), headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    assert "History: 3 verdicts" in page.text
    order = [page.text.index(f'verdict-mark {value}">{value}</span></a>') for value in
             ("deprecated", "disputed", "preferred")]
    assert order == sorted(order), "newest first"
    assert "the ministry &lt;b&gt;revised&lt;/b&gt; it" in page.text and "<b>revised</b>" not in page.text

    data = requests.get(site + local_path(claim) + ".json", timeout=30).json()
    history = data["claim"]["verdict_history"]
    assert [(s["value"], s["in_force"], s["analyst"]) for s in history] == [
        ("deprecated", True, "Cy Analyst"), ("disputed", False, "Bo Analyst"), ("preferred", False, "Ann Analyst")]
    assert history[0]["until"] is None and history[1]["until"] == history[0]["at"]
    assert history[2]["reliability"] == "B" and history[2]["credibility"] == "2"
    revised = requests.get(site + history[1]["href"], headers={"Accept": "text/turtle"}, timeout=30)
    assert revised.status_code == 200 and "invalidatedAtTime" in revised.text, "a replaced state is a resource"

    table = requests.get(site + local_path(claim) + ".csv", timeout=30)
    assert table.status_code == 200 and table.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert [(r["value"], r["in_force"], r["analyst"]) for r in rows] == [("deprecated", "True", "Cy Analyst"),
                                                                         ("disputed", "False", "Bo Analyst"),
                                                                         ("preferred", "False", "Ann Analyst")]


def test_in_a_browser_the_history_lists_each_verdict_newest_first(site, claims, browser):  # noqa: F811
    page, outside = offline_page(browser, site)
    page.goto(site + local_path(claims[0]))
    rows = page.locator("details.verdict-history tr")
    assert rows.count() == 4, "a heading and three verdicts"
    assert page.locator("details.verdict-history tr.in-force").count() == 1
    assert rows.nth(1).locator(".verdict-mark").inner_text().lower() == "deprecated"
    assert rows.nth(3).locator(".verdict-mark").inner_text().lower() == "preferred"
    assert "the ministry <b>revised</b> it" in rows.nth(1).inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("section.verdict").screenshot(path=str(ARTIFACTS / "verdict-history.png"))
    assert outside == []
    page.close()


def test_a_claim_with_one_verdict_has_no_history_table_and_a_refused_verdict_changes_nothing(site, claims):
    claim = claims[1]
    set_verdict(site, claim, verdict="preferred", analyst="Ann Analyst")
    page = requests.get(site + local_path(claim), headers={"Accept": "text/html"}, timeout=30).text
    assert "verdict-mark preferred" in page and "History:" not in page
    answer = requests.post(site + "/verdicts", data={"claim": claim, "verdict": "great", "analyst": "Eve"},
                           headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert answer.status_code == 400 and "'verdict' must be one of" in answer.text
    assert len(revisions(site, claim)) == 1
    history = requests.get(site + local_path(claim) + ".json", timeout=30).json()["claim"]["verdict_history"]
    assert [(s["value"], s["in_force"]) for s in history] == [("preferred", True)]


def test_two_verdicts_within_one_second_keep_two_states(site, claims):
    claim = claims[-1]
    before = len(revisions(site, claim))
    for value in ("disputed", "preferred", "disputed"):
        set_verdict(site, claim, verdict=value, analyst="Di Analyst")
    history = requests.get(site + local_path(claim) + ".json", timeout=30).json()["claim"]["verdict_history"]
    assert [s["value"] for s in history][:3] == ["disputed", "preferred", "disputed"]
    assert len({s["state"] for s in history}) == len(history) == before + 3
