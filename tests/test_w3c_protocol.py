"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol test suites, run against the live server.

The manifests come from ../shared/w3c-sparql11-tests (not copied here). The server runs
with updates enabled on a scratch store; every request carries the update token and the
test's own Host, and is sent exactly as written (raw bodies, the UTF-16 one included).
"""
from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
import rdflib
import requests
from rdflib.compare import isomorphic

from ckg.graph.store import Store
from ckg.ontology.vocabulary import SPARQL_RESULTS

from . import w3c
from .conftest import SHARED, require
from .live import serving

SUITES = SHARED / "w3c-sparql11-tests" / "sparql11"
TOKEN = "w3c-suite-token"
MANIFESTS = {"protocol": ["protocol/manifest.ttl"],
             "graph-store": ["graph-store-protocol/manifest-direct.ttl", "graph-store-protocol/manifest-indirect.ttl"]}
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
             "application/ld+json": "json-ld", "text/plain": "nt"}
RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}


def collect() -> list:
    if not SUITES.is_dir():
        return [pytest.param(None, None, id="suite-missing")]
    return [pytest.param(suite, test, id=f"{suite}:{test.iri.rsplit('#', 1)[-1]}")
            for suite, files in MANIFESTS.items() for name in files for test in w3c.load(SUITES / name)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("w3c-scratch")
    Store.open(path).close()
    yield from serving(path, "--update-token", TOKEN, "--workers", "2")


def local_path(suite: str, path: str) -> str:
    """The manifests' paths start with /sparql/ or /gsp; ours are /sparql and /store."""
    if suite == "protocol":
        return re.sub(r"^/sparql/?", "/sparql", path)
    return re.sub(r"^/gsp", "/store", path)


def boolean_of(response: requests.Response) -> bool:
    media = response.headers["Content-Type"].split(";")[0]
    if media.endswith("json"):
        return json.loads(response.content)["boolean"]
    element = ET.fromstring(response.content).find("{" + SPARQL_RESULTS + "}boolean")
    return element.text.strip() == "true"


def graph_of(body: bytes | str, media: str, base: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body, format=RDF_TYPES[media], publicID=base)


def check(response: requests.Response, expected: w3c.Expected, base: str) -> None:
    what = f"{response.request.method} {response.request.url} → {response.status_code}: {response.text[:300]}"
    assert expected.accepts(response.status_code), what
    media = response.headers.get("Content-Type", "").split(";")[0].strip()
    if expected.fmt == "boolean":
        assert media in RESULT_TYPES - {"text/csv", "text/tab-separated-values"}, what
        if expected.boolean is not None:
            assert boolean_of(response) is expected.boolean, what
    elif expected.fmt == "tabular":
        assert media in RESULT_TYPES, what
    elif expected.fmt == "RDF":
        assert media in RDF_TYPES, what
        graph_of(response.content, media, base)
    if "content-type" in expected.headers:
        want = expected.headers["content-type"].replace(" ", "").lower()
        assert response.headers["Content-Type"].replace(" ", "").lower() == want, what
    if expected.body is not None:
        assert isomorphic(graph_of(response.content, media, base), graph_of(expected.body, media, base)), what


@pytest.mark.parametrize("suite,test", collect())
def test_w3c(server, suite, test):
    require(test is not None, f"the W3C test suites are not at {SUITES}")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    reset = requests.post(server + "/sparql", data={"update": "DROP ALL"}, headers=auth, timeout=30)
    assert reset.status_code == 204, reset.text
    for name, data in test.graph_data:
        loaded = requests.put(server + "/store", params={"graph": name}, data=data.read_bytes(),
                              headers={**auth, "Content-Type": "application/n-triples"}, timeout=30)
        assert loaded.status_code in (201, 204), loaded.text
    variables: dict[str, str] = {}
    for request in test.requests:
        path, body = local_path(suite, request.path), request.body
        for variable, value in variables.items():
            path = path.replace(variable, value)
            body = body.replace(variable.encode(), value.encode()) if body is not None else None
        headers = {**request.headers, **auth, "Host": test.authority}
        response = requests.request(request.method, server + path, headers=headers, data=body,
                                    allow_redirects=False, timeout=60)
        check(response, request.expected, f"http://{test.authority}{path}")
        if request.expected.location_variable:
            location = response.headers["Location"]
            variables[request.expected.location_variable] = location
            assert urlsplit(location).path.startswith("/store/")
