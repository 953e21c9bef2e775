"""``/api/queries``: the analysts' named queries as a small web API, described in OpenAPI 3.

Each query runs through the worker's executor (time limit, row cap) with its parameters
bound as typed RDF terms (graph.queries); the answer is JSON, CSV, TSV, SPARQL results
or an HTML table, by ``format=`` or ``Accept``.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for

from ckg.graph import formats
from ckg.graph import queries as named_queries

from .iri_paths import local_path
from .negotiation import NotAcceptable, negotiate
from .pages import chrome
from .responses import from_outcome, problem, truncation_headers

blueprint = Blueprint("api", __name__, template_folder="templates")

OFFER = (formats.JSON, *formats.RESULTS, formats.HTML)
"""A query's answer: rows as JSON (the default), SPARQL results as they come, or a table to read."""
LIST_OFFER = (formats.JSON, formats.HTML)
RESERVED = {"format"}
OPENAPI_TYPES = {"iri": {"type": "string", "format": "uri"}, "string": {"type": "string"},
                 "integer": {"type": "integer"}, "decimal": {"type": "number"}, "boolean": {"type": "boolean"},
                 "date": {"type": "string", "format": "date"}, "dateTime": {"type": "string", "format": "date-time"}}


def describe(query: named_queries.NamedQuery) -> dict:
    return {"name": query.name, "summary": query.summary, "description": query.description,
            "columns": list(query.columns), "answers": list(query.answers),
            "parameters": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                            "description": p.description} for p in query.parameters],
            "url": url_for("api.run", name=query.name, _external=True)}


@blueprint.get("/api/queries")
def catalogue():
    try:
        fmt = negotiate(LIST_OFFER, request.accept_mimetypes, request.args.get("format"))
    except NotAcceptable as error:
        return problem(406, str(error))
    found = [describe(q) for q in named_queries.catalogue().values()]
    if fmt is formats.HTML:
        return render_template("api/queries.html", queries=found, **chrome())
    return Response(json.dumps({"queries": found, "openapi": url_for("api.openapi", _external=True)}, indent=1),
                    mimetype="application/json")


@blueprint.get("/api/queries/<name>")
def run(name: str):
    try:
        query = named_queries.named(name)
    except named_queries.QueryError as error:
        return problem(404, str(error) + f"; see {url_for('api.catalogue', _external=True)}")
    try:
        fmt = negotiate(OFFER, request.accept_mimetypes, request.args.get("format"))
    except NotAcceptable as error:
        return problem(406, str(error))
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
    asked = fmt if fmt.kind == "results" else formats.FORMATS["srj"]  # JSON and HTML are made from SPARQL JSON
    outcome = current_app.extensions["ckg.executor"].run(text, accept=[(asked.media_type, 1.0)])
    if outcome.status != 200 or fmt.kind == "results":
        return from_outcome(outcome)  # the executor's answer as it is, in the format asked
    headers = truncation_headers(outcome.truncated)
    columns, rows = _rows(json.loads(outcome.body))
    if fmt is formats.HTML:
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


def _schema(fmt: formats.Format, row: dict) -> dict:
    """What an answer in this format holds, for OpenAPI: rows as JSON, other JSON as an object, the rest as text."""
    if fmt is formats.JSON:
        return {"type": "object", "properties": {
            "query": {"type": "string"}, "columns": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": row}, "truncated": {"type": "boolean"}}}
    return {"type": "object"} if fmt.media_type.endswith("+json") else {"type": "string"}


def openapi_document(root: str) -> dict:
    """An OpenAPI 3.0 description of every named query."""
    row_error = {"description": "what is wrong (unknown or ill-typed parameter)",
                 "content": {"text/plain": {"schema": {"type": "string"}}}}
    paths: dict = {"/api/queries": {"get": {
        "operationId": "listQueries", "summary": "The named queries, with their descriptions and parameters",
        "parameters": [{"name": "format", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": [f.name for f in LIST_OFFER]}}],
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
                           "schema": {"type": "string", "enum": [f.name for f in OFFER]}})
        paths[f"/api/queries/{query.name}"] = {"get": {
            "operationId": "query_" + query.name.replace("-", "_"),
            "summary": query.summary, "description": query.description, "parameters": parameters,
            "responses": {
                "200": {"description": "one row per " + (query.description.split(".")[0].removeprefix("One row per ")
                                                           if query.description else "result"),
                        "content": {fmt.media_type: {"schema": _schema(fmt, row)} for fmt in OFFER}},
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

