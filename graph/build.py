"""``ckg build``: documents in, a persistent graph out.

Each document becomes one named graph, replaced whole in one transaction (a failed or
interrupted document leaves the store as it was). An unchanged document with an
unchanged lexicon is skipped. After the documents, the derived graph (contradictions,
corroborations, closure) is recomputed from everything in the store.
"""
from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pyoxigraph as ox
import rdflib

from ontology import files

from . import conventions, identity, iris, reconcile
from .documents import Document, DocumentError, read_documents
from .extract import Context, extract, utc
from .lexicon import Lexicon, load_lexicon
from .matching import Matcher
from .rdf import to_graph
from .store import Store

GRAPH_BASE = files.ID_BASE.replace("/id/", "/graph/")
ONTOLOGY_GRAPHS = {
    "ontology": files.ONTOLOGY, "knowledge-base": files.KNOWLEDGE_BASE,
    "actors": files.ACTORS, "geometry": files.GEOMETRY,
}
DERIVED_GRAPH = GRAPH_BASE + "derived"
IDENTITY_GRAPH = GRAPH_BASE + "identities"
"""owl:sameAs between a person's name forms, and the facts copied onto the fullest (graph.identity)."""
FLUSH_EVERY = 100
"""Documents between flushes of the store (measured: keeps a build's memory flat)."""


def software_version() -> str:
    try:
        return version("conflict-kg")
    except PackageNotFoundError:
        return "0+unknown"


@dataclass
class Failure:
    path: str
    message: str


@dataclass
class Summary:
    documents: int = 0
    built: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    triples: int = 0
    entities: int = 0
    statements: int = 0
    claims: int = 0
    contradictions: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        rows = [
            ("documents", self.documents), ("  built", self.built), ("  unchanged, skipped", self.skipped),
            ("  failed", len(self.failures)), ("triples in store", self.triples), ("entities", self.entities),
            ("statements", self.statements), ("claims", self.claims), ("contradicting pairs", self.contradictions),
        ]
        out = [f"{name:<22}{value:>10,}" for name, value in rows]
        out.append(f"{'seconds':<22}{self.seconds:>10.1f}")
        for failure in self.failures:
            out.append(f"FAILED {failure.path}: {failure.message}")
        return out


def to_oxigraph(graph: rdflib.Graph) -> list[ox.Triple]:
    data = graph.serialize(format="nt", encoding="utf-8")
    return list(ox.parse(io.BytesIO(data), format=ox.RdfFormat.N_TRIPLES))


def fingerprint(document: Document, lexicon: Lexicon) -> str:
    parts = (document.sha256, software_version(), lexicon.digest, iris.base(), document.title or "",
             str(document.date), document.place or "", document.source or "", document.url or "")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def published(document: Document, offset: str | None) -> datetime | None:
    if document.date is None:
        return None
    return utc(document.date, offset)


def load_ontology_graphs(store: Store) -> bool:
    """Load the ontology and knowledge-base files that changed; True if any did."""
    changed = False
    for name, path in ONTOLOGY_GRAPHS.items():
        if path.exists():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            graph_iri = GRAPH_BASE + name
            if store.document_state(graph_iri) != digest:
                store.load_file(path, graph_iri, fingerprint=digest)
                changed = True
    return changed


def build_document(ctx: Context, document: Document) -> rdflib.Graph:
    started = datetime.now(timezone.utc)
    extraction = extract(ctx, document)
    run = {"version": software_version(), "started": started, "ended": datetime.now(timezone.utc),
           "lexicon": ctx.lexicon.digest, "published": published(document, extraction.utc_offset),
           "dateline_place": extraction.dateline_place}
    return to_graph(extraction, document, run)


def refresh_identities(store: Store) -> int:
    """Recompute the identity graph from the documents alone (earlier merges and derivations
    dropped first, so that a removed document takes its merges with it)."""
    store.replace_graph(IDENTITY_GRAPH, [])
    store.replace_graph(DERIVED_GRAPH, [])
    identities = identity.identities(lambda q: store.query(q))
    return store.replace_graph(IDENTITY_GRAPH, identities, fingerprint=str(len(identities)))


def count(store: Store, sparql: str) -> int:
    rows = list(store.query(reconcile.PREFIXES + sparql))
    return int(rows[0][0].value) if rows else 0


def build(paths: Iterable[Path], store: Store, *, progress: Callable[[int, str], None] | None = None,
          force: bool = False) -> Summary:
    """Build or update the store from documents; returns what happened."""
    began = time.monotonic()
    summary = Summary()
    lexicon = load_lexicon()
    ctx = Context(lexicon, Matcher(lexicon), conventions.load_conventions(lexicon.graph))
    ontology_changed = load_ontology_graphs(store)
    for item in read_documents(list(paths)):
        summary.documents += 1
        if isinstance(item, DocumentError):
            summary.failures.append(Failure(str(getattr(item, "path", "?")), str(item)))
            continue
        graph_iri = iris.document_graph(item.id)
        mark = fingerprint(item, lexicon)
        if progress:
            progress(summary.documents, item.path)
        if not force and store.document_state(graph_iri) == mark:
            summary.skipped += 1
            continue
        try:
            triples = to_oxigraph(build_document(ctx, item))
        except Exception as error:  # an extractor bug must not stop the build of other documents
            summary.failures.append(Failure(item.path, f"extraction failed: {type(error).__name__}: {error}"))
            continue
        store.replace_graph(graph_iri, triples, fingerprint=mark)
        summary.built += 1
        if summary.built % FLUSH_EVERY == 0:
            store.flush()  # RocksDB's write buffers otherwise grow with the corpus
    if summary.built or ontology_changed or store.document_state(DERIVED_GRAPH) is None:
        refresh_identities(store)  # first: the rules below see each person under one name
        derived = list(reconcile.derive(lambda q: store.query(q)))
        store.replace_graph(DERIVED_GRAPH, derived, fingerprint=str(len(derived)))
    summary.triples = store.quad_count()
    summary.entities = count(store, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c . VALUES ?c { ckg:Person ckg:Organization ckg:AnonymousSource } }")
    summary.statements = count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ckg:CommunicationEvent }")
    summary.claims = count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ckg:Claim }")
    summary.contradictions = count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a ckg:contradicts ?b FILTER (STR(?a) < STR(?b)) }")
    summary.seconds = time.monotonic() - began
    return summary
