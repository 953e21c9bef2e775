"""The Flask application: a SPARQL 1.1 endpoint and Graph Store over the built store.

Each worker runs requests in a killable child process that reads the newest snapshot
of the store, or sends them to a remote store (see runtime/executor.py); the default graph is the union of all graphs unless
the request names ``default-graph-uri``/``named-graph-uri``. The endpoint is read-only
unless an update token is configured; then bearers of the token may update.
"""
from __future__ import annotations

import gzip

from flask import Flask, Response, request

from ckg.graph import iris, snapshots, stores
from ckg.graph.store import StoreError
from ckg.settings import Settings

from . import views
from .http import auth, caching, timing
from .http.bodies import ReadTimeout, declare_length, draining
from .http.responses import problem
from .runtime.executor import Executor

GZIP_OVER = 1024
"""Bytes above which a response is gzipped for clients that accept it."""


def create_app(settings: Settings, threads: int = 1) -> Flask:
    """The application over ``settings.store``; ``threads`` is how many requests one worker
    serves at once (each in a query process of its own)."""
    store_path = settings.store
    where = stores.location(settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config[auth.CONFIG_KEY] = settings.update_token or None
    app.extensions["ckg.settings"] = settings
    executor = Executor(where, settings.query_timeout, settings.row_cap, threads=threads,
                        allowed_services=settings.allowed_services, snapshots_kept=settings.snapshots_kept,
                        limits=(settings.max_query_depth, settings.max_query_operators),
                        byte_cap=settings.byte_cap, memory_mib=settings.query_memory_mib,
                        queue_wait=settings.queue_wait)
    app.extensions["ckg.executor"] = executor
    iris.use_base(settings.base_iri)  # the paths of minted IRIs and the dataset's URI space follow it
    stores.require_built(where)
    if not stores.is_remote(where) and snapshots.current(store_path) is None:
        snapshots.refresh(store_path, settings.snapshots_kept)

    @app.errorhandler(413)
    def too_large(_error):
        return problem(413, f"the request is larger than {settings.max_request_bytes:,} bytes")

    @app.before_request
    def count_undeclared_body() -> None:
        declare_length(request.environ, settings.max_request_bytes)  # a chunked body: whole, or 413

    @app.errorhandler(ReadTimeout)
    def too_slow(error):
        return problem(408, str(error), {"Connection": "close"})

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

    timing.install(app, executor.tally.taken)
    caching.install(app, settings)
    views.register(app)
    app.wsgi_app = draining(app.wsgi_app, settings.max_request_bytes)
    return app
