"""Extraction in worker processes; the parent only reads documents and writes the store.

Each worker turns a document into its quads and the closure of its own triples, and sends
them back as N-Quads bytes (pyoxigraph terms cannot cross processes; parsing N-Quads is
fast). At most a few documents per worker are in flight, so memory does not grow with the
corpus however far the writer falls behind. Results come back in input order, so a
parallel build writes exactly what a serial one does.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from functools import cache
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version

import pyoxigraph as ox

from ckg.ontology.vocabulary import derived_graph_of

from . import conventions, iris
from .documents import Document
from .extract import Context, extract, utc
from .lexicon import Lexicon
from .matching import Matcher
from .rdf import to_quads
from .reconcile import Closure

IN_FLIGHT = 4
"""Documents queued per worker: enough to keep it busy, few enough to keep memory flat."""


@cache
def software_version() -> str:
    try:
        return version("conflict-kg")
    except PackageNotFoundError:
        return "0+unknown"


def published(document: Document, offset: str | None) -> datetime | None:
    if document.date is None:
        return None
    return utc(document.date, offset)


@dataclass
class Extracted:
    """One document's result: its graph and derived graph as N-Quads, or why it failed."""

    graph: bytes = b""
    derived: bytes = b""
    error: str | None = None


class Extractor:
    """What one process needs to turn documents into quads (built once per process)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.ctx = Context(lexicon, Matcher(lexicon), conventions.load_conventions(lexicon.graph))
        self.closure = Closure.of(lexicon.graph)
        self.version = software_version()

    def quads(self, document: Document) -> tuple[list[ox.Quad], list[ox.Quad]]:
        """The quads of a document's named graph and of its derived graph."""
        started = datetime.now(timezone.utc)
        extraction = extract(self.ctx, document)
        run = {"version": self.version, "started": started, "ended": datetime.now(timezone.utc),
               "lexicon": self.ctx.lexicon.digest, "published": published(document, extraction.utc_offset),
               "dateline_place": extraction.dateline_place}
        graph_iri = iris.document_graph(document.id)
        quads = to_quads(extraction, document, run, ox.NamedNode(graph_iri))
        return quads, self.closure.derive(quads, ox.NamedNode(derived_graph_of(graph_iri)))

    def __call__(self, document: Document) -> Extracted:
        try:
            quads, derived = self.quads(document)
        except Exception as error:  # an extractor bug must not stop the build of other documents
            return Extracted(error=f"extraction failed: {type(error).__name__}: {error}")
        return Extracted(ox.serialize(quads, format=ox.RdfFormat.N_QUADS),
                         ox.serialize(derived, format=ox.RdfFormat.N_QUADS))


_WORKER: Extractor | None = None
"""The extractor a forked worker inherits from its parent."""


def _extract_in_worker(document: Document) -> Extracted:
    assert _WORKER is not None
    return _WORKER(document)


def extracted(documents: Iterable[Document], extractor: Extractor, jobs: int) -> Iterator[tuple[Document, Extracted]]:
    """Each document with its result, in input order; ``jobs`` > 1 extracts in that many processes."""
    if jobs <= 1:
        for document in documents:
            yield document, extractor(document)
        return
    global _WORKER
    _WORKER = extractor  # forked workers start with the lexicon and matcher already built
    window: deque[tuple[Document, Future]] = deque()
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        for document in documents:
            window.append((document, pool.submit(_extract_in_worker, document)))
            if len(window) >= jobs * IN_FLIGHT:
                done, future = window.popleft()
                yield done, future.result()
        while window:
            done, future = window.popleft()
            yield done, future.result()
    _WORKER = None
