"""GeoJSON answers and the map over a live server: features at the graph's points, read by GDAL's
ogr2ogr and checked against the GeoJSON models; the map's marks, links, escaping and errors.

The store holds tests/data/articles and seeds/, plus one event written into it at a place whose
name is markup, to see that the map shows names as text, and a city that shares its name with
a city events took place at, to see that a name in an answer finds the latter.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from html import unescape

import pyoxigraph as ox
import pytest
import requests
from geojson_pydantic import FeatureCollection

from ckg.graph import snapshots
from ckg.graph.build import build
from ckg.graph.store import Store
from ckg.ontology.vocabulary import CKG, GEO, ID_BASE, RDF, RDFS

from .conftest import ROOT, require_tool
from .live import serving
from .test_seed_graph import rows

MARKUP_PLACE = ID_BASE + "place/test/markup"
MARKUP_LABEL = '<b onmouseover="x()">Fort & "Co"</b>'
DECOY_PLACE = ID_BASE + "place/a-decoy"
"""A city of the same name as one events took place at, at another point, that no event took place at."""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("map")
    with Store.open(path) as s:
        assert build([ROOT / "tests" / "data" / "articles", ROOT / "seeds"], s).failures == []
    with Store.open(path, read_only=True) as s:  # a city some event took place at, named by its label in answers
        named = rows(s, "SELECT ?l WHERE { ?e ckg:tookPlaceAt ?p . ?p a ckg:City ; rdfs:label ?l } ORDER BY ?l")[0][0]
    event, geometry = ox.NamedNode(ID_BASE + "event/test/markup"), ox.NamedNode(MARKUP_PLACE + "/geometry")
    place, decoy = ox.NamedNode(MARKUP_PLACE), ox.NamedNode(DECOY_PLACE)
    with snapshots.writing(path) as s:
        s.put_graph(ID_BASE + "graph/test/markup", [
            (decoy, ox.NamedNode(RDF.type), ox.NamedNode(CKG.City)),
            (decoy, ox.NamedNode(RDFS.label), ox.Literal(named, language="en")),
            (decoy, ox.NamedNode(GEO.hasGeometry), ox.NamedNode(DECOY_PLACE + "/geometry")),
            (ox.NamedNode(DECOY_PLACE + "/geometry"), ox.NamedNode(GEO.asWKT),
             ox.Literal("POINT(-40 -40)", datatype=ox.NamedNode(GEO.wktLiteral))),
            (event, ox.NamedNode(RDF.type), ox.NamedNode(CKG.ViolentEvent)),
            (event, ox.NamedNode(CKG.tookPlaceAt), place),
            (place, ox.NamedNode(RDF.type), ox.NamedNode(CKG.City)),
            (place, ox.NamedNode(RDFS.label), ox.Literal(MARKUP_LABEL, language="en")),
            (place, ox.NamedNode(GEO.hasGeometry), geometry),
            (geometry, ox.NamedNode(GEO.asWKT),
             ox.Literal("POINT(30.5 10.25)", datatype=ox.NamedNode(GEO.wktLiteral)))])
    return path


@pytest.fixture(scope="module")
def server(built):
    yield from serving(built)


def points(path) -> dict[str, tuple[float, float]]:
    """Every place's point in the store, by IRI: what the features must stand at."""
    with Store.open(path, read_only=True) as s:
        found = rows(s, "SELECT ?p ?wkt WHERE { ?p geo:hasGeometry/geo:asWKT ?wkt }")
    out = {}
    for place, wkt in found:
        lon, lat = re.search(r"POINT\s*\(([-\d.]+) ([-\d.]+)\)", wkt).groups()
        out[place] = (float(lon), float(lat))
    return out


def ogr_rows(tmp_path, body: bytes) -> list[dict]:
    """The features as GDAL reads them, written out as CSV with their coordinates."""
    ogr2ogr = require_tool("ogr2ogr")
    source, target = tmp_path / "answer.geojson", tmp_path / "answer.csv"
    source.write_bytes(body)
    done = subprocess.run([ogr2ogr, "-f", "CSV", str(target), str(source), "-lco", "GEOMETRY=AS_XY"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))


