"""Dereferenceable IRIs: content negotiation, suffixes, independent parsers, helpful 404s (asked of
the application in this process), and over real HTTP a store minted under another base IRI,
markup from articles kept inert, and IRIs as long as gunicorn lets a request line be."""
from __future__ import annotations

import json
import subprocess
from urllib.parse import urlsplit

import pytest
import rdflib
import requests
from rdflib.compare import isomorphic

from ckg.ontology.vocabulary import CKG, DERIVED_GRAPH, ID_BASE, SPARQL_PREFIXES, VOID
from ckg.ontology.vocabulary import graph as vocabulary_graph

from .conftest import ROOT, require_tool
from .live import serving
from .test_editor_browser import browser  # noqa: F401  (fixture)

FORMATS = {"ttl": ("text/turtle", "turtle"), "nt": ("application/n-triples", "nt"),
           "jsonld": ("application/ld+json", "json-ld"), "rdf": ("application/rdf+xml", "xml")}
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def select(client, query: str) -> list[dict[str, str]]:
    response = client.post("/sparql", data={"query": SPARQL_PREFIXES + query},
                           headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json["results"]["bindings"]]


def path_of(iri: str) -> str:
    return urlsplit(iri).path


@pytest.fixture(scope="module")
def claim(client) -> str:
    """The seed's claim of eight Afghan soldiers killed."""
    rows = select(client, 'SELECT ?c WHERE { ?c a ckg:QuantityClaim ; ckg:statedValue "eight" }')
    assert len(rows) == 1
    return rows[0]["c"]


def test_a_claim_iri_answers_in_every_rdf_format_by_accept_and_by_suffix(client, claim):
    graphs = []
    for suffix, (media_type, rdflib_name) in FORMATS.items():
        by_accept = client.get(path_of(claim), headers={"Accept": media_type})
        by_suffix = client.get(f"{path_of(claim)}.{suffix}")
        for response in (by_accept, by_suffix):
            assert response.status_code == 200 and response.headers["Content-Type"].startswith(media_type)
            assert "Accept" in response.headers["Vary"]
        graph = rdflib.Graph().parse(data=by_accept.data, format=rdflib_name)
        assert isomorphic(graph, rdflib.Graph().parse(data=by_suffix.data, format=rdflib_name))
        this = rdflib.URIRef(claim)
        assert (this, rdflib.URIRef(CKG + "statedValue"), rdflib.Literal("eight")) in graph
        claimant = graph.value(this, rdflib.URIRef(CKG + "claimedBy"))
        assert graph.value(claimant, rdflib.RDFS.label) is not None, "the claimant's label comes with the claim"
        assert list(graph.subjects(rdflib.URIRef(CKG + "contradicts"), this)), "incoming links are included"
        graphs.append(graph)
    assert all(isomorphic(graphs[0], g) for g in graphs[1:])
    again = rdflib.Graph().parse(data=graphs[0].serialize(format="turtle"), format="turtle")
    assert isomorphic(graphs[0], again)


def test_quad_formats_carry_the_graph_each_triple_comes_from(client, claim):
    for suffix, media_type, name in (("trig", "application/trig", "trig"), ("nq", "application/n-quads", "nquads")):
        for response in (client.get(f"{path_of(claim)}.{suffix}"),
                         client.get(path_of(claim), headers={"Accept": media_type})):
            assert response.status_code == 200 and response.headers["Content-Type"].startswith(media_type)
            dataset = rdflib.Dataset().parse(data=response.data, format=name)
            stated = [(g) for _, _, _, g in dataset.quads((rdflib.URIRef(claim), rdflib.URIRef(CKG + "statedValue"),
                                                          None, None))]
            assert len(stated) == 1 and "/graph/doc/" in str(stated[0])
            contradicts = [g for _, _, _, g in dataset.quads((rdflib.URIRef(claim), rdflib.URIRef(CKG + "contradicts"),
                                                              None, None))]
            assert contradicts and all(str(g).endswith("/graph/derived") for g in contradicts)


@pytest.mark.parametrize("suffix, rapper_name", [("ttl", "turtle"), ("nt", "ntriples"), ("rdf", "rdfxml"),
                                                 ("trig", "trig"), ("nq", "nquads")])
def test_rapper_parses_what_an_iri_serves(client, claim, tmp_path, suffix, rapper_name):
    rapper = require_tool("rapper")
    document = select(client, "SELECT ?d WHERE { ?d a ckg:NewsArticle }")[0]["d"]
    for iri in (claim, document):
        path = tmp_path / f"out.{suffix}"
        path.write_bytes(client.get(f"{path_of(iri)}.{suffix}").data)
        counted = subprocess.run([rapper, "-i", rapper_name, "-c", str(path)], capture_output=True, text=True)
        assert counted.returncode == 0, counted.stderr
        triples = int(counted.stderr.split("returned ")[1].split()[0])
        assert triples > 20


