"""Downloads (/dump) and the dataset's description (/.well-known/void): every file parses with
rapper and rdflib and holds what the store holds (asked of the application in this process);
concurrent first downloads and an update under a running server, over real HTTP."""
from __future__ import annotations

import gzip

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib.compare import isomorphic

from ckg.ontology import vocabulary

from .live import serving
from .rdf_checks import RDFLIB_NAMES, rapper_count, same_dataset, size, store_dataset, store_graph

DERIVED = vocabulary.DERIVED_GRAPH
VOID = rdflib.Namespace(vocabulary.VOID)
DCAT = rdflib.Namespace(vocabulary.DCAT)
CKG = vocabulary.CKG
ROOT_URL = "http://localhost"
"""Where the test client's requests go: the addresses the server writes into pages and VoID."""
EXTENSIONS = {"nq": "nq", "trig": "trig", "ttl": "ttl", "nt": "nt", "jsonld": "jsonld", "rdf": "rdfxml"}
VOID_FORMATS = {"text/turtle": ("ttl", "ttl"), "application/n-triples": ("nt", "nt"),
                "application/ld+json": ("jsonld", "jsonld"), "application/rdf+xml": ("rdf", "rdfxml")}


def fetch_dump(client, name: str, tmp_path) -> bytes:
    response = client.get(f"/dump/{name}")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/gzip"
    assert response.headers["Content-Disposition"] == f"attachment; filename={name.replace('/', '-')}"
    assert response.data[:2] == b"\x1f\x8b"
    return gzip.decompress(response.data)


def store_size(seed_store) -> int:
    store = ox.Store.read_only(str(seed_store))
    return len(store)