def test_a_query_with_a_place_column_answers_geojson_at_the_graphs_points(built, server):
    answer = requests.get(f"{server}/api/queries/operations", params={"format": "geojson"}, timeout=60)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/geo+json")
    body = answer.json()
    FeatureCollection.model_validate(body)
    table = requests.get(f"{server}/api/queries/operations", timeout=60).json()
    assert len(body["features"]) + body["unlocated"] == len(table["rows"])
    assert body["features"] and body["unlocated"] > 0, "some events have a place with no point, or none"
    known = points(built)
    for feature in body["features"]:
        properties = feature["properties"]
        assert set(table["columns"]) <= set(properties)
        assert tuple(feature["geometry"]["coordinates"]) == known[properties["placeIri"]]
        assert properties["precision"] in ("city", "region", "country", "place")
    assert {f["properties"]["precision"] for f in body["features"]} >= {"city", "country"}
    with Store.open(built, read_only=True) as s:
        took_place_at = set(rows(s, "SELECT ?e ?p WHERE { ?e ckg:tookPlaceAt ?p }"))
    for feature in body["features"]:  # a place named by its label is the one the event took place at
        assert (feature["properties"]["event"], feature["properties"]["placeIri"]) in took_place_at
    assert DECOY_PLACE not in {f["properties"]["placeIri"] for f in body["features"]}
    assert set(body["unlocatedPlaces"]) <= {r["place"] for r in table["rows"]}


def test_ogr2ogr_reads_the_answer_and_the_map(server, tmp_path):
    answer = requests.get(f"{server}/api/queries/operations", headers={"Accept": "application/geo+json"},
                          timeout=60)
    body = answer.json()
    read = ogr_rows(tmp_path, answer.content)
    assert len(read) == len(body["features"]) > 0
    assert [(float(r["X"]), float(r["Y"])) for r in read] == [tuple(f["geometry"]["coordinates"])
                                                               for f in body["features"]]
    assert [r["label"] for r in read] == [f["properties"]["label"] for f in body["features"]]
    mapped = requests.get(f"{server}/map.geojson", timeout=60)
    assert mapped.headers["Content-Type"].startswith("application/geo+json")
    FeatureCollection.model_validate(mapped.json())
    read = ogr_rows(tmp_path, mapped.content)
    assert len(read) == len(mapped.json()["features"]) > 0
    assert {r["precision"] for r in read} >= {"city", "country"}


def test_a_query_without_a_place_column_is_refused_with_the_reason(server):
    refused = requests.get(f"{server}/api/queries/claims", params={"format": "geojson"}, timeout=30)
    assert refused.status_code == 400 and "no place column" in refused.text and "operations" in refused.text
    by_accept = requests.get(f"{server}/api/queries/claims", headers={"Accept": "application/geo+json"}, timeout=30)
    assert by_accept.status_code == 406 and "no place column" in by_accept.text
    assert requests.get(f"{server}/api/queries/claims", timeout=30).status_code == 200, "the server goes on"
    tables = {name: requests.get(f"{server}/api/queries/{name}", params={"format": "html", "limit": 5}, timeout=30).text
              for name in ("operations", "claims")}
    assert "format=geojson" in tables["operations"] and "format=geojson" not in tables["claims"]


def test_the_openapi_document_offers_geojson_where_rows_carry_a_place(server):
    from openapi_spec_validator import validate

    document = requests.get(f"{server}/api/openapi.json", timeout=30).json()
    validate(document)

    def offered(name: str) -> list[str]:
        parameters = document["paths"][f"/api/queries/{name}"]["get"]["parameters"]
        return next(p for p in parameters if p["name"] == "format")["schema"]["enum"]

    assert "geojson" in offered("operations") and "geojson" not in offered("claims")
    content = document["paths"]["/api/queries/operations"]["get"]["responses"]["200"]["content"]
    assert "application/geo+json" in content


