"""Screenshots of the analyst's workbench for the README, made the way a reader sees it.

Builds seeds/ and tests/data/articles/ into a scratch store (or takes ``--store``; verdicts
are then set on it), serves it with ``ckg serve`` and an update token on a loopback port,
sets one verdict through ``POST /verdicts`` and one source rating through ``POST /ratings``, and
has Chromium (Playwright) open each page: the editor's name completion, search, a figure
timeline, a claim comparison, a claim page with its verdict and form, /verdicts, /contested
narrowed by a facet, the map, the listings (/claims narrowed by source reliability,
/organisations, /places, /documents), a document, an event, and a source's page with its rating. What each page
shows is picked from the store's own answers (the first contested count, a claim compared on
it, its claimant), so the pictures follow the data. PNGs, 1200 pixels wide, into ``--out``.

    python benchmarks/screenshots.py                 # writes docs/screenshots/*.png
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.endpoint import ckg_serving  # noqa: E402
from ckg.graph import snapshots  # noqa: E402
from ckg.graph.build import build  # noqa: E402
from ckg.graph.store import Store  # noqa: E402
from ckg.ontology.vocabulary import CKG  # noqa: E402
from ckg.server.http.iri_paths import local_path  # noqa: E402

TOKEN = "screenshot-token"
WIDTH, MAX_HEIGHT = 1200, 1200
SOURCES = (ROOT / "seeds", ROOT / "tests" / "data" / "articles")


def build_store(scratch: Path) -> Path:
    path = scratch / "store"
    print("building seeds/ and tests/data/articles/ …", file=sys.stderr)
    with Store.open(path) as store:
        build(list(SOURCES), store)
        snapshots.publish(store, optimize=True)
    return path


def subjects(base: str) -> dict:
    """What to show, from the store: a contested count with a compared claim, and its claimant."""
    charts = requests.get(base + "/contested.json", timeout=120).json()["items"]
    for chart in charts:
        for bar in chart["bars"]:
            if bar["comparisons"]:
                return {"chart": chart, "bar": bar, "comparison": bar["comparisons"][0]["href"]}
    sys.exit("the store has no compared claims to show")


def set_verdict(base: str, claim: str) -> None:
    answer = requests.post(base + "/verdicts", timeout=120, headers={"Authorization": f"Bearer {TOKEN}",
                                                                     "Accept": "application/json"},
                           data={"claim": claim, "verdict": "disputed", "reliability": "C", "credibility": "3",
                                 "analyst": "Ann Analyst", "reason": "no other side gives a figure this high"})
    answer.raise_for_status()


def rate_source(base: str, source: str) -> None:
    answer = requests.post(base + "/ratings", timeout=120, headers={"Authorization": f"Bearer {TOKEN}",
                                                                    "Accept": "application/json"},
                           data={"source": source, "reliability": "C", "analyst": "Ann Analyst",
                                 "reason": "its figures were revised twice"})
    answer.raise_for_status()


def first_event(base: str) -> str:
    """The page of an event with a place (the store's first, by IRI)."""
    query = f"SELECT ?e WHERE {{ ?e a <{CKG.ViolentEvent}> ; <{CKG.tookPlaceAt}> ?p }} ORDER BY ?e LIMIT 1"
    answer = requests.get(base + "/sparql", params={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=120)
    answer.raise_for_status()
    [row] = answer.json()["results"]["bindings"]
    return local_path(row["e"]["value"])


def shoot(page, path: Path, full: bool = True, until: str | None = None) -> None:
    """The page from its top, at most MAX_HEIGHT down (to the end of ``until`` if given);
    with ``full`` false, what the window shows."""
    if full:
        bottom = page.evaluate("document.documentElement.scrollHeight")
        if until:
            box = page.locator(until).first.bounding_box()
            bottom = box["y"] + box["height"] + 16 + page.evaluate("window.scrollY")
        clip = {"x": 0, "y": 0, "width": WIDTH, "height": min(bottom, MAX_HEIGHT)}
        page.screenshot(path=str(path), full_page=True, clip=clip)
    else:
        page.screenshot(path=str(path))
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}", file=sys.stderr)


def editor_completion(page, base: str, word: str) -> None:
    page.goto(base + "/")
    page.wait_for_selector(".yasqe .CodeMirror")
    query = f"PREFIX ckg: <{CKG}>\nSELECT ?claim ?stated WHERE {{\n  ?claim ckg:claimedBy \n}}"
    page.evaluate("""(query) => { const cm = document.querySelector('.tabPanel.active .CodeMirror').CodeMirror;
      cm.setValue(query); cm.setCursor({line: 2, ch: cm.getLine(2).length}); cm.focus(); }""", query)
    page.keyboard.type(word, delay=60)
    page.wait_for_selector(".CodeMirror-hints li", timeout=10_000)


def screenshots(base: str, out: Path, chromium: str) -> None:
    from playwright.sync_api import sync_playwright

    chosen = subjects(base)
    bar, chart = chosen["bar"], chosen["chart"]
    set_verdict(base, bar["claim"])
    source = requests.get(base + bar["claimant_href"] + ".json", timeout=120).json()["iri"]
    rate_source(base, source)
    name = bar["claimant"]
    first_word = name.split()[0]
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": WIDTH, "height": 800})
        editor_completion(page, base, first_word[:5])
        shoot(page, out / "editor-completion.png", full=False)
        page.goto(base + "/contested")
        page.locator("form.search-box input[name=q]").press_sequentially(first_word[:5], delay=60)
        page.locator("form.search-box ul.suggestions a").first.wait_for(state="visible", timeout=10_000)
        shoot(page, out / "search-completion.png", full=False)
        page.goto(base + "/search?" + urlencode({"q": "killed"}))
        shoot(page, out / "search.png")
        page.goto(base + "/timeline?" + urlencode({"variable": chart["variable"]}))
        shoot(page, out / "timeline.png")
        page.goto(base + chosen["comparison"])
        shoot(page, out / "comparison.png")
        page.goto(base + bar["href"])
        page.locator("form.verdict-form input[name=token]").fill("a-token")
        shoot(page, out / "claim-verdict.png", until="section.verdict")
        page.goto(base + "/verdicts")
        shoot(page, out / "verdicts.png")
        kind = requests.get(base + "/contested.json", timeout=120).json()["facets"]["kind"]["values"][0]["value"]
        page.goto(base + "/contested?" + urlencode({"kind": kind}))
        shoot(page, out / "contested-facets.png")
        side = requests.get(base + "/people.json", timeout=120).json()["facets"]["side"]["values"][0]["value"]
        page.goto(base + "/people?" + urlencode({"side": side}))
        shoot(page, out / "people-facets.png")
        page.goto(base + "/map")
        shoot(page, out / "map.png")
        page.goto(base + bar["claimant_href"])
        page.locator("form.rating-form input[name=token]").fill("a-token")
        page.locator("section.source-rating").screenshot(path=str(out / "source-rating.png"))  # far down the page
        page.goto(base + "/claims?" + urlencode({"reliability": "C"}))
        shoot(page, out / "claims.png")
        for listing in ("organisations", "places", "documents"):
            page.goto(base + "/" + listing)
            shoot(page, out / f"{listing}.png")
        document = requests.get(base + "/documents.json", timeout=120).json()["items"][0]
        page.goto(base + document["href"])
        shoot(page, out / "document.png")
        page.goto(base + first_event(base))
        shoot(page, out / "event.png")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="serve this built store, setting a verdict on it (default: build one)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"), help="folder for the PNGs")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="ckg-screenshots-") as scratch:
        store = Path(args.store) if args.store else build_store(Path(scratch))
        with ckg_serving(store, "--update-token", TOKEN) as base:
            screenshots(base, Path(args.out).resolve(), chromium)


if __name__ == "__main__":
    main()
