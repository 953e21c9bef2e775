"""Listings: one query over the whole store, shown as a page or given as JSON.

A listing is a path, a query (``page_queries/<name>.rq``), a template and a presenter that
shapes the query's rows; ``/<name>.json`` (or ``Accept: application/json``) gives the
same data, a page at a time (``limit``, ``offset``; ``Link`` headers and the page's own links
lead to the pages beside it). ``/contested`` charts the counts with conflicting claims, a page
of counts at a time; ``/documents`` lists the documents; ``/claims``, ``/people``,
``/organisations`` and ``/places`` list the instances of their class. Their paths are reserved in http/iri_paths.py.

A listing with facets takes the search's facet parameters (graph/facets.py): its facet query
(``page_queries/<name>-facets.rq``) gives each item's values, the items with every chosen value
are kept, counted by value, and the page's query runs for those items only (a ``VALUES`` block
of their escaped IRIs), so the page and its neighbours are pages of the narrowed list.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Response, request

from ckg.graph import facets, formats
from ckg.graph.queries import Page, QueryError, page_of

from .. import page_queries
from ..http.negotiation import NotAcceptable, for_listing
from ..http.responses import expose, problem
from ..page_queries import QueryFailed
from ..presenters import charts, documents, entities, paging
from ..presenters.facets import facets_data, listing_link, removals
from ..presenters.labels import editor_link, label_of
from ..presenters.tables import csv_text
from ..runtime import per_snapshot
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
    item: str = "item"
    """The variable of the listing's query that names an item, when ``keys`` gives none."""
    facets: tuple[str, ...] = ()
    """The facets it can be narrowed by; ``page_queries/<name>-facets.rq`` gives each item (``?item``)
    with a column per facet (``?date`` for day, week and month)."""

    table: tuple[Callable[[list], list[dict]], tuple[str, ...]] | None = None
    """The items as a table (a function from what ``present`` gives to rows, and the columns):
    ``/<name>.csv``."""
    template: str | None = None
    """The page's template (``pages/<template>.html``) when it is not the listing's name."""
    title: str = ""
    """The page's heading, for a template that several listings share."""

    @property
    def offer(self) -> tuple[formats.Format, ...]:
        return formats.TABLED_LISTING if self.table else formats.LISTING

    @property
    def key(self) -> str:
        return self.keys[1] if self.keys else self.item


AGENT_FACETS = ("side", "kind", "channel", "document", "day", "week", "month")
"""A person's or organisation's values: the state it acts for, the documents that mention it (and their
dates), the count kinds and channels of the claims it made."""

LISTINGS = (
    Listing("contested", charts.contested_charts, page_size=50, keys=("contested-counts", "variable"),
            facets=("side", "kind", "claimant", "reliability", "channel", "document", "day", "week", "month"),
            table=(charts.contested_rows, charts.CSV_COLUMNS)),
    Listing("documents", documents.document_list, item="document",
            facets=("side", "kind", "claimant", "channel", "day", "week", "month"),
            table=(list, documents.LIST_COLUMNS)),
    Listing("claims", entities.claim_list, facets=("side", "kind", "claimant", "reliability", "channel", "document",
                                                   "day", "week", "month"),
            table=(list, entities.CLAIM_COLUMNS), template="by_class", title="Claims"),
    Listing("people", entities.agent_list, facets=AGENT_FACETS, table=(list, entities.AGENT_COLUMNS),
            template="by_class", title="People"),
    Listing("organisations", entities.agent_list, facets=AGENT_FACETS, table=(list, entities.AGENT_COLUMNS),
            template="by_class", title="Organisations"),
    Listing("places", entities.place_list, facets=("side", "kind", "document", "day", "week", "month"),
            table=(list, entities.PLACE_COLUMNS), template="by_class", title="Places"),
)
"""The listings, each at ``/<name>`` and ``/<name>.<html|json|csv>``."""


def _plain(item):
    return dataclasses.asdict(item) if dataclasses.is_dataclass(item) else item


