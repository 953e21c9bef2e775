"""``/api/queries``: the analysts' named queries as a small web API, described in OpenAPI 3.

Each query runs through the worker's executor (time limit, row cap) with its parameters
bound as typed RDF terms (graph.queries); the answer is JSON, CSV, TSV, SPARQL results
or an HTML table, by ``format=`` or ``Accept``.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for
from werkzeug.datastructures import MIMEAccept

from ckg.graph import queries as named_queries

from .iri_paths import local_path
from .pages import chrome
from .responses import from_outcome, problem, truncation_headers

blueprint = Blueprint("api", __name__, template_folder="templates")

FORMATS = {"json": "application/json", "csv": "text/csv", "tsv": "text/tab-separated-values",
           "html": "text/html", "srj": "application/sparql-results+json"}
LIST_FORMATS = ("json", "html")
RESERVED = {"format"}
OPENAPI_TYPES = {"iri": {"type": "string", "format": "uri"}, "string": {"type": "string"},
                 "integer": {"type": "integer"}, "decimal": {"type": "number"}, "boolean": {"type": "boolean"},
                 "date": {"type": "string", "format": "date"}, "dateTime": {"type": "string", "format": "date-time"}}


def _format(offered: tuple[str, ...]) -> str | None:
    """The format asked for by ``format=`` or ``Accept`` among ``offered``; None when none fits."""
    asked = request.args.get("format")
    if asked:
        return asked if asked in offered else None
    accept = request.accept_mimetypes
    if not accept or not list(accept.values()):
        return offered[0]
    best = MIMEAccept([(value.split(";")[0].strip(), quality) for value, quality in accept]).best_match(
        [FORMATS[name] for name in offered])
    return next((name for name in offered if FORMATS[name] == best), None)


def _not_acceptable(offered: tuple[str, ...]) -> Response:
    return problem(406, "this resource is available as " + ", ".join(FORMATS[f] for f in offered)
                   + " (or add format=" + "|".join(offered) + ")")


def describe(query: named_queries.NamedQuery) -> dict:
    return {"name": query.name, "summary": query.summary, "description": query.description,
            "columns": list(query.columns), "answers": list(query.answers),
            "parameters": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                            "description": p.description} for p in query.parameters],
            "url": url_for("api.run", name=query.name, _external=True)}


@blueprint.get("/api/queries")
def catalogue():
    fmt = _format(LIST_FORMATS)
    if fmt is None:
        return _not_acceptable(LIST_FORMATS)
    found = [describe(q) for q in named_queries.catalogue().values()]
    if fmt == "html":
        return render_template("api/queries.html", queries=found, **chrome())
    return Response(json.dumps({"queries": found, "openapi": url_for("api.openapi", _external=True)}, indent=1),
                    mimetype="application/json")


@blueprint.get("/api/queries/<name>")
def run(name: str):
    try:
        query = named_queries.named(name)
    except named_queries.QueryError as error:
        return problem(404, str(error) + f"; see {url_for('api.catalogue', _external=True)}")
    fmt = _format(tuple(FORMATS))
    if fmt is None:
        return _not_acceptable(tuple(FORMATS))
    values = {}
    for key in request.args:
        if key in RESERVED:
            continue
        given = request.args.getlist(key)
        if len(given) > 1:
            return problem(400, f"give the parameter '{key}' once, not {len(given)} times")
        values[key] = given[0]
    try:
        text = named_queries.bind(query, values)
    except named_queries.QueryError as error:
        return problem(400, str(error))
    media = FORMATS[fmt if fmt in ("csv", "tsv") else "srj"]  # JSON and HTML are made from SPARQL JSON
    outcome = current_app.extensions["ckg.executor"].run(text, accept=[(media, 1.0)])
    if outcome.status != 200 or fmt in ("csv", "tsv", "srj"):
        return from_outcome(outcome)  # the executor's answer as it is, in the format asked
    headers = truncation_headers(outcome.truncated)
    columns, rows = _rows(json.loads(outcome.body))
    if fmt == "html":
        return Response(render_template("api/results.html", query=describe(query), columns=columns, rows=rows,
                                        values=values, truncated=outcome.truncated, local_path=local_path,
                                        csv_link=_with_format("csv"), json_link=_with_format("json"),
                                        **chrome()), mimetype="text/html", headers=headers)
    body = {"query": query.name, "parameters": values, "columns": columns, "rows": rows,
            "truncated": outcome.truncated is not None}
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json", headers=headers)


def _rows(data: dict) -> tuple[list[str], list[dict]]:
    """SPARQL JSON results as plain rows: each cell the term's value, empty when unbound."""
    columns = data["head"]["vars"]
    return columns, [{c: row[c]["value"] if c in row else None for c in columns} for row in data["results"]["bindings"]]


