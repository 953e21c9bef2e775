"""``ckg build``: documents in, a persistent graph out.

Each document becomes one named graph, plus a derived graph with the closure of its own
triples; a batch of documents is written in one transaction (a failed or interrupted
batch leaves the store as it was). An unchanged document with an unchanged lexicon is
skipped. Extraction runs in ``jobs`` worker processes or on a Dask cluster's workers; the
store is written by this one. After the documents, the cross-document facts (contradictions,
corroborations, denials) are recomputed one count variable at a time and streamed into their
graph in bounded batches (memory stays flat). That graph's fingerprint is forgotten first and written
last: a build killed half-way leaves it stale, and the next build recomputes it. Last, the day
index (graph.days) that queries by a range of dates start from. Servers
read the snapshot published after a build, so they never see it half made.
"""
from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ckg.ontology import files, vocabulary
from ckg.ontology.vocabulary import (DAY_INDEX_GRAPH, DERIVED_GRAPH, IDENTITY_GRAPH, KNOWLEDGE_DERIVED_GRAPH,
                                     derived_graph_of)

from . import days, identity, iris, reconcile
from .cluster import extracted as on_cluster
from .documents import MAX_CHARACTERS, Document, DocumentError, Skipped, read_documents
from .lexicon import Lexicon, load_lexicon
from .parallel import Extracted, Extractor, extracted, software_version
from .store import Store

if TYPE_CHECKING:
    from distributed import Client

ONTOLOGY_GRAPHS = {
    vocabulary.ONTOLOGY_GRAPH: files.ONTOLOGY, vocabulary.KNOWLEDGE_BASE_GRAPH: files.KNOWLEDGE_BASE,
    vocabulary.ACTORS_GRAPH: files.ACTORS, vocabulary.GEOMETRY_GRAPH: files.GEOMETRY,
}
"""Each graph loaded from the ontology's files, with its file."""
BATCH_DOCUMENTS = 32
"""Documents written per transaction."""
FLUSH_EVERY = 3
"""Batches between flushes of the store (keeps RocksDB's write buffers from growing)."""


LINE_BREAKS = re.compile(r"\s*[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]\s*")
"""Whatever a terminal or str.splitlines() would break a line at, with the spaces around it."""


def one_line(text: str) -> str:
    """``text`` on one line that can be printed: a summary line per document, whatever its path or a
    parser's message hold (YAML's errors span three lines and point at the column with a caret; a
    file name that is not UTF-8 holds surrogates, which no terminal can be sent)."""
    return LINE_BREAKS.sub(" ", text).strip().encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class Failure:
    path: str
    message: str

    def line(self, kind: str) -> str:
        return f"{kind} {one_line(self.path)}: {one_line(self.message)}"


@dataclass
class Summary:
    documents: int = 0
    built: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    notes: list[Failure] = field(default_factory=list)
    """Documents built despite damaged metadata, with what was done."""
    passed_over: list[Failure] = field(default_factory=list)
    """Files not read on purpose (symbolic links out of the input folder), with why."""
    triples: int = 0
    entities: int = 0
    statements: int = 0
    claims: int = 0
    contradictions: int = 0
    seconds: float = 0.0
    derived_seconds: float = 0.0
    """Of which: the cross-document facts and the knowledge-base closure."""
    changed: bool = False
    """Whether the build wrote anything (a document, the ontology's graphs, a derived graph)."""

    def lines(self) -> list[str]:
        rows = [
            ("documents", self.documents), ("  built", self.built), ("  unchanged, skipped", self.skipped),
            ("  failed", len(self.failures)), ("triples in store", self.triples), ("entities", self.entities),
            ("statements", self.statements), ("claims", self.claims), ("contradicting pairs", self.contradictions),
        ]
        out = [f"{name:<22}{value:>10,}" for name, value in rows]
        out.append(f"{'seconds':<22}{self.seconds:>10.1f}")
        out.append(f"{'  of which derived':<22}{self.derived_seconds:>10.1f}")
        out += [note.line("NOTE") for note in self.notes]
        out += [passed.line("SKIPPED") for passed in self.passed_over]
        out += [failure.line("FAILED") for failure in self.failures]
        return out


