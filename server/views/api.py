"""``/api/queries``: the analysts' named queries as a small web API, described in OpenAPI 3.

Each query runs through the worker's executor (time limit, row cap) with its parameters
bound as typed RDF terms (graph.queries); the answer is JSON, CSV, TSV, SPARQL results,
an HTML table or, for a query whose rows carry a place, GeoJSON (graph/geojson.py), by
``format=`` or ``Accept``. ``limit`` and ``offset`` ask for one page of
it, with ``Link`` headers to the pages beside it (presenters/paging.py). A named query asked
with no parameter is answered from the answer kept for the snapshot once it is made
(runtime/kept_pages.py): a page is a slice of it, a whole listing is streamed as it is read.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Blueprint, Response, request, url_for

from ckg.graph import formats, geojson
from ckg.graph import queries as named_queries

from ..http.iri_paths import local_path
from ..http.negotiation import NotAcceptable, negotiate
from ..http.responses import expose, problem, truncation_headers
from ..presenters import paging, streams
from ..presenters.openapi import openapi_document, rows_of
from ..runtime import kept_pages
from .base import BaseView, answer

blueprint = Blueprint("api", __name__)

OFFER = (formats.JSON, *formats.RESULTS, formats.HTML, formats.GEOJSON)
"""A query's answer: rows as JSON (the default), SPARQL results as they come, a table to read, or
(when its rows carry a place) map features."""
LIST_OFFER = (formats.JSON, formats.HTML)
RESERVED = {"format", *paging.PARAMETERS}
"""Request parameters that are not the query's: its answer's format and page."""


def describe(query: named_queries.NamedQuery) -> dict:
    return {"name": query.name, "summary": query.summary, "description": query.description,
            "columns": list(query.columns), "answers": list(query.answers),
            "parameters": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                            "description": p.description} for p in query.parameters],
            "url": url_for("api.run", name=query.name, _external=True)}


def _with_format(fmt: str) -> str:
    """This request's URL asking for another format (parameters may be called anything, 'name' too)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "format"] + [("format", fmt)]
    return url_for("api.run", name=request.view_args["name"]) + "?" + urlencode(args)


class ApiView(BaseView):
    secured = False  # as the API's pages have always been


class Catalogue(ApiView):
    def get(self) -> Response:
        try:
            fmt = negotiate(LIST_OFFER, request.accept_mimetypes, request.args.get("format"))
        except NotAcceptable as error:
            return problem(406, str(error))
        found = [describe(q) for q in named_queries.catalogue().values()]
        if fmt is formats.HTML:
            return self.render("api/queries.html", queries=found)
        return Response(json.dumps({"queries": found, "openapi": url_for("api.openapi", _external=True)}, indent=1),
                        mimetype="application/json")


