"""A remote SPARQL 1.1 store (Oxigraph server, Virtuoso …) behind the same interface as ``Store``.

Reads go through the SPARQL 1.1 Protocol and come back as pyoxigraph's own result objects
(``parse_query_results``), so callers cannot tell the stores apart. Writes go through the
Graph Store Protocol, one request per graph, so each graph lands whole or not at all; a
graph's fingerprint in the metadata graph is forgotten before the graph is written and
recorded after it, so a build stopped in between leaves the graph stale and the next build
writes it again. There are no snapshots: a remote store is read as it is, and the time of the
last build or write (``stamp``) names what readers see.
"""
from __future__ import annotations

import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ckg.ontology.vocabulary import FINGERPRINT, META_GRAPH, STORE_STAMP

from .queries import among
from .store import BATCH, StoreError, file_triples

N_TRIPLES = "application/n-triples"
RESULTS_JSON = "application/sparql-results+json"
ANSWERS = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9"
"""What a query asks for: results for SELECT and ASK, N-Triples for CONSTRUCT and DESCRIBE."""


class RemoteQueryError(ValueError):
    """The store refused a query or an update as it was written (HTTP 400): the client's to fix."""


@dataclass(frozen=True)
class Remote:
    """Where a remote store answers, and how to be let in (picklable: query processes get it)."""
    query: str
    update: str
    graph_store: str
    user: str | None = None
    password: str | None = None
    timeout: float = 120.0

    def __str__(self) -> str:
        return self.query


def endpoints(query: str, update: str | None = None, graph_store: str | None = None) -> tuple[str, str]:
    """The update and graph store endpoints for a query endpoint: those given, else the ones its
    path implies (Oxigraph server: /query → /update, /store; Virtuoso: /sparql → /sparql,
    /sparql-graph-crud). StoreError when neither is given nor implied."""
    parts = urllib.parse.urlsplit(query)
    stem, _, last = parts.path.rstrip("/").rpartition("/")
    implied = {"query": ("update", "store"), "sparql": ("sparql", "sparql-graph-crud"),
               "sparql-auth": ("sparql-auth", "sparql-graph-crud-auth")}.get(last)

    def beside(name: str) -> str:
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"{stem}/{name}", "", ""))

    if implied is None and (update is None or graph_store is None):
        raise StoreError(f"cannot tell the update and graph store endpoints of {query}: give --update-endpoint "
                         "and --graph-store (CKG_UPDATE_ENDPOINT, CKG_GRAPH_STORE)")
    return update or beside(implied[0]), graph_store or beside(implied[1])


class RemoteTriples:
    """A CONSTRUCT or DESCRIBE answer: its triples, iterable and serialisable like ``ox.QueryTriples``."""

    def __init__(self, body: bytes) -> None:
        self._triples = [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self._triples)

    def serialize(self, output=None, format=ox.RdfFormat.N_TRIPLES):
        return ox.serialize(self._triples, output, format=format)


def gives_graph(results) -> bool:
    """Whether a query's answer is a graph (CONSTRUCT, DESCRIBE) rather than solutions or a boolean."""
    return isinstance(results, (ox.QueryTriples, RemoteTriples))


def _nt(triples: Iterable) -> bytes:
    return ox.serialize((ox.Triple(s, p, o) for s, p, o in triples), format=ox.RdfFormat.N_TRIPLES)


