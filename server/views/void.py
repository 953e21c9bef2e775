"""``/.well-known/void``: the dataset described in VoID and DCAT.

Numbers (triples, entities, class and property partitions, example resources, the
licence) come from graph/statistics.py, computed once per snapshot of the store; the
addresses (SPARQL endpoint, dumps) are this server's own. Turtle, N-Triples, JSON-LD or
RDF/XML by ``Accept``, ``format=`` or a suffix (``/.well-known/void.ttl``); a page for a browser.
"""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, request

from ckg.graph import formats
from ckg.graph.store import StoreError
from ckg.ontology.vocabulary import PREFIXES

from ..http.negotiation import NotAcceptable, negotiate
from ..http.responses import problem
from ..presenters.downloads import WHOLE
from ..presenters.void import description, labels
from ..runtime import publication
from .base import BaseView
from .downloads import downloads

blueprint = Blueprint("void", __name__)

OFFER = (*formats.ONE_GRAPH, formats.HTML)
"""The description in each triple format, or a page with the same numbers."""


class Void(BaseView):
    def get(self, suffix: str | None = None) -> Response:
        by_suffix = formats.by_suffix(suffix, OFFER)
        if suffix is not None and by_suffix is None:
            return problem(404, f"/.well-known/void is available as .{', .'.join(formats.suffixes(OFFER))}, "
                                f"not .{suffix}")
        parameter = request.args.get("format")
        if parameter is not None and formats.find(parameter, OFFER) is None:
            return problem(400, f"unknown format '{parameter}': use format=" + "|".join(f.name for f in OFFER))
        try:
            fmt = negotiate(OFFER, request.accept_mimetypes, parameter or (by_suffix and by_suffix.name))
        except NotAcceptable as error:
            return problem(406, str(error))
        try:
            stats = publication.statistics(self.store_path)
            triples = description(stats, request.url_root, downloads(self.store_path, WHOLE, None, request.url_root))
        except StoreError as error:
            return problem(503, str(error))
        if fmt is formats.HTML:
            return self.render("pages/void.html", stats=stats, root=request.url_root, labels=labels(triples))
        options = {"prefixes": PREFIXES} if fmt.name in formats.ABBREVIATING else {}
        body = ox.serialize(triples, format=fmt.oxigraph, **options)
        return Response(body, content_type=f"{fmt.media_type}; charset=utf-8", headers={"Vary": "Accept"})


void = Void.as_view("void")
blueprint.add_url_rule("/.well-known/void", view_func=void)
blueprint.add_url_rule("/.well-known/void.<suffix>", view_func=void)