class Run(ApiView):
    def get(self, name: str) -> Response:
        try:
            query = named_queries.named(name)
        except named_queries.QueryError as error:
            return problem(404, str(error) + f"; see {url_for('api.catalogue', _external=True)}")
        try:
            fmt = negotiate(OFFER, request.accept_mimetypes, request.args.get("format"))
        except NotAcceptable as error:
            return problem(406, str(error))
        if fmt is formats.GEOJSON and geojson.place_column(query.columns) is None:
            status = 400 if request.args.get("format") else 406  # asked by name, or only by Accept
            return problem(status, f"the query '{name}' has no place column, so its answer cannot be GeoJSON; "
                                "queries with one: " + ", ".join(mapped()))
        values = {}
        for key in request.args:
            if key == "format":
                continue
            given = request.args.getlist(key)
            if len(given) > 1:
                return problem(400, f"give the parameter '{key}' once, not {len(given)} times")
            if key not in RESERVED:
                values[key] = given[0]
        try:
            page = named_queries.page_of(request.args.get("limit"), request.args.get("offset"))
            text = named_queries.paged(named_queries.bind(query, values), page, extra=1)
        except named_queries.QueryError as error:
            return problem(400, str(error))
        found = kept_pages.kept(self.settings, query, values, page)
        if found is not None and page.whole and fmt.name in streams.STREAMED:  # the kept answer as it is read
            return Response(streams.streamed(found, fmt, {"query": query.name, "parameters": values}),
                            content_type=f"{fmt.media_type}; charset=utf-8")
        if found is not None:  # a slice of the answer kept for the snapshot: no query runs
            truncated = None
            data, more = paging.results_page(
                found.results(page.offset, None if page.limit is None else page.limit + 1), page)
        else:
            as_it_comes = fmt.kind == "results" and page.whole
            asked = fmt if as_it_comes else formats.FORMATS["srj"]  # the rest is made from SPARQL JSON
            outcome = self.executor.run(text, accept=[(asked.media_type, 1.0)])
            if outcome.status != 200 or as_it_comes:
                return answer(outcome)  # the executor's answer as it is, in the format asked
            data, more = paging.results_page(json.loads(outcome.body), page)
            truncated = outcome.truncated
        near = paging.links(url_for("api.run", name=name, _external=True), request.args.items(multi=True),
                            paging.neighbours(page, more))
        headers = {**truncation_headers(truncated), **paging.link_header(near)}
        if fmt.kind == "results":
            response = Response(paging.serialized(data, fmt), content_type=f"{fmt.media_type}; charset=utf-8",
                                headers=headers)
            return expose(response, "Link", "Ckg-Truncated")
        if fmt is formats.GEOJSON:
            return self.features(query, values, data, truncated is not None, headers)
        columns, rows = rows_of(data)
        if fmt is formats.HTML:
            page_view = self.render("api/results.html", query=describe(query), columns=columns, rows=rows,
                                    values=values, truncated=truncated, local_path=local_path,
                                    csv_link=_with_format("csv"), json_link=_with_format("json"), near=near,
                                    geojson_link=(_with_format("geojson") if geojson.place_column(query.columns)
                                                  else None),
                                    page=page)
            page_view.headers.update(headers)
            return expose(page_view, "Link", "Ckg-Truncated")
        body = {"query": query.name, "parameters": values, "columns": columns, "rows": rows,
                "truncated": truncated is not None}
        if not page.whole:
            body["page"] = {"limit": page.limit, "offset": page.offset, "next": near.get("next"),
                            "prev": near.get("prev")}
        response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/json", headers=headers)
        return expose(response, "Link", "Ckg-Truncated")

    def features(self, query: named_queries.NamedQuery, values: dict, data: dict, truncated: bool,
                 headers: dict) -> Response:
        """The rows as GeoJSON features, their places located by one more query."""
        def select(text: str) -> dict:
            found = self.executor.run(text, accept=[(formats.FORMATS["srj"].media_type, 1.0)])
            if found.status != 200:
                raise LookupFailed(found)
            return json.loads(found.body)

        try:
            body = geojson.answer_as_geojson(data, select, {"query": query.name, "parameters": values,
                                                            "truncated": truncated})
        except geojson.NoPlaceColumn as error:
            return problem(400, str(error))
        except LookupFailed as failed:
            return answer(failed.outcome)
        response = Response(json.dumps(body, ensure_ascii=False), content_type=formats.GEOJSON.media_type,
                            headers=headers)
        return expose(response, "Link", "Ckg-Truncated")


class LookupFailed(Exception):
    """The query that locates an answer's places did not run (time limit, store gone)."""

    def __init__(self, outcome) -> None:
        super().__init__(outcome.status)
        self.outcome = outcome


def mapped() -> list[str]:
    """The named queries whose rows carry a place: those that can answer in GeoJSON."""
    return [q.name for q in named_queries.catalogue().values() if geojson.place_column(q.columns) is not None]


class OpenApi(ApiView):
    def get(self) -> Response:
        return Response(json.dumps(openapi_document(request.url_root.rstrip("/"), OFFER, LIST_OFFER), indent=1),
                        mimetype="application/json")


blueprint.add_url_rule("/api/queries", view_func=Catalogue.as_view("catalogue"))
blueprint.add_url_rule("/api/queries/<name>", view_func=Run.as_view("run"))
blueprint.add_url_rule("/api/openapi.json", view_func=OpenApi.as_view("openapi"))
