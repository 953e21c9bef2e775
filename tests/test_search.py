"""Full-text search on a real store built from seeds/ and a few articles of our own, served by
a live `ckg serve` (gunicorn on a loopback port, an update token set), asked over real HTTP,
and in Chromium: ranking, prefixes, folded accents, facets and their counts, links to the
spans, escaping, syntax errors, the command line, and the index made per snapshot."""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
import requests

from ckg.graph import search_index, snapshots
from ckg.graph.build import build
from ckg.graph.store import Store
from ckg.ontology.vocabulary import ID_BASE, NAMESPACE

from .conftest import ROOT
from .live import serving
from .test_editor_browser import browser, offline_page  # noqa: F401  (fixture)

TOKEN = "search-test-token"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,*/*;q=0.8"
ARTIFACTS = ROOT / "test-artifacts"
ACCENTED = """title: Aid convoys reach Bădulești
date: 2026-03-02

GENEVA, 2 March 2026 – Médecins Sans Frontières said on Monday that its convoy reached Bădulești after
three days of shelling. "The Zürich-funded clinic is open again," a spokesperson said.
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    articles = tmp_path_factory.mktemp("articles")
    (articles / "accented.txt").write_text(ACCENTED, encoding="utf-8")
    path = tmp_path_factory.mktemp("search-store")
    with Store.open(path) as opened:
        summary = build([ROOT / "seeds", ROOT / "tests" / "data" / "hostile", articles], opened)
        assert summary.failures == []
        snapshots.publish(opened)
    return path


@pytest.fixture(scope="module")
def server(store):
    yield from serving(store, "--update-token", TOKEN, "--workers", "1")


def found(server: str, q: str, **params) -> dict:
    response = requests.get(server + "/api/search", params={"q": q, **params}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_publishing_a_snapshot_indexes_it(store):
    snapshot = snapshots.current(store)
    assert search_index.path_of(snapshot).is_file()


def test_an_exact_phrase_ranks_the_span_holding_it_first(server):
    data = found(server, '"had hoped for peace"')
    first = data["hits"][0]
    assert first["type"] == "span"
    assert "<mark>had hoped for peace</mark>" in first["snippet_html"]
    assert re.search(r"#char=\d+,\d+$", first["href"])
    assert {hit["type"] for hit in data["hits"]} >= {"span", "quote", "document"}
    assert found(server, '"peace had hoped"')["total"] == 0, "a phrase is its words in order"


def test_a_prefix_finds_the_words_it_begins(server):
    assert found(server, "Khawa")["total"] == 0
    people = found(server, "Khawa*", type="person")["hits"]
    assert [hit["title"] for hit in people] == ["Khawaja Mohammad Asif"]
    assert people[0]["href"] == "/ckg/id/person/khawaja-mohammad-asif"


@pytest.mark.parametrize("q", ["badulesti", "BĂDULEȘTI", "medecins sans frontieres", "zurich"])
def test_case_and_accents_are_folded(server, q):
    hits = found(server, q)["hits"]
    assert any(hit["type"] == "document" and hit["title"] == "Aid convoys reach Bădulești" for hit in hits), q


def test_facets_narrow_the_hits_and_count_them_right(server):
    data = found(server, "Pakistan", limit=200)
    assert data["total"] > 20
    assert data["facets_exact"] is True and data["facets_counted"] == data["total"]
    types = data["facets"]["type"]["values"]
    assert sum(v["count"] for v in types) == data["total"]
    for name in ("type", "side", "kind", "claimant", "channel", "document", "day", "month"):
        values = data["facets"][name]["values"]
        assert values, name
        chosen = values[0]
        narrowed = requests.get(server + chosen["href"], headers={"Accept": "application/json"}, timeout=30).json()
        assert narrowed["total"] == chosen["count"], (name, chosen)
        assert narrowed["total"] < data["total"] or name in ("document", "day", "month")
        assert {"facet": name, "value": chosen["value"]} in narrowed["filters"]
        assert narrowed["facets"][name]["values"][0]["selected"]
    killed = found(server, "Pakistan", kind="killed", type="claim", limit=200)
    assert killed["total"] == len(killed["hits"]) > 0
    assert all(hit["type"] == "claim" for hit in killed["hits"])
    by_side = {v["value"]: v["count"] for v in killed["facets"]["side"]["values"]}
    for side, count in by_side.items():
        assert found(server, "Pakistan", kind="killed", type="claim", side=side, limit=200)["total"] == count
    assert found(server, "Pakistan", side="https://example.org/narnia")["total"] == 0
    refused = requests.get(server + "/api/search", params={"q": "Pakistan", "side": "Narnia"}, timeout=30)
    assert refused.status_code == 400 and "side='Narnia' is not an IRI" in refused.text


@pytest.fixture(scope="module")
def sampling_server(store):
    """A server that counts the facets of at most 10 hits one by one."""
    yield from serving(store, "--workers", "1", env={**os.environ, "CKG_SEARCH_EXACT_FACETS": "10"})


def test_past_the_threshold_the_facets_say_they_count_the_best_hits(sampling_server, server):
    many = found(sampling_server, "Pakistan", limit=30)
    assert many["total"] > 10 and many["facets_exact"] is False and many["facets_counted"] == 10
    assert sum(v["count"] for v in many["facets"]["type"]["values"]) == 10
    everything = found(server, "Pakistan", limit=30)
    assert many["total"] == everything["total"], "the total is exact either way"
    assert [h["iri"] for h in many["hits"][:10]] == [h["iri"] for h in everything["hits"][:10]]
    few = found(sampling_server, '"had hoped for peace"')
    assert 0 < few["total"] <= 10 and few["facets_exact"] is True and few["facets_counted"] == few["total"]
    assert sum(v["count"] for v in few["facets"]["type"]["values"]) == few["total"]
    assert few["hits"][0]["type"] == "span"
    page = requests.get(sampling_server + "/search", params={"q": "Pakistan"}, headers={"Accept": BROWSER_ACCEPT},
                        timeout=30).text
    assert f"about the best 10 of the {many['total']:,} hits" in page
    exact = requests.get(sampling_server + "/search", params={"q": '"had hoped for peace"'},
                         headers={"Accept": BROWSER_ACCEPT}, timeout=30).text
    assert "about the best" not in exact


def test_every_hit_links_to_a_page_that_holds_it(server):
    for q in ('"had hoped for peace"', "Pakistan", "Kabul", '"open war"'):
        for hit in found(server, q, limit=15)["hits"]:
            path, _, anchor = hit["href"].partition("#")
            page = requests.get(server + path, headers={"Accept": BROWSER_ACCEPT}, timeout=60)
            assert page.status_code == 200, hit["href"]
            if hit["type"] == "span":
                assert anchor and f'id="{anchor}"' in page.text, hit["href"]


@pytest.mark.parametrize("q, says", [('"unbalanced quote', "unterminated string"), ("*", "must end a word"),
                                     ("AND", 'syntax error near "AND"'), ("Kabul AND", "ends where more"),
                                     ("nosuch:column", "no such column"), ("", "give words")])
def test_bad_syntax_is_a_400_that_says_what_is_wrong(server, q, says):
    for path in ("/api/search", "/search.json", "/search.csv"):
        response = requests.get(server + path, params={"q": q}, timeout=30)
        assert response.status_code == 400 and says in response.text, (path, response.text)
    page = requests.get(server + "/search", params={"q": q or " ", "format": "html"}, timeout=30)
    assert page.status_code == 400 and 'role="alert"' in page.text
    assert found(server, "Kabul")["total"] > 0, "the server goes on serving"


@pytest.mark.parametrize("params", [{"limit": "many"}, {"limit": "0"}, {"offset": "-1"}, {"limit": "100000"}])
def test_bad_paging_is_a_400(server, params):
    response = requests.get(server + "/api/search", params={"q": "Kabul", **params}, timeout=30)
    assert response.status_code == 400 and ("limit" in response.text or "offset" in response.text)


def test_markup_in_a_document_is_escaped_and_only_the_match_marked(server):
    data = found(server, "pwned")
    assert data["total"] > 0
    for hit in data["hits"]:
        assert "<script" not in hit["snippet_html"] and "<img" not in hit["snippet_html"]
        assert "<mark>pwned</mark>" in hit["snippet_html"]
        assert re.sub(r"</?mark>", "", hit["snippet_html"]).count("<") == 0, "no tag but the marks"
    assert any("&lt;script&gt;document.title=&#34;<mark>pwned</mark>" in hit["snippet_html"] for hit in data["hits"])
    page = requests.get(server + "/search", params={"q": "pwned OR fabrication"}, headers={"Accept": BROWSER_ACCEPT},
                        timeout=30)
    assert page.status_code == 200
    assert "<script>document" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;document.title=&#34;<mark>pwned</mark>" in page.text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]


def test_the_page_and_its_data_agree(server):
    params = {"q": "Kabul", "type": "claim"}
    data = requests.get(server + "/search.json", params=params, timeout=30).json()
    table = requests.get(server + "/search.csv", params=params, timeout=30)
    assert table.headers["Content-Type"].startswith("text/csv")
    rows = table.text.splitlines()
    assert rows[0] == "type,title,snippet,href,iri,document,date,score" and len(rows) == len(data["hits"]) + 1
    page = requests.get(server + "/search", params=params, headers={"Accept": BROWSER_ACCEPT}, timeout=30).text
    assert [h["href"] for h in data["hits"]] == re.findall(r'class="hit-link" href="([^"]+)"', page)


def test_the_command_gives_the_same_hits_in_the_same_order(server, store):
    for q, extra in (("Pakistan", []), ('"open war"', ["-f", "type=span"])):
        done = subprocess.run([sys.executable, "-m", "ckg.cli", "search", q, "--store", str(store), "--format", "json",
                               "--limit", "30", *extra], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        params = {"q": q, "limit": 30, **dict(e.split("=") for e in extra if "=" in e)}
        assert [h["iri"] for h in json.loads(done.stdout)["hits"]] == [h["iri"] for h in found(server, **params)["hits"]]
    bad = subprocess.run([sys.executable, "-m", "ckg.cli", "search", "AND", "--store", str(store)],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "syntax error" in bad.stderr


def test_names_complete_from_the_index(server):
    names = requests.get(server + "/api/complete", params={"prefix": "khaw"}, timeout=30).json()["names"]
    assert names[0]["label"] == "Khawaja Mohammad Asif" and names[0]["href"] == "/ckg/id/person/khawaja-mohammad-asif"
    assert requests.get(server + "/api/complete", params={"prefix": "zz-nothing-qq"}, timeout=30).json()["names"] == []
    assert requests.get(server + "/api/complete", params={"prefix": "ab", "limit": "x"}, timeout=30).status_code == 400


def test_the_api_is_described_in_openapi(server):
    from openapi_spec_validator import validate

    document = requests.get(server + "/api/openapi.json", timeout=30).json()
    validate(document)
    assert {"/api/search", "/api/complete"} <= set(document["paths"])


def test_a_missing_index_is_made_once_and_logged(store, tmp_path, caplog):
    copy = tmp_path / "snapshot"
    with Store.open(snapshots.current(store), read_only=True) as opened:
        opened.oxigraph.backup(str(copy))
    assert not search_index.path_of(copy).exists()
    with caplog.at_level(logging.WARNING, logger="ckg.search"):
        made = search_index.ensure(copy)
        again = search_index.ensure(copy)
    assert made == again and made.is_file()
    assert sum("has no search index" in r.getMessage() for r in caplog.records) == 1


def test_each_snapshot_has_its_own_index(server):
    assert found(server, "Quetzalcoatlus")["total"] == 0
    before = requests.get(server + "/sparql", params={"query": "ASK {}"}, timeout=30)
    assert before.status_code == 200
    update = (f'PREFIX ckg: <{NAMESPACE}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> '
              f'INSERT DATA {{ GRAPH <{ID_BASE}graph/test-search> {{ '
              f'<{ID_BASE}person/quetzalcoatlus-northropi> a ckg:Person ; '
              'rdfs:label "Quetzalcoatlus Northropi" } }')
    refused = requests.post(server + "/sparql", data={"update": update}, timeout=60)
    assert refused.status_code == 401
    assert found(server, "Quetzalcoatlus")["total"] == 0
    done = requests.post(server + "/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"},
                         timeout=60)
    assert done.status_code in (200, 204), done.text
    hits = found(server, "quetzalcoatlus")["hits"]
    assert [(h["type"], h["title"]) for h in hits] == [("person", "Quetzalcoatlus Northropi")]


def test_the_search_box_completes_a_name_and_opens_its_page(browser, server):  # noqa: F811
    page, outside = offline_page(browser, server)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "/documents")
    box = page.locator("form.search-box input[name=q]")
    box.click()
    box.press_sequentially("khawa", delay=60)
    suggestion = page.locator("form.search-box ul.suggestions a", has_text="Khawaja Mohammad Asif")
    suggestion.wait_for(state="visible", timeout=10_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-completion.png"))
    suggestion.click()
    page.wait_for_url("**/ckg/id/person/khawaja-mohammad-asif")
    assert "Khawaja Mohammad Asif" in page.locator("h1").inner_text()
    box = page.locator("form.search-box input[name=q]")
    box.fill('"had hoped for peace"')
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    first = page.locator("li.hit").first
    assert first.get_attribute("data-type") == "span"
    assert first.locator("mark").first.inner_text() == "had hoped for peace"
    page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)
    first.locator("a.hit-link").click()
    page.wait_for_url("**/ckg/id/doc/**")
    assert urlsplit(page.url).fragment.startswith("char=")
    assert page.locator(f"[id='{urlsplit(page.url).fragment}']").count() == 1
    assert errors == [] and outside == []
    page.close()


