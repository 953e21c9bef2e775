"""The store as RDF files: streamed, never held in memory whole.

Quad formats (N-Quads, TriG) keep each triple's graph. The triple formats (Turtle,
N-Triples, JSON-LD, RDF/XML) have no graphs: asked for the whole store, they write the
merge of every graph (the union that queries see); a triple stated in several graphs is
written once per graph, which is the same RDF graph. Asked for one graph, any format
writes that graph alone (the quad formats with its name).
"""
from __future__ import annotations

import gzip
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ckg.ontology.vocabulary import PREFIXES

from .formats import ABBREVIATING, EXPORT, Format

FORMATS = {f.name: f for f in EXPORT}
"""The export formats by name (the registry's quad and triple formats)."""
BY_EXTENSION = {f.suffix: f for f in EXPORT}


class ExportError(Exception):
    """An export that cannot be made; the message says what is wrong."""


def export_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise ExportError(f"unknown format '{name}' (expected one of {', '.join(FORMATS)})") from None


def graph_node(store: ox.Store, graph_iri: str) -> ox.NamedNode:
    """The graph as a term; ExportError when the IRI is invalid or the store has no such graph."""
    try:
        node = ox.NamedNode(graph_iri)
    except ValueError as error:
        raise ExportError(f"'{graph_iri}' is not a valid IRI: {error}") from None
    if not store.contains_named_graph(node):
        raise ExportError(f"the store has no graph <{graph_iri}> (list them with: SELECT DISTINCT ?g "
                          "WHERE { GRAPH ?g {} })")
    return node


def export(store: ox.Store, out: IO[bytes], fmt: Format, graph_iri: str | None = None) -> None:
    """Write the store (or one named graph) to a binary file object, streaming."""
    options = {"prefixes": PREFIXES} if fmt.name in ABBREVIATING else {}
    quads = fmt.kind == "quads"
    if graph_iri is not None and quads:  # the graph's name stays on its quads
        node = graph_node(store, graph_iri)
        ox.serialize(store.quads_for_pattern(None, None, None, node), out, format=fmt.oxigraph, **options)
    elif graph_iri is not None:
        store.dump(out, format=fmt.oxigraph, from_graph=graph_node(store, graph_iri), **options)
    elif quads:
        store.dump(out, format=fmt.oxigraph, **options)
    else:
        triples = (quad.triple for quad in store.quads_for_pattern(None, None, None, None))
        ox.serialize(triples, out, format=fmt.oxigraph, **options)


def export_remote(store, out: IO[bytes], fmt: Format, graph_iri: str | None = None) -> None:
    """``export`` for a remote store (graph.remote_store): its graphs fetched one at a time and streamed."""
    options = {"prefixes": PREFIXES} if fmt.name in ABBREVIATING else {}
    if graph_iri is not None:
        try:
            ox.NamedNode(graph_iri)
        except ValueError as error:
            raise ExportError(f"'{graph_iri}' is not a valid IRI: {error}") from None
        if not store.has_graph(graph_iri):
            raise ExportError(f"the store has no graph <{graph_iri}> (list them with: SELECT DISTINCT ?g "
                              "WHERE { GRAPH ?g {} })")
    quads = store.quads(graph_iri)
    items = quads if fmt.kind == "quads" else (quad.triple for quad in quads)
    ox.serialize(items, out, format=fmt.oxigraph, **options)


def export_to_path(store, path: Path, fmt: Format, graph_iri: str | None = None) -> None:
    """Write to a file (gzip-compressed when its name ends in .gz), whole or not at all; ``store``
    is an embedded one's ``ox.Store`` or a remote store."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "wb") as raw:
            if path.suffix == ".gz":
                with gzip.GzipFile(filename=path.name[:-3], mode="wb", fileobj=raw, compresslevel=6, mtime=0) as out:
                    _write(store, out, fmt, graph_iri)
            else:
                _write(store, raw, fmt, graph_iri)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _write(store, out: IO[bytes], fmt: Format, graph_iri: str | None) -> None:
    (export if isinstance(store, ox.Store) else export_remote)(store, out, fmt, graph_iri)
