"""Listings: one query over the whole store, shown as a page or given as JSON.

A listing is a path, a query (``page_queries/<name>.rq``), a template and a presenter that
shapes the query's rows; ``/<name>.json`` (or ``Accept: application/json``) gives the
same data. ``/contested`` charts every count with conflicting claims; ``/documents``
lists the documents. Their paths are reserved in http/iri_paths.py.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Response, request

from ckg.graph import formats

from .. import page_queries
from ..http.negotiation import for_listing
from ..http.responses import problem
from ..page_queries import QueryFailed
from ..presenters import charts, documents
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


LISTINGS = (
    Listing("contested", charts.contested_charts),
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
        try:
            shown = listing.present(page_queries.select(self.executor, listing.name))
        except QueryFailed as error:
            return problem(error.status, str(error))
        target = for_listing(fmt, request.accept_mimetypes)
        if target is formats.JSON:
            return Response(json.dumps([_plain(item) for item in shown], ensure_ascii=False, indent=1),
                            mimetype=target.media_type)
        if target is None:
            return problem(404, f"/{listing.name} is available as .html and .json, not .{fmt}")
        return self.render(f"pages/{listing.name}.html", items=shown,
                           sparql=editor_link(page_queries.query_text(listing.name)))


for _listing in LISTINGS:
    _view = ListingView.as_view(_listing.name, _listing)
    blueprint.add_url_rule(f"/{_listing.name}", view_func=_view)
    blueprint.add_url_rule(f"/{_listing.name}.<fmt>", view_func=_view)
