"""Hostile input for every surface of ckg, and what every answer to it must be.

Generators (Hypothesis strategies) for SPARQL queries and updates built from a small grammar
and then damaged, RDF bodies for the Graph Store, raw HTTP requests and documents for the
build; senders that put each on the wire of a live server; ``verdict``, the property an
answer must hold. ``tests/test_fuzz.py`` runs them bounded and derandomised;
``benchmarks/fuzz.py`` runs them for longer and counts. Traffic goes to 127.0.0.1 only.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import requests
from hypothesis import strategies as st

from ckg.ontology.vocabulary import DERIVED_GRAPH, ID_BASE

EX = "https://test.example/"
TOKEN = "fuzz token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GRAPHS = (f"{EX}g/base", f"{EX}g/odd", DERIVED_GRAPH)
PROBE = "ASK {}"

# ---------------------------------------------------------------------------------------------
# The store every live fuzz server reads: small, so that a generated join ends within the limit.


def small_store(path: Path) -> Path:
    """300 linked nodes and a graph of odd literals: enough for joins, paths and filters to have
    something to find, small enough that most generated queries end well within the time limit."""
    from ckg.graph.store import Store

    next_ = ox.NamedNode(f"{EX}next")
    odd = [ox.Literal("plain"), ox.Literal("été", language="fr"), ox.Literal("line\nbreak \"quoted\""),
           ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
           ox.Literal("\U0001F600\u202e\u0000"), ox.Literal("x" * 2000)]
    with Store.open(path) as store:
        store.put_graph(GRAPHS[0], [(ox.NamedNode(f"{EX}n/{i}"), next_, ox.NamedNode(f"{EX}n/{i + 1}"))
                                    for i in range(300)])
        store.put_graph(GRAPHS[1], [(ox.NamedNode(f"{EX}n/{i}"), ox.NamedNode(f"{EX}label"), literal)
                                    for i, literal in enumerate(odd)])
    return path


# ---------------------------------------------------------------------------------------------
# Text pieces shared by the grammars.

ODD_CHARACTERS = st.sampled_from([
    "\u0000", "\u0001", "\t", "\n", "\r", "\u007f", "\u0085", "\u00a0", "\u00e9", "\u2028", "\u202e", "\u200b",
    "\ufeff", "\ufffd", "\uffff", "\U0001F600", "\U0010FFFF", "\\", "\"", "'", "<", ">", "{", "}", "#", "%", "?",
    "\u0301", "\u05d0", "\u0627", "\u4e2d", "\U0001D400"])
"""Characters that tend to break readers: controls, separators, bidi overrides, escapes, quotes,
combining marks, astral planes."""

odd_text = st.lists(st.one_of(ODD_CHARACTERS, st.characters(exclude_categories=("Cs",)),
                              st.sampled_from(["a", "b", " ", "é"])), max_size=24).map("".join)
"""Short text of which any character may be an odd one (never a lone surrogate: it cannot be UTF-8)."""


def mostly(common: st.SearchStrategy, rare: st.SearchStrategy, one_in: int = 4) -> st.SearchStrategy:
    """``rare`` once in ``one_in``, else ``common``: keeps a grammar's output mostly well formed, so
    that the evaluator is reached and not only the parser. (``one_of`` would pick either half the
    time whatever the weights; a middle integer is one Hypothesis draws no more often than the rest.)"""
    return st.integers(0, one_in - 1).flatmap(lambda n: rare if n == one_in // 2 else common)


def mutated(base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``base`` as it is, or (one time in four) damaged the way a careless client or an attacker would."""
    return mostly(base, base.flatmap(_damaged))


def _damaged(text: str) -> st.SearchStrategy[str]:
    cut = st.integers(0, max(0, len(text)))
    return st.one_of(
        cut.map(lambda at: text[:at]),  # truncation
        st.tuples(cut, odd_text).map(lambda c: text[:c[0]] + c[1] + text[c[0]:]),  # insertion
        st.tuples(cut, st.integers(1, 3)).map(lambda c: text[:c[0]] + text[c[0] + c[1]:]),  # deletion
        st.tuples(cut, st.sampled_from("{([<\"'"), st.integers(1, 400)).map(
            lambda c: text[:c[0]] + c[1] * c[2] + text[c[0]:]),  # bracket storm
        st.tuples(st.sampled_from(["{", "(", "[", "{ OPTIONAL {", "{ {} UNION "]), st.integers(50, 3000)).map(
            lambda c: c[0] * c[1] + text),  # deep nesting in front
        st.integers(2, 40).map(lambda n: text * n),  # repetition
    )


# ---------------------------------------------------------------------------------------------
# SPARQL queries from a small grammar.

DECLARED = ("PREFIX ex: <https://test.example/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
            "PREFIX : <urn:x:>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX é: <https://test.example/é/>")
