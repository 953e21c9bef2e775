"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol.

Reads always work (``GET /store?graph=IRI`` exports one document's graph; ``?default``
is the store's own default graph, not the union). Writes (PUT replaces, POST adds,
DELETE removes) need the update token. A graph is named indirectly (``?graph=``) or
directly: the IRI of ``/store/any/path`` is that URL itself. A POST to ``/store`` alone creates
a graph and names it under the configured base IRI's host (``iri_paths.served_iri``), never
after the request's ``Host`` header, which any client can set.
"""
from __future__ import annotations

import mimetypes
import uuid

import pyoxigraph as ox
from flask import Blueprint, Response, request

from ..http.auth import refuse_write
from ..http.iri_paths import named_node, served_iri
from ..http.responses import problem
from ..runtime.operations import GraphRead, GraphWrite
from .base import BaseView, answer

blueprint = Blueprint("graph_store", __name__)
METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"]


def _indirect() -> tuple[str | None, bool, Response | None]:
    """(graph IRI or None for the default graph, whether a graph was named at all, error)."""
    graphs = request.args.getlist("graph")
    if graphs and "default" in request.args:
        return None, False, problem(400, "give either 'graph' or 'default', not both")
    if len(graphs) > 1:
        return None, False, problem(400, "give exactly one 'graph' parameter")
    if "default" in request.args:
        return None, True, None
    if not graphs:
        return None, False, None
    try:
        ox.NamedNode(graphs[0])
    except ValueError:
        return None, False, problem(400, f"'graph' must be an absolute IRI, not '{graphs[0]}'")
    return graphs[0], True, None


def refuse_direct_graph() -> Response | None:
    """The 400 for a ``/store/…`` URL that cannot be a graph's IRI (``/store/a%3E%20%7D``), else None."""
    try:
        named_node(request.base_url)
    except ValueError as error:
        return problem(400, f"this URL cannot name a graph: {error}; name it with /store?graph=<IRI>")
    return None


def _parts() -> tuple[tuple[bytes, str], ...]:
    """The RDF documents of a request: its body, or each file of a multipart/form-data body."""
    if request.mimetype != "multipart/form-data":
        return ((request.get_data(), request.mimetype),)
    return tuple((part.read(), part.mimetype or mimetypes.guess_type(part.filename or "")[0] or "")
                 for name in request.files for part in request.files.getlist(name))


class GraphStore(BaseView):
    """One graph, named by ``?graph=``/``?default`` (``/store``) or by its own URL (``/store/…``)."""

    secured = False
    methods = METHODS

    def dispatch_request(self, **kwargs) -> Response:
        if kwargs:  # /store/<path>: the graph is this URL
            if request.args:
                return problem(400, "a graph named by its URL (/store/…) takes no query parameters")
            refused = refuse_direct_graph()
            return refused if refused is not None else self.on(request.base_url, True)
        graph, named, error = _indirect()
        return error if error is not None else self.on(graph, named)

    def on(self, graph: str | None, named: bool) -> Response:
        if request.method == "OPTIONS":
            return Response(status=204, headers={"Allow": ", ".join(METHODS),
                                                 "Access-Control-Allow-Methods": ", ".join(METHODS),
                                                 "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization"})
        if request.method in ("GET", "HEAD"):
            if not named:
                return problem(400, "name a graph: ?graph=<IRI> or ?default (e.g. /store?graph=https://…)")
            return answer(self.executor.submit(GraphRead(graph, tuple(request.accept_mimetypes),
                                                         request.args.get("format"))))
        refused = refuse_write()
        if refused is not None:
            return refused
        created_here = False
        if not named:
            if request.method != "POST":
                return problem(400, f"{request.method} needs a graph: ?graph=<IRI> or ?default")
            graph, created_here = served_iri(f"store/{uuid.uuid4().hex}"), True
        return answer(self.executor.submit(GraphWrite(request.method, graph, _parts(), request.base_url,
                                                      created_here)))


store = GraphStore.as_view("store")
blueprint.add_url_rule("/store", view_func=store, endpoint="indirect")
blueprint.add_url_rule("/store/<path:_rest>", view_func=store, endpoint="direct")