def test_the_listing_offers_every_format_of_the_whole_dataset_and_of_each_graph(client, seed_store):
    listed = client.get("/dump.json")
    assert listed.status_code == 200 and listed.headers["Content-Type"] == "application/json"
    dumps = listed.json
    whole = dumps[0]
    assert whole["graph"] is None and whole["triples"] == store_size(seed_store)
    assert [d["name"] for d in whole["downloads"]] == [f"all.{e}.gz" for e in EXTENSIONS]
    graphs = {d["graph"] for d in dumps[1:]}
    store = ox.Store.read_only(str(seed_store))
    assert graphs == {g.value for g in store.named_graphs()}
    derived = next(d for d in dumps if d["graph"] == DERIVED)
    assert derived["triples"] == len(store_graph(seed_store, DERIVED))
    assert "graph/ckg/graph/derived.ttl.gz" in [f["name"] for f in derived["downloads"]]
    page = client.get("/dump", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert 'href="' + ROOT_URL + '/dump/all.nq.gz"' in page.text and DERIVED in page.text


def test_the_whole_dataset_as_n_quads_is_the_store(client, seed_store, tmp_path):
    body = fetch_dump(client, "all.nq.gz", tmp_path)
    path = tmp_path / "all.nq"
    path.write_bytes(body)
    expected = store_dataset(seed_store)
    assert rapper_count(path, "nq") == size(expected)
    assert same_dataset(rdflib.Dataset().parse(data=body, format="nquads"), expected)


@pytest.mark.parametrize("extension", ["trig", "ttl", "nt", "jsonld", "rdf"])
def test_every_other_format_of_the_whole_dataset(client, seed_store, tmp_path, extension):
    fmt = EXTENSIONS[extension]
    body = fetch_dump(client, f"all.{extension}.gz", tmp_path)
    path = tmp_path / f"all.{extension}"
    path.write_bytes(body)
    if fmt != "jsonld":  # raptor reads no JSON-LD: rdflib below does
        assert rapper_count(path, fmt) >= store_size(seed_store) - 100  # a merge: the same triple in two graphs is one
    if fmt == "jsonld":
        parsed = rdflib.Graph().parse(data=body, format="json-ld")
        assert isomorphic(parsed, store_graph(seed_store))


def test_one_graph_downloads_alone_and_the_listing_then_gives_its_size(client, seed_store, tmp_path):
    body = fetch_dump(client, "graph/ckg/graph/derived.ttl.gz", tmp_path)
    path = tmp_path / "derived.ttl"
    path.write_bytes(body)
    expected = store_graph(seed_store, DERIVED)
    assert rapper_count(path, "ttl") == len(expected) > 0
    assert isomorphic(rdflib.Graph().parse(data=body, format="turtle"), expected)
    quads = fetch_dump(client, "graph/ckg/graph/derived.nq.gz", tmp_path)
    dataset = rdflib.Dataset().parse(data=quads, format="nquads")
    assert {str(g) for _, _, _, g in dataset.quads((None, None, None, None))} == {DERIVED}
    listed = client.get("/dump.json").json
    derived = next(d for d in listed if d["graph"] == DERIVED)
    sizes = {f["name"]: f["bytes"] for f in derived["downloads"]}
    head = client.head("/dump/graph/ckg/graph/derived.ttl.gz")
    assert sizes["graph/ckg/graph/derived.ttl.gz"] == int(head.headers["Content-Length"]) > 0
    assert sizes["graph/ckg/graph/derived.trig.gz"] is None, "a file not downloaded yet is not made"


@pytest.mark.parametrize("name, says", [
    ("all.csv.gz", "no such dump format '.csv'"), ("all.nq", "ask for /dump/all.nq.gz"),
    ("everything.nq.gz", "no dump named 'everything'"), ("graph/ckg/graph/nowhere.nq.gz", "no graph at /ckg/graph/nowhere"),
    ("graph/..%2F..%2Fetc/passwd.nq.gz", "no graph at")])
def test_an_unknown_dump_is_a_404_that_says_what_exists(client, name, says):
    response = client.get(f"/dump/{name}")
    assert response.status_code == 404 and says in response.text and "/dump" in response.text
    assert client.get("/dump.json").status_code == 200, "the server keeps serving"


def test_a_listing_in_another_format_is_a_404(client):
    response = client.get("/dump.xml")
    assert response.status_code == 404 and ".json" in response.text


@pytest.fixture(scope="module")
def void_graph(client) -> rdflib.Graph:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    assert "Accept" in response.headers["Vary"]
    return rdflib.Graph().parse(data=response.data, format="turtle")


@pytest.mark.parametrize("media_type", list(VOID_FORMATS))
def test_the_void_description_in_every_format_by_accept_and_by_suffix(client, void_graph, tmp_path, media_type):
    suffix, fmt = VOID_FORMATS[media_type]
    by_accept = client.get("/.well-known/void", headers={"Accept": media_type})
    by_suffix = client.get(f"/.well-known/void.{suffix}")
    by_parameter = client.get("/.well-known/void", query_string={"format": fmt})
    for response in (by_accept, by_suffix, by_parameter):
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(media_type)
        parsed = rdflib.Graph().parse(data=response.data, format=RDFLIB_NAMES[fmt])
        assert isomorphic(parsed, void_graph)
    if fmt != "jsonld":
        path = tmp_path / f"void.{suffix}"
        path.write_bytes(by_accept.data)
        assert rapper_count(path, fmt) == len(void_graph)


def test_the_void_numbers_are_the_stores(client, void_graph, seed_store):
    dataset = rdflib.URIRef(ROOT_URL + "/.well-known/void#dataset")
    assert (dataset, rdflib.RDF.type, VOID.Dataset) in void_graph and (dataset, rdflib.RDF.type, DCAT.Dataset) in void_graph
    assert int(void_graph.value(dataset, VOID.triples)) == store_size(seed_store)
    store = ox.Store.read_only(str(seed_store))
    claims = len({q.subject for q in store.quads_for_pattern(None, ox.NamedNode(
        vocabulary.RDF.type), ox.NamedNode(CKG.QuantityClaim))})
    partitions = {void_graph.value(p, VOID["class"]): int(void_graph.value(p, VOID.entities))
                  for p in void_graph.objects(dataset, VOID.classPartition)}
    assert partitions[rdflib.URIRef(CKG + "QuantityClaim")] == claims > 0
    by_property = {void_graph.value(p, VOID.property): int(void_graph.value(p, VOID.triples))
                   for p in void_graph.objects(dataset, VOID.propertyPartition)}
    assert sum(by_property.values()) == store_size(seed_store)
    assert by_property[rdflib.URIRef(CKG + "claimedBy")] == sum(
        1 for _ in store.quads_for_pattern(None, ox.NamedNode(CKG + "claimedBy"), None, None))
    assert int(void_graph.value(dataset, VOID.classes)) == len(partitions)
    assert str(void_graph.value(dataset, VOID.uriSpace)) == vocabulary.ID_BASE
    assert int(void_graph.value(dataset, VOID.entities)) > claims
    assert void_graph.value(dataset, rdflib.DCTERMS.license) is not None
    examples = list(void_graph.objects(dataset, VOID.exampleResource))
    assert examples and all(client.get("/resource", query_string={"iri": str(e)}, headers={
        "Accept": "text/turtle"}).status_code == 200 for e in examples)


def test_the_void_addresses_answer(client, void_graph):
    dataset = rdflib.URIRef(ROOT_URL + "/.well-known/void#dataset")
    sparql = void_graph.value(dataset, VOID.sparqlEndpoint)
    asked = client.get(str(sparql), query_string={"query": "ASK { ?s ?p ?o }"},
                         headers={"Accept": "application/sparql-results+json"})
    assert asked.status_code == 200 and asked.json["boolean"] is True
    dumps = set(void_graph.objects(dataset, VOID.dataDump))
    assert dumps == set(void_graph.objects(dataset, DCAT.distribution)) and len(dumps) == 6
    media = {str(void_graph.value(d, DCAT.mediaType)) for d in dumps}
    assert "https://www.iana.org/assignments/media-types/application/n-quads" in media
    nquads = next(d for d in dumps if str(d).endswith(".nq.gz"))
    downloaded = client.get(str(void_graph.value(nquads, DCAT.downloadURL)))
    assert downloaded.status_code == 200 and downloaded.data[:2] == b"\x1f\x8b"
    again = client.get("/.well-known/void.ttl")
    described = rdflib.Graph().parse(data=again.data, format="turtle")
    assert int(described.value(nquads, DCAT.byteSize)) == len(downloaded.data), "a made file's size is stated"


@pytest.mark.parametrize("query, status, says", [("?format=csv", 400, "unknown format 'csv'"),
                                                 (".nq", 404, "available as .ttl")])
def test_bad_void_requests(client, query, status, says):
    response = client.get("/.well-known/void" + query)
    assert response.status_code == status and says in response.text
    refused = client.get("/.well-known/void", headers={"Accept": "image/png"})
    assert refused.status_code == 406 and "text/turtle" in refused.text


def test_a_browser_gets_the_description_as_a_page_with_the_same_numbers(client, void_graph):
    page = client.get("/.well-known/void", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "script-src 'self';" in page.headers["Content-Security-Policy"], "no script but the server's own files"
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    dataset = rdflib.URIRef(ROOT_URL + "/.well-known/void#dataset")
    assert f"{int(void_graph.value(dataset, VOID.triples)):,}" in page.text
    assert 'href="/ckg#QuantityClaim"' in page.text, "a class links to its section of the ontology's documentation"
    assert client.get("/.well-known/void.html").text == page.text


def test_two_clients_asking_for_a_new_dump_at_once_get_the_same_file(live):
    from concurrent.futures import ThreadPoolExecutor

    url = f"{live}/dump/graph/ckg/graph/knowledge-base.nt.gz"
    with ThreadPoolExecutor(4) as pool:
        bodies = list(pool.map(lambda _: requests.get(url, timeout=300), range(4)))
    assert all(b.status_code == 200 for b in bodies)
    assert len({b.content for b in bodies}) == 1 and len(gzip.decompress(bodies[0].content).splitlines()) > 1000


def test_after_an_update_the_dumps_and_the_description_follow_the_new_snapshot(seed_store, tmp_path):
    import shutil

    store = tmp_path / "store"
    shutil.copytree(seed_store, store)
    added = f"<{vocabulary.ID_BASE}test/added> <{vocabulary.RDFS.label}> \"added\" ."
    for endpoint in serving(store, "--update-token", "secret"):
        before = gzip.decompress(requests.get(endpoint + "/dump/all.nt.gz", timeout=300).content)
        void_before = rdflib.Graph().parse(data=requests.get(endpoint + "/.well-known/void.ttl", timeout=60).content,
                                           format="turtle")
        update = requests.post(endpoint + "/sparql", data=f"INSERT DATA {{ GRAPH <https://example.org/g> {{ {added} }} }}",
                               headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer secret"},
                               timeout=60)
        assert update.status_code in (200, 204), update.text
        after = gzip.decompress(requests.get(endpoint + "/dump/all.nt.gz", timeout=300).content)
        assert added.encode() not in before and added.encode() in after
        void_after = rdflib.Graph().parse(data=requests.get(endpoint + "/.well-known/void.ttl", timeout=60).content,
                                          format="turtle")
        dataset = rdflib.URIRef(endpoint + "/.well-known/void#dataset")
        assert int(void_after.value(dataset, VOID.triples)) == int(void_before.value(dataset, VOID.triples)) + 1
    dumps = sorted(p.name for p in store.with_name("store.dumps").iterdir() if p.is_dir())
    assert len(dumps) == 2, "one folder of files per snapshot"
