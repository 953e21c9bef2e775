"""The full-text index of a snapshot: what the graph says, in SQLite FTS5, made once per snapshot.

Search must not scan the store per request, so each published snapshot carries a file
``search.sqlite`` made from the graph by SPARQL: one entry per evidence span, statement
quote, claim, person, organisation, place and document, its words indexed (FTS5, the
``unicode61`` tokenizer folding case and accents), and the facets it can be narrowed by
(type, side, count kind, claimant, channel, document, day, week, month) in a table of
their own, a value per row, so an entry may have several. Entries keep IRIs, not server
paths: who shows a hit decides where it links.
"""
from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ckg.ontology.vocabulary import with_prefixes

from .facets import FACETS, dated, day_of
from .store import Store

log = logging.getLogger("ckg.search")

FILE = "search.sqlite"
"""The index's name inside its snapshot's folder (RocksDB ignores files it does not know)."""
TYPES = ("span", "quote", "claim", "person", "organisation", "place", "document")
"""What a hit can be, in the order hits of equal rank are shown."""
MARKS = ("\ue000", "\ue001")
"""What snippets mark a match with (private-use characters, removed from the indexed text)."""

SCHEMA = """
CREATE TABLE entry (id INTEGER PRIMARY KEY, type TEXT NOT NULL, source INTEGER, weight INTEGER NOT NULL, date TEXT,
                    document TEXT, anchor TEXT, iri TEXT NOT NULL, title TEXT NOT NULL, name TEXT NOT NULL,
                    body TEXT NOT NULL);
CREATE VIRTUAL TABLE entry_text USING fts5(name, body, content='entry', content_rowid='id',
                                           tokenize='unicode61 remove_diacritics 2', prefix='2 3');
CREATE TABLE facet_value (id INTEGER PRIMARY KEY, facet TEXT NOT NULL, value TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE facet (entry INTEGER NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (entry, value)) WITHOUT ROWID;
CREATE TABLE document (iri TEXT PRIMARY KEY, title TEXT NOT NULL);
"""
"""An entry's small columns come first: ranking reads them for every match, never the text.
Facet values are numbered once, so an entry's facets are pairs of integers."""
INDEXES = """
CREATE UNIQUE INDEX facet_value_by_name ON facet_value (facet, value);
CREATE INDEX facet_by_value ON facet (value, entry);
CREATE INDEX entry_by_source ON entry (source);
INSERT INTO entry_text (entry_text) VALUES ('rebuild');
INSERT INTO entry_text (entry_text) VALUES ('optimize');
"""

