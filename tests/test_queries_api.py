"""/api/queries: the catalogue, running queries by format, errors, injection, OpenAPI (asked of the
application in this process); `ckg query --endpoint` against a live server."""
from __future__ import annotations

import csv
import io

import pytest

from ckg.graph import queries

from .conftest import in_process, require


@pytest.fixture(scope="module")
def capped(seed_store):
    """The application with a row cap of 3."""
    for app in in_process(seed_store, row_cap=3):
        yield app.test_client()


def test_the_catalogue_lists_every_query_with_its_description(client):
    data = client.get("/api/queries").json
    listed = {q["name"]: q for q in data["queries"]}
    assert set(listed) == set(queries.catalogue())
    claims = listed["claims"]
    assert claims["columns"][:3] == ["claim", "claimant", "claimantLabel"] and claims["description"]
    assert {"name": "kind", "type": "string", "required": False, "default": None} .items() <= next(
        p for p in claims["parameters"] if p["name"] == "kind").items()
    assert claims["url"].endswith("/api/queries/claims")
    page = client.get("/api/queries", headers={"Accept": "text/html"})
    assert page.headers["Content-Type"].startswith("text/html") and 'href="/api/queries/timeline?format=html"' in page.text
    assert client.get("/api/queries", headers={"Accept": "image/png"}).status_code == 406


def test_a_query_answers_json_csv_and_html(client):
    url = "/api/queries/claims"
    data = client.get(url, query_string={"kind": "killed", "state": "Pakistan"}).json
    assert data["columns"][-1] == "quote" and data["truncated"] is False
    assert {(r["claimantLabel"], r["stated"], r["max"]) for r in data["rows"]} == {
        ("Attaullah Tarar", "two", "2"), ("Mosharraf Ali Zaidi", "at least 133", None), ("Pakistan", "133", "133")}
    by_accept = client.get(url, query_string={"kind": "killed"}, headers={"Accept": "text/csv"})
    assert by_accept.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(by_accept.text)))
    assert rows and {r["kind"] for r in rows} == {"killed"} and len(rows) > len(data["rows"])
    by_format = client.get(url, query_string={"kind": "killed", "format": "csv"}, headers={"Accept": "text/html"})
    assert by_format.text == by_accept.text
    html = client.get("/api/queries/mediation", query_string={"type": "ceasefire"},
                        headers={"Accept": "text/html"})
    assert html.status_code == 200 and "<th>parties</th>" in html.text and "Pakistan; Afghanistan" in html.text
    srj = client.get(url, query_string={"format": "srj"}).json
    assert srj["head"]["vars"][0] == "claim"


def test_the_api_and_the_endpoint_agree(client):
    query = queries.named("operations")
    api = client.get("/api/queries/operations", query_string={"type": "airstrike"}).json
    direct = client.post("/sparql", data={"query": queries.bind(query, {"type": "airstrike"})},
                           headers={"Accept": "application/sparql-results+json"}).json
    assert [r["event"] for r in api["rows"]] == [b["event"]["value"] for b in direct["results"]["bindings"]]
    assert {r["place"] for r in api["rows"]} == {"Kabul", "Kandahār", "Paktia"}


def test_errors_say_what_is_wrong(client):
    missing = client.get("/api/queries/no-such-query")
    assert missing.status_code == 404 and "no query named 'no-such-query'" in missing.text
    for params, message in [({"from": "soon"}, "'from' must be a date"), ({"colour": "red"}, "no parameter 'colour'"),
                            ({"document": "not an iri"}, "must be an iri")]:
        response = client.get("/api/queries/claims", query_string=params)
        assert response.status_code == 400 and message in response.text, response.text
    late = client.get("/api/queries/cq06-post-holder-at", query_string={"post": "minister",
                                                                       "at": "9999-12-31T23:59:59-05:00"})
    assert late.status_code == 400 and "'at' must be a dateTime" in late.text, late.text  # not an OverflowError
    twice = client.get("/api/queries/claims?kind=a&kind=b")
    assert twice.status_code == 400 and "once" in twice.text
    required = client.get("/api/queries/cq09-evidence")
    assert required.status_code == 400 and "needs the parameter 'claim'" in required.text
    assert client.get("/api/queries/claims", query_string={"format": "png"}).status_code == 406
    assert client.get("/api/queries/claims").status_code == 200  # still serving


def test_an_injection_attempt_is_only_a_string(client):
    before = client.get("/api/queries/officials").json["rows"]
    attack = '") } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o FILTER ("'
    response = client.get("/api/queries/officials", query_string={"name": attack})
    assert response.status_code == 200 and response.json["rows"] == []
    iri = client.get("/api/queries/claims", query_string={"document": "https://x/> } ?s ?p ?o { <y"})
    assert iri.status_code == 400
    html = client.get("/api/queries/officials", query_string={"name": "<script>alert(1)</script>", "format": "html"})
    assert "<script>alert" not in html.text and "&lt;script&gt;" in html.text
    assert client.get("/api/queries/officials").json["rows"] == before


def test_the_row_cap_applies(capped):
    response = capped.get("/api/queries/timeline")
    assert len(response.json["rows"]) == 3 and response.json["truncated"] is True
    assert "row cap" in response.headers["Ckg-Truncated"]


def test_the_openapi_document_is_valid_and_describes_every_query(client):
    try:
        from openapi_spec_validator import validate
    except ImportError:
        require(False, "the Python package 'openapi-spec-validator' is not installed")
    document = client.get("/api/openapi.json").json
    validate(document)
    for name, query in queries.catalogue().items():
        operation = document["paths"][f"/api/queries/{name}"]["get"]
        declared = {p["name"]: p for p in operation["parameters"]}
        assert not {p.name for p in query.parameters} & {"format", "limit", "offset"}, "names the API keeps"
        assert set(declared) == {p.name for p in query.parameters} | {"format", "limit", "offset"}
        row = operation["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["rows"]["items"]
        assert list(row["properties"]) == list(query.columns)
    claims = {p["name"]: p for p in document["paths"]["/api/queries/claims"]["get"]["parameters"]}
    assert claims["from"]["schema"] == {"type": "string", "format": "date"}
    assert claims["document"]["schema"]["format"] == "uri"
    review = {p["name"]: p for p in document["paths"]["/api/queries/cq20-claims-to-review"]["get"]["parameters"]}
    assert review["below"]["schema"] == {"type": "number", "default": 0.7}


def test_the_editor_offers_the_queries(client):
    page = client.get("/", headers={"Accept": "text/html"}).text
    for name in ("claims", "operations", "mediation", "timeline", "cq04-conservative-fatalities"):
        assert f'data-name="{name}"' in page


def test_the_command_queries_a_live_endpoint(live):
    import subprocess
    import sys

    from .conftest import ROOT

    def ckg(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ckg.cli", "query", *args, "--endpoint", live + "/sparql"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)

    done = ckg("claims", "-p", "kind=killed", "-p", "state=pakistan", "-f", "csv")
    assert done.returncode == 0, done.stderr
    assert {r["stated"] for r in csv.DictReader(io.StringIO(done.stdout))} == {"two", "at least 133", "133"}
    table = ckg("mediation", "-p", "type=ceasefire", "-f", "table")
    assert table.returncode == 0 and "Qatar" in table.stdout
    broken = ckg("SELECT ?x WHERE { ?x }")
    assert broken.returncode != 0 and "answered 400" in broken.stderr and "not valid SPARQL" in broken.stderr