PREFIXES = mostly(st.just(DECLARED), st.lists(st.sampled_from([
    f"PREFIX ex: <{EX}>", "BASE <https://test.example/base/>", "PREFIX ex: <relative/>", "BASE <>",
    "PREFIX : <urn:y:>", "PREFIX xsd: <x:>"]), max_size=3).map(lambda extra: "\n".join([DECLARED, *extra])), one_in=6)
"""The prefixes the grammar's names use; sometimes redeclared, relative, or with a base."""

variables = st.sampled_from(["?s", "?p", "?o", "?x", "$y", "?g", "?été", "?_1", "?z"])

iris = mostly(
    st.one_of(st.sampled_from([f"<{EX}n/1>", f"<{EX}n/2>", f"<{EX}next>", "ex:next", "ex:label", "ex:n\\/1",
                               "ex:n%2F1", ":a", "é:x", "<\\u0068ttps://test.example/next>", "rdfs:label",
                               "a", "<urn:x>", f"<{EX}n/{'9' * 40}>", "<http://127.0.0.1:1/x>"]),
              odd_text.map(lambda t: f"<{EX}{quote(t, safe='')}>")),
    st.one_of(st.sampled_from(["<>", "<#frag>", "undeclared:x", "<a b>", "ex:", "<\\u0000>", '"\\uD800"', '"\\U0011FFFF"']), odd_text.map(lambda t: f"<{EX}{t}>")),
    one_in=25)
"""IRIs written every way SPARQL allows, and some ways it does not."""

literals = st.one_of(
    st.sampled_from(['"plain"', "'single'", '"""long\nstring"""', '"esc\\n\\t\\"\\u00e9\\U0001F600"', '""',
                     '"été"@fr', '"x"@en-GB', '"x"@', '"1"^^xsd:integer', '"abc"^^xsd:integer',
                     '"1e999"^^xsd:double', "1", "-1.5e10", "0.0", "true", "false", "99999999999999999999999",
                     '"2026-02-30"^^xsd:date', '"\\u0000"']),
    odd_text.map(lambda t: json.dumps(t, ensure_ascii=False)), odd_text.map(lambda t: json.dumps(t)))
"""Literals with escapes, language tags, datatypes (some of them wrong) and odd unicode."""

terms = st.one_of(variables, iris, literals, st.sampled_from(["_:b", "[]", "[ ex:next ?o ]", "( 1 ?x )"]))

paths = st.recursive(iris.filter(lambda i: i != "a") | st.just("ex:next"), lambda inner: st.one_of(
    inner.map(lambda p: f"({p})+"), inner.map(lambda p: f"({p})*"), inner.map(lambda p: f"({p})?"),
    inner.map(lambda p: f"^({p})"),
    st.tuples(inner, inner).map(lambda p: f"{p[0]}/{p[1]}"), st.tuples(inner, inner).map(lambda p: f"{p[0]}|{p[1]}"),
    st.just("!(ex:label|^ex:next)"), inner.map(lambda p: f"{p}{{0,3}}")), max_leaves=4)
"""Property paths, including the non-standard {n,m} some stores accept."""

triple = st.tuples(st.one_of(variables, iris), st.one_of(variables, iris, paths), terms).map(" ".join)

FUNCTIONS = ["STR", "LANG", "STRLEN", "UCASE", "LCASE", "ENCODE_FOR_URI", "ABS", "ROUND", "isIRI", "isLiteral",
             "BOUND", "DATATYPE", "SHA256", "MD5", "IRI", "BNODE", "xsd:integer", "xsd:dateTime", "YEAR", "STRUUID"]

expressions = st.recursive(st.one_of(variables, literals, iris), lambda inner: st.one_of(
    st.tuples(st.sampled_from(FUNCTIONS), inner).map(lambda f: f"{f[0]}({f[1]})"),
    st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "=", "!=", "<", ">=", "&&", "||"]), inner).map(
        lambda e: f"({e[0]} {e[1]} {e[2]})"),
    inner.map(lambda e: f"!({e})"),
    st.tuples(inner, inner).map(lambda e: f"CONCAT({e[0]}, {e[1]})"),
    st.tuples(inner, literals).map(lambda e: f"REGEX(STR({e[0]}), {e[1]}, \"i\")"),
    st.tuples(inner, st.integers(-3, 10), st.integers(-3, 10)).map(lambda e: f"SUBSTR(STR({e[0]}), {e[1]}, {e[2]})"),
    st.tuples(inner, inner, inner).map(lambda e: f"IF({e[0]}, {e[1]}, {e[2]})"),
    st.tuples(inner, st.lists(literals, max_size=3)).map(lambda e: f"({e[0]} IN ({', '.join(e[1])}))"),
    st.tuples(inner, inner).map(lambda e: f"COALESCE({e[0]}, {e[1]})"),
    st.just("NOW()"), st.just("RAND()")), max_leaves=6)


