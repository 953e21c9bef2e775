"""What the query process does with each request: store and request in, an Outcome out.

Requests and outcomes are plain picklable values: they cross the pipe between a server
worker and its killable query process (executor.py).
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

import pyoxigraph as ox

from ckg.graph import formats
from ckg.graph.remote_store import gives_graph
from ckg.graph.store import Store
from ckg.ontology.vocabulary import SPARQL_RESULTS

from ..http.negotiation import NotAcceptable, negotiate_once
from .update_dataset import with_dataset

TRIPLE_FORMATS = formats.ONE_GRAPH
"""What one graph is read and written as (JSON-LD can hold datasets, but serves one graph well)."""


@dataclass(frozen=True)
class Outcome:
    status: int
    media_type: str
    body: bytes
    truncated: str | None = None
    """Which cap cut the answer ('the row cap of 5 rows'), when one did."""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Query:
    text: str
    defaults: tuple[str, ...] = ()
    named: tuple[str, ...] = ()
    accept: tuple[tuple[str, float], ...] = ()
    fmt_name: str | None = None
    substitutions: dict = field(default_factory=dict)
    base_iri: str | None = None


@dataclass(frozen=True)
class Update:
    text: str
    using: tuple[str, ...] = ()
    using_named: tuple[str, ...] = ()
    base_iri: str | None = None


@dataclass(frozen=True)
class GraphRead:
    graph: str | None
    """A graph IRI, or None for the store's own default graph."""
    accept: tuple[tuple[str, float], ...] = ()
    fmt_name: str | None = None


@dataclass(frozen=True)
class GraphWrite:
    method: str
    """PUT replaces the graph, POST adds to it, DELETE removes it."""
    graph: str | None
    parts: tuple[tuple[bytes, str], ...] = ()
    """RDF documents with their media types (one, or several from multipart/form-data)."""
    base_iri: str | None = None
    created_here: bool = False
    """The server named a new graph for this POST: answer 201 with its Location."""


@dataclass(frozen=True)
class Caps:
    """How much one answer may hold: rows of a SELECT, and bytes of any answer as it is written."""
    rows: int | None = None
    bytes: int | None = None


class _Full(Exception):
    """The answer reached the byte cap: raised from inside the serialiser, which stops writing."""


class _CappedOutput:
    """Where a serialiser writes an answer: kept in pieces until one byte past ``cap``, then stopped,
    so an answer never takes more memory than the cap while it is written."""

    def __init__(self, cap: int | None) -> None:
        self.cap = cap
        self.pieces: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        self.size += len(data)
        if self.cap is not None and self.size > self.cap:
            raise _Full
        return len(data)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self.pieces)


def _objects_end(text: str, start: int) -> int | None:
    """Where the last whole JSON object of a list that begins at ``start`` ends (None: not one)."""
    decoder = json.JSONDecoder()
    end, at = None, start
    while True:
        at = len(text) - len(text[at:].lstrip(" \n,"))
        try:
            _, at = decoder.raw_decode(text, at)
        except ValueError:
            return end
        end = at


