"""A figure timeline in a real browser (Playwright driving Debian's Chromium), reached from a
count's page as a reader would; the screenshot is kept in test-artifacts/pages/."""
from __future__ import annotations

import pytest

from ckg.graph.build import build
from ckg.graph.store import Store

from .conftest import ROOT
from .live import serving
from .test_editor_browser import browser, offline_page  # noqa: F401  (fixture)
from .test_seed_graph import rows

ARTIFACTS = ROOT / "test-artifacts" / "pages"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("timeline-browser")
    with Store.open(path) as s:
        assert build([ROOT / "tests" / "data" / "timeline"], s).failures == []
    with Store.open(path, read_only=True) as s:
        variable = rows(s, 'SELECT DISTINCT ?v WHERE { ?c ckg:aboutVariable ?v ; ckg:statedValue "nine" }')[0][0]
    return path, variable


@pytest.fixture(scope="module")
def server(built):
    yield from serving(built[0])


def test_a_timeline_opened_from_a_count_page(browser, built, server):  # noqa: F811
    _, variable = built
    page, outside = offline_page(browser, server)
    page.goto(server + variable.removeprefix("https://example.org"))
    page.locator("a.timeline-link").first.click()
    page.wait_for_selector("svg.timeline")
    assert page.url.startswith(server + "/timeline?variable=")
    marks = page.locator("svg.timeline a.mark")
    assert marks.count() == 3
    assert page.locator("svg.timeline a.mark.revision").count() == 1
    assert page.locator("svg.timeline a.mark.first").count() >= 1
    box = page.locator("svg.timeline").bounding_box()
    assert box and box["width"] > 400 and box["height"] > 150
    dot = page.locator("svg.timeline a.mark circle.dot").first
    assert dot.evaluate("c => getComputedStyle(c).fill") not in ("", "none", "rgb(0, 0, 0)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "timeline.png"), full_page=True)
    page.locator("svg.timeline a.mark.revision").click()
    page.wait_for_selector("section.claim")
    assert "nine" in page.locator("table.facts").inner_text()
    assert outside == []
    page.close()
