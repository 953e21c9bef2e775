"""One vocabulary: the namespace spelled once, one prefix table, the store's graphs named in one place."""
from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox

from ckg.graph import iris
from ckg.ontology import vocabulary
from ckg.ontology.vocabulary import (CKG, DERIVED_GRAPH, ID_BASE, PREFIXES, ROOT, SPARQL_PREFIXES, derived_graph_of,
                                     document_graph, is_derived_graph, is_document_graph, with_prefixes)

from .conftest import ROOT as SOURCE

SPELLED_ELSEWHERE: dict[str, str] = {}
"""Files that may still spell the namespace, and why (the TTL data files and queries/*.rq declare it as
prefixes, as RDF files do, and are not among the files read here)."""


def test_the_namespace_is_spelled_once():
    spelled = []
    for folder in ("ckg", "graph", "server", "ontology", "tests", "benchmarks"):
        for path in (SOURCE / folder).rglob("*"):
            if path.suffix not in (".py", ".rq", ".html", ".js", ".css") or "data" in path.relative_to(SOURCE).parts:
                continue
            name = str(path.relative_to(SOURCE))
            if name in SPELLED_ELSEWHERE or name == "ontology/vocabulary.py":
                continue
            if ROOT in path.read_text(encoding="utf-8"):
                spelled.append(name)
    assert spelled == []


def test_terms_and_prefixes_come_from_one_table():
    assert CKG.Claim == CKG.term("Claim") == ROOT + "#Claim" and isinstance(CKG.Claim, str)
    assert vocabulary.DCTERMS.title == vocabulary.DCTERMS.term("title"), "a term, not str.title"
    assert PREFIXES["ckg"] == CKG and vocabulary.NAMESPACE == CKG
    assert all(f"PREFIX {name}: <{iri}>" in SPARQL_PREFIXES for name, iri in PREFIXES.items())


def test_a_query_gets_the_prefixes_it_uses_after_its_comments():
    query = ("# who\n# and what\nSELECT ?c WHERE { ?c a ckg:Claim ; ckg:claimedBy/rdfs:label ?l ; ^schema:url ?u ;"
             ' <http://x/owl:y> "skos:no" # oa:no\n }')
    text = with_prefixes(query)
    assert text.startswith("# who\n# and what\nPREFIX ckg:")
    declared = [line.split()[1].rstrip(":") for line in text.splitlines() if line.startswith("PREFIX")]
    assert declared == ["ckg", "rdfs", "schema"]
    assert list(ox.Store().query(text)) == []  # it parses


def test_graph_names_agree_with_the_minted_iris():
    key = iris.document_key("some-article")
    assert iris.document_graph("some-article") == document_graph(iris.base(), key)
    assert iris.document("some-article").endswith("/doc/" + key)
    assert is_document_graph(iris.document_graph("x")) and not is_derived_graph(iris.document_graph("x"))
    assert is_derived_graph(derived_graph_of(iris.document_graph("x")))
    assert not is_document_graph(derived_graph_of(iris.document_graph("x")))
    assert is_derived_graph(DERIVED_GRAPH) and not is_document_graph(DERIVED_GRAPH)
    assert document_graph(ID_BASE, key).startswith(ID_BASE)


WORKER = """
import sys
from pathlib import Path
from ckg.server.app import create_app
from ckg.settings import Settings

app = create_app(Settings(store=Path(sys.argv[1])))
client = app.test_client()
for path in ("/", "/ckg/id/state/PAK", "/ckg/id/state/PAK.ttl", "/documents.json", "/api/queries", "/sparql"):
    assert client.get(path, headers={"Accept": "text/html"}).status_code == 200, path
app.extensions["ckg.executor"].stop()
loaded = [name for name in ("spacy", "ckg.graph.build", "ckg.graph.extract", "ckg.graph.parallel") if name in sys.modules]
print(",".join(loaded))
"""


def test_a_web_worker_imports_neither_spacy_nor_the_build(seed_store):
    done = subprocess.run([sys.executable, "-c", WORKER, str(seed_store)], capture_output=True, text=True,
                          timeout=300, cwd=SOURCE)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == ""