def cut_whole(prefix: bytes, media_type: str) -> bytes | None:
    """The longest answer that ends with a whole row, triple or result of ``prefix`` (the first bytes of
    an answer the serialiser was stopped in) and is itself a valid document; None when the format
    cannot be cut so."""
    if media_type in ("application/n-triples", "application/n-quads", "text/tab-separated-values"):
        end = prefix.rfind(b"\n")  # these escape line ends inside terms
        return prefix[:end + 1] if end >= 0 else None
    if media_type == "text/csv":
        end = prefix.rfind(b"\n")
        while end >= 0 and prefix.count(b'"', 0, end) % 2:  # a line end inside a quoted field
            end = prefix.rfind(b"\n", 0, end)
        return prefix[:end + 1] if end >= 0 else None
    if media_type in ("text/turtle", "application/trig"):
        end = prefix.rfind(b" .\n")  # statements end a line; literals escape their line ends
        return prefix[:end + 3] if end >= 0 else None
    if media_type == "application/sparql-results+xml":
        end = prefix.rfind(b"</result>")
        return prefix[:end + 9] + b"</results></sparql>" if end >= 0 else None
    if media_type == "application/rdf+xml":
        end = prefix.rfind(b"</rdf:Description>")
        return prefix[:end + 18] + b"\n</rdf:RDF>" if end >= 0 else None
    text = prefix.decode("utf-8", errors="ignore")
    if media_type == "application/sparql-results+json":
        start = text.find('"bindings":[')
        end = _objects_end(text, start + 12) if start >= 0 else None
        return (text[:end] + "]}}").encode() if end is not None else None
    if media_type == "application/ld+json" and text.startswith("["):
        end = _objects_end(text, 1)
        return (text[:end] + "]").encode() if end is not None else None
    return None


CLOSING = 32
"""Bytes kept free below the byte cap for what closes a cut document (']}}', '</results></sparql>')."""


def serialize(results, fmt: formats.Format, caps: Caps) -> tuple[bytes, str | None]:
    """The answer in ``fmt``, written up to the byte cap and cut there to its last whole row or
    triple, then to the row cap; with which cap cut it (None: neither)."""
    output = _CappedOutput(caps.bytes)
    body, cut = None, None
    try:
        results.serialize(output, format=fmt.oxigraph)
        body = output.value()
    except _Full:
        body = cut_whole(output.value()[:caps.bytes - CLOSING], fmt.media_type)  # room for the closing tags
        if body is None:
            raise AnswerTooLarge(caps.bytes) from None
        cut = f"the byte cap of {caps.bytes:,} bytes"
    if caps.rows is not None and isinstance(results, ox.QuerySolutions):
        body, rows_cut = cap_rows(body, fmt.media_type, caps.rows)
        if rows_cut:
            cut = f"the row cap of {caps.rows:,} rows"
    return body, cut


class AnswerTooLarge(Exception):
    """An answer past the byte cap in a format that cannot be cut to whole parts."""

    def __init__(self, cap: int | None) -> None:
        super().__init__(f"the answer is larger than the byte cap of {cap:,} bytes and its format cannot be cut; "
                         "ask for N-Triples, Turtle or SPARQL results, or narrow the query (add LIMIT)")


MIN_ROW_BYTES = {"application/sparql-results+json": 3, "application/sparql-results+xml": 17, "text/csv": 2,
                 "text/tab-separated-values": 1}
"""The fewest bytes one solution takes in each format ('{},', '<result></result>', a line end)."""