def group(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One step of nesting: every way SPARQL combines graph patterns."""
    return st.one_of(
        inner.map(lambda g: f"OPTIONAL {{ {g} }}"),
        st.tuples(inner, inner).map(lambda g: f"{{ {g[0]} }} UNION {{ {g[1]} }}"),
        st.tuples(inner, inner).map(lambda g: f"{g[0]} MINUS {{ {g[1]} }}"),
        st.tuples(st.one_of(variables, st.sampled_from([f"<{g}>" for g in GRAPHS])), inner).map(
            lambda g: f"GRAPH {g[0]} {{ {g[1]} }}"),
        st.tuples(inner, expressions).map(lambda g: f"{g[0]} FILTER ({g[1]})"),
        st.tuples(inner, inner).map(lambda g: f"{g[0]} FILTER NOT EXISTS {{ {g[1]} }}"),
        st.tuples(inner, expressions, variables).map(lambda g: f"{g[0]} BIND ({g[1]} AS {g[2]})"),
        st.tuples(inner, variables, st.lists(st.one_of(literals, iris, st.just("UNDEF")), max_size=4)).map(
            lambda g: f"VALUES {g[1]} {{ {' '.join(g[2])} }} {g[0]}"),
        st.tuples(inner, variables).map(lambda g: f"{{ SELECT {g[1]} WHERE {{ {g[0]} }} LIMIT 5 }}"),
        st.tuples(inner, iris).map(lambda g: f"{g[0]} SERVICE {g[1]} {{ ?a ?b ?c }}"),
        st.tuples(inner, inner).map(lambda g: f"{g[0]} . {g[1]}"))


patterns = st.recursive(st.lists(triple, min_size=1, max_size=2).map(" . ".join), group, max_leaves=5)

modifiers = st.tuples(
    st.one_of(st.just(""), variables.map(lambda v: f"GROUP BY {v}")),
    st.one_of(st.just(""), expressions.map(lambda e: f"ORDER BY ({e})"), variables.map(lambda v: f"ORDER BY DESC({v})")),
    st.one_of(st.just(""), st.integers(-1, 10 ** 20).map(lambda n: f"LIMIT {n}")),
    st.one_of(st.just(""), st.integers(0, 500).map(lambda n: f"OFFSET {n}"))).map(" ".join)

projection = st.one_of(st.just("*"), st.lists(variables, min_size=1, max_size=3).map(" ".join),
                       st.tuples(expressions, variables).map(lambda p: f"({p[0]} AS {p[1]})"),
                       variables.map(lambda v: f"(COUNT(DISTINCT {v}) AS ?n) (SAMPLE({v}) AS ?one)"),
                       variables.map(lambda v: f"(GROUP_CONCAT({v}; SEPARATOR=\"\\u0000\") AS ?all)"))

forms = st.one_of(
    st.tuples(st.sampled_from(["", "DISTINCT ", "REDUCED "]), projection, patterns, modifiers).map(
        lambda q: f"SELECT {q[0]}{q[1]} WHERE {{ {q[2]} }} {q[3]}"),
    patterns.map(lambda g: f"ASK {{ {g} }}"),
    st.tuples(st.lists(triple, max_size=3), patterns).map(
        lambda q: f"CONSTRUCT {{ {' . '.join(q[0])} }} WHERE {{ {q[1]} }} LIMIT 50"),
    st.lists(triple, min_size=1, max_size=2).map(lambda t: f"CONSTRUCT WHERE {{ {' . '.join(t)} }} LIMIT 50"),
    st.tuples(st.one_of(variables, iris), patterns).map(lambda q: f"DESCRIBE {q[0]} WHERE {{ {q[1]} }} LIMIT 5"),
    iris.map(lambda i: f"DESCRIBE {i}"))

queries = mutated(st.tuples(PREFIXES, forms).map("\n".join))
"""SPARQL queries: grammatical ones over the small store, and the same damaged."""

# ---------------------------------------------------------------------------------------------
# SPARQL updates.

graph_refs = mostly(st.sampled_from([f"<{g}>" for g in GRAPHS] + [f"<{EX}g/new>", "<urn:x>", "ex:g"]),
                    st.sampled_from(["<>", "<g>", "_:b", "?g"]), one_in=8)
ground = st.tuples(st.one_of(iris.filter(lambda i: i != "a")), st.sampled_from(["ex:label", f"<{EX}p>", "a"]),
                   st.one_of(iris, literals)).map(" ".join)
data_block = st.tuples(st.lists(ground, max_size=4), st.one_of(st.just(None), graph_refs)).map(
    lambda d: " . ".join(d[0]) if d[1] is None else f"GRAPH {d[1]} {{ {' . '.join(d[0])} }}")

one_update = st.one_of(
    data_block.map(lambda d: f"INSERT DATA {{ {d} }}"),
    data_block.map(lambda d: f"DELETE DATA {{ {d} }}"),
    st.tuples(st.lists(triple, max_size=2), st.lists(triple, max_size=2), patterns).map(
        lambda u: f"DELETE {{ {' . '.join(u[0])} }} INSERT {{ {' . '.join(u[1])} }} WHERE {{ {u[2]} }}"),
    st.tuples(graph_refs, st.lists(triple, min_size=1, max_size=2), patterns).map(
        lambda u: f"WITH {u[0]} INSERT {{ {' . '.join(u[1])} }} WHERE {{ {u[2]} }}"),
    patterns.map(lambda g: f"DELETE WHERE {{ {g} }}"),
    st.tuples(st.sampled_from(["CLEAR", "DROP"]), st.sampled_from(["", "SILENT "]),
              st.one_of(graph_refs.map(lambda g: f"GRAPH {g}"), st.sampled_from(["DEFAULT", "NAMED", "ALL"]))).map(
        lambda u: f"{u[0]} {u[1]}{u[2]}"),
    st.tuples(st.sampled_from(["", "SILENT "]), graph_refs).map(lambda u: f"CREATE {u[0]}GRAPH {u[1]}"),
    st.tuples(st.sampled_from(["ADD", "MOVE", "COPY"]), graph_refs, graph_refs).map(
        lambda u: f"{u[0]} {u[1]} TO {u[2]}"),
    st.tuples(st.sampled_from(["", "SILENT "]),
              st.sampled_from(["<http://127.0.0.1:1/data.ttl>", "<file:///etc/passwd>", "<>", "?x", "ex:data",
                               "<http://[::1]:1/x>", "<\\u0066ile:///etc/hostname>"]),
              st.one_of(st.just(""), graph_refs.map(lambda g: f" INTO GRAPH {g}"))).map(
        lambda u: f"LOAD {u[0]}{u[1]}{u[2]}"))

updates = mutated(st.tuples(PREFIXES, st.lists(one_update, min_size=1, max_size=3)).map(
    lambda u: u[0] + "\n" + " ;\n".join(u[1])))
"""SPARQL updates, one or several separated by ';', and the same damaged."""

# ---------------------------------------------------------------------------------------------
# RDF bodies for the Graph Store.

RDF_TYPES = {"turtle": "text/turtle", "nt": "application/n-triples", "nq": "application/n-quads",
             "rdfxml": "application/rdf+xml", "jsonld": "application/ld+json", "trig": "application/trig"}
OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
              "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG}

node_iris = st.one_of(st.sampled_from([f"{EX}n/1", f"{EX}next", "urn:x", "http://127.0.0.1:1/"]),
                      odd_text.map(lambda t: f"{EX}{quote(t, safe='')}"))
rdf_objects = st.one_of(node_iris.map(ox.NamedNode), odd_text.map(ox.Literal),
                        st.tuples(odd_text, st.sampled_from(["en", "fr-CA", "zh-Hant"])).map(
                            lambda o: ox.Literal(o[0], language=o[1])),
                        st.just(ox.BlankNode("b1")))
rdf_triples = st.lists(st.tuples(node_iris.map(ox.NamedNode), node_iris.map(ox.NamedNode), rdf_objects),
                       max_size=6)

HOSTILE_BODIES = [
    ("rdfxml", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="https://test.example/">'
               '<rdf:Description rdf:about="https://test.example/s"><e:p>&x;</e:p></rdf:Description></rdf:RDF>'),
    ("rdfxml", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaaaaaaaa">'
     + "".join(f'<!ENTITY {chr(98 + i)} "&{chr(97 + i)};&{chr(97 + i)};&{chr(97 + i)};&{chr(97 + i)};">'
               for i in range(12))
     + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="https://test.example/">'
       '<rdf:Description rdf:about="https://test.example/s"><e:p>&m;</e:p></rdf:Description></rdf:RDF>'),
    ("rdfxml", '<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:1/dtd"><rdf:RDF '
               'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'),
    ("jsonld", '{"@context": "http://127.0.0.1:1/context.jsonld", "@id": "https://test.example/s", "p": "o"}'),
    ("jsonld", '{"@context": {"@import": "http://127.0.0.1:1/c"}, "@id": "https://test.example/s"}'),
    ("jsonld", "[" * 5000 + "]" * 5000),
    ("jsonld", '{"@id": "https://test.example/s", "https://test.example/p": ' + '{"@list": [' * 2000
     + "1" + "]}" * 2000 + "}"),
    ("turtle", "@prefix e: <https://test.example/> . e:s e:p " + "[ e:p " * 3000 + "1" + " ]" * 3000 + " ."),
    ("turtle", "@prefix e: <https://test.example/> . e:s e:p " + "( " * 3000 + ")" * 3000 + " ."),
    ("turtle", '@base <file:///etc/> . <passwd> <p> <o> .'),
    ("turtle", "<https://test.example/s> <https://test.example/p> \"\"\"" + "x" * 200_000 + "\"\"\" ."),
    ("nt", "<https://test.example/s> <https://test.example/p> \"\\uD800\" .\n"),
    ("turtle", "\ufeff<https://test.example/s> <https://test.example/p> 1 ."),
]
"""Bodies that attack the parser rather than stumble on it: external and expanding entities, remote
contexts, deep nesting, a huge literal, an escaped lone surrogate."""


def _serialised(triples: list, name: str) -> bytes:
    """The triples in format ``name`` (quads in the default graph for N-Quads and TriG)."""
    quads = [ox.Quad(s, p, o) for s, p, o in triples]
    if OX_FORMATS[name] in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        return ox.serialize(quads, format=OX_FORMATS[name]) or b""
    return ox.serialize([ox.Triple(s, p, o) for s, p, o in triples], format=OX_FORMATS[name]) or b""


@dataclass(frozen=True)
class Body:
    content_type: str
    data: bytes


def _as_body(name: str, data: bytes, content_type: str | None) -> Body:
    return Body(RDF_TYPES[name] if content_type is None else content_type, data)


odd_content_types = st.sampled_from([
    "", "text/plain", "application/octet-stream", "text/turtle; charset=latin-1", "text/turtle;;;",
    "application/rdf+xml; charset=utf-16", "application/json", "multipart/form-data", "*/*", "text/n3",
    "application/x-www-form-urlencoded", "text/turtle\u00e9"])

rdf_bodies = st.one_of(
    st.tuples(st.sampled_from(sorted(RDF_TYPES)), rdf_triples).map(lambda b: Body(RDF_TYPES[b[0]], _serialised(b[1], b[0]))),
    st.tuples(st.sampled_from(sorted(RDF_TYPES)), rdf_triples).flatmap(
        lambda b: mutated(st.just(_serialised(b[1], b[0]).decode("utf-8"))).map(
            lambda text, name=b[0]: Body(RDF_TYPES[name], text.encode("utf-8")))),
    st.tuples(st.sampled_from(sorted(RDF_TYPES)), st.binary(max_size=64)).map(lambda b: Body(RDF_TYPES[b[0]], b[1])),
    st.sampled_from(HOSTILE_BODIES).map(lambda b: Body(RDF_TYPES[b[0]], b[1].encode("utf-8"))),
    st.tuples(odd_content_types, st.sampled_from(sorted(RDF_TYPES)), rdf_triples).map(
        lambda b: Body(b[0], _serialised(b[2], b[1]))))
"""Graph Store bodies: valid in each format, damaged, random bytes, hostile, or mislabelled."""


@dataclass(frozen=True)
class GraphStoreCall:
    method: str
    target: str
    """The path and query string: '/store?graph=…', '/store?default', '/store/…'."""
    body: Body
    authorised: bool = True
    multipart: bool = False


graph_targets = st.one_of(
    st.sampled_from(GRAPHS + (f"{EX}g/new", "urn:x", "relative", "", f"{EX}g/a b", "http://[::1")).map(
        lambda g: f"/store?graph={quote(g, safe='')}"),
    st.sampled_from(["/store?default", "/store", "/store?graph=a&graph=b", "/store?default&graph=urn:x"]),
    odd_text.map(lambda t: "/store/" + quote(t, safe="/")),
    st.sampled_from(["/store/a%3E%20%7D", "/store/%00", "/store/x?graph=urn:y", "/store/%C0%AE%C0%AE/"]))

graph_store_calls = st.builds(GraphStoreCall, st.sampled_from(["PUT", "POST", "POST", "DELETE", "GET", "HEAD"]),
                              graph_targets, rdf_bodies, st.sampled_from([True, True, True, False]), st.booleans())

# ---------------------------------------------------------------------------------------------
# Raw HTTP requests to every route.

ROUTES = ["/", "/sparql", "/store", "/store/x", "/dump", "/dump.json", "/dump/all.nq.gz", "/dump/all.ttl.gz",
          "/dump/graph/ckg/graph/derived.ttl.gz", "/.well-known/void", "/.well-known/void.ttl", "/ontology",
          "/ckg", "/ckg/0.1.0", "/ckg.owl", "/api/queries", "/api/queries/claims", "/api/queries/timeline",
          "/api/queries/nope", "/api/openapi.json", "/contested", "/contested.json", "/map", "/map.geojson",
          "/api/queries/operations", "/documents",
          "/documents.json", "/resource", "/ckg/id/state/PAK", "/ckg/id/state/PAK.ttl", "/test.example/n/1",
          "/assets/yasgui/yasgui.min.js", "/assets/pages/pages.css", "/assets/yasgui/..%2F..%2Fpyproject.toml"]

PERCENT = st.sampled_from(["%", "%z", "%zz", "%00", "%2F", "%2f", "%5C", "%C0%AE", "%C0%AF", "%ff", "%E2%80%AE",
                           "%ED%A0%80", "%F4%90%80%80", "%25", "%0A", "%0D%0A", "%3F", "%23", "..", "//", ";", "~"])
path_pieces = st.lists(st.one_of(PERCENT, odd_text.map(lambda t: quote(t, safe="")),
                                 st.sampled_from(["a", "x.ttl", ".json", ".html", "..", ".", "nope"])), max_size=5)
paths_ = st.tuples(st.sampled_from(ROUTES), path_pieces, st.sampled_from(["", "/"])).map(
    lambda p: (p[0].rstrip("/") + "/" + "".join(p[1]) + p[2]) if p[1] else p[0])

PARAMETER_NAMES = ["query", "update", "format", "graph", "default", "default-graph-uri", "named-graph-uri",
                   "using-graph-uri", "iri", "kind", "from", "to", "document", "state", "limit", "page", "x",
                   "", "query[]", "é"]
param_values = st.one_of(
    st.sampled_from(["json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdfxml", "html", "nq", "trig", "geojson", "exe",
                     "", "urn:x", f"{EX}n/1", "2026-02-30", "9" * 40, "-1", "true", PROBE, "SELECT * {",
                     ID_BASE + "state/PAK", "javascript:alert(1)"]),
    odd_text, queries)
parameters = st.lists(st.tuples(st.sampled_from(PARAMETER_NAMES), param_values), max_size=4).map(
    lambda ps: "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in ps))
raw_parameters = st.lists(PERCENT, max_size=3).map("&".join)

MEDIA_TYPES = ["*/*", "text/html", "text/turtle", "application/sparql-results+json", "application/json",
               "application/ld+json", "application/rdf+xml", "text/csv", "image/png", "application/n-quads",
               "text/*", "application/geo+json", "", "garbage", "text/html;q=abc", "*/*;q=0", "application/sparql-results+xml;q=0.5, */*;q=0.1",
               "text/turtle;q=1.1", ";;;", ",,,", "a/b/c", "text/html; charset=\u00e9"]
latin1_text = odd_text.map(lambda t: t.encode("utf-8", "replace").decode("latin-1").replace("\r", "").replace(
    "\n", "").replace("\x00", "").strip(" \t"))
"""Header values as they arrive: any bytes but line ends and NUL, read as latin-1, with no leading or
trailing blank (requests refuses to send those)."""

headers_ = st.fixed_dictionaries({}, optional={
    "Accept": st.one_of(st.sampled_from(MEDIA_TYPES), st.lists(st.sampled_from(MEDIA_TYPES), max_size=4).map(", ".join)),
    "Content-Type": st.one_of(st.sampled_from(["application/sparql-query", "application/sparql-update",
                                               "application/x-www-form-urlencoded", "multipart/form-data",
                                               "multipart/form-data; boundary=x", "text/turtle",
                                               "application/sparql-query; charset=latin-1",
                                               "application/sparql-query; charset=\u00e9"]),
                              st.sampled_from(MEDIA_TYPES)),
    "Accept-Encoding": st.sampled_from(["gzip", "br", "gzip;q=0", "*", "identity;q=0"]),
    "Authorization": st.one_of(st.just(AUTH["Authorization"]), st.sampled_from(["Bearer", "Bearer ", "Basic eA==",
                                                                                 "Bearer " + "x" * 3000]),
                               latin1_text.map(lambda t: "Bearer " + t)),
    "Range": st.sampled_from(["bytes=0-10", "bytes=-1", "bytes=10-0", "bytes=a-b", "bytes=0-0,1-1,2-2"]),
    "If-None-Match": st.sampled_from(['"x"', "*", "W/\"\"", "garbage"]),
    "X-Forwarded-Host": st.sampled_from(["evil.example", "127.0.0.1:1", ""]),
    "Host": st.sampled_from(["evil.example", "[::1", "a b", "127.0.0.1:99999"]),
    "Origin": latin1_text})

http_bodies = st.one_of(st.just(b""), st.binary(max_size=200), queries.map(lambda q: q.encode("utf-8")),
                        parameters.map(lambda p: p.encode("ascii")),
                        st.just(b"--x\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.ttl\"\r\n"
                                b"Content-Type: text/turtle\r\n\r\n<a> <b> <c> .\r\n--x--\r\n"),
                        st.just(b"--x\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nunterminated"))


@dataclass(frozen=True)
class HttpCall:
    method: str
    target: str
    headers: dict = field(default_factory=dict)
    body: bytes = b""


http_calls = st.builds(
    HttpCall,
    mostly(st.sampled_from(["GET", "POST", "HEAD"]),
           st.sampled_from(["PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "PROPFIND", "get", "X-CUSTOM"]), one_in=5),
    st.tuples(paths_, st.one_of(parameters, raw_parameters), st.booleans()).map(
        lambda t: t[0] + ("?" + t[1] if t[1] or t[2] else "")),
    headers_, http_bodies)
"""Requests to every served route: odd methods, percent-encodings, parameters, headers and bodies."""

# ---------------------------------------------------------------------------------------------
# Documents for the build.

ARTICLE = ("Pakistan's military said on Friday that 12 soldiers were killed in an attack in Kurram.\n\n"
           "Afghanistan's Defence Ministry denied the claim, a spokesperson told Reuters.\n")

header_values = st.one_of(odd_text, st.sampled_from(["2026-02-27", "2026-02-27 (updated)", "unknown", "2025-13-45",
                                                     "0000-00-00", "9999-12-31T25:61:61Z", "1e308", "-1", "",
                                                     "https://example.org/a", "javascript:alert(1)", "Kabul"]))
text_documents = st.tuples(st.lists(st.tuples(st.sampled_from(["title", "date", "source", "place", "url", "id",
                                                               "x", "Date", "TITLE"]), header_values), max_size=5),
                           st.one_of(st.just(ARTICLE), odd_text, st.just(""))).map(
    lambda d: "".join(f"{k}: {v}\n" for k, v in d[0]) + ("\n" if d[0] else "") + d[1])

YAML_VALUES = ["2026-02-27", "2026-02-30", "2026-02-27T25:00:00", "[unclosed", "{a: 1", "&a x", "*a", "!!python/object:os.system x",
               "!!binary aGVsbG8=", "|\n  block", "'quoted", "- list", ": colon", "null", "~", "1e999", "0x1F",
               "!!timestamp 2001-12-14", "!custom tag", "\"\\x00\"", "? complex key", "@reserved", "`backtick"]
markdown_documents = st.tuples(
    st.lists(st.tuples(st.sampled_from(["title", "date", "source", "place", "url", "tags", "id", "date"]),
                       st.one_of(st.sampled_from(YAML_VALUES), odd_text)), max_size=5),
    st.sampled_from(["---\n", "---\r\n", "--- \n", "---"]), st.sampled_from(["---\n", "...\n", "", "---"]),
    st.one_of(st.just(ARTICLE), odd_text, st.just(""))).map(
    lambda d: d[1] + "".join(f"{k}: {v}\n" for k, v in d[0]) + d[2] + d[3])

html_documents = st.one_of(
    st.just(f"<html><head><title>t</title><meta property=\"article:published_time\" content=\"2026-02-30\"></head>"
            f"<body><article><p>{ARTICLE}</p></article></body></html>"),
    odd_text.map(lambda t: f"<html><body><p>{t}</p></body></html>"),
    st.just("<!DOCTYPE html [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><html><body><p>&x;</p></body></html>"),
    st.just("<" * 5000), st.just("<div>" * 3000 + ARTICLE))

jsonl_documents = st.lists(st.one_of(
    st.tuples(odd_text, st.one_of(st.just(ARTICLE), odd_text), header_values).map(
        lambda r: json.dumps({"id": r[0] or "x", "text": r[1], "date": r[2]})),
    st.sampled_from(["{", "[]", "null", '{"id": 1, "text": 2}', '{"id": "a"}', '{"text": "b"}',
                     '{"id": "\\ud800", "text": "x"}', '{"id": "../../etc", "text": "The army said."}',
                     '{"id": "r", "text": "t", "date": {"a": 1}}', "\ufeff{}", '"' + "x" * 100 + '"']),
    odd_text), min_size=1, max_size=4).map("\n".join)

SUFFIXES = [".txt", ".md", ".html", ".jsonl", ".pdf", ""]


@dataclass(frozen=True)
class DocumentFile:
    name: str
    data: bytes


def _document(suffix: str) -> st.SearchStrategy[bytes]:
    text = {".txt": text_documents, ".md": markdown_documents, ".html": html_documents,
            ".jsonl": jsonl_documents}.get(suffix, odd_text)
    return st.one_of(text.map(lambda t: t.encode("utf-8")), mutated(text).map(lambda t: t.encode("utf-8")),
                     st.binary(max_size=40), st.just(b""), st.just(b"\xff\xfe" + ARTICLE.encode("utf-16-le")),
                     st.sampled_from([("word " * 40_000).encode(), b"x" * 300_000]))  # huge lines


file_names = st.tuples(st.sampled_from(["a", "b", "é", "x y", "-dash", "long" * 20, "\u202etxt", "n\u0301",
                                        "\udcff\udcfe"]),  # bytes that are not UTF-8, as Python names them
                       st.sampled_from(SUFFIXES))
documents = st.lists(file_names.flatmap(lambda n: _document(n[1]).map(lambda d: DocumentFile(n[0] + n[1], d))),
                     min_size=1, max_size=4, unique_by=lambda f: f.name)
"""A folder's worth of documents of every kind, mostly bad: bad headers and dates, bad YAML, bad
JSON, random unicode and bytes, huge lines, empty files, unknown suffixes."""

# ---------------------------------------------------------------------------------------------
# Sending, and what an answer must be.

TIMEOUT = 120


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    method: str = "GET"
    headers: dict = field(default_factory=dict)


def verdict(answer: Answer) -> str | None:
    """What is wrong with an answer (None: nothing). 2xx, a redirect that says where, or a 4xx with a
    message; a 5xx only as the documented 503 (time limit, busy); no answer at all is a dead server."""
    status, text = answer.status, answer.body.decode("utf-8", "replace")
    if 200 <= status < 300:
        return None
    if status == 304:  # Not Modified: the answer to If-None-Match, with nothing to say
        return None
    if 300 <= status < 400:
        return None if answer.headers.get("Location") else f"{status} without a Location"
    if 400 <= status < 500:
        return None if text.strip() or answer.method == "HEAD" else f"{status} with an empty body"
    if status == 503 and ("time limit" in text or "busy" in text):
        return None
    return f"{status}: {text[:300]!r}"


def _answer(response: requests.Response, method: str) -> Answer:
    return Answer(response.status_code, response.content, method, dict(response.headers))


def send(session: requests.Session, base: str, method: str, target: str, headers: dict | None = None,
         body: bytes | None = None) -> Answer:
    """One request with its target sent as written (only invalid percent-escapes get re-escaped by
    urllib3); no redirects followed."""
    prepared = session.prepare_request(requests.Request(method, base + "/", headers=headers or {}, data=body))
    prepared.url = base + target
    return _answer(session.send(prepared, timeout=TIMEOUT, allow_redirects=False), method.upper())


@dataclass(frozen=True)
class SparqlCall:
    text: str
    how: str
    """'get', 'form' or 'direct'."""
    accept: str = "*/*"


query_calls = st.builds(SparqlCall, queries, st.sampled_from(["get", "form", "direct"]),
                        st.sampled_from(MEDIA_TYPES[:10] + ["text/tab-separated-values", "application/n-triples"]))
update_calls = st.builds(SparqlCall, updates, st.sampled_from(["form", "direct"]), st.just("*/*"))


def send_sparql(session: requests.Session, base: str, call: SparqlCall, update: bool = False) -> Answer:
    """A query or update by each way the protocol allows; updates carry the token."""
    headers = {"Accept": call.accept, **(AUTH if update else {})}
    field_name = "update" if update else "query"
    if call.how == "get":
        response = session.get(base + "/sparql", params={field_name: call.text}, headers=headers, timeout=TIMEOUT)
        return _answer(response, "GET")
    if call.how == "form":
        response = session.post(base + "/sparql", data={field_name: call.text.encode("utf-8")}, headers=headers,
                                timeout=TIMEOUT)
    else:
        headers["Content-Type"] = f"application/sparql-{'update' if update else 'query'}"
        response = session.post(base + "/sparql", data=call.text.encode("utf-8"), headers=headers, timeout=TIMEOUT)
    return _answer(response, "POST")


def send_graph_store(session: requests.Session, base: str, call: GraphStoreCall) -> Answer:
    headers = dict(AUTH) if call.authorised else {}
    if call.method in ("GET", "HEAD", "DELETE"):
        return send(session, base, call.method, call.target, headers)
    if call.multipart:
        prepared = session.prepare_request(requests.Request(
            call.method, base + "/", headers=headers, files={"f": ("data", call.body.data, call.body.content_type)}))
        prepared.url = base + call.target
        return _answer(session.send(prepared, timeout=TIMEOUT, allow_redirects=False), call.method)
    if call.body.content_type:
        headers["Content-Type"] = call.body.content_type
    return send(session, base, call.method, call.target, headers, call.body.data)


def send_http(session: requests.Session, base: str, call: HttpCall) -> Answer:
    headers = {k: v.encode("latin-1", "replace") for k, v in call.headers.items()}
    return send(session, base, call.method, call.target, headers, call.body or None)


def still_answering(session: requests.Session, base: str) -> bool:
    """The cheap query every batch ends with: the server and its query process both answer."""
    response = session.get(base + "/sparql", params={"query": PROBE},
                           headers={"Accept": "application/sparql-results+json"}, timeout=TIMEOUT)
    return response.status_code == 200 and response.json().get("boolean") is True  # {} has one solution


# ---------------------------------------------------------------------------------------------
# The build's property.


def write_folder(folder: Path, files: list[DocumentFile]) -> list[Path]:
    folder.mkdir(parents=True)
    written = []
    for document in files:
        path = folder / document.name
        path.write_bytes(document.data)
        written.append(path)
    return written


def build_problems(summary, folder: Path, files: list[DocumentFile], control: str) -> list[str]:
    """What is wrong with a build's summary of ``files`` and a good ``control`` document beside them:
    every failure one line naming one file of the folder, at most one failure per non-JSON-Lines
    file, and the control document built."""
    problems = []
    lines = summary.lines()
    for line in lines:
        if len(line.splitlines()) != 1:
            problems.append(f"a summary line spans several lines: {line!r}")
    names = {str(folder / f.name) for f in files} | {str(folder / control)}
    for failure in summary.failures:
        file = failure.path.rsplit(":", 1)[0] if ".jsonl:" in failure.path else failure.path
        if file not in names:
            problems.append(f"a failure names no file of the folder: {failure.path!r}")
        if not failure.message.strip():
            problems.append(f"a failure without a reason: {failure.path!r}")
    plain = [f.path for f in summary.failures if ".jsonl:" not in f.path]
    if len(plain) != len(set(plain)):
        problems.append(f"a file failed more than once: {plain}")
    if any(str(folder / control) == f.path for f in summary.failures):
        problems.append("the good document beside the bad ones failed")
    return problems
