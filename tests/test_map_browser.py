"""The map in a real browser (Playwright driving Debian's Chromium), reached from the site's
navigation as a reader would: outlines and marks drawn, a mark leading to its place's page,
nothing fetched from elsewhere; the screenshot is kept in test-artifacts/pages/."""
from __future__ import annotations

import pytest

from ckg.graph.build import build
from ckg.graph.store import Store

from .conftest import ROOT
from .live import serving
from .test_editor_browser import browser, offline_page  # noqa: F401  (fixture)

ARTIFACTS = ROOT / "test-artifacts" / "pages"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("map-browser")
    with Store.open(path) as s:
        assert build([ROOT / "tests" / "data" / "articles"], s).failures == []
    yield from serving(path)


def test_the_map_opened_from_the_navigation(browser, server):  # noqa: F811
    page, outside = offline_page(browser, server)
    page.goto(server + "/documents")
    page.locator("header nav a", has_text="Map").click()
    page.wait_for_selector("svg.map")
    assert page.url == server + "/map"
    assert page.locator("svg.map path.country").count() > 10
    marks = page.locator("svg.map a.mark")
    assert marks.count() >= 3
    box = page.locator("svg.map").bounding_box()
    assert box and box["width"] > 600 and box["height"] > 300
    drawn = page.locator("svg.map a.mark circle.events").first
    assert drawn.evaluate("c => getComputedStyle(c).fill") not in ("", "none", "rgb(0, 0, 0)")
    hollow = page.locator("svg.map a.mark.country circle.events")
    if hollow.count():
        assert hollow.first.evaluate("c => getComputedStyle(c).fill") == "none", "a country's mark is hollow"
    country_fill = page.locator("svg.map path.country").first.evaluate("p => getComputedStyle(p).fill")
    assert country_fill not in ("", "none", "rgb(0, 0, 0)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
    city = page.locator("svg.map a.mark.city").first
    name = city.locator("text.place-name").text_content()
    city.locator("circle, path").first.click()
    page.wait_for_load_state()
    assert page.url != server + "/map" and name in page.locator("h1").first.inner_text()
    assert outside == []
    page.close()