# Simple queries, joined here: Oxigraph runs a union of such patterns, or a join with a path,
# row by row, which took minutes at a few thousand articles; each of these alone takes milliseconds.
CLAIMS = """
SELECT DISTINCT ?thing ?label ?document ?stated ?group WHERE {
  ?thing a ckg:Claim ; ckg:reportedIn ?document .
  OPTIONAL { ?thing rdfs:label ?label }
  OPTIONAL { ?thing ckg:statedValue ?stated }
  OPTIONAL { ?thing ckg:groupAsStated ?group }
}"""
CLAIM_FACETS = {
    "claimant": "?thing ckg:claimedBy ?value",
    "side": "?thing ckg:claimedOnBehalfOf ?value . ?value a ckg:State",
    "kind": "?thing ckg:aboutVariable/ckg:countOf/skos:notation ?value",
    "channel": "?thing ckg:assertedIn/ckg:channel ?value",
    "date": "?thing ckg:assertedIn/ckg:earliestBegin ?value",
    "evidence": "?thing ckg:hasEvidence ?value",
}
"""Each facet of a claim: a pattern binding ``?thing`` (the claim) and ``?value``."""
STATEMENTS = """
SELECT DISTINCT ?thing ?quote ?document ?span WHERE {
  ?thing a ckg:CommunicationEvent ; ckg:quote ?quote ; ckg:denotedBy ?span . ?span oa:hasSource ?document .
}"""
STATEMENT_FACETS = {
    "claimant": "?thing a ckg:CommunicationEvent ; ckg:speaker ?value",
    "side": "{ SELECT DISTINCT ?thing ?behalf WHERE { ?thing ckg:onBehalfOf ?behalf } } "
            "?behalf org:memberOf* ?value . ?value a ckg:State",
    "channel": "?thing a ckg:CommunicationEvent ; ckg:channel ?value",
    "date": "?thing a ckg:CommunicationEvent ; ckg:earliestBegin ?value",
}
SPANS = tuple(f"""
SELECT DISTINCT ?thing ?exact ?start ?document WHERE {{
  {reading} ?thing oa:hasSource ?document ; oa:hasSelector ?quote .
  ?quote oa:exact ?exact . ?thing oa:hasSelector ?position . ?position oa:start ?start .
}}""" for reading in ("?anything ckg:hasEvidence ?thing .", "?anything a ckg:CommunicationEvent ; ckg:denotedBy ?thing ."))
"""The spans claims and statements were read from (not every mention of a name)."""
ENTITIES = """
SELECT DISTINCT ?thing ?type ?label WHERE {
  { ?thing a ckg:Person BIND ("person" AS ?type) }
  UNION { ?thing a ckg:Organization BIND ("organisation" AS ?type) }
  UNION { ?thing a ckg:Place FILTER NOT EXISTS { ?thing a ckg:Organization } BIND ("place" AS ?type) }
  ?thing rdfs:label|skos:altLabel ?label .
}"""
ENTITY_FACETS = {
    "side": "?thing prov:actedOnBehalfOf|org:memberOf ?value . ?value a ckg:State",
    "document": "?value ckg:mentions ?thing",
}
LABELS = "SELECT ?value ?label WHERE { ?value rdfs:label ?label }"
MERGED = "SELECT DISTINCT ?value WHERE { ?value owl:sameAs ?fuller }"
"""People known by a fuller name: their facts are the fuller name's too, so they are left out."""
MENTIONS = """
SELECT ?thing (COUNT(DISTINCT ?span) AS ?mentions) WHERE { ?thing ckg:denotedBy ?span } GROUP BY ?thing
"""
DOCUMENTS = """
SELECT ?thing (SAMPLE(?name) AS ?title) (SAMPLE(?text) AS ?body) (MIN(?published) AS ?date) WHERE {
  ?thing a ckg:Document ; schema:text ?text .
  OPTIONAL { ?thing schema:headline|dcterms:title|rdfs:label ?name }
  OPTIONAL { ?thing schema:datePublished ?published }
} GROUP BY ?thing"""


@dataclass
class Entry:
    type: str
    iri: str
    title: str
    """What the hit is called where it is shown."""
    name: str
    """The words a match weighs most in: an entity's name, a document's title; none for text."""
    body: str
    document: str | None = None
    anchor: str | None = None
    date: str | None = None
    weight: int = 0
    source: str | None = None
    """The span whose words this was read from (a claim's evidence, a statement's)."""
    facets: set[tuple[str, str, str]] = field(default_factory=set)


def path_of(snapshot: Path | str) -> Path:
    return Path(snapshot) / FILE


def _rows(store: Store, query: str) -> Iterable[dict[str, str]]:
    solutions = store.query(with_prefixes(query))
    names = [variable.value for variable in solutions.variables]
    for solution in solutions:
        yield {name: solution[name].value for name in names if solution[name] is not None}


def _clean(text: str) -> str:
    return text.replace(MARKS[0], "").replace(MARKS[1], "")


def _facets_of(store: Store, patterns: dict[str, str], labels: dict[str, str],
               merged: set[str]) -> dict[str, set[tuple[str, str, str]]]:
    """Each thing's (facet, value, label) triples, from one query per facet."""
    found: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for facet, pattern in patterns.items():
        for row in _rows(store, f"SELECT DISTINCT ?thing ?value WHERE {{ {pattern} }}"):
            if row["value"] not in merged:
                found[row["thing"]].add((facet, row["value"], labels.get(row["value"], row["value"])))
    return found