def text(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Outcome:
    return Outcome(status, "text/plain", (message.rstrip() + "\n").encode(), headers=headers)


def cap_rows(body: bytes, media_type: str, cap: int) -> tuple[bytes, bool]:
    """Keep the first ``cap`` solutions of a serialised SELECT result; True if any were cut."""
    if len(body) <= cap * MIN_ROW_BYTES.get(media_type, 1):
        return body, False  # too short to hold more rows than the cap: nothing to parse
    import csv
    import xml.etree.ElementTree as ET

    if media_type.endswith("+json"):
        data = json.loads(body)
        rows = data.get("results", {}).get("bindings")
        if rows is None or len(rows) <= cap:
            return body, False
        data["results"]["bindings"] = rows[:cap]
        return json.dumps(data).encode(), True
    if media_type.endswith("+xml"):
        namespace = "{" + SPARQL_RESULTS + "}"
        root = ET.fromstring(body)
        results = root.find(f"{namespace}results")
        if results is None or len(results) <= cap:
            return body, False
        for extra in list(results)[cap:]:
            results.remove(extra)
        ET.register_namespace("", namespace.strip("{}"))
        return ET.tostring(root, encoding="utf-8", xml_declaration=True), True
    if media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        if len(rows) - 1 <= cap:
            return body, False
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(rows[:cap + 1])
        return out.getvalue().encode(), True
    lines = body.decode("utf-8").splitlines(keepends=True)  # TSV escapes newlines inside terms
    if len(lines) - 1 <= cap:
        return body, False
    return "".join(lines[:cap + 1]).encode(), True


def _graph_iri(value: str, parameter: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as error:
        raise ValueError(f"{parameter} {value!r} is not an absolute IRI: {error}") from None


def query(store: Store, request: Query, caps: Caps) -> Outcome:
    kwargs: dict = {}
    if request.substitutions:
        kwargs["substitutions"] = {ox.Variable(name): term for name, term in request.substitutions.items()}
    try:
        if request.defaults:
            kwargs["default_graph"] = [_graph_iri(g, "default-graph-uri") for g in request.defaults]
        if request.named:
            kwargs["named_graphs"] = [_graph_iri(g, "named-graph-uri") for g in request.named]
    except ValueError as error:
        return text(400, str(error))
    try:
        results = store.query(request.text, base_iri=request.base_iri, **kwargs)
        offered = formats.GRAPH if gives_graph(results) else formats.RESULTS
        fmt = negotiate_once(offered, request.accept, request.fmt_name)
        body, cut = serialize(results, fmt, caps)
        return Outcome(200, fmt.media_type, body, cut)
    except AnswerTooLarge as error:
        return text(422, str(error))
    except SyntaxError as error:
        return text(400, f"the query is not valid SPARQL: {error}")
    except NotAcceptable as error:
        return text(406, str(error))
    except (ValueError, OSError, RuntimeError) as error:  # RuntimeError: evaluation failed (SERVICE ?unbound)
        return text(400, f"the query could not be run: {error}")


def read_graph(store: Store, request: GraphRead) -> Outcome:
    if not store.has_graph(request.graph):
        return text(404, f"the store has no graph <{request.graph}>; list the graphs with "
                         "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")
    try:
        fmt = negotiate_once(TRIPLE_FORMATS, request.accept, request.fmt_name)
    except NotAcceptable as error:
        return text(406, str(error))
    out = io.BytesIO()
    store.serialize_graph(request.graph, out, fmt.oxigraph)
    return Outcome(200, fmt.media_type, out.getvalue())


def update(store: Store, request: Update) -> Outcome:
    try:
        store.update(with_dataset(request.text, list(request.using), list(request.using_named)),
                     base_iri=request.base_iri)
    except SyntaxError as error:
        return text(400, f"the update is not valid SPARQL: {error}")
    except (ValueError, OSError, RuntimeError) as error:
        return text(400, f"the update could not be applied: {error}")
    return Outcome(204, "text/plain", b"")


def write_graph(store: Store, request: GraphWrite) -> Outcome:
    if request.method == "DELETE":
        if not store.drop_graph(request.graph):
            return text(404, f"the store has no graph <{request.graph}>")
        return Outcome(204, "text/plain", b"")
    triples = []
    for body, media_type in request.parts:
        fmt = ox.RdfFormat.from_media_type(media_type) if media_type else None
        if fmt is None or fmt not in [f.oxigraph for f in TRIPLE_FORMATS]:
            return text(415, f"cannot read '{media_type or 'no media type'}' as a graph: send "
                             + ", ".join(f.media_type for f in TRIPLE_FORMATS))
        try:
            triples += [(q.subject, q.predicate, q.object)
                        for q in ox.parse(body, format=fmt, base_iri=request.graph or request.base_iri)]
        except SyntaxError as error:
            return text(400, f"the {fmt.name} body could not be parsed: {error}")
    writer = store.put_graph if request.method == "PUT" else store.add_to_graph
    created = writer(request.graph, triples)
    if request.created_here:
        return text(201, f"created graph <{request.graph}>", headers=(("Location", request.graph or ""),))
    return Outcome(201, "text/plain", b"") if created else Outcome(204, "text/plain", b"")
