"""``/dump``: the whole dataset and each of its graphs as gzip-compressed RDF files.

``/dump/all.<ext>.gz`` is the whole store (N-Quads and TriG with every graph; Turtle,
N-Triples, JSON-LD and RDF/XML the merge of all graphs, as ``ckg export`` writes them);
``/dump/graph/<path>.<ext>.gz`` one named graph, ``<path>`` being where the server shows
the graph's IRI (``/dump/graph/ckg/graph/derived.ttl.gz``). Files are made on first
request, once per snapshot of the store (runtime/publication.py), and sent from disk.
``/dump`` lists them (HTML, or JSON by ``Accept`` or ``/dump.json``).
"""
from __future__ import annotations

import json
from dataclasses import asdict

from pathlib import Path

from flask import Blueprint, Response, request, send_file

from ckg.graph import formats
from ckg.graph.export import BY_EXTENSION, FORMATS
from ckg.graph.store import StoreError

from ..http.iri_paths import iris_for_path
from ..http.negotiation import for_listing
from ..http.responses import problem
from ..presenters.downloads import WHOLE, Download, Dump, disk_name, stem_of
from ..runtime import publication
from .base import BaseView

blueprint = Blueprint("dumps", __name__)


def downloads(store_path: Path, stem: str, graph_iri: str | None, root: str) -> list[Download]:
    """A graph's (or the whole dataset's) files in every export format, with the sizes of those made."""
    found = []
    here = publication.folder(store_path)
    for fmt in FORMATS.values():
        name = f"{stem}.{fmt.suffix}.gz"
        on_disk = here / disk_name(graph_iri, fmt.suffix)
        size = on_disk.stat().st_size if on_disk.is_file() else None
        found.append(Download(name, fmt.name, fmt.label, fmt.media_type, f"{root}dump/{name}", size))
    return found


def listing(store_path: Path, root: str) -> list[Dump]:
    """Every dump this server offers: the whole dataset, then each graph it shows at a path."""
    stats = publication.statistics(store_path)
    dumps = [Dump("The whole dataset", None, stats["triples"], downloads(store_path, WHOLE, None, root))]
    for graph, triples in sorted(stats["graphs"].items()):
        stem = stem_of(graph)
        if stem is not None:
            dumps.append(Dump(graph, graph, triples, downloads(store_path, stem, graph, root)))
    return dumps


class Index(BaseView):
    """``/dump``: the downloads with their triples and sizes, as a page or as JSON."""

    def get(self, fmt: str | None = None) -> Response:
        target = for_listing(fmt, request.accept_mimetypes)
        if target is None:
            return problem(404, f"/dump is available as .html and .json, not .{fmt}; the files are at /dump/<name>.gz")
        try:
            dumps = listing(self.store_path, request.url_root)
        except StoreError as error:
            return problem(503, str(error))
        if target is formats.JSON:
            return Response(json.dumps([asdict(d) for d in dumps], ensure_ascii=False, indent=1),
                            mimetype="application/json")
        return self.render("pages/dumps.html", dumps=dumps)


def resolve(store_path: Path, name: str) -> tuple[str | None, str] | str:
    """(graph IRI or None for the whole dataset, format name) of a dump's file name, or why there is none."""
    if not name.endswith(".gz"):
        return f"dumps are gzip-compressed: ask for /dump/{name}.gz"
    stem, dot, extension = name[:-3].rpartition(".")
    if not dot or extension not in BY_EXTENSION:
        return (f"no such dump format '.{extension}': the formats are "
                + ", ".join(f".{e}.gz" for e in BY_EXTENSION))
    fmt = BY_EXTENSION[extension].name
    if stem == WHOLE:
        return None, fmt
    if stem.startswith("graph/"):
        stats = publication.statistics(store_path)
        for iri in iris_for_path(stem[len("graph/"):]):
            if iri in stats["graphs"]:
                return iri, fmt
        return f"the dataset has no graph at /{stem[len('graph/'):]}"
    return f"there is no dump named '{stem}': the whole dataset is /dump/{WHOLE}.<ext>.gz, a graph /dump/graph/<path>.<ext>.gz"


class DumpFile(BaseView):
    """``/dump/<name>.gz``: one file, made on its first download, sent from disk."""

    def get(self, name: str) -> Response:
        try:
            found = resolve(self.store_path, name)
            if isinstance(found, str):
                return problem(404, found + " (every dump is listed at /dump)")
            graph, fmt = found
            path = publication.dump_file(self.store_path, disk_name(graph, name[:-3].rpartition(".")[2]), fmt, graph)
        except StoreError as error:
            return problem(503, str(error))
        response = send_file(path, mimetype="application/gzip", as_attachment=True,
                             download_name=name.replace("/", "-"), conditional=True, etag=True, max_age=0)
        response.headers["Link"] = f'<{request.url_root}.well-known/void>; rel="describedby"'
        return response


index = Index.as_view("index")
blueprint.add_url_rule("/dump", view_func=index)
blueprint.add_url_rule("/dump.<fmt>", view_func=index)
blueprint.add_url_rule("/dump/<path:name>", view_func=DumpFile.as_view("download"))
