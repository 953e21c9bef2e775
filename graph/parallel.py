"""Extraction in worker processes; the parent only reads documents and writes the store.

Each worker turns a document into its quads and the closure of its own triples, and sends
them back as N-Quads bytes (pyoxigraph terms cannot cross processes; parsing N-Quads is
fast). At most a few documents per worker are in flight, so memory does not grow with the
corpus however far the writer falls behind. Results come back in input order, so a
parallel build writes exactly what a serial one does.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
import re
from collections import deque
from functools import cache
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version

import pyoxigraph as ox

from ckg.ontology.vocabulary import SCHEMA, derived_graph_of

from . import conventions, iris
from .lifetime import die_with_parent
from .documents import Document
from .extract import Context, extract, utc
from .lexicon import Lexicon
from .matching import Matcher
from .rdf import to_quads
from .reconcile import Closure

IN_FLIGHT = 4
"""Documents queued per worker: enough to keep it busy, few enough to keep memory flat."""
PIECE_CHARACTERS = 1_000_000
"""Longer documents are read one piece at a time (cut at paragraph breaks), so the
extractor's memory follows the piece, not the document."""
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


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
        return self._quads(document, extract(self.ctx, document), started)

    def _quads(self, document: Document, extraction, started: datetime, ended: datetime | None = None
               ) -> tuple[list[ox.Quad], list[ox.Quad]]:
        """An extraction's quads and their closure, spans quoted from the whole document."""
        run = {"version": self.version, "started": started, "ended": ended or datetime.now(timezone.utc),
               "lexicon": self.ctx.lexicon.digest, "published": published(document, extraction.utc_offset),
               "dateline_place": extraction.dateline_place}
        graph_iri = iris.document_graph(document.id)
        quads = to_quads(extraction, document, run, ox.NamedNode(graph_iri))
        return quads, self.closure.derive(quads, ox.NamedNode(derived_graph_of(graph_iri)))

    def piecewise(self, document: Document) -> tuple[bytes, bytes]:
        """A long document's N-Quads, read one piece after another.

        Each piece is read as the whole text with everything before the piece blanked out
        (newlines kept), so every offset, span and minted IRI is the one the whole text
        gives; names and pronouns resolve within a piece. The document's full text is
        stated once, with the first piece."""
        graphs, derived = [], []
        started, ended = datetime.now(timezone.utc), None  # one run: every piece states the same times
        for number, (start, end) in enumerate(pieces(document.text)):
            before = re.sub(r"[^\n]+", lambda m: " " * len(m.group()), document.text[:start])
            extraction = extract(self.ctx, dataclasses.replace(document, text=before + document.text[start:end]))
            ended = ended or datetime.now(timezone.utc)
            quads, closure = self._quads(document, extraction, started, ended)
            if number:
                quads = [q for q in quads if q.predicate != FULL_TEXT]
            graphs.append(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
            derived.append(ox.serialize(closure, format=ox.RdfFormat.N_QUADS))
        return b"".join(graphs), b"".join(derived)

    def __call__(self, document: Document) -> Extracted:
        try:
            if len(document.text) > PIECE_CHARACTERS:
                return Extracted(*self.piecewise(document))
            quads, derived = self.quads(document)
        except Exception as error:  # an extractor bug must not stop the build of other documents
            return Extracted(error=f"extraction failed: {type(error).__name__}: {error}")
        return Extracted(ox.serialize(quads, format=ox.RdfFormat.N_QUADS),
                         ox.serialize(derived, format=ox.RdfFormat.N_QUADS))


FULL_TEXT = ox.NamedNode(SCHEMA + "text")
"""The document's whole text, stated once however many pieces it is read in."""


def pieces(text: str, size: int = PIECE_CHARACTERS) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of at most ``size`` characters, cut after the last
    paragraph break that fits, else the last line break, else the last space, else anywhere."""
    cuts, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        breaks = [m.end() for m in PARAGRAPH_BREAK.finditer(window)]
        cut = breaks[-1] if breaks and breaks[-1] < size else max(window.rfind("\n"), window.rfind(" ")) + 1
        cut = cut if cut > 0 else size
        cuts.append((start, start + cut))
        start += cut
    return cuts + [(start, len(text))]


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
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:  # a build killed by kill -9 takes its workers along
        for document in documents:
            window.append((document, pool.submit(_extract_in_worker, document)))
            if len(window) >= jobs * IN_FLIGHT:
                done, future = window.popleft()
                yield done, future.result()
        while window:
            done, future = window.popleft()
            yield done, future.result()
    _WORKER = None
