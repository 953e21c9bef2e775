"""``/ontology`` and the ontology's own IRI: the OWL file, or its documentation.

The ontology IRI (vocabulary.ONTOLOGY_IRI) is served at its path (``/ckg``), as
iri_paths.py maps IRIs onto this server, and so is its version IRI. Content negotiation
gives Turtle (the file as it is in ontology/ckg.ttl), RDF/XML, N-Triples, JSON-LD, or the
pyLODE documentation for a browser; suffixes ask for one (``.ttl``, ``.owl``/``.rdf``,
``.nt``, ``.jsonld``, ``.html``). A term's hash IRI (``…/ckg#Airstrike``) lands on its section
of the documentation. The documentation is made once per version of the file, by a
child process, and kept beside the store.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
from flask import Blueprint, Response, request

from ckg.graph import formats
from ckg.graph.store import StoreError
from ckg.ontology import files
from ckg.ontology.vocabulary import ONTOLOGY_IRI, PREFIXES, VERSION_IRI
from ckg.settings import Settings

from ..http.negotiation import NotAcceptable, negotiate
from ..http.responses import problem
from ..http.security import documentation as documentation_policy
from .base import BaseView

blueprint = Blueprint("ontology_pages", __name__)

OFFER = (*formats.ONE_GRAPH, formats.HTML)
"""The ontology is one graph: its file (Turtle first) in each triple format, or its documentation."""
ONTOLOGY_PATH = urlsplit(ONTOLOGY_IRI).path
PATHS = ["/ontology", ONTOLOGY_PATH, urlsplit(VERSION_IRI).path]


@lru_cache(maxsize=8)
def rdf(fmt: formats.Format, version: float) -> bytes:
    """The ontology file in an RDF format (``version``: the file's mtime, so an edit is seen)."""
    if fmt.oxigraph == ox.RdfFormat.TURTLE:
        return files.ONTOLOGY.read_bytes()
    with open(files.ONTOLOGY, "rb") as handle:
        triples = [quad.triple for quad in ox.parse(handle, format=ox.RdfFormat.TURTLE)]
    options = {"prefixes": PREFIXES} if fmt.oxigraph == ox.RdfFormat.RDF_XML else {}
    return ox.serialize(triples, format=fmt.oxigraph, **options)


_documentation: dict[str, bytes] = {}


@lru_cache(maxsize=2)
def _version(_mtime: int) -> str:
    """The file's digest, computed again only when its modification time changes."""
    from ..presenters.ontology_docs import version_key

    return version_key()


def documentation(store_path: Path) -> bytes:
    """The pyLODE page of the current ontology file: from memory, else disk, else made once."""
    key = _version(files.ONTOLOGY.stat().st_mtime_ns)
    if key in _documentation:
        return _documentation[key]
    if Settings.names_remote(store_path):  # no folder of its own: the documentation is the ontology's alone
        target = Path(tempfile.gettempdir()) / f"ckg-{os.getuid()}" / f"ontology-{key}.html"
    else:
        store = Path(store_path).resolve()
        target = store.with_name(store.name + ".dumps") / f"ontology-{key}.html"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([sys.executable, "-m", "ckg.server.presenters.ontology_docs", str(target)], capture_output=True,
                              text=True)
        if done.returncode != 0 or not target.is_file():
            raise StoreError("could not make the ontology's documentation: "
                             + (done.stderr.strip().splitlines() or ["no output"])[-1])
    _documentation[key] = target.read_bytes()
    return _documentation[key]


class Ontology(BaseView):
    """The file or its documentation, by suffix or ``Accept`` (``format=`` is not read here)."""

    secured = False  # the documentation has a policy of its own

    def get(self, suffix: str | None = None) -> Response:
        if suffix is not None:
            fmt = formats.by_suffix(suffix, OFFER)
            if fmt is None:
                return problem(404, f"the ontology is available as .{', .'.join(formats.suffixes(OFFER))}, "
                                    f"not .{suffix}")
        else:
            try:
                fmt = negotiate(OFFER, request.accept_mimetypes)
            except NotAcceptable:
                return problem(406, "the ontology is available as " + ", ".join(f.media_type for f in OFFER))
        if fmt is formats.HTML:
            try:
                body = documentation(self.store_path)
            except StoreError as error:
                return problem(503, str(error))
            response = documentation_policy(Response(body, content_type="text/html; charset=utf-8"))
        else:
            response = Response(rdf(fmt, files.ONTOLOGY.stat().st_mtime), content_type=f"{fmt.media_type}; charset=utf-8")
            if suffix is not None:
                response.headers["Content-Disposition"] = f'inline; filename="ckg.{suffix}"'
        response.headers["Link"] = f'<{ONTOLOGY_IRI}>; rel="canonical"'
        response.vary.add("Accept")
        return response


ontology = Ontology.as_view("ontology")
for _number, _path in enumerate(PATHS):
    blueprint.add_url_rule(_path, f"ontology_{_number}", ontology)
    blueprint.add_url_rule(_path + ".<suffix>", f"ontology_{_number}_suffix", ontology)
