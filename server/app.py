"""The Flask application: a SPARQL 1.1 endpoint and Graph Store over the built store.

Each worker runs requests in a killable child process that reads the newest snapshot
of the store (see executor.py); the default graph is the union of all graphs unless
the request names ``default-graph-uri``/``named-graph-uri``. The endpoint is read-only
unless an update token is configured; then bearers of the token may update.
"""
from __future__ import annotations

import gzip
import os
from pathlib import Path

from flask import Flask, Response, request

from graph import snapshots
from graph.store import StoreError

from . import api, auth, editor, graph_store, sparql
from .executor import Executor
from .responses import problem
from . import dumps, ontology_pages, pages, void

GZIP_OVER = 1024
"""Bytes above which a response is gzipped for clients that accept it."""
MAX_REQUEST_BYTES = int(os.environ.get("CKG_MAX_REQUEST_BYTES", 1_000_000))


def create_app(store_path: Path | str, query_timeout: float | None = None, row_cap: int | None = None,
               update_token: str | None = None, threads: int = 1, allowed_services: tuple[str, ...] = ()) -> Flask:
    """The application; ``update_token`` (else env CKG_UPDATE_TOKEN) enables writes for its bearers;
    ``threads`` is how many requests one worker serves at once (each in a query process of its own);
    ``allowed_services`` the only endpoints SERVICE and LOAD may fetch (none by default)."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.config[auth.CONFIG_KEY] = update_token if update_token is not None else os.environ.get(auth.CONFIG_KEY) or None
    timeout = query_timeout if query_timeout is not None else float(os.environ.get("CKG_QUERY_TIMEOUT", 30))
    cap = row_cap if row_cap is not None else int(os.environ.get("CKG_ROW_CAP", 100_000))
    executor = Executor(store_path, timeout, cap, threads=threads, allowed_services=allowed_services)
    app.extensions["ckg.executor"] = executor
    app.extensions["ckg.store_path"] = Path(store_path)
    if not (Path(store_path) / "CURRENT").exists():
        raise StoreError(f"no store at {store_path}: build one first with 'ckg build --store {store_path}'")
    if snapshots.current(store_path) is None:
        snapshots.refresh(store_path)

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

    app.register_blueprint(editor.blueprint)
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(graph_store.blueprint)
    app.register_blueprint(dumps.blueprint)
    app.register_blueprint(void.blueprint)
    app.register_blueprint(ontology_pages.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(api.blueprint)
    return app
