"""``/verdicts``: analysts' verdicts on claims — set by POST, listed as a page, exported as ClaimReview.

``POST /verdicts`` (a form: ``claim``, ``verdict``, ``reason``, ``reliability``, ``credibility``,
``analyst``) needs the update token, as SPARQL Update does: ``Authorization: Bearer`` or, from
the claim page's form (which runs no script), a ``token`` field. It stores the claim's verdict
in force in the verdicts graph (the one it replaces kept as its revision: graph/verdicts.py), answering 303 to the claim's page for a browser and 201 with
the verdict's IRI otherwise. ``GET /verdicts`` lists every verdict, orphaned ones marked;
``/verdicts.jsonld`` (or ``Accept: application/ld+json``, ``format=jsonld``) gives them as
schema.org ClaimReviews, and the source ratings beside them as Reviews of their sources.

``POST /ratings`` (a form: ``source``, ``reliability``, ``reason``, ``analyst``) sets a source's
standing reliability rating (graph/source_ratings.py) with the same token, answering 303 to the
source's page for a browser and 201 with the rating's IRI otherwise.
"""
from __future__ import annotations

import datetime as dt
import json
import secrets

from flask import Blueprint, Response, current_app, redirect, request

from pyoxigraph import NamedNode

from ckg.graph import formats, source_ratings, verdicts
from ckg.graph.formats import by_suffix

from .. import page_queries
from ..http.auth import CONFIG_KEY, refuse_write
from ..http.iri_paths import local_path
from ..http.negotiation import NotAcceptable, negotiate
from ..http.responses import problem
from ..page_queries import QueryFailed
from ..presenters.labels import editor_link
from ..runtime.operations import Update
from .base import BaseView

blueprint = Blueprint("verdicts", __name__)

OFFER = (formats.HTML, formats.FORMATS["jsonld"], formats.JSON)
"""The listing as a page, or its verdicts as ClaimReview JSON-LD (also sent as plain JSON)."""


@blueprint.app_context_processor
def verdict_settings() -> dict:
    """Whether pages may offer the verdict form: only a server with an update token takes verdicts."""
    return {"verdicts_writable": bool(current_app.config.get(CONFIG_KEY)), "verdict_choices": {
        "verdicts": verdicts.VERDICTS, "reliability": verdicts.RELIABILITY, "credibility": verdicts.CREDIBILITY}}


def review_rows(executor, query: str = verdicts.REVIEWS) -> list[dict[str, str]]:
    """The rows of ``query`` (``verdicts.REVIEWS`` unless another is given), each value as a string."""
    outcome = executor.run(query, accept=[(page_queries.RESULTS_JSON, 1.0)])
    if outcome.status != 200:
        raise QueryFailed(outcome)
    return [{key: value["value"] for key, value in row.items()}
            for row in json.loads(outcome.body)["results"]["bindings"]]


def listed(rows: list[dict[str, str]]) -> list[dict]:
    """The verdicts as the page lists them: links to the claim (unless orphaned) and the analyst."""
    return [{**row, "orphaned": row.get("orphaned") == "true", "claim_href": local_path(row["claim"]),
             "verdict_href": local_path(row["verdict"])} for row in rows]


def rated(rows: list[dict[str, str]]) -> list[dict]:
    """The source ratings as the page lists them: links to the source (unless orphaned)."""
    return [{**row, "orphaned": row.get("orphaned") == "true", "source_href": local_path(row["source"])}
            for row in rows]


class JudgementView(BaseView):
    """Where an analyst's judgement is written: checked against the store, then recorded."""

    def _recorded(self, ask: str, bound: dict, refusal: str, update: str, page: str, answer: dict) -> Response:
        """Ask whether what is judged is in the store, write the judgement, and answer: the page it shows
        on for a browser, else 201 with the judgement in JSON (its IRI the answer's first value)."""
        found = self.executor.run(ask, accept=[(page_queries.RESULTS_JSON, 1.0)], substitutions=bound)
        if found.status != 200:
            return problem(found.status, found.body.decode("utf-8", "replace"))
        if not json.loads(found.body)["boolean"]:
            return problem(400, refusal)
        written = self.executor.submit(Update(update))
        if written.status >= 300:
            return problem(written.status, written.body.decode("utf-8", "replace"))
        if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
            return redirect(page, 303)
        return Response(json.dumps(answer), status=201, mimetype="application/json",
                        headers={"Location": local_path(next(iter(answer.values())))})


class VerdictsView(JudgementView):
    def get(self, fmt: str | None = None) -> Response:
        try:
            target = by_suffix(fmt, OFFER) if fmt is not None else negotiate(
                OFFER, request.accept_mimetypes, request.args.get("format"), otherwise=formats.HTML)
        except NotAcceptable as error:
            return problem(406, str(error))
        if target is None:
            return problem(404, f"/verdicts is available as .html, .jsonld and .json, not .{fmt}")
        try:
            rows = review_rows(self.executor)
            ratings = review_rows(self.executor, source_ratings.RATINGS)
        except QueryFailed as error:
            return problem(error.status, str(error))
        if target is formats.HTML:
            return self.render("pages/verdicts.html", items=listed(rows), ratings=rated(ratings),
                               sparql=editor_link(verdicts.REVIEWS), ratings_sparql=editor_link(source_ratings.RATINGS))
        body = json.dumps(source_ratings.with_ratings(verdicts.claim_reviews(rows), ratings), ensure_ascii=False,
                          indent=1)
        return Response(body, mimetype=target.media_type)

    def post(self) -> Response:
        refused = refuse_write(request.form.get("token"))
        if refused is not None:
            return refused
        try:
            verdict = verdicts.verdict_of(request.form.to_dict(flat=False), dt.datetime.now(dt.timezone.utc))
        except verdicts.VerdictError as error:
            return problem(400, str(error))
        return self._recorded(verdicts.IS_CLAIM, {"claim": NamedNode(verdict.claim)},
                              f"<{verdict.claim}> is not a claim of this store: a verdict is on a claim",
                              verdicts.replacing(verdict, secrets.token_hex(4)), local_path(verdict.claim) + "#verdict",
                              {"verdict": verdict.iri, "claim": verdict.claim, "value": verdict.verdict})


class RatingsView(JudgementView):
    def post(self) -> Response:
        refused = refuse_write(request.form.get("token"))
        if refused is not None:
            return refused
        try:
            rating = source_ratings.rating_of(request.form.to_dict(flat=False), dt.datetime.now(dt.timezone.utc))
        except verdicts.VerdictError as error:  # RatingError, or a field checked as verdicts check theirs
            return problem(400, str(error))
        return self._recorded(source_ratings.IS_SOURCE, {"source": NamedNode(rating.source)},
                              f"<{rating.source}> is not a person, organisation or state of this store: "
                              "a rating is of a source",
                              source_ratings.replacing(rating, secrets.token_hex(4)),
                              local_path(rating.source) + "#reliability",
                              {"rating": rating.iri, "source": rating.source, "reliability": rating.reliability})


blueprint.add_url_rule("/ratings", view_func=RatingsView.as_view("ratings"), methods=["POST"])
_view = VerdictsView.as_view("verdicts")
blueprint.add_url_rule("/verdicts", view_func=_view, methods=["GET", "POST"])
blueprint.add_url_rule("/verdicts.<fmt>", view_func=_view, methods=["GET"])
