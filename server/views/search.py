"""``/search``: ranked full-text search of the current snapshot, with facets; ``/api/search``
and ``/api/complete`` for programs and the search box.

The words and facet values go to the snapshot's SQLite index (graph/search.py) as bound
parameters; bad syntax is a 400 that says what is wrong. The page is also JSON and CSV
(``/search.json``, ``/search.csv``, ``format=`` or ``Accept``), as every page is.
"""
from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, request

from ckg.graph import formats
from ckg.graph import search as full_text
from ckg.graph import facets

from ..http.negotiation import NotAcceptable, negotiate
from ..http.responses import problem
from ..presenters.search import completions_data, csv_rows, result_data
from ..runtime.search_files import current_index
from .base import BaseView

blueprint = Blueprint("search", __name__)

OFFER = (formats.HTML, formats.JSON, formats.FORMATS["csv"])
"""The search page, its data, and its hits as a table."""


def _number(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise full_text.SearchError(f"{name} must be a whole number, not {raw!r}") from None


def request_of() -> full_text.Request:
    """The search this request asks for: ``q``, a parameter per facet value, ``limit``, ``offset``."""
    try:
        filters = facets.parse(request.args.items(multi=True))
    except facets.FacetError as error:
        raise full_text.SearchError(str(error)) from None
    return full_text.Request(request.args.get("q", ""), filters, _number("limit", 20), _number("offset", 0))


class SearchView(BaseView):
    def get(self, suffix: str | None = None) -> Response:
        try:
            fmt = (formats.by_suffix(suffix, OFFER) if suffix is not None
                   else negotiate(OFFER, request.accept_mimetypes, request.args.get("format")))
        except NotAcceptable as error:
            return problem(406, str(error))
        if fmt is None:
            return problem(404, f"/search is available as .html, .json and .csv, not .{suffix}")
        text = request.args.get("q", "")
        if fmt is formats.HTML and not text.strip() and not request.args.get("format"):
            return self.render("pages/search.html", result=None, search_text="")
        try:
            data = found(self.store_path, request_of(), self.settings.query_timeout,
                         self.settings.search_exact_facets)
        except full_text.SearchError as error:
            if fmt is formats.HTML:
                return self.render("pages/search.html", status=400, result=None, error=str(error), search_text=text)
            return problem(400, str(error))
        except full_text.SearchTimeout as error:
            return problem(503, str(error))
        if fmt is formats.JSON:
            return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype=fmt.media_type)
        if fmt.name == "csv":
            out = io.StringIO()
            csv.writer(out).writerows(csv_rows(data))
            return Response(out.getvalue(), mimetype=fmt.media_type)
        return self.render("pages/search.html", result=data, search_text=text)


def found(store_path, search_request: full_text.Request, seconds: float | None, exact_up_to: int) -> dict:
    with current_index(store_path) as index:
        return result_data(full_text.search(index, search_request, seconds, exact_up_to))


class ApiSearch(BaseView):
    def get(self) -> Response:
        try:
            data = found(self.store_path, request_of(), self.settings.query_timeout,
                         self.settings.search_exact_facets)
        except full_text.SearchError as error:
            return problem(400, str(error))
        except full_text.SearchTimeout as error:
            return problem(503, str(error))
        return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json")


class ApiComplete(BaseView):
    def get(self) -> Response:
        prefix = request.args.get("prefix", "")
        try:
            limit = _number("limit", 10)
            with current_index(self.store_path) as index:
                names = completions_data(full_text.complete(index, prefix[:200], limit))
        except full_text.SearchError as error:
            return problem(400, str(error))
        return Response(json.dumps({"prefix": prefix, "names": names}, ensure_ascii=False),
                        mimetype="application/json")


_search = SearchView.as_view("page")
blueprint.add_url_rule("/search", view_func=_search)
blueprint.add_url_rule("/search.<suffix>", view_func=_search)
blueprint.add_url_rule("/api/search", view_func=ApiSearch.as_view("api"))
blueprint.add_url_rule("/api/complete", view_func=ApiComplete.as_view("complete"))