def test_a_name_holding_markup_is_text_in_the_editors_completion(browser, server):  # noqa: F811
    from ckg.server.views import editor

    from .conftest import require
    from .test_editor_browser import editor_text, type_in_editor

    require(editor.yasgui_installed(), "the YASGUI files are not installed (make setup runs npm)")
    label = """Zqxw <img src=x onerror="document.title='pwned-hint'"> Agent"""
    person = f"{ID_BASE}person/zqxw-agent"
    update = (f'PREFIX ckg: <{NAMESPACE}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> '
              f'INSERT DATA {{ GRAPH <{ID_BASE}graph/test-editor> {{ <{person}> a ckg:Person ; '
              f'rdfs:label {ox.Literal(label)} }} }}')
    done = requests.post(server + "/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"},
                         timeout=60)
    assert done.status_code in (200, 204), done.text
    page, outside = offline_page(browser, server)
    page.goto(server + "/")
    page.wait_for_selector(".yasqe .CodeMirror")
    title = page.title()
    type_in_editor(page, '?who rdfs:label "Zqxw', body="PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                                                       "SELECT ?who WHERE {\n  |\n}")
    hint = page.locator(".CodeMirror-hints li.ckg-entity-hint").first
    hint.wait_for(state="visible", timeout=10_000)
    assert label in hint.inner_text() and page.locator(".CodeMirror-hints img").count() == 0
    hint.click()
    assert json.dumps(label) in editor_text(page), "the name is inserted as an escaped literal"
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr")
    assert person in page.locator(".tabPanel.active .yasr table").inner_text(), "the literal finds the name"
    assert page.title() == title and outside == []
    page.close()
