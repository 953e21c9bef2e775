"""The query editor in a real browser (Playwright driving Debian's Chromium), with no internet.

The test keeps a screenshot in test-artifacts/ (ignored by git). Requests to any host but
the server are blocked and recorded: the page must not need them.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from ckg.ontology.vocabulary import ID_BASE
from ckg.server.views import editor

from .conftest import ROOT, require, require_tool
from .live import serving

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="module")
def endpoint(live):
    """The live server every browser test shares."""
    return live


@pytest.fixture(scope="module")
def browser():
    chromium = require_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "the Python package 'playwright' is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def offline_page(browser, base: str):
    """A page whose requests to anything but the server are aborted and recorded."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []

    def route(route):
        if urlsplit(route.request.url).netloc == urlsplit(base).netloc or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    return page, outside


def test_the_editor_runs_an_example_query_offline(browser, endpoint):
    require(editor.yasgui_installed(), "the YASGUI files are not installed (make setup runs npm)")
    page, outside = offline_page(browser, endpoint)
    page.goto(endpoint + "/")
    page.wait_for_selector(".yasqe .CodeMirror")
    assert page.locator("#fallback").is_hidden()
    page.get_by_role("button", name="claims", exact=True).click()
    assert "ckg:QuantityClaim" in page.evaluate("document.querySelector('.tabPanel.active .CodeMirror').CodeMirror.getValue()")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr")
    table = page.locator(".tabPanel.active .yasr table").inner_text()
    assert "claimantLabel" in table and "Attaullah Tarar" in table and "at least 133" in table
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "editor-claims.png"), full_page=True)
    assert outside == [], f"the page asked hosts other than the server: {outside}"
    page.close()


def editor_text(page) -> str:
    return page.evaluate("document.querySelector('.tabPanel.active .CodeMirror').CodeMirror.getValue()")


def type_in_editor(page, text: str, body: str = "SELECT * WHERE {\n  |\n}") -> None:
    """Put ``body`` in the editor with the cursor at its ``|``, then type ``text`` key by key."""
    page.evaluate("""body => { const cm = document.querySelector('.tabPanel.active .CodeMirror').CodeMirror;
                               const at = body.indexOf("|");
                               cm.setValue(body.replace("|", "")); cm.setCursor(cm.posFromIndex(at)); cm.focus(); }""",
                  body)
    page.keyboard.type(text, delay=60)


def test_the_editor_completes_names_from_the_graph(browser, endpoint):
    require(editor.yasgui_installed(), "the YASGUI files are not installed (make setup runs npm)")
    policy = requests.get(endpoint + "/", timeout=30).headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-eval" not in policy
    page, outside = offline_page(browser, endpoint)
    refused: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    page.goto(endpoint + "/")
    page.wait_for_selector(".yasqe .CodeMirror")
    assert page.locator("script:not([src]):not([type='application/json'])").count() == 0, "no inline script"
    # where an IRI goes, a word begun offers the entities so named; choosing one inserts its IRI
    type_in_editor(page, "khawa")
    hint = page.locator(".CodeMirror-hints li.ckg-entity-hint", has_text="Khawaja Mohammad Asif")
    hint.wait_for(state="visible", timeout=10_000)
    assert "person" in hint.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "editor-completion.png"))
    hint.click()
    assert f"<{ID_BASE}person/khawaja-mohammad-asif>" in editor_text(page)
    # after "<" the same; a closing ">" already typed is not doubled
    type_in_editor(page, "<khawa", body="SELECT * WHERE {\n  |>\n}")
    page.locator(".CodeMirror-hints li", has_text="Khawaja Mohammad Asif").wait_for(state="visible", timeout=10_000)
    page.keyboard.press("Enter")
    assert editor_text(page).splitlines()[1] == f"  <{ID_BASE}person/khawaja-mohammad-asif>"
    # in a string the name is inserted as a literal, which the query then finds as a label
    type_in_editor(page, '?who rdfs:label "Khawaja Moh',
                   body="PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?who WHERE {\n  |\n}")
    hint = page.locator(".CodeMirror-hints li", has_text="Khawaja Mohammad Asif")
    hint.wait_for(state="visible", timeout=10_000)
    hint.click()
    assert '?who rdfs:label "Khawaja Mohammad Asif"' in editor_text(page)
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr")
    assert page.locator(".tabPanel.active .yasr table tbody tr").count() >= 1
    # a variable is left alone, though its name begins as a person's does; so is a keyword begun,
    # though names begin so too: those are had after "<"
    for typed in ("?khawa", "Val"):
        type_in_editor(page, typed)
        page.wait_for_timeout(600)
        assert page.locator(".CodeMirror-hints li.ckg-entity-hint").count() == 0, typed
    type_in_editor(page, "<Val")
    page.locator(".CodeMirror-hints li.ckg-entity-hint").first.wait_for(state="visible", timeout=10_000)
    assert outside == [] and refused == []
    page.close()


def test_without_the_editor_files_the_plain_form_works(browser, seed_store, tmp_path):
    empty = tmp_path / "no-assets"
    empty.mkdir()
    import os
    os.environ["CKG_YASGUI_DIR"] = str(empty)
    try:
        urls = serving(seed_store)
        url = next(urls)
    finally:
        del os.environ["CKG_YASGUI_DIR"]
    try:
        assert requests.get(url + "/assets/yasgui/yasgui.min.js", timeout=30).status_code == 404
        page, _ = offline_page(browser, url)
        page.goto(url + "/")
        assert page.locator("#fallback").is_visible() and "not installed" in page.locator("#fallback").inner_text()
        page.get_by_role("button", name="officials", exact=True).click()
        assert "?person" in page.locator("#plain-query").input_value()
        page.select_option("select[name=format]", "csv")
        with page.expect_download() as download:
            page.get_by_role("button", name="Run query").click()
        path = download.value.path()
        assert "Mosharraf Ali Zaidi" in Path(path).read_text(encoding="utf-8")
        page.close()
    finally:
        next(urls, None)
