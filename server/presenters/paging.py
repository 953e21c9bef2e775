"""Pages of a listing: the rows one page holds, and where its neighbours are.

A page's query asks for one row more than the page shows (graph.queries.paged): that row,
when it comes, is how a page knows a next one has anything, so the last page links to no
next page however the rows divide. Links are the request's own URL with ``limit`` and
``offset`` replaced, every other parameter kept as it was.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

import pyoxigraph as ox

from ckg.graph import formats
from ckg.graph.queries import Page

PARAMETERS = ("limit", "offset")
"""The request parameters that choose a page."""


def trimmed(rows: Sequence, page: Page) -> tuple[list, bool]:
    """The page's rows out of those its query gave (one more than it shows, when there are more),
    and whether a next page has any."""
    if page.limit is None:
        return list(rows), False
    return list(rows[: page.limit]), len(rows) > page.limit


def neighbours(page: Page, more: bool) -> dict[str, Page]:
    """The pages before and after this one (``prev`` from the first row on, never before it)."""
    near = {}
    if page.limit is None:
        return near
    if page.offset > 0:
        near["prev"] = Page(page.limit, max(0, page.offset - page.limit))
    if more:
        near["next"] = Page(page.limit, page.offset + page.limit)
    return near


def url_of(path: str, args: Iterable[tuple[str, str]], page: Page) -> str:
    """``path`` with the request's other parameters and this page's."""
    kept = [(k, v) for k, v in args if k not in PARAMETERS]
    chosen = [("limit", str(page.limit))] if page.limit is not None else []
    query = urlencode(kept + chosen + ([("offset", str(page.offset))] if page.offset else []))
    return path + ("?" + query if query else "")


def links(path: str, args: Iterable[tuple[str, str]], near: dict[str, Page]) -> dict[str, str]:
    """Each neighbour's URL by its relation (``next``, ``prev``)."""
    args = list(args)
    return {relation: url_of(path, args, other) for relation, other in near.items()}


def link_header(urls: dict[str, str]) -> dict[str, str]:
    """The ``Link`` header naming the neighbours (RFC 8288); none on a page that has none."""
    if not urls:
        return {}
    return {"Link": ", ".join(f'<{url}>; rel="{relation}"' for relation, url in urls.items())}


def results_page(data: dict, page: Page) -> tuple[dict, bool]:
    """SPARQL JSON results cut to the page, and whether more follow."""
    rows, more = trimmed(data["results"]["bindings"], page)
    return {**data, "results": {**data["results"], "bindings": rows}}, more


def serialized(data: dict, fmt: formats.Format) -> bytes:
    """SPARQL JSON results written in another results format (XML, CSV, TSV) by Oxigraph."""
    body = json.dumps(data).encode("utf-8")
    if fmt is formats.FORMATS["srj"]:
        return body
    solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return solutions.serialize(format=fmt.oxigraph)