def test_a_browser_gets_html_and_json_is_one_suffix_away(client, claim):
    page = client.get(path_of(claim), headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "Accept" in page.headers["Vary"]
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "Defence Ministry of Afghanistan" in page.text and "<mark>" in page.text
    assert client.get(f"{path_of(claim)}.html").text == page.text
    data = client.get(f"{path_of(claim)}.json").json
    assert data["kind"] == "claim" and data["claim"]["this"]["stated"] == "eight"
    # the spokesman's 'at least 133' and Islamabad's own '133' both contradict 'eight'
    assert [r["relation"] for r in data["claim"]["related"]] == ["contradicts", "contradicts"]
    assert {r["claim"]["stated"] for r in data["claim"]["related"]} == {"at least 133", "133"}
    assert client.get(path_of(claim), headers={"Accept": "application/json"}).json == data


def test_no_accept_header_gets_turtle_and_an_unknown_format_is_refused(client, claim):
    plain = client.get(path_of(claim), headers={"Accept": ""})
    assert plain.headers["Content-Type"].startswith("text/turtle")
    anything = client.get(path_of(claim), headers={"Accept": "*/*"})
    assert anything.headers["Content-Type"].startswith("text/turtle")
    refused = client.get(path_of(claim), headers={"Accept": "image/png"})
    assert refused.status_code == 406 and "text/turtle" in refused.text


def test_any_iri_in_the_store_is_at_resource(client):
    response = client.get("/resource", query_string={"iri": CKG + "QuantityClaim"}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    assert (rdflib.URIRef(CKG + "QuantityClaim"), rdflib.RDFS.subClassOf, rdflib.URIRef(CKG + "Claim")) in graph
    page = client.get("/resource", query_string={"iri": CKG + "QuantityClaim"}, headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and "quantity claim" in page.text
    bad = client.get("/resource", query_string={"iri": "not an iri"})
    assert bad.status_code == 400 and "not" in bad.text


def test_unknown_iris_get_a_helpful_404(client):
    page = client.get("/ckg/id/claim/no-such-claim", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 404 and page.headers["Content-Type"].startswith("text/html")
    assert ID_BASE + "claim/no-such-claim" in page.text
    assert "/?query=DESCRIBE" in page.text and "Search" in page.text
    machine = client.get("/ckg/id/claim/no-such-claim", headers={"Accept": "text/turtle"})
    assert machine.status_code == 404 and machine.headers["Content-Type"].startswith("text/plain")
    assert "nothing about this IRI" in machine.text
    assert client.get("/ckg/id/claim/no-such-claim.ttl").status_code == 404
    for odd in ("/ckg/id/a%20b", "/ckg/id/%3Cx%3E", "/ckg/id/x%22y", "/ckg/id/%7B%7D"):
        response = client.get(odd, headers={"Accept": "text/turtle"})
        assert response.status_code == 404, (odd, response.text)
    assert client.get("/documents.json").status_code == 200, "the server keeps serving"


def test_other_routes_are_not_taken_for_iris(client):
    assert client.get("/sparql", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/store", query_string={"graph": DERIVED_GRAPH}).status_code == 200
    for path in ("/ckg", "/ckg/0.1.0", "/dump/x", "/.well-known/void", "/api/queries"):
        response = client.get(path, headers={"Accept": "text/turtle"})
        assert "the store has nothing about this IRI" not in response.text, path


def test_graphs_spans_and_knowledge_base_entities_resolve(client, claim):
    for name, least in (("derived", 20), ("knowledge-base/derived", 1000)):  # across documents; the closure
        derived = client.get(f"/ckg/graph/{name}", headers={"Accept": "text/turtle"})
        assert derived.status_code == 200
        graph = rdflib.Graph().parse(data=derived.data, format="turtle")
        assert int(graph.value(rdflib.URIRef(vocabulary_graph(name)), rdflib.URIRef(VOID.triples))) > least
    state = client.get("/ckg/id/state/PAK.ttl")
    assert state.status_code == 200 and "Pakistan" in state.text
    span = select(client, f"SELECT ?s WHERE {{ <{claim}> ckg:hasEvidence ?s }}")[0]["s"]
    response = client.get("/resource", query_string={"iri": span}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and "Afghan soldiers" in response.text
    assert "/resource?iri=" in response.headers["Link"] and "#" not in response.headers["Link"].split("?")[0]
    page = client.get("/resource", query_string={"iri": span, "format": "json"}).json
    turtle = next(link["href"] for link in page["data_links"] if link["label"] == "Turtle")
    graph = rdflib.Graph().parse(data=client.get(turtle).data, format="turtle")
    assert set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(CKG + "TextSpan"))) == {rdflib.URIRef(span)}


def test_an_agent_page_lists_its_claims_its_denials_and_its_claims_others_denied(client):
    rows = select(client, "SELECT ?denier ?claimant WHERE { ?d ckg:denies ?c ; ckg:claimedBy ?denier . "
                            "?c ckg:claimedBy ?claimant }")
    assert rows
    claimant = client.get(f"{path_of(rows[0]['claimant'])}.json").json["agent"]
    denier = client.get(f"{path_of(rows[0]['denier'])}.json").json["agent"]
    assert claimant["denied"] and {e["link"]["iri"] for e in claimant["denied"]} <= {e["link"]["iri"] for e in claimant["claim"]}
    assert denier["denial"] and not ({e["link"]["iri"] for e in denier["denial"]} & {e["link"]["iri"] for e in denier["claim"]})


def test_contested_and_documents_pages_as_html_and_json(client):
    contested = client.get("/contested.json").json["items"]
    killed = [c for c in contested if {b["stated"] for b in c["bars"]} >= {"eight", "at least 133"}]
    assert len(killed) == 1 and any(b["high"] is None for b in killed[0]["bars"])
    variable = client.get(f"{killed[0]['href']}.json").json
    assert variable["kind"] == "variable" and [len(c["bars"]) for c in variable["charts"]] == [len(killed[0]["bars"])]
    page = client.get("/contested", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and page.text.count("<rect") >= 8
    documents = client.get("/documents.json").json["items"]
    assert len(documents) == 1 and documents[0]["claims"] > 10
    assert client.get(documents[0]["href"], headers={"Accept": BROWSER_ACCEPT}).status_code == 200


# --- over real HTTP --------------------------------------------------------------------------------------

def test_an_iri_as_long_as_a_request_line_may_be_is_answered(live):
    long_iri = ID_BASE + "x/" + "a" * 6000  # gunicorn reads request lines up to 8,190 bytes
    long = requests.get(live + "/resource", params={"iri": long_iri}, headers={"Accept": "text/turtle"}, timeout=30)
    assert long.status_code == 404 and long_iri in long.text


# --- a store minted under another base IRI, from an article full of markup ---------------------------------

HOSTILE = ROOT / "tests" / "data" / "hostile"
OTHER_BASE = "http://data.test/kg/"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The markup article built under another base IRI, and served with CKG_BASE_IRI set to it."""
    from ckg.graph import iris
    from ckg.graph.build import build
    from ckg.graph.store import Store

    mp = pytest.MonkeyPatch()
    mp.setenv("CKG_BASE_IRI", OTHER_BASE)
    iris.use_base(OTHER_BASE)
    try:
        path = tmp_path_factory.mktemp("hostile-store")
        with Store.open(path) as store:
            assert build([HOSTILE], store).failures == []
        iris.use_base(None)
        yield from serving(path)
    finally:
        iris.use_base(None)
        mp.undo()


def test_a_custom_base_iri_is_served_at_its_own_path(hostile):
    documents = requests.get(hostile + "/documents.json", timeout=30).json()["items"]
    assert len(documents) == 1 and documents[0]["iri"].startswith(OTHER_BASE)
    assert documents[0]["href"] == path_of(documents[0]["iri"])
    response = requests.get(hostile + documents[0]["href"], headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    assert (rdflib.URIRef(documents[0]["iri"]), rdflib.RDF.type, rdflib.URIRef(CKG + "NewsArticle")) in graph
    state = requests.get(hostile + "/ckg/id/state/ARM", headers={"Accept": "text/turtle"}, timeout=30)
    assert state.status_code == 200 and "Armenia" in state.text


def test_markup_in_an_article_is_shown_as_text(hostile):
    documents = requests.get(hostile + "/documents.json", timeout=30).json()["items"]
    claims = requests.get(hostile + documents[0]["href"] + ".json", timeout=30).json()
    pages = [documents[0]["href"], "/documents", "/contested"]
    contested = requests.get(hostile + "/contested.json", timeout=30).json()["items"]
    pages += [bar["href"] for chart in contested for bar in chart["bars"]]
    assert len(pages) >= 5 and claims["kind"] == "document"
    for path in pages:
        page = requests.get(hostile + path, headers={"Accept": BROWSER_ACCEPT}, timeout=30)
        assert page.status_code == 200, path
        own = '<script src="/assets/pages/complete.js" defer></script>'  # the search box's completion
        assert page.text.count(own) == 1, path
        text = page.text.replace(own, "")
        assert "<script" not in text and "<img" not in text and "<style" not in text, path
        assert 'href="javascript' not in page.text, path
        assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    document = requests.get(hostile + documents[0]["href"], headers={"Accept": BROWSER_ACCEPT}, timeout=30).text
    assert "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;" in document
    assert "&lt;/div&gt;&lt;/mark&gt;&lt;/a&gt;" in document
    json.loads(requests.get(hostile + "/contested.json", timeout=30).text)


def test_markup_in_an_article_stays_text_in_a_browser(hostile, browser):  # noqa: F811
    documents = requests.get(hostile + "/documents.json", timeout=30).json()["items"]
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in (documents[0]["href"], "/documents", "/contested"):
        page.goto(hostile + path)
        assert not page.title().startswith("pwned") and page.locator("main").is_visible(), path
        assert page.locator("main script, main img, main style, main b, main i").count() == 0, path
    page.goto(hostile + documents[0]["href"])
    reading = page.locator(".reading").inner_text()
    assert '<script>document.title="pwned"</script>' in reading and "<img src=x" in reading
    assert page.locator("h1").inner_text().startswith("Border clashes <script>")
    assert page.locator("a[href^='javascript']").count() == 0
    assert dialogs == []
    page.close()