class RemoteStore:
    """The remote store at ``remote``: the interface of ``Store``, over HTTP."""

    read_only = False

    def __init__(self, remote: Remote) -> None:
        self.remote = remote
        self.path = remote.query
        handlers = []
        if remote.user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {remote.query, remote.update, remote.graph_store}:
                passwords.add_password(None, url, remote.user, remote.password or "")
            handlers = [urllib.request.HTTPDigestAuthHandler(passwords),
                        urllib.request.HTTPBasicAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)

    @classmethod
    def open(cls, remote: Remote, read_only: bool = False) -> RemoteStore:
        """The store, once it has answered a query: StoreError now if it cannot be reached."""
        store = cls(remote)
        store.read_only = read_only
        store.ask("ASK { }")
        return store

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass

    def flush(self) -> None:
        pass

    # ------------------------------------------------------------------ HTTP
    def _send(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
              accept: str | None = None, missing_ok: bool = False) -> tuple[int, str, bytes]:
        """One request: (status, media type, body). StoreError when the store cannot be reached, does not
        answer in time or fails; RemoteQueryError when it refuses the request as written (400)."""
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self._opener.open(request, timeout=self.remote.timeout) as response:
                return response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace").strip()[:2000]
            if missing_ok and error.code in (404, 405, 501):  # 405, 501: a store that does not do this method
                return error.code, "text/plain", b""
            if error.code == 400:
                raise RemoteQueryError(text or "the store refused the request") from None
            if error.code in (401, 403):
                raise StoreError(f"the store at {url} refused ckg ({error.code}): set CKG_STORE_USER and "
                                 f"CKG_STORE_PASSWORD to a user allowed to {'write' if body else 'read'}; {text}") from None
            raise StoreError(f"the store at {url} answered {error.code}: {text}") from None
        except (socket.timeout, TimeoutError):
            raise StoreError(f"the store at {url} did not answer within {self.remote.timeout:g} s "
                             "(CKG_STORE_TIMEOUT)") from None
        except (urllib.error.URLError, OSError) as error:
            raise StoreError(f"cannot reach the store at {url}: {getattr(error, 'reason', error)}") from None

    def _graph_url(self, graph_iri: str | None) -> str:
        target = "default" if graph_iri is None else "graph=" + urllib.parse.quote(graph_iri, safe="")
        return f"{self.remote.graph_store}{'&' if '?' in self.remote.graph_store else '?'}{target}"

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL update: the store applies it whole or not at all."""
        if base_iri is not None:
            sparql = f"BASE <{base_iri}>\n{sparql}"
        self._send("POST", self.remote.update, urllib.parse.urlencode({"update": sparql}).encode(),
                   "application/x-www-form-urlencoded")

    # ------------------------------------------------------------------ writing
    def replace_graph(self, graph_iri: str, triples: Iterable, fingerprint: str | None = None) -> int:
        """Make a named graph hold exactly these triples (one PUT), its fingerprint recorded after."""
        triples = list(triples)
        self.set_state(graph_iri, None)
        self._put(graph_iri, _nt(triples))
        if fingerprint is not None:
            self.set_state(graph_iri, fingerprint)
        return len(triples)

    def _put(self, graph_iri: str | None, ntriples: bytes) -> None:
        if ntriples.strip():
            self._send("PUT", self._graph_url(graph_iri), ntriples, N_TRIPLES)
        else:
            self.update("CLEAR SILENT DEFAULT" if graph_iri is None else f"DROP SILENT GRAPH <{graph_iri}>")

    def add_graphs(self, graphs: Iterable[tuple[str, bytes, str]]) -> None:
        """Replace many graphs (IRI, its quads as N-Quads, fingerprint): their fingerprints forgotten in
        one update, each graph PUT whole, then the fingerprints recorded in one update. A build stopped
        half-way leaves the graphs it did not finish without a fingerprint, so the next build redoes them."""
        graphs = list(graphs)
        if not graphs:
            return
        self._marks([iri for iri, _, _ in graphs], None)
        for iri, nquads, _ in graphs:
            triples = (quad.triple for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
            self._put(iri, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        self._marks([iri for iri, _, _ in graphs], [mark for _, _, mark in graphs])

    def _marks(self, iris: list[str], marks: list[str] | None) -> None:
        """Forget these graphs' fingerprints, and record ``marks`` in their place when given."""
        meta, predicate = f"<{META_GRAPH}>", f"<{FINGERPRINT}>"
        values = " ".join(f"<{iri}>" for iri in iris)
        statements = [f"DELETE {{ GRAPH {meta} {{ ?g {predicate} ?f }} }} "
                      f"WHERE {{ VALUES ?g {{ {values} }} GRAPH {meta} {{ ?g {predicate} ?f }} }}"]
        if marks is not None:
            rows = "\n".join(f"<{iri}> {predicate} {ox.Literal(mark)} ." for iri, mark in zip(iris, marks))
            statements.append(f"INSERT DATA {{ GRAPH {meta} {{ {rows} }} }}")
        self.update(" ;\n".join(statements))

    def set_state(self, graph_iri: str, fingerprint: str | None) -> None:
        """Record a graph's fingerprint, or forget it (None): a graph with none is stale."""
        self._marks([graph_iri], None if fingerprint is None else [fingerprint])

    def stream_into(self, graph_iri: str, triples: Iterable, flush_every: int = 5) -> int:
        """Add triples to a graph, ``BATCH`` to a POST; returns how many. Not atomic: a caller marks
        the graph stale first and records its fingerprint last."""
        batch: list = []
        count = 0
        for triple in triples:
            batch.append(triple)
            if len(batch) >= BATCH:
                self._send("POST", self._graph_url(graph_iri), _nt(batch), N_TRIPLES)
                count, batch = count + len(batch), []
        if batch:
            self._send("POST", self._graph_url(graph_iri), _nt(batch), N_TRIPLES)
        return count + len(batch)

    def load_file(self, path: Path, graph_iri: str, fingerprint: str | None = None) -> int:
        """Load an RDF file (format from its suffix) into a named graph, whole."""
        return self.replace_graph(graph_iri, file_triples(path), fingerprint=fingerprint)

    def put_graph(self, graph_iri: str | None, triples: list) -> bool:
        """Make a graph (None: the default graph) hold exactly these triples, in one request. True if new."""
        existed = self.has_graph(graph_iri)
        if triples or graph_iri is None:
            self._put(graph_iri, _nt(triples))
        else:
            self.update(f"DROP SILENT GRAPH <{graph_iri}> ; CREATE SILENT GRAPH <{graph_iri}>")
        return not existed

    def add_to_graph(self, graph_iri: str | None, triples: list) -> bool:
        """Add triples to a graph (None: the default graph), in one request. True if the graph was new."""
        existed = self.has_graph(graph_iri)
        if triples:
            self._send("POST", self._graph_url(graph_iri), _nt(triples), N_TRIPLES)
        elif graph_iri is not None:
            self.update(f"CREATE SILENT GRAPH <{graph_iri}>")
        return not existed

    def drop_graph(self, graph_iri: str | None) -> bool:
        """Remove a named graph (or empty the default graph); False if there was no such graph."""
        if graph_iri is None:
            self.update("CLEAR SILENT DEFAULT")
            return True
        if not self.has_graph(graph_iri):
            return False
        self.update(f"DROP SILENT GRAPH <{graph_iri}>")
        return True

    def has_graph(self, graph_iri: str | None) -> bool:
        if graph_iri is None:
            return True
        status, _, _ = self._send("HEAD", self._graph_url(graph_iri), missing_ok=True)
        if status in (405, 501):  # no HEAD (Virtuoso): a graph it has is one with a triple
            return self.ask(f"ASK {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}")
        return status < 300

    def stamp(self, value: str | None = None) -> str | None:
        """The time of the last build or write the store recorded (nanoseconds, as text); with
        ``value``, record that instead. What readers see changes only with it."""
        if value is not None:
            self.set_state(STORE_STAMP, value)
            return value
        return self.document_state(STORE_STAMP)

    def touch(self) -> str:
        """Record that the store has just changed."""
        return self.stamp(str(time.time_ns()))  # type: ignore[return-value]

    # ------------------------------------------------------------------ reading
    def document_state(self, graph_iri: str) -> str | None:
        rows = list(self.query(f"SELECT ?f WHERE {{ GRAPH <{META_GRAPH}> {{ <{graph_iri}> <{FINGERPRINT}> ?f }} }}",
                               use_default_graph_as_union=False))
        return rows[0][0].value if rows else None

    def ask(self, sparql: str) -> bool:
        return bool(self.query(sparql, use_default_graph_as_union=False))

    def query(self, sparql: str, *, use_default_graph_as_union: bool = True, default_graph=None, named_graphs=None,
              base_iri: str | None = None, substitutions: dict | None = None, **_options):
        """Run a query at the store's query endpoint: pyoxigraph's solutions or boolean, or the graph
        as ``RemoteTriples``. ``substitutions`` bind variables to terms in a VALUES block of escaped
        terms, first in the query's outer group."""
        for variable, term in (substitutions or {}).items():
            sparql = among(sparql, variable.value if isinstance(variable, ox.Variable) else variable, [term])
        if base_iri is not None:
            sparql = f"BASE <{base_iri}>\n{sparql}"
        fields: list[tuple[str, str]] = [("query", sparql)]
        if default_graph is not None:
            fields += [("default-graph-uri", g.value if hasattr(g, "value") else str(g)) for g in default_graph]
        elif use_default_graph_as_union:
            fields.append(("union-default-graph", ""))  # Oxigraph server's; stores whose default graph is the union ignore it
        fields += [("named-graph-uri", g.value if hasattr(g, "value") else str(g)) for g in named_graphs or ()]
        _, media_type, body = self._send("POST", self.remote.query, urllib.parse.urlencode(fields).encode(),
                                         "application/x-www-form-urlencoded", ANSWERS)
        try:
            if media_type == RESULTS_JSON or media_type == "application/json":
                return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if media_type == "application/sparql-results+xml":
                return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
            return RemoteTriples(body)
        except SyntaxError as error:
            raise StoreError(f"the store at {self.remote.query} sent an answer ckg cannot read ({media_type}): "
                             f"{error}") from None

    def graph_iris(self) -> list[str]:
        """The named graphs; a store that lists none by an empty pattern (Virtuoso) is asked for those
        with a triple, a scan of the store."""
        found = []
        for pattern in ("{ }", "{ ?s ?p ?o }"):
            rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {pattern} }}", use_default_graph_as_union=False)
            found = sorted(row[0].value for row in rows if isinstance(row[0], ox.NamedNode))
            if found:
                break
        return found

    def triples_in(self, graph_iri: str) -> int:
        rows = list(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}",
                               use_default_graph_as_union=False))
        return int(rows[0][0].value)

    def quad_count(self) -> int:
        """Quads in the named graphs (ckg writes nothing to the default graph)."""
        rows = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                               use_default_graph_as_union=False))
        return int(rows[0][0].value)

    def graph_triples(self, graph_iri: str | None) -> Iterator[ox.Triple]:
        """A graph's triples, read through the Graph Store Protocol."""
        _, _, body = self._send("GET", self._graph_url(graph_iri), accept=N_TRIPLES)
        return (quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))

    def serialize_graph(self, graph_iri: str | None, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        """One graph (None: the default graph) written to ``out``."""
        ox.serialize(self.graph_triples(graph_iri), out, format=fmt)

    def quads(self, graph_iri: str | None = None) -> Iterator[ox.Quad]:
        """Every named graph's quads (or one graph's), fetched a graph at a time."""
        for iri in [graph_iri] if graph_iri is not None else self.graph_iris():
            node = ox.NamedNode(iri)
            for triple in self.graph_triples(iri):
                yield ox.Quad(triple.subject, triple.predicate, triple.object, node)

    def dump(self, out: IO[bytes], fmt: str = "nq", graph_iri: str | None = None) -> None:
        """Stream the store (or one graph) to a binary file object, as ``ckg export`` does."""
        from . import export

        try:
            export.export_remote(self, out, export.export_format(fmt), graph_iri)
        except export.ExportError as error:
            raise StoreError(str(error)) from None

