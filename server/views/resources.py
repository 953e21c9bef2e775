"""Dereferenceable IRIs: every resource at its own path, as a page, its data, or RDF.

Every IRI the project mints answers at its own path (see http/iri_paths.py) with ``200``
and content negotiation: HTML for a browser, Turtle, N-Triples, JSON-LD, RDF/XML, TriG or
N-Quads for a machine (by ``Accept``, ``format=`` or a suffix: ``.ttl``, ``.nt``,
``.jsonld``, ``.rdf``, ``.trig``, ``.nq``, ``.html``, ``.json``), ``Vary: Accept`` always.
Any other IRI in the store is at ``/resource?iri=…``. Which page a resource gets is its
page type's (views/page_types.py).
"""
from __future__ import annotations

import dataclasses
import json
from urllib.parse import quote

from flask import Blueprint, Response, request

from ckg.graph import formats
from ckg.ontology.vocabulary import ID_BASE, RDF, SD, VOID, XSD

from .. import page_queries
from ..http.iri_paths import data_path, iris_for_path, named_node, split_suffix
from ..http.negotiation import NotAcceptable, negotiate
from ..http.responses import problem
from ..page_queries import QueryFailed
from ..presenters.description import Description, Term, serialize
from ..presenters.labels import editor_link
from ..presenters.resources import resource_view
from ..presenters.tables import csv_text
from .base import BaseView
from .page_types import Lookup, page_type_of

blueprint = Blueprint("pages", __name__)


def link_header(iri: str) -> str:
    """The page and the quad formats of the same resource, as alternates."""
    path = data_path(iri)
    sep = "&" if "?" in path else "?"
    return ", ".join(f'<{path}{sep}format={f.name}>; rel="alternate"; type="{f.media_type}"'
                     for f in formats.named("html", "trig", "nq"))


def page_data(description: Description, lookup: Lookup) -> dict:
    """Everything one page shows: what every resource's page has, then its page type's own part."""
    page_type = page_type_of(description)
    iri = description.iri
    page = resource_view(description, page_type.kind, page_queries.query_text("describe"))
    page["graph_triples"] = lookup.graph_size(iri)
    if page["graph_triples"]:
        page["graph_download"] = "/store?graph=" + quote(iri, safe="")
    if page_type.view is not None:
        rows = lookup.select(page_type.query, iri, page_type.binds) if page_type.query else []
        page.update(page_type.view(description, rows, lookup))
    if page_type.table is not None:
        page["data_links"].append({"label": "CSV (this page)", "href": table_path(iri)})
    return page


def table_path(iri: str) -> str:
    path = data_path(iri)
    return f"{path}&format=csv" if path.startswith("/resource?") else f"{path}.csv"


def with_parts(description: Description, lookup: Lookup) -> Description:
    """Its RDF: a document's also describes its text spans and their selectors, and a named
    graph's IRI says that it is one and how many triples it holds."""
    description.quads += lookup.describe(description.iri, "parts").quads
    size = lookup.graph_size(description.iri)
    if size:
        this, default = Term("uri", description.iri), Term("default", "")
        description.quads += [
            (this, Term("uri", RDF.type), Term("uri", SD.NamedGraph), default),
            (this, Term("uri", VOID.triples), Term("literal", str(size), XSD.integer), default)]
    return description


def _plain(value):
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    if isinstance(value, set):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


class Resource(BaseView):
    """``/resource?iri=…`` and every other path: the first IRI it may stand for that the store knows."""

    def get(self, path: str | None = None) -> Response:
        if path is None:
            iri = request.args.get("iri", "").strip()
            if not iri:
                return problem(400, f"give the IRI to describe: /resource?iri={ID_BASE}…")
            try:
                named_node(iri)
            except ValueError as error:
                return problem(400, str(error))
            attempts = [(iri, None)]
        else:
            stem, suffix = split_suffix(path)
            attempts = [(iri, suffix) for iri in iris_for_path(stem)] if suffix else []
            attempts += [(iri, None) for iri in iris_for_path(path)]
            if not attempts:
                return self.not_found(None, "there is no page at this address")
        try:
            return self.represent(attempts, request.args.get("format"), Lookup(self.executor))
        except QueryFailed as error:
            return problem(error.status, str(error))

    def represent(self, attempts: list[tuple[str, str | None]], fmt_param: str | None, lookup: Lookup) -> Response:
        """The first IRI the store knows, in the representation asked for (``format=``, the suffix, ``Accept``)."""
        description, fmt_name = None, fmt_param
        for iri, suffix in attempts:
            try:
                named_node(iri)
            except ValueError:
                continue  # a path with characters no IRI may hold: nothing in the store can have it
            found = lookup.describe(iri)
            if found.exists or lookup.graph_size(iri):
                description, fmt_name = found, fmt_param or suffix
                break
        tabled = description is not None and page_type_of(description).table is not None
        try:
            target = negotiate(formats.TABLED_PAGE if tabled else formats.PAGE, request.accept_mimetypes, fmt_name)
        except NotAcceptable as error:
            return problem(406, str(error))
        if description is None:
            return self.not_found(attempts[0][0], "the store has nothing about this IRI", target)
        if target is formats.HTML:
            return self.render(page_type_of(description).template_name, page=page_data(description, lookup))
        if target is formats.JSON:
            return Response(json.dumps(page_data(description, lookup), default=_plain, ensure_ascii=False, indent=1),
                            mimetype=target.media_type)
        if target is formats.CSV:
            table = page_type_of(description).table(page_data(description, lookup))
            return Response(csv_text(table), content_type=f"{target.media_type}; charset=utf-8")
        return Response(serialize(with_parts(description, lookup), target),
                        content_type=f"{target.media_type}; charset=utf-8", headers={"Link": link_header(description.iri)})

    def not_found(self, iri: str | None, reason: str, target: formats.Format = formats.HTML) -> Response:
        """A 404 that says why: a page with links to search and to DESCRIBE it, JSON, or plain text."""
        if target not in formats.LISTING:
            return problem(404, f"{reason}: <{iri}>" if iri else reason)
        if target is formats.JSON:
            return Response(json.dumps({"error": reason, "iri": iri}), status=404, mimetype=target.media_type)
        describe_query = editor_link(f"DESCRIBE <{iri}>") if iri else None
        return self.render("pages/not_found.html", 404, iri=iri, reason=reason, describe_query=describe_query)


resource = Resource.as_view("resource")
blueprint.add_url_rule("/resource", view_func=resource)
blueprint.add_url_rule("/<path:path>", view_func=resource, endpoint="dereference")
