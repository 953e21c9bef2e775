"""Every format ckg reads or writes: one row each.

A row names the format (the ``--format`` and ``format=`` value), its other names, the file
suffixes that ask for it, its media types, the Oxigraph format that writes it and its kind.
Export, downloads, pages, the ontology's pages, the API, the command line and the service
description all take their formats from here, so a new format is one new row: every
offer of its kind gains it (see the README, "Add a format").

Kinds: ``quads`` (datasets, every triple with its graph), ``triples`` (one graph, or the
merge of all), ``results`` (SPARQL SELECT and ASK answers), ``tables`` (what people and
programs read as a page or as rows: HTML, JSON, GeoJSON: rows that carry a place as map features).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

KINDS = ("quads", "triples", "results", "tables")


@dataclass(frozen=True)
class Format:
    name: str
    """The value of ``--format`` and ``format=`` that asks for it."""
    label: str
    """Its name for people."""
    kind: str
    media_type: str
    """What a response in this format is sent as."""
    suffixes: tuple[str, ...] = ()
    """File suffixes that ask for it; the first is the one files are written with."""
    aliases: tuple[str, ...] = ()
    """Other ``format=`` values that ask for it (when no format of the offer is called so)."""
    also_accepted: tuple[str, ...] = ()
    """Other media types a client may ask for it by (when no format of the offer is sent as one)."""
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat | None = None
    """The Oxigraph format that reads and writes it; None for the formats ckg renders itself."""
    w3c: str | None = None
    """Its name under http://www.w3.org/ns/formats/, for the service description."""

    @property
    def suffix(self) -> str:
        """The suffix files in this format are written with."""
        return self.suffixes[0]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.also_accepted)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("srj", "SPARQL results in JSON", "results", "application/sparql-results+json", ("srj",), ("json",),
           ("application/json",), ox.QueryResultsFormat.JSON, "SPARQL_Results_JSON"),
    Format("srx", "SPARQL results in XML", "results", "application/sparql-results+xml", ("srx",), ("xml",),
           ("application/xml",), ox.QueryResultsFormat.XML, "SPARQL_Results_XML"),
    Format("csv", "CSV", "results", "text/csv", ("csv",), (), (), ox.QueryResultsFormat.CSV, "SPARQL_Results_CSV"),
    Format("tsv", "TSV", "results", "text/tab-separated-values", ("tsv",), (), (), ox.QueryResultsFormat.TSV,
           "SPARQL_Results_TSV"),
    Format("nq", "N-Quads", "quads", "application/n-quads", ("nq",), ("nquads",), (), ox.RdfFormat.N_QUADS,
           "N-Quads"),
    Format("trig", "TriG", "quads", "application/trig", ("trig",), (), (), ox.RdfFormat.TRIG, "TriG"),
    Format("ttl", "Turtle", "triples", "text/turtle", ("ttl",), ("turtle",), (), ox.RdfFormat.TURTLE, "Turtle"),
    Format("nt", "N-Triples", "triples", "application/n-triples", ("nt",), ("ntriples",), ("text/plain",),
           ox.RdfFormat.N_TRIPLES, "N-Triples"),
    Format("jsonld", "JSON-LD", "triples", "application/ld+json", ("jsonld",), ("json",), (), ox.RdfFormat.JSON_LD,
           "JSON-LD"),
    Format("rdfxml", "RDF/XML", "triples", "application/rdf+xml", ("rdf", "owl"), ("xml", "rdf"), (),
           ox.RdfFormat.RDF_XML, "RDF_XML"),
    Format("html", "HTML", "tables", "text/html", ("html",), (), ("application/xhtml+xml",)),
    Format("json", "JSON", "tables", "application/json", ("json",)),
    Format("geojson", "GeoJSON", "tables", "application/geo+json", ("geojson",), (), ("application/vnd.geo+json",)),
)}
"""The registry: one row per format."""

ABBREVIATING = ("ttl", "trig", "rdfxml")
"""Formats that write prefixes (the vocabulary's): files get smaller, not different."""


def of_kind(*kinds: str) -> tuple[Format, ...]:
    """The formats of these kinds: kind by kind in the order given, rows in registry order."""
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"no such kind of format: {', '.join(sorted(unknown))}")
    return tuple(f for kind in kinds for f in FORMATS.values() if f.kind == kind)


def named(*names: str) -> tuple[Format, ...]:
    return tuple(FORMATS[name] for name in names)


def find(value: str | None, offer: Iterable[Format]) -> Format | None:
    """The format of the offer that ``value`` asks for: by name, then by another name, then by media type."""
    if not value:
        return None
    offer = tuple(offer)
    for matches in (lambda f: value == f.name, lambda f: value in f.aliases, lambda f: value in f.media_types):
        found = next((f for f in offer if matches(f)), None)
        if found is not None:
            return found
    return None


def by_suffix(suffix: str | None, offer: Iterable[Format]) -> Format | None:
    """The format of the offer that a file suffix (without its dot) asks for."""
    return next((f for f in offer if suffix in f.suffixes), None) if suffix else None


def suffixes(offer: Iterable[Format]) -> tuple[str, ...]:
    return tuple(s for f in offer for s in f.suffixes)


# The offers most places make.
EXPORT = of_kind("quads", "triples")
"""What the store is exported and downloaded as."""
GRAPH = of_kind("triples", "quads")
"""What a CONSTRUCT, DESCRIBE or a resource's description is sent as (Turtle first)."""
ONE_GRAPH = of_kind("triples")
"""What one graph is read and written as (the Graph Store Protocol, the ontology, VoID)."""
RESULTS = of_kind("results")
"""What a SELECT or ASK answer is sent as."""
HTML, JSON, GEOJSON = FORMATS["html"], FORMATS["json"], FORMATS["geojson"]
PAGE = (*GRAPH, HTML, JSON)
"""A resource: its description in RDF, its page, the page's data."""
LISTING = (HTML, JSON)
"""A listing page (documents, contested figures, downloads): the page, or its data."""
CSV = FORMATS["csv"]
TABLED_PAGE = (*PAGE, CSV)
"""A resource whose page is also a table (a claim comparison): as PAGE, and its rows as CSV."""
TABLED_LISTING = (HTML, JSON, CSV)
"""A listing that is also a table (a figure timeline): the page, its data, its rows as CSV."""
MAPPED_LISTING = (*TABLED_LISTING, GEOJSON)
"""A listing whose rows stand at places (the map): as TABLED_LISTING, and its rows as GeoJSON features."""
