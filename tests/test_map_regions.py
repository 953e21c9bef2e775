"""Region marks: an event placed at a province is drawn on the map at the province's representative
point (its largest city, ontology/kbgen.py), marked as a region, and given in GeoJSON with that precision.

A store built from seeds/ with the real knowledge base; one event written into it at a province the
graph gives a point (picked by query, none hard-coded); `ckg serve` on a loopback port, real HTTP,
GDAL's ogr2ogr reading the GeoJSON, Chromium for the drawn mark and its legend.
"""
from __future__ import annotations

import re
from html import unescape

import pyoxigraph as ox
import pytest
import requests
from geojson_pydantic import FeatureCollection

from ckg.graph import snapshots
from ckg.graph.build import build
from ckg.graph.store import Store
from ckg.ontology.vocabulary import CKG, ID_BASE, RDF, RDFS
from ckg.server.http.iri_paths import local_path

from .conftest import ROOT
from .live import serving
from .test_editor_browser import browser, offline_page  # noqa: F401  (fixture)
from .test_map import ogr_rows
from .test_seed_graph import rows

EVENT = ID_BASE + "event/test/in-a-province"


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("map-regions")
    with Store.open(path) as s:
        assert build([ROOT / "seeds"], s).failures == []
    with Store.open(path, read_only=True) as s:  # a province with a point that no event took place at yet
        province, label, wkt = rows(s, """SELECT ?p ?l ?wkt WHERE {
            ?p a ckg:Province ; rdfs:label ?l ; geo:hasGeometry/geo:asWKT ?wkt
            FILTER NOT EXISTS { ?e ckg:tookPlaceAt ?p } } ORDER BY ?p LIMIT 1""")[0]
    with snapshots.writing(path) as s:
        s.put_graph(ID_BASE + "graph/test/in-a-province", [
            (ox.NamedNode(EVENT), ox.NamedNode(RDF.type), ox.NamedNode(CKG.ViolentEvent)),
            (ox.NamedNode(EVENT), ox.NamedNode(RDFS.label), ox.Literal("a clash in the province", language="en")),
            (ox.NamedNode(EVENT), ox.NamedNode(CKG.tookPlaceAt), ox.NamedNode(province))])
    lon, lat = map(float, re.search(r"POINT\s*\(([-\d.]+) ([-\d.]+)\)", wkt).groups())
    return {"path": path, "province": province, "label": label, "point": (lon, lat)}


@pytest.fixture(scope="module")
def server(world):
    yield from serving(world["path"])


def test_provinces_have_representative_points_in_the_store(world):
    with Store.open(world["path"], read_only=True) as s:
        [[located, total]] = rows(s, """SELECT (COUNT(DISTINCT ?w) AS ?n) (COUNT(DISTINCT ?p) AS ?all) WHERE {
            ?p a ckg:Province OPTIONAL { ?p geo:hasGeometry/geo:asWKT ?wkt BIND (?p AS ?w) } }""")
    assert int(total) > 1000 and int(located) > int(total) // 2, "most provinces have a point"


def test_an_event_at_a_province_is_a_region_mark_on_the_map_and_in_geojson(world, server, tmp_path):
    data = requests.get(server + "/map.json", timeout=60).json()
    [mark] = [m for m in data["marks"] if m["place"] == world["province"]]
    assert mark["precision"] == "region" and mark["events"] == 1
    assert (mark["longitude"], mark["latitude"]) == pytest.approx(world["point"], abs=1e-6)
    assert world["label"] not in [m["label"] for m in data["unlocated"]]

    html = requests.get(server + "/map", headers={"Accept": "text/html"}, timeout=60).text
    svg = html[html.index('<svg class="map"'):html.index("</svg>")]
    drawn = re.findall(r'<a href="([^"]+)" class="mark (\w+)">', svg)
    assert (local_path(world["province"]), "region") in [(unescape(href), kind) for href, kind in drawn]
    legend = html[html.index('<svg class="map-legend"'):]
    assert '<g class="mark region">' in legend and ">region</text>" in legend, "the legend names the region mark"

    answer = requests.get(server + "/map.geojson", timeout=60)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/geo+json")
    collection = FeatureCollection.model_validate(answer.json())
    [feature] = [f for f in collection.features if f.properties["placeIri"] == world["province"]]
    assert feature.properties["precision"] == "region"
    assert tuple(feature.geometry.coordinates) == pytest.approx(world["point"], abs=1e-6)
    [read] = [r for r in ogr_rows(tmp_path, answer.content) if r["placeIri"] == world["province"]]
    assert read["precision"] == "region" and float(read["X"]) == pytest.approx(world["point"][0], abs=1e-4)


def test_in_a_browser_the_region_mark_is_drawn_pale_and_dashed_with_its_legend(browser, world, server):  # noqa: F811
    page, outside = offline_page(browser, server)
    page.goto(server + "/map")
    mark = page.locator(f'svg.map a.mark.region[href="{local_path(world["province"])}"] circle.events')
    assert mark.count() == 1 and mark.is_visible()
    assert mark.evaluate("c => getComputedStyle(c).strokeDasharray") not in ("", "none")
    assert float(mark.evaluate("c => getComputedStyle(c).fillOpacity")) < 0.5
    assert page.locator("svg.map-legend g.mark.region circle").is_visible(), "the legend shows the region mark"
    mark.click()
    page.wait_for_load_state()
    assert world["label"] in page.locator("h1").first.inner_text()
    assert outside == []
    page.close()