def _dated(entry: Entry, facets: set[tuple[str, str, str]], fallback: str | None) -> None:
    """The entry's date facets: the earliest its facets name, else the fallback (the document's)."""
    days = sorted(day for facet, value, _ in facets if facet == "date" for day in [day_of(value)] if day)
    entry.date = days[0] if days else day_of(fallback)
    entry.facets |= {f for f in facets if f[0] in FACETS}
    if entry.date:
        entry.facets |= {(facet, value, value) for facet, value in dated(entry.date)}


def entries(store: Store) -> tuple[list[Entry], dict[str, str]]:
    """Everything the index holds, from the graph; and every document's title."""
    documents = {row["thing"]: row for row in _rows(store, DOCUMENTS)}
    titles = {iri: row.get("title") or iri.rstrip("/").rsplit("/", 1)[-1] for iri, row in documents.items()}
    dates = {iri: row.get("date") for iri, row in documents.items()}
    found: list[Entry] = []

    def in_document(entry: Entry, iri: str) -> None:
        entry.document = iri
        entry.facets.add(("document", iri, titles.get(iri, iri)))

    labels: dict[str, str] = {}
    for row in _rows(store, LABELS):
        labels.setdefault(row["value"], row["label"])
    merged = {row["value"] for row in _rows(store, MERGED)}
    claim_facets = _facets_of(store, CLAIM_FACETS, labels, merged)
    span_facets: dict[str, set] = defaultdict(set)
    for row in _rows(store, CLAIMS):
        iri = row["thing"]
        words = " ".join(row[k] for k in ("stated", "group") if k in row)
        label = _clean(row.get("label", iri))
        entry = Entry("claim", iri, label, "", f"{label} {_clean(words)}")
        in_document(entry, row["document"])
        _dated(entry, claim_facets.get(iri, set()), dates.get(row["document"]))
        entry.facets.add(("type", "claim", "claim"))
        found.append(entry)
        for facet, value, _ in sorted(claim_facets.get(iri, set())):
            if facet == "evidence":
                span_facets[value] |= {f for f in claim_facets[iri] if f[0] != "evidence"}
                entry.source = entry.source or value
    statement_facets = _facets_of(store, STATEMENT_FACETS, labels, merged)
    for row in _rows(store, STATEMENTS):
        iri = row["thing"]
        speakers = sorted(label for facet, _, label in statement_facets.get(iri, set()) if facet == "claimant")
        entry = Entry("quote", iri, _clean(", ".join(speakers) or titles.get(row["document"], "")), "",
                      _clean(row["quote"]))
        in_document(entry, row["document"])
        _dated(entry, statement_facets.get(iri, set()), dates.get(row["document"]))
        entry.facets.add(("type", "quote", "quote"))
        entry.source = row["span"]
        found.append(entry)
        span_facets[row["span"]] |= statement_facets.get(iri, set())
    spans = {row["thing"]: row for query in SPANS for row in _rows(store, query)}
    for iri, row in spans.items():
        document = row["document"]
        entry = Entry("span", iri, _clean(titles.get(document, document)), "", _clean(row["exact"]),
                      anchor=iri.partition("#")[2] or None, weight=-int(row["start"]))
        in_document(entry, document)
        _dated(entry, span_facets.get(iri, set()), dates.get(document))
        entry.facets.add(("type", "span", "span"))
        found.append(entry)
    mentions = {row["thing"]: int(row["mentions"]) for row in _rows(store, MENTIONS)}
    names: dict[str, list[str]] = defaultdict(list)
    kinds: dict[str, str] = {}
    for row in _rows(store, ENTITIES):
        if row["thing"] in merged:
            continue
        kinds.setdefault(row["thing"], row["type"])
        if row["label"] not in names[row["thing"]]:
            names[row["thing"]].append(row["label"])
    entity_facets = _facets_of(store, ENTITY_FACETS, labels, merged)
    for iri, labels in names.items():
        entry = Entry(kinds[iri], iri, _clean(labels[0]), _clean(labels[0]), _clean(" · ".join(labels[1:])),
                      weight=mentions.get(iri, 0))
        entry.facets |= {(f, v, titles.get(v, v) if f == "document" else label)
                         for f, v, label in entity_facets.get(iri, set())}
        entry.facets.add(("type", entry.type, entry.type))
        found.append(entry)
    for iri, row in documents.items():
        entry = Entry("document", iri, _clean(titles[iri]), _clean(titles[iri]), _clean(row["body"]),
                      weight=len(row["body"]))
        in_document(entry, iri)
        _dated(entry, set(), row.get("date"))
        entry.facets.add(("type", "document", "document"))
        found.append(entry)
    return found, titles


