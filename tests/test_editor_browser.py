"""The query editor in a real browser (Playwright driving Debian's Chromium), with no internet.

The test keeps a screenshot in test-artifacts/ (ignored by git). Requests to any host but
the server are blocked and recorded: the page must not need them.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

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
