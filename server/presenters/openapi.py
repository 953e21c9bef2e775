"""The named queries for programs: answers as plain rows, and the API described in OpenAPI 3
(with full-text search and the search box's completion)."""
from __future__ import annotations

from ckg.graph import formats, geojson
from ckg.graph import queries as named_queries
from ckg.graph.facets import FACETS
from ckg.graph.search import MAX_LIMIT
from ckg.graph.search_index import TYPES

OPENAPI_TYPES = {"iri": {"type": "string", "format": "uri"}, "string": {"type": "string"},
                 "integer": {"type": "integer"}, "decimal": {"type": "number"}, "boolean": {"type": "boolean"},
                 "date": {"type": "string", "format": "date"}, "dateTime": {"type": "string", "format": "date-time"}}


PAGE_PARAMETERS = [
    {"name": "limit", "in": "query", "required": False,
     "description": "at most this many rows: one page of the answer, with a Link header (rel=next, rel=prev) "
                    "to the pages beside it; all rows when not given",
     "schema": {"type": "integer", "minimum": 1, "maximum": named_queries.MAX_LIMIT}},
    {"name": "offset", "in": "query", "required": False,
     "description": "skip this many rows first (with limit, the page's first row)",
     "schema": {"type": "integer", "minimum": 0, "maximum": named_queries.MAX_OFFSET, "default": 0}}]
"""How a named query's answer is asked for a page at a time (graph.queries.paged)."""


def rows_of(data: dict) -> tuple[list[str], list[dict]]:
    """SPARQL JSON results as plain rows: each cell the term's value, empty when unbound."""
    columns = data["head"]["vars"]
    return columns, [{c: row[c]["value"] if c in row else None for c in columns} for row in data["results"]["bindings"]]


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
            "rows": {"type": "array", "items": row}, "truncated": {"type": "boolean"},
            "page": {"type": "object", "description": "only when limit or offset is given", "properties": {
                "limit": {"type": "integer", "nullable": True}, "offset": {"type": "integer"},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "prev": {"type": "string", "format": "uri", "nullable": True}}}}}
    if fmt is formats.GEOJSON:
        return GEOJSON_SCHEMA
    return {"type": "object"} if fmt.media_type.endswith("+json") else {"type": "string"}


GEOJSON_SCHEMA = {
    "type": "object", "description": "an RFC 7946 FeatureCollection: one Point feature per row whose place has "
    "coordinates, the row's columns as its properties with placeIri and precision (city, region, country or place); "
    "the rows left out are counted in unlocated, their places listed in unlocatedPlaces",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]}, "query": {"type": "string"},
        "truncated": {"type": "boolean"}, "unlocated": {"type": "integer", "minimum": 0},
        "unlocatedPlaces": {"type": "array", "items": {"type": "string"}},
        "features": {"type": "array", "items": {"type": "object", "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "geometry": {"type": "object", "properties": {
                "type": {"type": "string", "enum": ["Point"]},
                "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}}},
            "properties": {"type": "object", "additionalProperties": {"type": "string", "nullable": True}}}}}}}
"""What a GeoJSON answer holds, for OpenAPI."""