def write(target: Path, found: list[Entry], titles: dict[str, str]) -> None:
    """The index file, written whole under a temporary name and then moved into place."""
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(partial) as db:
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
        numbers = {entry.iri: number for number, entry in enumerate(found, 1) if entry.type == "span"}
        values: dict[tuple[str, str], int] = {}
        for number, entry in enumerate(found, 1):
            db.execute("INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (number, entry.type, numbers.get(entry.source), entry.weight, entry.date, entry.document,
                        entry.anchor, entry.iri, entry.title, entry.name, entry.body))
            for facet, value, label in sorted(entry.facets):
                if (facet, value) not in values:
                    values[facet, value] = len(values) + 1
                    db.execute("INSERT INTO facet_value VALUES (?, ?, ?, ?)", (values[facet, value], facet, value, label))
            db.executemany("INSERT OR IGNORE INTO facet VALUES (?, ?)",
                           [(number, values[facet, value]) for facet, value, _ in entry.facets])
        db.executemany("INSERT INTO document VALUES (?, ?)", titles.items())
        db.executescript(INDEXES)
    db.close()
    os.replace(partial, target)


def build(store: Store, snapshot: Path | str) -> Path:
    """Index what ``store`` holds into the snapshot ``snapshot`` (the store's checkpoint)."""
    started = time.monotonic()
    found, titles = entries(store)
    target = path_of(snapshot)
    write(target, found, titles)
    log.info("indexed %d entries of %s for search in %.1f s", len(found), snapshot, time.monotonic() - started)
    return target


def ensure(snapshot: Path | str) -> Path:
    """The snapshot's index; one published without it (an older store, or a write whose index is
    still being made) gets it now, made once, under a lock, by a child process (the caller's
    memory stays flat)."""
    target = path_of(snapshot)
    if target.is_file():
        return target
    started = time.monotonic()
    log.warning("snapshot %s has no search index yet: making it (or waiting for the process making it)", snapshot)
    done = subprocess.run([sys.executable, "-m", "ckg.graph.search_index", str(snapshot)], capture_output=True,
                          text=True)
    if done.returncode != 0 or not target.is_file():
        from .store import StoreError

        raise StoreError(f"could not index {snapshot} for search: {done.stderr.strip()[-500:] or 'no output'}")
    log.warning("the search index of %s is there after %.1f s", snapshot, time.monotonic() - started)
    return target


def in_background(snapshot: Path | str) -> None:
    """Make the snapshot's index in a process of its own, so that a write is not kept waiting."""
    subprocess.Popen([sys.executable, "-m", "ckg.graph.search_index", str(snapshot)], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def main(argv: list[str]) -> int:
    """``python -m ckg.graph.search_index SNAPSHOT``: index a snapshot, read-only, unless another
    process has (one at a time: the others wait for it and find its file)."""
    from . import snapshots

    snapshot = Path(argv[0])
    with open(snapshot / ".search.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path_of(snapshot).is_file():
            return 0
        with snapshots.in_use(snapshot), Store.open(snapshot, read_only=True) as store:
            build(store, snapshot)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
