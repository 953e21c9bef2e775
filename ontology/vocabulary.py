"""The project's names: its namespace, the prefixes it writes, its graphs.

Modelled on rdflib's namespace package: each namespace is spelled here once, as a
``Namespace`` whose attributes are its terms (``CKG.Claim``); ``PREFIXES`` binds them to
the prefixes every serialisation and every query uses; the graphs of the store are named
here too, so that the build that writes them and the server that shows them agree. Nothing
here imports the rest of the project: every layer may read it.
"""
from __future__ import annotations

import re

ROOT = "https://example.org/ckg"
"""The one spelling of the project's IRI space; every IRI below is made from it."""


class Namespace(str):
    """A namespace IRI whose attributes are the IRIs of its terms (as plain strings).

    ``CKG.Claim`` and ``CKG.term("Claim")`` are ``"https://example.org/ckg#Claim"``; a
    string, not an rdflib or pyoxigraph term, so any library can take it. A term named like a
    method of ``str`` (``count``, ``index``) is ``term("count")``; ``title`` is the term.
    """

    __slots__ = ()

    def term(self, name: str) -> str:
        return str(self) + name

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return str(self) + name

    @property
    def title(self) -> str:  # a method of str, and a term of Dublin Core (as rdflib's Namespace has it)
        return str(self) + "title"


# ---------------------------------------------------------------- namespaces
ONTOLOGY_IRI = ROOT
VERSION_IRI = ROOT + "/0.1.0"
"""The ontology's ``owl:versionIRI`` (ontology/ckg.ttl)."""
CKG = Namespace(ROOT + "#")
NAMESPACE = str(CKG)
ID_BASE = ROOT + "/id/"
"""Where minted data and the knowledge base live, unless a build is given another base IRI."""
SHAPES = Namespace(ROOT + "/shapes#")
INDEX = Namespace(ROOT + "/index#")
"""Terms of the store's index graphs: written by the build for queries to start from; in no ontology."""
DAY_BASE = ROOT + "/index/day/"
"""Where the day index names each UTC day (``…/index/day/2026-02-26``)."""

RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
CAMEO = Namespace("http://gdelt.org/cameo/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
SHACL = Namespace("http://www.w3.org/ns/shacl#")
SPARQL_RESULTS = Namespace("http://www.w3.org/2005/sparql-results#")

PREFIXES: dict[str, str] = {
    "ckg": CKG, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS, "prov": PROV, "oa": OA,
    "org": ORG, "schema": SCHEMA, "dcterms": DCTERMS, "foaf": FOAF, "geo": GEO, "cameo": CAMEO,
    "void": VOID, "dcat": DCAT, "sd": SD,
}
"""The prefixes the project writes and reads: Turtle, TriG and RDF/XML output, SPARQL, the editor."""


def _prefix_lines(names, style: str) -> str:
    if style == "turtle":
        return "".join(f"@prefix {name}: <{PREFIXES[name]}> .\n" for name in names)
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in names)


SPARQL_PREFIXES = _prefix_lines(PREFIXES, "sparql")
"""Every prefix as a SPARQL ``PREFIX`` header, to put before a query's text."""
TURTLE_PREFIXES = _prefix_lines(PREFIXES, "turtle")
"""Every prefix as Turtle ``@prefix`` lines, to put before Turtle text."""


_NOT_NAMES = re.compile(r'<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
"""IRIs, strings and comments: where a prefixed name is not one."""


def used_prefixes(text: str) -> list[str]:
    """The prefixes of ``PREFIXES`` that a query or Turtle text writes names with (``rdfs:label``)."""
    names = _NOT_NAMES.sub(" ", text)
    return [name for name in PREFIXES if re.search(rf"(?<![\w.:-]){name}:", names)]


def with_prefixes(query: str) -> str:
    """The query with ``PREFIX`` lines for the prefixes it uses, after its leading comment lines.

    So a query file stays short and readable, and still runs (and reads) on its own in the editor."""
    lines = query.splitlines(keepends=True)
    head = 0
    while head < len(lines) and lines[head].lstrip().startswith("#"):
        head += 1
    body = "".join(lines[head:])
    return "".join(lines[:head]) + _prefix_lines(used_prefixes(body), "sparql") + body


# ---------------------------------------------------------------- the store's graphs
GRAPH_BASE = ROOT + "/graph/"
"""Where the store's fixed graphs are named (document graphs live under the minting base)."""


def graph(name: str) -> str:
    """The IRI of a fixed graph of the store (``graph("derived")``)."""
    return GRAPH_BASE + name


ONTOLOGY_GRAPH = graph("ontology")
KNOWLEDGE_BASE_GRAPH = graph("knowledge-base")
ACTORS_GRAPH = graph("actors")
GEOMETRY_GRAPH = graph("geometry")
SOURCE_GRAPHS = (ONTOLOGY_GRAPH, KNOWLEDGE_BASE_GRAPH, ACTORS_GRAPH, GEOMETRY_GRAPH)
"""The graphs loaded from the ontology's files, in the order the build loads them."""
DERIVED_SUFFIX = "/derived"
DERIVED_GRAPH = graph("derived")
"""Facts across documents: contradictions, corroborations, denials."""
KNOWLEDGE_DERIVED_GRAPH = KNOWLEDGE_BASE_GRAPH + DERIVED_SUFFIX
"""The closure of the ontology and knowledge bases."""
IDENTITY_GRAPH = graph("identities")
"""owl:sameAs between a person's name forms, and the facts copied onto the fullest (graph.identity)."""
DAY_INDEX_GRAPH = graph("days")
"""Each UTC day the store's begin times and publication dates fall on, with those instants (graph.days)."""
VERDICTS_GRAPH = graph("verdicts")
"""Analysts' verdicts on claims (ckg:Assessment): written by analysts, never replaced by a build."""
META_GRAPH = graph("meta")
"""Each graph's fingerprint: what the build compares to skip unchanged inputs."""
FINGERPRINT = CKG.fingerprint
STORE_STAMP = graph("store")
"""Its fingerprint in the metadata graph is when a remote store was last built or written (ns since the
epoch): what a server's answers from that store are named by, as snapshots name an embedded store's."""
DOCUMENT_GRAPHS = "graph/doc/"
"""Under a minting base, where each document's graph is named."""


def document_graph(base: str, key: str) -> str:
    """The graph of one document: ``{base}graph/doc/{key}`` (the key is minted by graph.iris)."""
    return f"{base}{DOCUMENT_GRAPHS}{key}"


def derived_graph_of(graph_iri: str) -> str:
    """The graph that holds the closure of one graph's triples."""
    return graph_iri + DERIVED_SUFFIX


def is_derived_graph(graph_iri: str) -> bool:
    """Whether a graph holds derived facts (closure, contradictions), not what a source said."""
    return graph_iri.endswith(DERIVED_SUFFIX)


def is_document_graph(graph_iri: str) -> bool:
    """Whether a graph holds what one document said (its derived graph not included)."""
    return f"/{DOCUMENT_GRAPHS}" in graph_iri and not is_derived_graph(graph_iri)