def openapi_document(root: str, offer: tuple[formats.Format, ...], list_offer: tuple[formats.Format, ...]) -> dict:
    """An OpenAPI 3.0 description of every named query."""
    row_error = {"description": "what is wrong (unknown or ill-typed parameter, limit or offset out of range)",
                 "content": {"text/plain": {"schema": {"type": "string"}}}}
    paths: dict = {"/api/queries": {"get": {
        "operationId": "listQueries", "summary": "The named queries, with their descriptions and parameters",
        "parameters": [{"name": "format", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": [f.name for f in list_offer]}}],
        "responses": {"200": {"description": "the catalogue", "content": {
            "application/json": {"schema": {"type": "object", "properties": {"queries": {"type": "array",
                                                                                          "items": {"type": "object"}}}}},
            "text/html": {"schema": {"type": "string"}}}}}}}}
    for query in named_queries.catalogue().values():
        answers_in = tuple(f for f in offer if f is not formats.GEOJSON or geojson.place_column(query.columns))
        row = {"type": "object", "properties": {c: {"type": "string", "nullable": True} for c in query.columns}}
        parameters = [{"name": p.name, "in": "query", "required": p.required, "description": p.description,
                       "schema": dict(OPENAPI_TYPES.get(p.type) or {"type": "string", "enum": list(p.choices)}, **({"default": _typed(p, p.default)} if p.default else {}))}
                      for p in query.parameters]
        parameters.append({"name": "format", "in": "query", "required": False,
                           "description": "the answer's format (else by Accept)",
                           "schema": {"type": "string", "enum": [f.name for f in answers_in]}})
        parameters += PAGE_PARAMETERS
        paths[f"/api/queries/{query.name}"] = {"get": {
            "operationId": "query_" + query.name.replace("-", "_"),
            "summary": query.summary, "description": query.description, "parameters": parameters,
            "responses": {
                "200": {"description": "one row per " + (query.description.split(".")[0].removeprefix("One row per ")
                                                           if query.description else "result"),
                        "content": {fmt.media_type: {"schema": _schema(fmt, row)} for fmt in answers_in}},
                "304": {"description": "not modified: the answer named by If-None-Match (or dated by "
                                       "If-Modified-Since) still stands"},
                "400": row_error,
                "503": {"description": "the query ran past the time limit",
                        "content": {"text/plain": {"schema": {"type": "string"}}}}}}}
    paths.update(search_paths())
    return {"openapi": "3.0.3",
            "info": {"title": "ckg analysts' queries", "version": "0.1.0",
                     "description": "Named SPARQL queries over the knowledge graph of conflict reporting. "
                                    "Parameters are bound as typed RDF terms; the SPARQL endpoint is /sparql."},
            "servers": [{"url": root}], "paths": paths}


def search_paths() -> dict:
    """``/api/search`` and ``/api/complete`` in OpenAPI."""
    text = {"type": "string"}
    error = {"description": "what is wrong (search syntax FTS5 cannot read, a bad limit or offset)",
             "content": {"text/plain": {"schema": text}}}
    hit = {"type": "object", "properties": {
        "type": {"type": "string", "enum": list(TYPES)}, "title": text, "snippet": text,
        "snippet_html": {"type": "string", "description": "the snippet, HTML-escaped, its matches in <mark>"},
        "href": {"type": "string", "description": "the hit's page; a span's is its article's page at its anchor"},
        "iri": {"type": "string", "format": "uri"}, "document": {"type": "string", "nullable": True},
        "document_title": {"type": "string", "nullable": True}, "document_href": {"type": "string", "nullable": True},
        "date": {"type": "string", "format": "date", "nullable": True}, "score": {"type": "number"}}}
    value = {"type": "object", "properties": {"value": text, "label": text, "count": {"type": "integer"},
                                              "selected": {"type": "boolean"}, "href": text}}
    facets = [{"name": name, "in": "query", "required": False, "description": f"only hits whose {name} is this "
               "(repeatable; the values and counts are in the answer's facets)", "schema": text} for name in FACETS]
    return {
        "/api/search": {"get": {
            "operationId": "search", "summary": "Ranked full-text search (BM25) of claims, spans, quotes, people, "
                                                "organisations, places and documents, with facets",
            "parameters": [{"name": "q", "in": "query", "required": True, "schema": text,
                            "description": 'FTS5 syntax: words, "a phrase", prefix*, AND, OR, NOT'},
                           {"name": "limit", "in": "query", "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 20}},
                           {"name": "offset", "in": "query", "required": False,
                            "schema": {"type": "integer", "minimum": 0, "default": 0}}, *facets],
            "responses": {"200": {"description": "the hits, best first, and the facets' values with counts",
                                  "content": {"application/json": {"schema": {"type": "object", "properties": {
                                      "query": text, "total": {"type": "integer"},
                                      "facets_exact": {"type": "boolean", "description":
                                                       "false when the facets' counts are the best facets_counted "
                                                       "hits', not all total's (a search with many hits)"},
                                      "facets_counted": {"type": "integer",
                                                         "description": "how many hits the facets count"},
                                      "hits": {"type": "array", "items": hit},
                                      "facets": {"type": "object", "additionalProperties": {
                                          "type": "object", "properties": {
                                              "name": text, "values": {"type": "array", "items": value}}}}}}}}},
                          "400": error}}},
        "/api/complete": {"get": {
            "operationId": "complete", "summary": "People, organisations and places whose names begin so",
            "parameters": [{"name": "prefix", "in": "query", "required": True, "schema": text},
                           {"name": "limit", "in": "query", "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}}],
            "responses": {"200": {"description": "names, the most mentioned first", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"prefix": text, "names": {"type": "array", "items": {
                    "type": "object", "properties": {"label": text, "iri": text, "type": text, "href": text}}}}}}}},
                "400": error}}},
    }