def _with_format(fmt: str) -> str:
    """This request's URL asking for another format (parameters may be called anything, 'name' too)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "format"] + [("format", fmt)]
    return url_for("api.run", name=request.view_args["name"]) + "?" + urlencode(args)


def _typed(parameter: named_queries.Parameter, value: str):
    """A default in the JSON type its OpenAPI schema says."""
    if parameter.type == "integer":
        return int(value)
    if parameter.type == "decimal":
        return float(value)
    if parameter.type == "boolean":
        return value.lower() in ("true", "1")
    return value


def openapi_document(root: str) -> dict:
    """An OpenAPI 3.0 description of every named query."""
    row_error = {"description": "what is wrong (unknown or ill-typed parameter)",
                 "content": {"text/plain": {"schema": {"type": "string"}}}}
    paths: dict = {"/api/queries": {"get": {
        "operationId": "listQueries", "summary": "The named queries, with their descriptions and parameters",
        "parameters": [{"name": "format", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": list(LIST_FORMATS)}}],
        "responses": {"200": {"description": "the catalogue", "content": {
            "application/json": {"schema": {"type": "object", "properties": {"queries": {"type": "array",
                                                                                          "items": {"type": "object"}}}}},
            "text/html": {"schema": {"type": "string"}}}}}}}}
    for query in named_queries.catalogue().values():
        row = {"type": "object", "properties": {c: {"type": "string", "nullable": True} for c in query.columns}}
        parameters = [{"name": p.name, "in": "query", "required": p.required, "description": p.description,
                       "schema": dict(OPENAPI_TYPES[p.type], **({"default": _typed(p, p.default)} if p.default else {}))}
                      for p in query.parameters]
        parameters.append({"name": "format", "in": "query", "required": False,
                           "description": "the answer's format (else by Accept)",
                           "schema": {"type": "string", "enum": list(FORMATS)}})
        paths[f"/api/queries/{query.name}"] = {"get": {
            "operationId": "query_" + query.name.replace("-", "_"),
            "summary": query.summary, "description": query.description, "parameters": parameters,
            "responses": {
                "200": {"description": "one row per " + (query.description.split(".")[0].removeprefix("One row per ")
                                                           if query.description else "result"),
                        "content": {
                            "application/json": {"schema": {"type": "object", "properties": {
                                "query": {"type": "string"}, "columns": {"type": "array", "items": {"type": "string"}},
                                "rows": {"type": "array", "items": row}, "truncated": {"type": "boolean"}}}},
                            "text/csv": {"schema": {"type": "string"}},
                            "text/tab-separated-values": {"schema": {"type": "string"}},
                            "application/sparql-results+json": {"schema": {"type": "object"}},
                            "text/html": {"schema": {"type": "string"}}}},
                "400": row_error,
                "503": {"description": "the query ran past the time limit",
                        "content": {"text/plain": {"schema": {"type": "string"}}}}}}}
    return {"openapi": "3.0.3",
            "info": {"title": "ckg analysts' queries", "version": "0.1.0",
                     "description": "Named SPARQL queries over the knowledge graph of conflict reporting. "
                                    "Parameters are bound as typed RDF terms; the SPARQL endpoint is /sparql."},
            "servers": [{"url": root}], "paths": paths}


@blueprint.get("/api/openapi.json")
def openapi():
    return Response(json.dumps(openapi_document(request.url_root.rstrip("/")), indent=1), mimetype="application/json")

