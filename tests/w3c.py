"""Reads the W3C SPARQL 1.1 Protocol and Graph Store Protocol manifests (HTTP-in-RDF) into plain data."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path

import rdflib
from rdflib.collection import Collection

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#"


@dataclass
class Expected:
    statuses: set[int] = field(default_factory=set)
    classes: set[int] = field(default_factory=set)
    """Status classes: 2 for StatusCode2xx …"""
    fmt: str | None = None
    boolean: bool | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    location_variable: str | None = None

    def accepts(self, status: int) -> bool:
        return status in self.statuses or status // 100 in self.classes


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected: Expected


@dataclass
class W3CTest:
    name: str
    iri: str
    authority: str
    graph_data: list[tuple[str, Path]]
    """(graph name, N-Triples file) to load before the test."""
    requests: list[Request]


def _status(iri: str) -> tuple[int | None, int | None]:
    name = iri.removeprefix(HTS)
    if match := re.fullmatch(r"StatusCode(\d)xx", name):
        return None, int(match.group(1))
    by_phrase = {status.phrase.replace(" ", "").lower(): int(status) for status in HTTPStatus}
    return by_phrase[name.lower()], None


def _items(graph: rdflib.Graph, node) -> list:
    return list(Collection(graph, node)) if node is not None else []


def _headers(graph: rdflib.Graph, node) -> dict[str, str]:
    return {str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
            for h in _items(graph, graph.value(node, HT.headers))}


def _body(graph: rdflib.Graph, node) -> tuple[str | None, str]:
    body = graph.value(node, HT.body)
    if body is None:
        return None, "utf-8"
    return str(graph.value(body, CNT.chars)), str(graph.value(body, CNT.characterEncoding) or "UTF-8")


def _expected(graph: rdflib.Graph, response) -> Expected:
    expected = Expected()
    for status in graph.objects(response, MF.expectedStatus):
        code, klass = _status(str(status))
        (expected.statuses.add(code) if code else expected.classes.add(klass))
    fmt = graph.value(response, MF.expectedFormat)
    expected.fmt = str(fmt) if fmt is not None else None
    boolean = graph.value(response, MF.expectedBoolean)
    expected.boolean = boolean.toPython() if boolean is not None else None
    expected.headers = _headers(graph, response)
    expected.body = _body(graph, response)[0]
    location = graph.value(response, MF.expectedLocation)
    expected.location_variable = str(location) if location is not None else None
    return expected


def load(manifest: Path) -> list[W3CTest]:
    graph = rdflib.Graph().parse(manifest, format="turtle")
    tests = []
    listed = [test for entries in graph.objects(None, MF.entries) for test in _items(graph, entries)]
    typed = sorted(set(graph.subjects(rdflib.RDF.type, MF.ProtocolTest))
                   | set(graph.subjects(rdflib.RDF.type, MF.GraphStoreProtocolTest)))
    for test in listed + [t for t in typed if t not in listed]:  # some files define a test they do not list
        action = graph.value(test, MF.action)
        requests = []
        for node in _items(graph, graph.value(action, HT.requests)):
            text, encoding = _body(graph, node)
            requests.append(Request(str(graph.value(node, HT.methodName)), str(graph.value(node, HT.absolutePath)),
                                    _headers(graph, node),
                                    text.encode(encoding.lower()) if text is not None else None,
                                    _expected(graph, graph.value(node, HT.resp))))
        data = [(str(graph.value(d, rdflib.RDFS.label)), Path(str(graph.value(d, UT.graph)).removeprefix("file://")))
                for d in graph.objects(test, UT.graphData)]
        tests.append(W3CTest(str(graph.value(test, MF.name)), str(test),
                             str(graph.value(action, HT.connectionAuthority) or "localhost"), data, requests))
    return tests
