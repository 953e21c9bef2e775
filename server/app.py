"""The Flask application: a read-only SPARQL 1.1 endpoint over the built store.

Each worker runs queries in a killable child process that holds the store read-only
(see executor.py); the default graph is the union of all graphs unless
the request names ``default-graph-uri``/``named-graph-uri``. Updates are refused: the
endpoint is read-only unless an update token is configured (not yet supported, so the
answer is always 403 for updates).
"""
from __future__ import annotations

import gzip
import html
import os
from pathlib import Path

from flask import Flask, Response, request

from graph.store import StoreError

from .executor import Executor

GZIP_OVER = 1024
"""Bytes above which a response is gzipped for clients that accept it."""
MAX_REQUEST_BYTES = int(os.environ.get("CKG_MAX_REQUEST_BYTES", 1_000_000))
QUERY_FORM = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ckg SPARQL endpoint</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}textarea{width:100%;font-family:monospace}</style>
</head><body><h1>ckg — SPARQL endpoint</h1>
<p>A knowledge graph of conflict reporting: who claimed what, when, in what capacity, and where it stands in the text.
Send queries to <code>/sparql</code> (GET <code>?query=</code>, form POST, or POST <code>application/sparql-query</code>).</p>
<form method="post" action="/sparql"><textarea name="query" rows="14">{query}</textarea>
<p><label>Results as <select name="format"><option value="json">JSON</option><option value="csv">CSV</option>
<option value="tsv">TSV</option><option value="xml">XML</option><option value="ttl">Turtle</option></select></label>
<button type="submit">Run query</button></p></form></body></html>"""
EXAMPLE = """PREFIX ckg: <https://example.org/ckg#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?claimant ?stated ?variable WHERE {
  ?claim a ckg:QuantityClaim ; ckg:claimedBy/rdfs:label ?claimant ; ckg:statedValue ?stated ;
         ckg:aboutVariable/rdfs:label ?variable .
} ORDER BY ?variable LIMIT 50"""


def problem(status: int, message: str) -> Response:
    """An error a person can read, in plain text (SPARQL clients show the body)."""
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain")


def service_description(endpoint: str) -> str:
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix ns: <http://www.w3.org/ns/formats/> .
[] a sd:Service ;
   sd:endpoint <{endpoint}> ;
   sd:supportedLanguage sd:SPARQL11Query ;
   sd:resultFormat ns:SPARQL_Results_JSON , ns:SPARQL_Results_XML , ns:SPARQL_Results_CSV , ns:SPARQL_Results_TSV ,
                   ns:Turtle , ns:N-Triples , ns:RDF_XML , ns:JSON-LD ;
   sd:feature sd:UnionDefaultGraph ;
   sd:defaultDataset [ a sd:Dataset ] .
"""


def create_app(store_path: Path | str, query_timeout: float | None = None, row_cap: int | None = None) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    timeout = query_timeout if query_timeout is not None else float(os.environ.get("CKG_QUERY_TIMEOUT", 30))
    cap = row_cap if row_cap is not None else int(os.environ.get("CKG_ROW_CAP", 100_000))
    executor = Executor(store_path, timeout, cap)
    app.extensions["ckg.executor"] = executor
    app.extensions["ckg.store_path"] = Path(store_path)
    if not (Path(store_path) / "CURRENT").exists():
        raise StoreError(f"no store at {store_path}: build one first with 'ckg build --store {store_path}'")

    @app.errorhandler(413)
    def too_large(_error):
        return problem(413, f"the request is larger than {MAX_REQUEST_BYTES:,} bytes")

    @app.errorhandler(StoreError)
    def store_error(error):
        return problem(503, str(error))

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.vary.add("Accept")
        response.vary.add("Accept-Encoding")
        if ("gzip" in request.headers.get("Accept-Encoding", "") and not response.direct_passthrough
                and "Content-Encoding" not in response.headers and response.content_length
                and response.content_length > GZIP_OVER):
            response.set_data(gzip.compress(response.get_data(), compresslevel=5))
            response.headers["Content-Encoding"] = "gzip"
        return response

    @app.get("/")
    def home():
        return Response(QUERY_FORM.replace("{query}", html.escape(EXAMPLE)), mimetype="text/html")

    @app.route("/sparql", methods=["GET", "POST", "OPTIONS"])
    def sparql():
        if request.method == "OPTIONS":
            response = Response(status=204)
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept, Authorization"
            return response
        query, problem_response = read_query()
        if problem_response is not None:
            return problem_response
        if query is None:
            if request.accept_mimetypes.best_match(["text/turtle", "text/html"]) == "text/html":
                return home()
            return Response(service_description(request.base_url), mimetype="text/turtle")
        return run(query)

    def read_query() -> tuple[str | None, Response | None]:
        if "update" in request.values or request.mimetype == "application/sparql-update":
            return None, problem(403, "this endpoint is read-only: SPARQL Update is disabled")
        if request.method == "GET":
            queries = request.args.getlist("query")
        elif request.mimetype == "application/sparql-query":
            try:
                return request.get_data().decode(request.mimetype_params.get("charset", "utf-8")), None
            except (UnicodeDecodeError, LookupError):
                return None, problem(400, "the query body is not valid text in the declared charset")
        elif request.mimetype == "application/x-www-form-urlencoded":
            queries = request.form.getlist("query")
        else:
            return None, problem(415, f"unsupported media type '{request.mimetype or 'none'}': send "
                                      "application/sparql-query or application/x-www-form-urlencoded")
        if len(queries) > 1:
            return None, problem(400, "give exactly one 'query' parameter")
        if not queries and request.method == "POST":
            return None, problem(400, "the request has no 'query' parameter")
        return (queries[0] if queries else None), None

    def run(query: str) -> Response:
        outcome = executor.run(query, request.values.getlist("default-graph-uri"),
                               request.values.getlist("named-graph-uri"), list(request.accept_mimetypes),
                               request.values.get("format"))
        response = Response(outcome.body, status=outcome.status, content_type=f"{outcome.media_type}; charset=utf-8")
        if outcome.truncated is not None:
            response.headers["Ckg-Truncated"] = f"results cut at the row cap of {outcome.truncated:,} rows"
            response.headers["Access-Control-Expose-Headers"] = "Ckg-Truncated"
        return response

    return app
