"""The persistent store: an embedded, on-disk Oxigraph (pyoxigraph).

One named graph per document. ``replace_graph`` drops and rewrites a graph, together with
its fingerprint in the metadata graph, in ONE SPARQL update, which Oxigraph applies as one
transaction: a crash or ``kill -9`` half-way leaves the old graph and fingerprint intact.
Queries see the union of all graphs as the default graph.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ckg.ontology.vocabulary import FINGERPRINT, META_GRAPH

from . import export

BATCH = 20_000
"""Triples per INSERT DATA statement inside the one update (keeps the parser's input small)."""


def file_triples(path: Path) -> list[tuple]:
    """An RDF file's triples, its format told by its suffix (Turtle when the suffix says nothing)."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
    with open(path, "rb") as handle:
        return [(q.subject, q.predicate, q.object) for q in ox.parse(handle, format=fmt)]


class StoreError(Exception):
    """The store cannot be opened or written; the message says what to do."""


def _term(term) -> str:
    return str(term)


def _triples(quads: Iterable[ox.Quad]) -> str:
    """Quads' triples in SPARQL's data syntax."""
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


class Store:
    def __init__(self, store: ox.Store, path: Path, read_only: bool) -> None:
        self._store = store
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: Path | str, read_only: bool = False) -> "Store":
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path} is a file, not a store folder: pass a folder (it is created if missing)")
        if path.is_dir() and any(path.iterdir()) and not (path / "CURRENT").exists():
            raise StoreError(f"{path} is a folder that holds something other than an Oxigraph store; "
                             "choose an empty or new folder")
        try:
            if read_only:
                if not (path / "CURRENT").exists():
                    raise StoreError(f"no store at {path}: build one first with 'ckg build --store {path}'")
                store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                store = ox.Store(str(path))
        except OSError as error:
            message = str(error)
            if "lock" in message.lower():
                raise StoreError(f"the store at {path} is in use by another writer (a running build or server "
                                 f"with updates enabled); stop it or open the store read-only") from None
            raise StoreError(f"cannot open the store at {path}: {message}") from None
        return cls(store, path, read_only)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if not self.read_only:
            try:
                self._store.flush()
            except OSError:
                pass
        self._store = None  # type: ignore[assignment]

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    # ------------------------------------------------------------------ writing
    def replace_graph(self, graph_iri: str, triples: Iterable, fingerprint: str | None = None) -> int:
        """Atomically make a named graph hold exactly these triples; returns how many."""
        graph = f"<{graph_iri}>"
        statements = [f"DROP SILENT GRAPH {graph}",
                      f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ {graph} <{FINGERPRINT}> ?f }} }}"]
        batch: list[str] = []
        count = 0
        for triple in triples:
            batch.append(f"{_term(triple[0])} {_term(triple[1])} {_term(triple[2])} .")
            count += 1
            if len(batch) >= BATCH:
                statements.append(f"INSERT DATA {{ GRAPH {graph} {{ {chr(10).join(batch)} }} }}")
                batch = []
        if batch:
            statements.append(f"INSERT DATA {{ GRAPH {graph} {{ {chr(10).join(batch)} }} }}")
        if fingerprint is not None:
            statements.append(f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {graph} <{FINGERPRINT}> "
                              f"{_term(ox.Literal(fingerprint))} }} }}")
        self._store.update(" ;\n".join(statements))
        return count

    def add_graphs(self, graphs: Iterable[tuple[str, bytes, str]]) -> None:
        """Replace many graphs (IRI, its quads as N-Quads, fingerprint) in ONE transaction.

        All of the batch is written or none of it (``kill -9`` included). When none of the
        graphs exist yet, the N-Quads and the fingerprints are loaded as they are (Oxigraph's
        ``load`` is one transaction and needs no parsing in Python); otherwise one update
        drops the old graphs and inserts the new.
        """
        graphs = list(graphs)
        meta, fingerprint = ox.NamedNode(META_GRAPH), ox.NamedNode(FINGERPRINT)
        marks = [ox.Quad(ox.NamedNode(iri), fingerprint, ox.Literal(mark), meta) for iri, _, mark in graphs]
        if not any(self._store.contains_named_graph(ox.NamedNode(iri)) or self.document_state(iri) is not None
                   for iri, _, _ in graphs):
            data = b"".join(nquads for _, nquads, _ in graphs) + ox.serialize(marks, format=ox.RdfFormat.N_QUADS)
            self._store.load(data, format=ox.RdfFormat.N_QUADS)
            return
        statements = []
        for iri, _, _ in graphs:
            statements.append(f"DROP SILENT GRAPH <{iri}>")
            statements.append(f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{iri}> <{FINGERPRINT}> ?f }} }}")
        blocks = [f"GRAPH <{iri}> {{ {_triples(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))} }}"
                  for iri, nquads, _ in graphs if nquads]
        blocks.append(f"GRAPH <{META_GRAPH}> {{ {_triples(marks)} }}")
        statements.append(f"INSERT DATA {{ {' '.join(blocks)} }}")
        self._store.update(" ;\n".join(statements))

    def set_state(self, graph_iri: str, fingerprint: str | None) -> None:
        """Record a graph's fingerprint, or forget it (None): a graph with none is stale."""
        statements = [f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{graph_iri}> <{FINGERPRINT}> ?f }} }}"]
        if fingerprint is not None:
            statements.append(f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{graph_iri}> <{FINGERPRINT}> "
                              f"{_term(ox.Literal(fingerprint))} }} }}")
        self._store.update(" ;\n".join(statements))

    def stream_into(self, graph_iri: str, triples: Iterable, flush_every: int = 5) -> int:
        """Add triples to a graph in transactions of ``BATCH``, flushing RocksDB's write buffers
        every ``flush_every`` of them, so memory stays flat however many there are; returns how many.

        Not atomic: a caller marks the graph stale first and records its fingerprint last."""
        graph = ox.NamedNode(graph_iri)
        batch: list[ox.Quad] = []
        count = 0
        for s, p, o in triples:
            batch.append(ox.Quad(s, p, o, graph))
            if len(batch) >= BATCH:
                self._store.extend(batch)
                count, batch = count + len(batch), []
                if count % (BATCH * flush_every) == 0:
                    self._store.flush()
        self._store.extend(batch)
        self._store.flush()
        return count + len(batch)

    def load_file(self, path: Path, graph_iri: str, fingerprint: str | None = None) -> int:
        """Load an RDF file (format from its suffix) into a named graph, atomically."""
        return self.replace_graph(graph_iri, file_triples(path), fingerprint=fingerprint)

    # ------------------------------------------------------------------ graph store writes
    def put_graph(self, graph_iri: str | None, triples: list) -> bool:
        """Make a graph (None: the default graph) hold exactly these triples, in one update.

        One INSERT DATA keeps blank nodes of the input together. True if the graph was new.
        """
        target = "DEFAULT" if graph_iri is None else f"GRAPH <{graph_iri}>"
        existed = self.has_graph(graph_iri)
        body = "\n".join(f"{_term(s)} {_term(p)} {_term(o)} ." for s, p, o in triples)
        inner = body if graph_iri is None else f"GRAPH <{graph_iri}> {{ {body} }}"
        statements = [f"DROP SILENT {target}"]
        if triples:
            statements.append(f"INSERT DATA {{ {inner} }}")
        elif graph_iri is not None:
            statements.append(f"CREATE SILENT GRAPH <{graph_iri}>")
        self._store.update(" ;\n".join(statements))
        return not existed

    def add_to_graph(self, graph_iri: str | None, triples: list) -> bool:
        """Add triples to a graph (None: the default graph), in one transaction. True if the graph was new."""
        existed = self.has_graph(graph_iri)
        graph = ox.DefaultGraph() if graph_iri is None else ox.NamedNode(graph_iri)
        if triples:
            self._store.extend(ox.Quad(s, p, o, graph) for s, p, o in triples)
        elif graph_iri is not None:
            self._store.add_graph(graph)
        return not existed

    def drop_graph(self, graph_iri: str | None) -> bool:
        """Remove a named graph (or empty the default graph); False if there was no such graph."""
        if graph_iri is None:
            self._store.clear_graph(ox.DefaultGraph())
            return True
        if not self.has_graph(graph_iri):
            return False
        self._store.remove_graph(ox.NamedNode(graph_iri))
        return True

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL update, one transaction."""
        self._store.update(sparql, base_iri=base_iri)

    def serialize_graph(self, graph_iri: str | None, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        """One graph (None: the default graph) written to ``out``."""
        graph = ox.DefaultGraph() if graph_iri is None else ox.NamedNode(graph_iri)
        self._store.dump(out, format=fmt, from_graph=graph)

    def has_graph(self, graph_iri: str | None) -> bool:
        return graph_iri is None or self._store.contains_named_graph(ox.NamedNode(graph_iri))

    # ------------------------------------------------------------------ reading
    def document_state(self, graph_iri: str) -> str | None:
        rows = list(self._store.query(
            f"SELECT ?f WHERE {{ GRAPH <{META_GRAPH}> {{ <{graph_iri}> <{FINGERPRINT}> ?f }} }}"))
        return rows[0][0].value if rows else None

    def query(self, sparql: str, *, use_default_graph_as_union: bool = True, default_graph=None, named_graphs=None,
              **options):
        """Run a query; ``options`` go to pyoxigraph (``base_iri``, ``substitutions`` …)."""
        kwargs = dict(options)
        if default_graph is not None:
            kwargs["default_graph"] = default_graph
            use_default_graph_as_union = False
        if named_graphs is not None:
            kwargs["named_graphs"] = named_graphs
        return self._store.query(sparql, use_default_graph_as_union=use_default_graph_as_union, **kwargs)

    def graph_iris(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def triples_in(self, graph_iri: str) -> int:
        rows = list(self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"))
        return int(rows[0][0].value)

    def quad_count(self) -> int:
        return len(self._store)

    def dump(self, out: IO[bytes], fmt: str = "nq", graph_iri: str | None = None) -> None:
        """Stream the store (or one graph) to a binary file object, as ``ckg export`` does."""
        try:
            export.export(self._store, out, export.export_format(fmt), graph_iri)
        except export.ExportError as error:
            raise StoreError(str(error)) from None

    def flush(self) -> None:
        self._store.flush()
