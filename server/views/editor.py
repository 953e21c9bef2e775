"""``/``: the query editor — YASGUI from the registry's package, else a plain form that works.

The YASGUI files are installed by ``make setup`` (npm, into node_modules/) and served from
here, so the page works with no internet: the endpoint is ours, the online autocompleters
(prefix.cc, LOV) are off, names complete from the graph's search index (static_pages/editor.js
asks /api/complete), and the project's prefixes and the analysts' queries are given. The page's
script is a file, so its policy forbids inline script as every page's does.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import rdflib
from flask import Blueprint, Response, abort, render_template, request, send_from_directory

from ckg.graph import queries as named_queries
from ckg.ontology import files
from ckg.ontology.vocabulary import with_prefixes

from ..http.security import EDITOR_POLICY
from .base import BaseView

blueprint = Blueprint("editor", __name__)

ROOT = Path(__file__).resolve().parents[2]
YASGUI_BUILD = ROOT / "node_modules" / "@zazuko" / "yasgui" / "build"
YASGUI_FILES = {"yasgui.min.js", "yasgui.min.css", "yasgui.min.js.map"}
FIRST_QUERY = with_prefixes("""SELECT ?claimant ?stated ?variable WHERE {
  ?claim a ckg:QuantityClaim ; ckg:claimedBy/rdfs:label ?claimant ; ckg:statedValue ?stated ;
         ckg:aboutVariable/rdfs:label ?variable .
} ORDER BY ?variable LIMIT 50""")


@cache
def prefixes() -> dict[str, str]:
    """The prefixes the ontology declares, for the editor's PREFIX lines."""
    graph = rdflib.Graph(bind_namespaces="none").parse(files.ONTOLOGY, format="turtle")
    return {prefix: str(namespace) for prefix, namespace in sorted(graph.namespaces()) if prefix}


def examples() -> list[dict[str, str]]:
    """The analysts' queries (queries/*.rq) with their one-line summaries, parameters left unbound
    (each then matches everything), so that they run as they stand in the editor."""
    runnable, needing = [], []
    for q in named_queries.catalogue().values():
        required = [p.name for p in q.parameters if p.required]
        if required:
            needing.append({"name": q.name, "summary": f"{q.summary or q.name} (needs {', '.join(required)})",
                            "query": q.text})
        else:
            runnable.append({"name": q.name, "summary": q.summary or q.name, "query": named_queries.bind(q, {})})
    return runnable + needing


def yasgui_installed(folder: Path = YASGUI_BUILD) -> bool:
    """Whether the editor's built files are in ``folder``."""
    return all((folder / name).is_file() for name in ("yasgui.min.js", "yasgui.min.css"))


class EditorView(BaseView):
    policy = EDITOR_POLICY  # scripts from files only; YASGUI styles what it draws inline

    @property
    def assets(self) -> Path:
        return self.settings.editor_assets or YASGUI_BUILD


class Home(EditorView):
    def get(self) -> str:
        return render_template("editor.html", yasgui=yasgui_installed(self.assets), prefixes=prefixes(),
                               examples=examples(), first_query=request.args.get("query") or FIRST_QUERY)


class YasguiAsset(EditorView):
    def get(self, name: str) -> Response:
        if name not in YASGUI_FILES or not yasgui_installed(self.assets):
            abort(404)
        return send_from_directory(self.assets, name, max_age=86400)


blueprint.add_url_rule("/", view_func=Home.as_view("home"))
blueprint.add_url_rule("/assets/yasgui/<name>", view_func=YasguiAsset.as_view("yasgui_asset"))
