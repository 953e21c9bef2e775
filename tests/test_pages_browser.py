"""The pages people read, in a real browser (Playwright driving Debian's Chromium), offline.

Each test opens a page of the seed graph by following the links a person would, checks
what they must see there, and keeps a screenshot in test-artifacts/pages/ (ignored by git).
"""
from __future__ import annotations

import pytest
import requests

from ckg.ontology.vocabulary import ID_BASE

from .conftest import ROOT
from .test_editor_browser import browser, offline_page  # noqa: F401  (fixture)

ARTIFACTS = ROOT / "test-artifacts" / "pages"


@pytest.fixture(scope="module")
def endpoint(live):
    """The live server every browser test shares."""
    return live


@pytest.fixture
def page(browser, endpoint):  # noqa: F811
    opened, outside = offline_page(browser, endpoint)
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    assert outside == [], f"the page asked hosts other than the server: {outside}"
    assert dialogs == []
    opened.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_contested_figures_show_each_claim_as_a_bar_with_its_interval(page, endpoint):
    page.goto(endpoint + "/contested")
    chart = page.locator("section.chart", has_text="Armed Forces of Afghanistan armed personnel killed")
    assert chart.count() == 1
    bars = chart.locator("g.bar")
    assert bars.count() == 3  # the ministry's 'eight', the spokesman's 'at least 133', Islamabad's own '133'
    shown = {bars.nth(i).locator("text.claimant").text_content(): (
        bars.nth(i).locator("text.stated").text_content(), float(bars.nth(i).locator("rect").get_attribute("width")))
        for i in range(bars.count())}
    assert shown["Mosharraf Ali Zaidi"][0] == "at least 133"
    assert shown["Defence Ministry of Afghanistan"][0].startswith("eight")
    assert shown["Mosharraf Ali Zaidi"][1] > 10 * shown["Defence Ministry of Afghanistan"][1]
    assert chart.locator("path.arrow").count() == 1, "the open-ended claim has an arrow"
    box = chart.locator("svg").bounding_box()
    assert box and box["width"] > 400 and box["height"] > 60
    shot(page, "contested")


def test_a_claim_page_shows_the_highlighted_source_and_the_conflicting_figure_beside_it(page, endpoint):
    page.goto(endpoint + "/contested")
    page.locator("section.chart", has_text="Armed Forces of Afghanistan armed personnel killed").locator(
        "g.bar", has_text="eight").locator("a").last.click()
    page.wait_for_selector("section.claim")
    assert "Defence Ministry of Afghanistan" in page.locator("table.facts").inner_text()
    mark = page.locator("section.claim blockquote.evidence mark").first
    assert mark.is_visible() and "eight" in mark.inner_text()
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
    pair = page.locator(".side-by-side").first
    cards = pair.locator(".claim-card")
    assert cards.count() == 2 and "contradicts" in pair.locator(".relation").inner_text().lower()
    this, other = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert this and other and other["x"] > this["x"] + this["width"], "the two claims stand side by side"
    assert abs(other["y"] - this["y"]) < 5
    assert "at least 133" in cards.nth(1).inner_text() and "Mosharraf Ali Zaidi" in cards.nth(1).inner_text()
    shot(page, "claim")
    page.locator("section.claim blockquote.evidence a.source").first.click()
    page.wait_for_selector(".reading")
    assert page.evaluate("location.hash").startswith("#char=")
    assert page.locator(".reading :target").count() == 1


def test_a_person_page_lists_posts_statements_and_claims(page, endpoint):
    page.goto(endpoint + "/contested")
    page.locator("section.chart").get_by_text("Mosharraf Ali Zaidi").first.click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Mosharraf Ali Zaidi"
    assert "Spokesperson" in page.locator("section.agent-post").inner_text()
    claims = page.locator("section.agent-claim").inner_text()
    assert "at least 133" in claims and "more than 200" in claims
    assert "any" in page.locator("section.agent-denial").inner_text()
    statements = page.locator("section.agent-statement tr")
    assert statements.count() >= 1 and "Statement by Mosharraf Ali Zaidi" in statements.first.inner_text()  # the denial, then the post on X
    assert "/graph/doc/" not in page.locator("h1").inner_text()
    shot(page, "person")


def test_a_document_page_marks_every_span_and_links_it(page, endpoint):
    documents = requests.get(endpoint + "/documents.json", timeout=30).json()["items"]
    page.goto(endpoint + "/documents")
    page.locator("table.list a").first.click()
    page.wait_for_selector(".reading")
    spans = page.locator(".reading a.span")
    assert spans.count() > 100
    reading = page.locator(".reading").inner_text()
    assert "Afghanistan" in reading and "<" not in reading
    zaidi = page.locator(".reading a.span", has_text="Mosharraf Ali Zaidi").first
    assert zaidi.get_attribute("href").startswith("/ckg/id/")
    nested = page.locator(".reading a.span.d2")
    assert nested.count() > 0, "spans inside spans are marked more strongly"
    assert page.url.endswith(documents[0]["href"])
    shot(page, "document")
    zaidi.click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() != ""


def test_the_query_behind_a_page_opens_in_the_editor_and_runs(page, endpoint):
    from ckg.server.views import editor

    from .conftest import require

    require(editor.yasgui_installed(), "the YASGUI files are not installed (make setup runs npm)")
    page.goto(endpoint + "/ckg/id/state/PAK")
    with page.expect_response(lambda r: r.url.endswith("/sparql") and r.request.method == "POST") as ran:
        page.get_by_role("link", name="The SPARQL query that gives it").click()  # the editor runs it at once
    assert ran.value.status == 200
    page.wait_for_selector(".yasqe .CodeMirror")
    text = page.evaluate("document.querySelector('.tabPanel.active .CodeMirror').CodeMirror.getValue()")
    assert f"VALUES ?this {{ <{ID_BASE}state/PAK> }}" in text
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr")
    assert ID_BASE + "state/PAK" in page.locator(".tabPanel.active .yasr table").inner_text()
    assert page.locator(".tabPanel.active .yasr table tbody tr").count() >= 10
    shot(page, "query-behind-a-page")
