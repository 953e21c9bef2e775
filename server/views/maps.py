"""``/map``: events and claimed figures at their places, as a map drawn on the server.

``state=`` (an ISO 3166 alpha-3 code or a state's IRI) keeps the events carried out by that
state or one of its forces, or at a place within it, and the claims about them; ``kind=``
(a count kind's short name: killed, wounded …) keeps the claims on counts of that kind. Both
are checked against the graph (page_queries/map-choices.rq) and bound as escaped terms in
VALUES blocks. The answer is the page (SVG, no script, no tiles), its data as JSON
(``/map.json``), its marks as CSV (``/map.csv``) or GeoJSON (``/map.geojson``), each by
suffix, ``format=`` or ``Accept``.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, request

from ckg.graph import formats
from ckg.graph.outlines import countries

from .. import page_queries
from ..http.iri_paths import named_node
from ..http.negotiation import NotAcceptable, negotiate
from ..http.parameters import BadParameter, known_once
from ..http.responses import problem
from ..page_queries import QueryFailed
from ..presenters import maps
from ..presenters.labels import editor_link, value_of
from ..presenters.tables import csv_text
from .base import BaseView

blueprint = Blueprint("maps", __name__)

QUERY, CHOICES = "map", "map-choices"
PARAMETERS = ("state", "kind")
KNOWN = (*PARAMETERS, "format")
STATE_CODE = re.compile(r"[A-Za-z]{3}")
OFFER = formats.MAPPED_LISTING


def given(args) -> dict[str, str]:
    """The parameters asked for, each once and known, or BadParameter."""
    known_once(args, KNOWN, "the map takes state=ISO code or IRI, kind=count kind")
    return {name: args[name].strip() for name in PARAMETERS if args.get(name, "").strip()}


def checked(asked: dict[str, str], choices: list[dict]) -> dict[str, ox.NamedNode | ox.Literal]:
    """The terms to bind, each checked against what the graph holds, or BadParameter."""
    terms: dict[str, ox.NamedNode | ox.Literal] = {}
    if "kind" in asked:
        kinds = sorted({value_of(row.get("kind")) for row in choices if "kind" in row})
        match = next((k for k in kinds if k.lower() == asked["kind"].lower()), None)
        if match is None:
            raise BadParameter(f"kind: no count kind {asked['kind']!r}; the kinds are {', '.join(kinds)}")
        terms["kind"] = ox.Literal(match)
    if "state" in asked:
        value = asked["state"]
        if STATE_CODE.fullmatch(value):
            codes = {value_of(row.get("code")).upper(): row["state"].value for row in choices if "code" in row}
            if value.upper() not in codes:
                raise BadParameter(f"state: no state with the ISO 3166 code {value.upper()!r}")
            terms["state"] = ox.NamedNode(codes[value.upper()])
        else:
            try:
                iri = named_node(value).value
            except ValueError as error:
                raise BadParameter(f"state: give an ISO 3166 alpha-3 code (FRA) or a state's IRI; {error}") from None
            if iri not in {row["state"].value for row in choices if "state" in row}:
                raise BadParameter(f"state: {iri} is not a state of the graph")
            terms["state"] = ox.NamedNode(iri)
    return terms


class MapView(BaseView):
    def get(self, fmt: str | None = None) -> Response:
        asked = request.args.get("format")
        if fmt is not None:
            found = formats.by_suffix(fmt, OFFER)
            if found is None:
                return problem(404, "/map is available as " + ", ".join("." + s for s in formats.suffixes(OFFER))
                               + f", not .{fmt}")
            asked = found.name
        try:
            target = negotiate(OFFER, request.accept_mimetypes, asked, otherwise=None if asked else formats.HTML)
        except NotAcceptable as error:
            return problem(406, str(error))
        try:
            parameters = given(request.args)
            terms = checked(parameters, page_queries.select_bound(self.executor, CHOICES, {})) if parameters else {}
            view = maps.lay_out(maps.marks_of(page_queries.select_bound(self.executor, QUERY, terms)), countries())
        except BadParameter as error:
            return problem(400, str(error))
        except QueryFailed as error:
            return problem(error.status, str(error))
        if target is formats.JSON:
            body = {"parameters": parameters, "extent": view.extent, "marks": [m.row() for m in view.marks],
                    "unlocated": [m.row() for m in view.unlocated]}
            return Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype=target.media_type)
        if target is formats.CSV:
            return Response(csv_text([m.row() for m in view.marks + view.unlocated], maps.CSV_COLUMNS),
                            content_type=f"{target.media_type}; charset=utf-8")
        if target is formats.GEOJSON:
            body = maps.features(view, {"parameters": parameters})
            return Response(json.dumps(body, ensure_ascii=False), content_type=target.media_type)
        return self.render("pages/map.html", map=view, parameters=parameters, query=urlencode(parameters),
                           sparql=editor_link(page_queries.bound(QUERY, terms)))


_view = MapView.as_view("map")
blueprint.add_url_rule("/map", view_func=_view)
blueprint.add_url_rule("/map.<fmt>", view_func=_view)