def fingerprint(document: Document, lexicon: Lexicon) -> str:
    parts = (document.sha256, software_version(), lexicon.digest, iris.base(), document.title or "",
             str(document.date), document.place or "", document.source or "", document.url or "")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def load_ontology_graphs(store: Store) -> bool:
    """Load the ontology and knowledge-base files that changed; True if any did."""
    changed = False
    for graph_iri, path in ONTOLOGY_GRAPHS.items():
        if path.exists():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if store.document_state(graph_iri) != digest:
                store.load_file(path, graph_iri, fingerprint=digest)
                changed = True
    return changed


def refresh_identities(store: Store) -> int:
    """Recompute the identity graph from the documents alone (earlier merges dropped first, so
    that a removed document takes its merges with it). The cross-document facts read these
    identities, so they are marked stale until refresh_cross_document redoes them."""
    store.set_state(DERIVED_GRAPH, None)
    store.replace_graph(IDENTITY_GRAPH, [])
    identities = identity.identities(lambda q: store.query(q))
    return store.replace_graph(IDENTITY_GRAPH, identities, fingerprint=str(len(identities)))


def count(store: Store, sparql: str) -> int:
    rows = list(store.query(vocabulary.SPARQL_PREFIXES + sparql))
    return int(rows[0][0].value) if rows else 0


def _to_extract(items: Iterable, store: Store, lexicon: Lexicon, summary: Summary, force: bool,
                progress: Callable[[int, str], None] | None) -> Iterator[Document]:
    """The documents that need extracting; failures and unchanged ones are counted here.

    A document whose id another of this build already has is refused: both would be
    written to one graph, and each rebuild would keep whichever came last."""
    owners: dict[str, str] = {}
    for item in items:
        if isinstance(item, Skipped):
            summary.passed_over.append(Failure(item.path, item.reason))
            continue
        summary.documents += 1
        if isinstance(item, DocumentError):
            summary.failures.append(Failure(item.path, item.message))  # str(item) would repeat the path
            continue
        if progress:
            progress(summary.documents, item.path)
        owner = owners.setdefault(item.id, item.path)
        if owner != item.path:
            summary.failures.append(Failure(item.path, f"document id {item.id!r} is already that of {owner}; "
                                                       "rename one of them or give it another id"))
            continue
        summary.notes += [Failure(item.path, note) for note in item.notes]
        mark = fingerprint(item, lexicon)
        if not force and store.document_state(iris.document_graph(item.id)) == mark:
            summary.skipped += 1
            continue
        yield item


def refresh_knowledge_closure(store: Store) -> int:
    """The closure of the ontology and knowledge-base graphs, replaced whole."""
    graphs = [ox.NamedNode(graph_iri) for graph_iri in ONTOLOGY_GRAPHS]
    graphs = [g for g in graphs if store.has_graph(g.value)]
    derived: dict[tuple, None] = {}
    for sparql in reconcile.RULES.values():
        for triple in store.query(sparql, default_graph=graphs):
            derived[(triple[0], triple[1], triple[2])] = None
    return store.replace_graph(KNOWLEDGE_DERIVED_GRAPH, derived, fingerprint=str(len(derived)))


def refresh_cross_document(store: Store) -> int:
    """Contradictions, corroborations and denials, streamed into the derived graph."""
    store.set_state(DERIVED_GRAPH, None)
    store.drop_graph(DERIVED_GRAPH)
    count = store.stream_into(DERIVED_GRAPH, reconcile.across_documents(lambda q: store.query(q)))
    store.set_state(DERIVED_GRAPH, str(count))
    return count


def refresh_day_index(store: Store) -> int:
    """The day index (graph.days), replaced whole: a graph of the distinct instants, small beside the documents."""
    triples = list(days.index(days.instants(lambda q: store.query(q))))
    return store.replace_graph(DAY_INDEX_GRAPH, triples, fingerprint=str(len(triples)))


