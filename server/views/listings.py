"""Listings: one query over the whole store, shown as a page or given as JSON.

A listing is a path, a query (``page_queries/<name>.rq``), a template and a presenter that
shapes the query's rows; ``/<name>.json`` (or ``Accept: application/json``) gives the
same data, a page at a time (``limit``, ``offset``; ``Link`` headers and the page's own links
lead to the pages beside it). ``/contested`` charts the counts with conflicting claims, a page
of counts at a time; ``/documents`` lists the documents. Their paths are reserved in http/iri_paths.py.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Response, request

from ckg.graph import formats
from ckg.graph.queries import Page, QueryError, page_of

from .. import page_queries
from ..http.negotiation import for_listing
from ..http.responses import expose, problem
from ..page_queries import QueryFailed
from ..presenters import charts, documents, paging
from ..presenters.labels import editor_link
from .base import BaseView

blueprint = Blueprint("listings", __name__)


@dataclass(frozen=True)
class Listing:
    name: str
    """Its path (``/<name>``), its query (``page_queries/<name>.rq``) and template (``pages/<name>.html``,
    which shows ``items``)."""
    present: Callable[[list[dict]], list]
    """The query's rows in, what the page shows out (dataclasses are given as dicts in JSON)."""
    page_size: int = 100
    """Items a page shows when the request names no ``limit``."""
    keys: tuple[str, str] | None = None
    """For items made of several rows (a chart of many claims): the query that lists the items,
    one row each (``page_queries/<query>.rq``), and the variable that is their key in both
    queries. A page is a page of keys, and the listing's query gives the rows of those keys only."""


LISTINGS = (
    Listing("contested", charts.contested_charts, page_size=50, keys=("contested-counts", "variable")),
    Listing("documents", documents.document_list),
)
"""The listings, each at ``/<name>`` and ``/<name>.<html|json>``."""


def _plain(item):
    return dataclasses.asdict(item) if dataclasses.is_dataclass(item) else item


class ListingView(BaseView):
    def __init__(self, listing: Listing) -> None:
        self.listing = listing

    def get(self, fmt: str | None = None) -> Response:
        listing = self.listing
        target = for_listing(fmt, request.accept_mimetypes)
        if target is None:
            return problem(404, f"/{listing.name} is available as .html and .json, not .{fmt}")
        try:
            page = self.page()
        except QueryError as error:
            return problem(400, str(error))
        try:
            rows, more = self.rows(page)
        except QueryFailed as error:
            return problem(error.status, str(error))
        shown = listing.present(rows)
        near = paging.links(request.base_url, request.args.items(multi=True), paging.neighbours(page, more))
        if target is formats.JSON:
            response = Response(json.dumps([_plain(item) for item in shown], ensure_ascii=False, indent=1),
                                mimetype=target.media_type, headers=paging.link_header(near))
        else:
            response = self.render(f"pages/{listing.name}.html", items=shown, page=page, near=near,
                                   sparql=editor_link(page_queries.query_text(listing.name)))
            response.headers.update(paging.link_header(near))
        return expose(response, "Link")

    def rows(self, page: Page) -> tuple[list[dict], bool]:
        """The rows of the page's items, and whether more items follow."""
        listing = self.listing
        if listing.keys is None:
            return paging.trimmed(page_queries.select(self.executor, listing.name, page=page), page)
        query, variable = listing.keys
        keys, more = paging.trimmed(page_queries.select(self.executor, query, page=page), page)
        iris = [key[variable].value for key in keys]
        return page_queries.select_among(self.executor, listing.name, variable, iris), more

    def page(self) -> Page:
        """The page asked for: ``limit`` rows (the listing's page size when none is given) from ``offset``."""
        for name in paging.PARAMETERS:
            if len(request.args.getlist(name)) > 1:
                raise QueryError(f"give the parameter '{name}' once, not {len(request.args.getlist(name))} times")
        asked = page_of(request.args.get("limit"), request.args.get("offset"))
        return Page(asked.limit or self.listing.page_size, asked.offset)


for _listing in LISTINGS:
    _view = ListingView.as_view(_listing.name, _listing)
    blueprint.add_url_rule(f"/{_listing.name}", view_func=_view)
    blueprint.add_url_rule(f"/{_listing.name}.<fmt>", view_func=_view)