class ListingView(BaseView):
    def __init__(self, listing: Listing) -> None:
        self.listing = listing

    def get(self, fmt: str | None = None) -> Response:
        listing = self.listing
        try:
            target = for_listing(fmt, request.accept_mimetypes, listing.offer, request.args.get("format"))
        except NotAcceptable as error:
            return problem(406, str(error))
        if target is None:
            suffixes = ", ".join(f".{f.suffixes[0]}" for f in listing.offer)
            return problem(404, f"/{listing.name} is available as {suffixes}, not .{fmt}")
        arguments = request.args.items(multi=True)
        try:
            page = self.page()
            chosen = facets.parse(arguments, listing.facets, others=(*paging.PARAMETERS, "format"),
                                  where=f"on /{listing.name}")
        except (QueryError, facets.FacetError) as error:
            return problem(400, str(error))
        try:
            narrowed = self.narrowed(chosen) if listing.facets else None
            rows, more = self.rows(page, sorted(narrowed["kept"]) if chosen else None)
        except QueryFailed as error:
            return problem(error.status, str(error))
        shown = listing.present(rows)
        near = paging.links(request.base_url, request.args.items(multi=True), paging.neighbours(page, more))
        data = {"items": [_plain(item) for item in shown]}
        if narrowed is not None:
            data |= {"total": len(narrowed["kept"]), "filters": narrowed["filters"], "facets": narrowed["facets"]}
        if target is formats.CSV and listing.table:
            to_rows, columns = listing.table
            response = Response(csv_text(to_rows(shown), columns), content_type=f"{target.media_type}; charset=utf-8",
                                headers=paging.link_header(near))
        elif target is formats.JSON:
            data["page"] = {"limit": page.limit, "offset": page.offset, "next": near.get("next"), "prev": near.get("prev")}
            response = Response(json.dumps(data, ensure_ascii=False, indent=1),
                                mimetype=target.media_type, headers=paging.link_header(near))
        else:
            response = self.render(f"pages/{listing.template or listing.name}.html", **(data | {"items": shown}),
                                   page=page, near=near, listing=listing,
                                   sparql=editor_link(page_queries.query_text(listing.name)))
            response.headers.update(paging.link_header(near))
        return expose(response, "Link")

    def narrowed(self, chosen: facets.Chosen) -> dict:
        """The items with every chosen value, each facet's values with their counts among them
        and links, and the chosen values with the links that take each away."""
        listing = self.listing
        items = per_snapshot.once(self.location, f"{listing.name}-facets", self.item_facets)
        kept = facets.kept(items, chosen)
        values = facets.shown(((facet, value, value, n) for (facet, value), n in facets.counted(items, kept).items()),
                              chosen, listing.facets, facets.ORDERS)
        named = sorted({v.value for name, listed in values.items() if name in facets.IRI_FACETS for v in listed})
        labels = {row["value"].value: row["label"].value
                  for row in page_queries.select(self.executor, "facet-labels", only=("value", named))}
        values = {name: [dataclasses.replace(v, label=label_of(v.value, labels)) if name in facets.IRI_FACETS else v
                         for v in listed] for name, listed in values.items()}
        link = listing_link(request.path, request.args.items(multi=True), listing.facets)
        return {"kept": kept, "facets": facets_data(values, chosen, link), "filters": removals(values, chosen, link)}

    def item_facets(self) -> dict[str, set[tuple[str, str]]]:
        """Every item's facet values, from the listing's facet query."""
        rows = page_queries.select(self.executor, f"{self.listing.name}-facets")
        return facets.of_rows(({k: v.value for k, v in row.items()} for row in rows), self.listing.facets)

    def rows(self, page: Page, only: list[str] | None = None) -> tuple[list[dict], bool]:
        """The rows of the page's items (of those ``only`` names, when given), and whether more items follow."""
        listing = self.listing
        narrowed = None if only is None else (listing.key, only)
        if listing.keys is None:
            return paging.trimmed(page_queries.select(self.executor, listing.name, page=page, only=narrowed), page)
        query, variable = listing.keys
        keys, more = paging.trimmed(page_queries.select(self.executor, query, page=page, only=narrowed), page)
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
