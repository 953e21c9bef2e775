"""What every view shares: the worker's executor and settings, the site's chrome, the pages' policy.

A view is a class over ``BaseView``: it finds the executor and the settings where the app
put them, renders its templates with the chrome every page has (the search box), and its
HTML answers carry the no-script policy unless the view is a script itself (the editor)
or predates it (the API's pages). Answers of the query process become responses here.
"""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from flask import Blueprint, Flask, Response, current_app, make_response, render_template
from flask.views import MethodView

from ckg.graph import stores
from ckg.ontology.vocabulary import with_prefixes
from ckg.settings import Settings

from ..http.responses import truncation_headers
from ..http.security import PAGE_POLICY, secured
from ..presenters.labels import editor_link, term_link
from ..runtime.executor import Executor
from ..runtime.operations import Outcome

SERVER = Path(__file__).resolve().parent.parent
SEARCH_QUERY = with_prefixes("""SELECT ?resource ?label WHERE {
  ?resource rdfs:label ?label . FILTER (CONTAINS(LCASE(STR(?label)), "type a name here"))
} LIMIT 100""")
"""The search box's query, opened in the editor."""

assets = Blueprint("assets", __name__, static_folder=str(SERVER / "static_pages"), static_url_path="/assets/pages")
"""The pages' stylesheet."""


def chrome() -> dict:
    """What the frame of every page needs (templates/pages/base.html)."""
    return {"search_query": editor_link(SEARCH_QUERY)}


class BaseView(MethodView):
    secured: ClassVar[bool] = True
    """Whether its HTML answers carry a policy against inline script (http/security.py)."""
    policy: ClassVar[str] = PAGE_POLICY
    """Which one."""

    @property
    def executor(self) -> Executor:
        return current_app.extensions["ckg.executor"]

    @property
    def settings(self) -> Settings:
        return current_app.extensions["ckg.settings"]

    @property
    def store_path(self) -> Path:
        return self.settings.store

    @property
    def location(self) -> stores.Location:
        """The store folder, or the remote store's endpoints."""
        return stores.location(self.settings)

    def render(self, template: str, status: int = 200, **context) -> Response:
        """A page of the site: the template with the chrome."""
        return make_response(render_template(template, **chrome(), **context), status)

    def dispatch_request(self, **kwargs) -> Response:
        response = make_response(super().dispatch_request(**kwargs))
        return secured(response, self.policy) if self.secured else response


def answer(outcome: Outcome) -> Response:
    """The query process's answer as a response: its status, type, body and headers."""
    response = Response(outcome.body, status=outcome.status, content_type=f"{outcome.media_type}; charset=utf-8")
    if outcome.status == 204:
        del response.headers["Content-Type"]
    for name, value in outcome.headers:
        response.headers[name] = value
    response.headers.update(truncation_headers(outcome.truncated))
    return response


def when(value: str | None) -> str:
    """'2026-02-26T19:00:00Z' → '2026-02-26 19:00 UTC'; unknown → '?'."""
    if not value:
        return "?"
    day, _, clock = value.partition("T")
    if not clock:
        return day
    utc = clock.endswith("Z") or clock.endswith("+00:00")
    return f"{day} {clock[:5]}" + (" UTC" if utc else "")


def register_filters(app: Flask) -> None:
    """The templates' filters: times for people, and where the server shows an IRI."""
    app.add_template_filter(when, "when")
    app.add_template_filter(term_link, "term_link")
