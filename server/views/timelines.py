"""``/timeline``: the claimed figures on a count, by a pair of states or by a claimant, over time.

One of ``variable=IRI``, ``states=A,B`` (ISO 3166 alpha-3 codes or IRIs of states; one or
two) or ``claimant=IRI`` picks the claims; the query (page_queries/figure-timeline.rq) gets
the IRIs as a VALUES block of escaped terms, never as text. The answer is the page (SVG
drawn on the server), its data as JSON (``/timeline.json``) or its rows as CSV
(``/timeline.csv``), each by suffix, ``format=`` or ``Accept``.
"""
from __future__ import annotations

import dataclasses
import json
import re
from urllib.parse import urlencode

from flask import Blueprint, Response, request

from ckg.graph import formats, iris

from .. import page_queries
from ..http.iri_paths import named_node
from ..http.negotiation import NotAcceptable, negotiate
from ..http.parameters import BadParameter, known_once
from ..http.responses import problem
from ..page_queries import QueryFailed
from ..presenters import timelines
from ..presenters.labels import editor_link, fallback_label
from ..presenters.tables import csv_text
from .base import BaseView

blueprint = Blueprint("timelines", __name__)

QUERY = "figure-timeline"
CHOICES = {"variable": "variable", "claimant": "claimant", "states": "forSide"}
"""Each way to pick the claims, and the query's variable it binds."""
KNOWN = (*CHOICES, "format")
STATE_CODE = re.compile(r"[A-Za-z]{3}")


def _iri(name: str, value: str) -> str:
    try:
        return named_node(value.strip()).value
    except ValueError as error:
        raise BadParameter(f"{name}: {error}") from None


def chosen(args) -> tuple[str, list[str]]:
    """Which way the claims are picked and the IRIs to bind, or BadParameter."""
    known_once(args, KNOWN, "give one of variable=IRI, states=A,B or claimant=IRI")
    given = [name for name in CHOICES if args.get(name, "").strip()]
    if len(given) != 1:
        raise BadParameter("give exactly one of variable=IRI, states=A,B (ISO codes or IRIs) or claimant=IRI"
                           + (f", not {' and '.join(given)}" if given else ""))
    name = given[0]
    value = args[name].strip()
    if name != "states":
        return name, [_iri(name, value)]
    parts = [part.strip() for part in value.split(",")]
    if not 1 <= len(parts) <= 2 or not all(parts):
        raise BadParameter(f"states: give one or two states separated by a comma (states=PAK,AFG), not {value!r}")
    found = [iris.state(part.upper()) if STATE_CODE.fullmatch(part) else _iri("states", part) for part in parts]
    if len(set(found)) != len(found):
        raise BadParameter("states: give two different states")
    return name, found


def _title(name: str, keys: list[str], shown: timelines.Timeline) -> str:
    marks = [m for p in shown.panels for m in p.marks + p.undated]
    if name == "variable":
        return shown.panels[0].label if shown.panels else fallback_label(keys[0])
    if name == "claimant":
        return next((m.claimant_label for m in marks), fallback_label(keys[0]))
    names = {m.side: m.side_label for m in marks if m.side_label}
    return " and ".join(names.get(key) or fallback_label(key) for key in keys)


def _plain(item):
    return dataclasses.asdict(item) if dataclasses.is_dataclass(item) else item


class TimelineView(BaseView):
    def get(self, fmt: str | None = None) -> Response:
        asked = request.args.get("format")
        if fmt is not None:
            found = formats.by_suffix(fmt, formats.TABLED_LISTING)
            if found is None:
                return problem(404, f"/timeline is available as .html, .json and .csv, not .{fmt}")
            asked = found.name
        try:
            target = negotiate(formats.TABLED_LISTING, request.accept_mimetypes, asked,
                               otherwise=None if asked else formats.HTML)
        except NotAcceptable as error:
            return problem(406, str(error))
        try:
            name, keys = chosen(request.args)
        except BadParameter as error:
            return problem(400, str(error))
        text = page_queries.query_text(QUERY)
        try:
            rows = page_queries.select_among(self.executor, QUERY, CHOICES[name], keys)
        except QueryFailed as error:
            return problem(error.status, str(error))
        shown = timelines.timeline(rows, "")
        shown.title = _title(name, keys, shown)
        if target is formats.JSON:
            body = {"by": name, "keys": keys, **dataclasses.asdict(shown)}
            return Response(json.dumps(body, default=_plain, ensure_ascii=False, indent=1), mimetype=target.media_type)
        if target is formats.CSV:
            return Response(csv_text(timelines.timeline_rows(shown), timelines.CSV_COLUMNS),
                            content_type=f"{target.media_type}; charset=utf-8")
        query = urlencode([(name, request.args[name].strip())])
        return self.render("pages/timeline.html", timeline=shown, by=name, query=query,
                           sparql=editor_link(text))


_view = TimelineView.as_view("timeline")
blueprint.add_url_rule("/timeline", view_func=_view)
blueprint.add_url_rule("/timeline.<fmt>", view_func=_view)
