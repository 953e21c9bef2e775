"""The store as RDF files: streamed, never held in memory whole.

Quad formats (N-Quads, TriG) keep each triple's graph. The triple formats (Turtle,
N-Triples, JSON-LD, RDF/XML) have no graphs: asked for the whole store, they write the
merge of every graph (the union that queries see); a triple stated in several graphs is
written once per graph, which is the same RDF graph. Asked for one graph, any format
writes that graph alone (the quad formats with its name).
"""
from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ckg.ontology.vocabulary import PREFIXES


@dataclass(frozen=True)
class ExportFormat:
    name: str
    """The ``--format`` value."""
    extension: str
    media_type: str
    oxigraph: ox.RdfFormat
    quads: bool


FORMATS = {f.name: f for f in (
    ExportFormat("nq", "nq", "application/n-quads", ox.RdfFormat.N_QUADS, True),
    ExportFormat("trig", "trig", "application/trig", ox.RdfFormat.TRIG, True),
    ExportFormat("ttl", "ttl", "text/turtle", ox.RdfFormat.TURTLE, False),
    ExportFormat("nt", "nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, False),
    ExportFormat("jsonld", "jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, False),
    ExportFormat("rdfxml", "rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML, False),
)}
BY_EXTENSION = {f.extension: f for f in FORMATS.values()}


class ExportError(Exception):
    """An export that cannot be made; the message says what is wrong."""


def export_format(name: str) -> ExportFormat:
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


def export(store: ox.Store, out: IO[bytes], fmt: ExportFormat, graph_iri: str | None = None) -> None:
    """Write the store (or one named graph) to a binary file object, streaming."""
    prefixes = PREFIXES if fmt.oxigraph in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else None
    options = {"prefixes": prefixes} if prefixes else {}
    if graph_iri is not None and fmt.quads:  # the graph's name stays on its quads
        node = graph_node(store, graph_iri)
        ox.serialize(store.quads_for_pattern(None, None, None, node), out, format=fmt.oxigraph, **options)
    elif graph_iri is not None:
        store.dump(out, format=fmt.oxigraph, from_graph=graph_node(store, graph_iri), **options)
    elif fmt.quads:
        store.dump(out, format=fmt.oxigraph, **options)
    else:
        triples = (quad.triple for quad in store.quads_for_pattern(None, None, None, None))
        ox.serialize(triples, out, format=fmt.oxigraph, **options)


def export_to_path(store: ox.Store, path: Path, fmt: ExportFormat, graph_iri: str | None = None) -> None:
    """Write to a file (gzip-compressed when its name ends in .gz), whole or not at all."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "wb") as raw:
            if path.suffix == ".gz":
                with gzip.GzipFile(filename=path.name[:-3], mode="wb", fileobj=raw, compresslevel=6, mtime=0) as out:
                    export(store, out, fmt, graph_iri)
            else:
                export(store, raw, fmt, graph_iri)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
