"""Which IRIs this server answers for, and at which paths.

The server's root stands for the host of the base IRI, as Pubby and LodView map a
dataset's namespace onto their own address: ``https://host/ckg/id/claim/x`` is served
at ``/ckg/id/claim/x``, the path it would have if the server ran at that host.
So a server deployed at the base IRI's own host serves every IRI at its own path, and one
running anywhere else (the default) serves the same paths. Minted data (``CKG_BASE_IRI``),
the knowledge base and the store's fixed graphs are served; any other IRI in the store is
reachable through ``/resource?iri=``.
"""
from __future__ import annotations

from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from ckg.graph import formats, iris
from ckg.ontology.vocabulary import GRAPH_BASE, ID_BASE, ONTOLOGY_IRI, VERSION_IRI

RESERVED = ("ontology", "dump", ".well-known", "api", "sparql", "store", "static", "assets", "resource",
            "contested", "documents", "search", "timeline", "verdicts", "ratings", "claims", "people", "organisations",
            "places")
"""First path segments that name the server's own pages: never read as an IRI's path."""
RESERVED_EXACT = tuple(urlsplit(iri).path.lstrip("/") for iri in (ONTOLOGY_IRI, VERSION_IRI))
"""Paths of the ontology and its version: served by the ontology's own pages."""

SUFFIXES = {f".{suffix}": fmt.name for fmt in formats.TABLED_PAGE for suffix in fmt.suffixes}
"""File suffixes that ask for one representation of the resource (``/…/x.ttl``), with its format's name."""


def namespaces() -> list[str]:
    """IRI prefixes the server dereferences at their own paths, most specific first."""
    found = {iris.base(), ID_BASE, GRAPH_BASE}
    return sorted(found, key=len, reverse=True)


def _origin(iri: str) -> str:
    parts = urlsplit(iri)
    return f"{parts.scheme}://{parts.netloc}"


def served_iri(path: str) -> str:
    """The IRI a path of this server stands for, under the base IRI's host: a name the server
    mints for data comes from its settings, never from the request's ``Host`` header."""
    return f"{_origin(iris.base())}/{path.lstrip('/')}"


def reserved(path: str) -> bool:
    """True for paths that belong to the server's own pages (path without its leading slash)."""
    return path.split("/", 1)[0] in RESERVED or path.rstrip("/") in RESERVED_EXACT


def iris_for_path(path: str) -> list[str]:
    """The IRIs a request path may stand for (path without its leading slash), best first."""
    if reserved(path):
        return []
    found = []
    for namespace in namespaces():
        iri = f"{_origin(namespace)}/{path}"
        if iri.startswith(namespace) and iri not in found:
            found.append(iri)
    return found


def split_suffix(path: str) -> tuple[str, str | None]:
    """``claim/x.ttl`` → (``claim/x``, ``ttl``); a path with no known suffix → (path, None)."""
    for suffix, name in SUFFIXES.items():
        if path.endswith(suffix) and len(path) > len(suffix):
            return path[: -len(suffix)], name
    return path, None


def named_node(iri: str) -> ox.NamedNode:
    """The IRI as an RDF term; ValueError when it is not a valid absolute IRI."""
    if not iri or ":" not in iri:
        raise ValueError(f"'{iri}' is not an absolute IRI")
    try:
        return ox.NamedNode(iri)
    except (ValueError, SyntaxError) as error:
        raise ValueError(f"'{iri}' is not a valid IRI: {error}") from None


def local_path(iri: str) -> str:
    """Where this server shows an IRI: its own path when served here, else ``/resource?iri=``.

    A fragment stays a fragment: ``…/doc/x#char=1,5`` is the document's page at that anchor.
    """
    for namespace in namespaces():
        if iri.startswith(namespace):
            path = iri[len(_origin(namespace)):]
            base, _, fragment = path.partition("#")
            if not reserved(base.lstrip("/")):
                return quote(base, safe="/:@!$&'()*+,;=-._~%") + (f"#{quote(fragment, safe='=,:-._~')}" if fragment else "")
    return "/resource?iri=" + quote(iri, safe="")


def data_path(iri: str) -> str:
    """Where the data about exactly this IRI is: its page's path, or ``/resource?iri=`` for a
    fragment's IRI (a browser never sends the fragment, so the path alone names the document)."""
    return "/resource?iri=" + quote(iri, safe="") if "#" in iri else local_path(iri)