_EXTRACTORS: dict[str, Extractor] = {}
"""The last lexicon's extractor, by the digest of its files: its phrase matcher takes seconds to
build, and a caller that builds again and again (a benchmark, the tests) passes the same lexicon."""


def extractor_for(lexicon: Lexicon) -> Extractor:
    if not lexicon.digest:
        return Extractor(lexicon)  # made from a graph, not from files: nothing says it is the same
    if lexicon.digest not in _EXTRACTORS:
        _EXTRACTORS.clear()
        _EXTRACTORS[lexicon.digest] = Extractor(lexicon)
    return _EXTRACTORS[lexicon.digest]


def _extracted(documents: Iterable[Document], lexicon: Lexicon, jobs: int, cluster: Client | None
               ) -> Iterator[tuple[Document, Extracted]]:
    if cluster is None:
        return extracted(documents, extractor_for(lexicon), jobs)
    return on_cluster(documents, cluster, lexicon)


def build(paths: Iterable[Path], store: Store, *, progress: Callable[[int, str], None] | None = None,
          force: bool = False, jobs: int = 1, follow_symlinks: bool = False,
          max_characters: int = MAX_CHARACTERS, lexicon: Lexicon | None = None,
          cluster: Client | None = None) -> Summary:
    """Build or update the store from documents; returns what happened.

    ``jobs`` > 1 extracts in that many worker processes, ``cluster`` on the workers of a Dask
    cluster instead (``cluster.connect``); the store is the same either way.
    ``follow_symlinks`` reads files of a folder that link outside it; documents over
    ``max_characters`` are refused. ``lexicon``: the one ``load_lexicon()`` gives, already loaded
    (it takes seconds to read), for a caller that builds again and again.
    """
    began = time.monotonic()
    summary = Summary()
    lexicon = lexicon or load_lexicon()
    ontology_changed = load_ontology_graphs(store)
    documents = read_documents(list(paths), follow_symlinks=follow_symlinks, max_characters=max_characters)
    todo = _to_extract(documents, store, lexicon, summary, force, progress)
    batch: list[tuple[str, bytes, str]] = []
    batches = 0
    for document, result in _extracted(todo, lexicon, jobs, cluster):
        if result.error is not None:
            summary.failures.append(Failure(document.path, result.error))
            continue
        if not summary.built and store.document_state(DERIVED_GRAPH) is not None:
            store.set_state(DERIVED_GRAPH, None)  # a build stopped after its documents leaves it stale
        graph_iri, mark = iris.document_graph(document.id), fingerprint(document, lexicon)
        batch += [(graph_iri, result.graph, mark), (derived_graph_of(graph_iri), result.derived, mark)]
        summary.built += 1
        if len(batch) >= 2 * BATCH_DOCUMENTS:
            store.add_graphs(batch)
            batch, batches = [], batches + 1
            if batches % FLUSH_EVERY == 0:
                store.flush()  # RocksDB's write buffers otherwise grow with the corpus
    if batch:
        store.add_graphs(batch)
    derived_began = time.monotonic()
    summary.changed = bool(summary.built or ontology_changed)
    if ontology_changed or store.document_state(KNOWLEDGE_DERIVED_GRAPH) is None:
        refresh_knowledge_closure(store)
        summary.changed = True
    if summary.built or ontology_changed or store.document_state(DERIVED_GRAPH) is None:
        refresh_identities(store)  # first: the pairs below see each person under one name
        refresh_cross_document(store)
        summary.changed = True
    if summary.built or store.document_state(DAY_INDEX_GRAPH) is None:
        refresh_day_index(store)
        summary.changed = True
    summary.derived_seconds = time.monotonic() - derived_began
    summary.triples = store.quad_count()
    summary.entities = count(store, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c . VALUES ?c { ckg:Person ckg:Organization ckg:AnonymousSource } }")
    summary.statements = count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ckg:CommunicationEvent }")
    summary.claims = count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ckg:Claim }")
    summary.contradictions = count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?a ckg:contradicts ?b "
                                   "FILTER (STR(?a) < STR(?b)) } }" % DERIVED_GRAPH)
    summary.seconds = time.monotonic() - began
    return summary