def test_ckg_query_writes_the_same_features_as_the_api(built, server):
    command = [sys.executable, "-m", "ckg.cli", "query", "operations", "-p", "type=airstrike", "--format", "geojson"]
    from_store = subprocess.run([*command, "--store", str(built)], capture_output=True, text=True, timeout=120,
                                cwd=ROOT)
    assert from_store.returncode == 0, from_store.stderr
    from_endpoint = subprocess.run([*command, "--endpoint", f"{server}/sparql"], capture_output=True, text=True,
                                   timeout=120, cwd=ROOT)
    assert from_endpoint.returncode == 0, from_endpoint.stderr
    api = requests.get(f"{server}/api/queries/operations", params={"format": "geojson", "type": "airstrike"},
                       timeout=60).json()
    for written in (json.loads(from_store.stdout), json.loads(from_endpoint.stdout)):
        FeatureCollection.model_validate(written)
        assert written["features"] == api["features"] and written["unlocated"] == api["unlocated"]
    assert api["features"] and all("airstrike" in f["properties"]["type"] for f in api["features"])
    refused = subprocess.run([*command[:4], "claims", "--format", "geojson", "--store", str(built)],
                             capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert refused.returncode == 1 and "place" in refused.stderr


def test_the_map_draws_outlines_and_one_linked_mark_per_located_place(server):
    html = requests.get(f"{server}/map", headers={"Accept": "text/html"}, timeout=60).text
    svg = html[html.index('<svg class="map"'):html.index("</svg>")]
    assert svg.count('class="country"') > 10, "country outlines around the marks"
    marks = re.findall(r'<a href="([^"]+)" class="mark (city|region|country|place)">', svg)
    data = requests.get(f"{server}/map.json", timeout=60).json()
    assert len(marks) == len(data["marks"]) > 3
    assert {unescape(href) for href, _ in marks} == {m["place"].removeprefix("https://example.org")
                                                     for m in data["marks"]}
    assert {precision for _, precision in marks} >= {"city", "country"}
    country = next(href for href, precision in marks if precision == "country")
    assert 'class="events"' in svg and 'class="claims"' in svg
    page = requests.get(server + unescape(country), headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "<h1" in page.text
    assert any(m["claims"] for m in data["marks"]) and any(m["events"] for m in data["marks"])
    assert data["unlocated"], "places without a point are listed, not drawn"
    assert 'href="/map"' in html and "<script>" not in svg


def test_a_place_name_is_shown_as_text(server):
    html = requests.get(f"{server}/map", headers={"Accept": "text/html"}, timeout=60).text
    assert MARKUP_LABEL not in html and "<b onmouseover" not in html
    assert "&lt;b onmouseover=&#34;x()&#34;&gt;Fort &amp; &#34;Co&#34;&lt;/b&gt;" in html
    data = requests.get(f"{server}/map.json", timeout=60).json()
    assert any(m["label"] == MARKUP_LABEL for m in data["marks"])


def test_state_and_kind_narrow_the_map(server):
    everything = requests.get(f"{server}/map.json", timeout=60).json()
    killed = requests.get(f"{server}/map.json", params={"kind": "KILLED"}, timeout=60).json()
    assert sum(m["claims"] for m in killed["marks"]) < sum(m["claims"] for m in everything["marks"])
    assert sum(m["events"] for m in killed["marks"]) == sum(m["events"] for m in everything["marks"])
    by_code = requests.get(f"{server}/map.json", params={"state": "ukr"}, timeout=60).json()
    by_iri = requests.get(f"{server}/map.json", params={"state": ID_BASE + "state/UKR"}, timeout=60).json()
    assert by_code["marks"] == by_iri["marks"] and 0 < len(by_code["marks"]) < len(everything["marks"])
    assert by_code["extent"] != everything["extent"], "the frame is fitted to the marks shown"
    rows_csv = list(csv.DictReader(io.StringIO(requests.get(f"{server}/map.csv", params={"state": "UKR"},
                                                            timeout=60).text)))
    assert [r["place"] for r in rows_csv] == [m["place"] for m in by_code["marks"] + by_code["unlocated"]]


@pytest.mark.parametrize("query, status, message", [
    ("state=XYZ", 400, "no state with the ISO 3166 code 'XYZ'"),
    ("state=not%20an%20iri", 400, "is not an absolute IRI"),
    (f"state={ID_BASE}place/nowhere", 400, "is not a state of the graph"),
    ("kind=eaten", 400, "no count kind 'eaten'; the kinds are"),
    ("kind=killed&kind=wounded", 400, "give the parameter 'kind' once"),
    ("colour=red", 400, "unknown parameter 'colour'"),
    ("state=%3Cscript%3E", 400, "not an absolute IRI"),
])
def test_bad_parameters_get_a_400_that_says_why(server, query, status, message):
    answer = requests.get(f"{server}/map?{query}", timeout=30)
    assert answer.status_code == status and message in answer.text, answer.text
    assert answer.headers["Content-Type"].startswith("text/plain")


def test_an_unknown_suffix_is_a_404_and_a_format_is_found_by_accept(server):
    assert requests.get(f"{server}/map.png", timeout=30).status_code == 404
    by_accept = requests.get(f"{server}/map", headers={"Accept": "text/csv"}, timeout=30)
    assert by_accept.headers["Content-Type"].startswith("text/csv") and by_accept.text.startswith("place,label")
