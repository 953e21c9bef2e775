"""Ranked full-text search over a snapshot's index (search_index.py): hits, snippets, facets.

The analyst's words go to SQLite FTS5 as its query syntax ("…" phrases, foo* prefixes,
AND, OR, NOT, NEAR), after one courtesy: a bare word holding punctuation (al-Qaeda,
Pakistan's) is searched as the phrase of its parts rather than refused. Hits are ranked
by BM25, a match in a name (an entity's, a document's title) weighing more than one in text;
a span ranks with the best of what was read from it (its claims, its statement's quote), so
the source's words come before what was made of them. Facet values narrow the
search as bound parameters, never as SQL; syntax FTS5 refuses is a ``SearchError`` that
says what is wrong.
"""
from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import facets
from .facets import FACETS, FacetValue
from .search_index import MARKS, TYPES

MAX_QUERY_CHARS = 1_000
MAX_LIMIT = 200
SNIPPET_TOKENS = 24
NAME_WEIGHT, BODY_WEIGHT = 4.0, 1.0
TYPE_BOOST = {"span": 1.3, "quote": 1.0, "claim": 1.0, "person": 1.2, "organisation": 1.2, "place": 1.1,
              "document": 1.0}
"""BM25 multiplied by the hit's type: a span is where the words stand in the article, the
analyst's evidence, so it goes before the statement's quote of the same words."""
COMPLETED_TYPES = ("person", "organisation", "place")

_BARE = re.compile(r'[^\s"()*^:+]+')
_WORD = re.compile(r"\w+")
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


class SearchError(ValueError):
    """The request cannot be searched (bad syntax, bad parameter): a 400 that says why."""


class SearchTimeout(RuntimeError):
    """The search ran past its time limit."""


@dataclass(frozen=True)
class Request:
    text: str
    filters: tuple[tuple[str, str], ...] = ()
    """(facet, value) pairs, every one of which a hit must have."""
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class Hit:
    type: str
    iri: str
    anchor: str | None
    title: str
    snippet: str
    """The matching passage with each match between ``MARKS``."""
    document: str | None
    document_title: str | None
    date: str | None
    score: float


@dataclass(frozen=True)
class Result:
    request: Request
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


def fts_query(text: str) -> str:
    """The analyst's words as an FTS5 query (a bare word with punctuation becomes a phrase)."""
    text = text.strip()
    if not text:
        raise SearchError("give words to search for (q=…)")
    if len(text) > MAX_QUERY_CHARS:
        raise SearchError(f"the search is {len(text):,} characters long; at most {MAX_QUERY_CHARS:,} are read")
    parts, position, quoted = [], 0, False
    for match in re.finditer(r'"', text):  # words inside "…" are FTS5's phrase already
        chunk = text[position:match.start()]
        parts.append(chunk if quoted else _BARE.sub(_bare, chunk))
        parts.append('"')
        position, quoted = match.end(), not quoted
    tail = text[position:]
    parts.append(tail if quoted else _BARE.sub(_bare, tail))
    return "".join(parts)


def _bare(match: re.Match) -> str:
    word = match.group(0)
    if word in _OPERATORS or _WORD.fullmatch(word) or not _WORD.search(word):
        return word  # operators stay operators; punctuation alone is left for FTS5 to refuse
    return f'"{word}"'


def _syntax_error(text: str, error: sqlite3.Error) -> SearchError:
    reason = str(error).removeprefix("fts5: ")
    if reason.startswith("unknown special query"):
        reason = "a '*' must end a word (foo* finds every word beginning with foo)"
    elif reason == 'syntax error near ""':
        reason = "the search ends where more was expected (an operator or bracket with nothing after it)"
    if "no such column" in reason:
        reason += " (a word before ':' names a column: name or body; put other colons inside \"…\")"
    return SearchError(f"cannot search for {text!r}: {reason}. Put phrases in double quotes (\"…\"), end a word "
                       "with * for every word it begins, combine words with AND, OR, NOT; a quote must be closed "
                       "and an operator needs words on both sides")


def _connect(index: Path, seconds: float | None) -> sqlite3.Connection:
    db = sqlite3.connect(f"file:{index}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    if seconds is not None:
        deadline = time.monotonic() + seconds
        db.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
    return db


def _filters(db: sqlite3.Connection, filters: tuple[tuple[str, str], ...]) -> tuple[str, list[int]] | None:
    """The SQL that keeps hits with every facet value, and its arguments; None when some value
    is in no entry at all (nothing can match). Each value is looked up once, then checked per
    match by its key: a list of entries handed to FTS5 would make it match row by row."""
    clauses, arguments = [], []
    for facet, value in filters:
        if facet not in FACETS:
            raise SearchError(f"there is no facet {facet!r}; the facets are {', '.join(FACETS)}")
        found = db.execute("SELECT id FROM facet_value WHERE facet = ? AND value = ?", [facet, value]).fetchone()
        if found is None:
            return None
        clauses.append(" AND EXISTS (SELECT 1 FROM facet WHERE facet.entry = entry_text.rowid AND facet.value = ?)")
        arguments.append(found[0])
    return "".join(clauses), arguments


def check(request: Request) -> None:
    if not 1 <= request.limit <= MAX_LIMIT:
        raise SearchError(f"limit must be from 1 to {MAX_LIMIT}, not {request.limit}")
    if request.offset < 0:
        raise SearchError(f"offset must be 0 or more, not {request.offset}")


def search(index: Path, request: Request, seconds: float | None = None) -> Result:
    """The request's hits (best first), how many there are, and its facets' values with counts."""
    check(request)
    query = fts_query(request.text)
    boost = " ".join(f"WHEN '{name}' THEN {factor}" for name, factor in TYPE_BOOST.items())
    order = " ".join(f"WHEN '{name}' THEN {number}" for number, name in enumerate(TYPES))
    db = _connect(index, seconds)
    try:
        kept = _filters(db, request.filters)
        if kept is None:
            db.execute("SELECT 1 FROM entry_text WHERE entry_text MATCH ? LIMIT 1", [query])  # its syntax, still
            return Result(request, 0, [], facets.shown([], request.filters))
        narrowed, arguments = kept
        ranked = db.execute(
            f"""WITH hit AS (
                  SELECT e.id, e.type, e.source, e.weight,
                         bm25(entry_text, {NAME_WEIGHT}, {BODY_WEIGHT}) * (CASE e.type {boost} ELSE 1 END) AS score
                  FROM entry_text JOIN entry e ON e.id = entry_text.rowid WHERE entry_text MATCH ?{narrowed}),
                lifted AS (SELECT source AS id, MIN(score) AS score FROM hit WHERE source IS NOT NULL GROUP BY source)
                SELECT hit.id, MIN(hit.score, COALESCE(lifted.score, hit.score)) AS ranked
                FROM hit LEFT JOIN lifted ON lifted.id = hit.id
                ORDER BY ranked, CASE hit.type {order} END, hit.weight DESC, hit.id LIMIT ? OFFSET ?""",
            [query, *arguments, request.limit, request.offset]).fetchall()
        ids = [number for number, _ in ranked]
        shown = {row[0]: row[1:] for row in db.execute(
            f"""SELECT e.id, e.type, e.iri, e.anchor, e.title, e.document, d.title, e.date,
                       snippet(entry_text, -1, ?, ?, '…', {SNIPPET_TOKENS})
                FROM entry_text JOIN entry e ON e.id = entry_text.rowid LEFT JOIN document d ON d.iri = e.document
                WHERE entry_text MATCH ? AND entry_text.rowid IN ({", ".join("?" * len(ids))})""",
            [*MARKS, query, *ids])}
        counted = db.execute(
            f"""SELECT v.facet, v.value, v.label, counted.n FROM (
                  SELECT value, COUNT(*) AS n FROM facet
                  WHERE entry IN (SELECT entry_text.rowid FROM entry_text WHERE entry_text MATCH ?{narrowed})
                  GROUP BY value) AS counted JOIN facet_value v ON v.id = counted.value""",
            [query, *arguments]).fetchall()
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise SearchTimeout(f"the search ran past the time limit of {seconds:g} s") from None
        raise _syntax_error(request.text, error) from None
    finally:
        db.close()
    hits = []
    for number, score in ranked:
        type_, iri, anchor, title, document, document_title, date, snippet = shown[number]
        hits.append(Hit(type_, iri, anchor, title, snippet or title, document, document_title, date, round(score, 4)))
    return Result(request, sum(c for facet, _, _, c in counted if facet == "type"), hits,
                  facets.shown(counted, request.filters, order={"type": TYPES}))


def complete(index: Path, prefix: str, limit: int = 10) -> list[dict]:
    """People, organisations and places whose names have words beginning with the prefix's,
    the most mentioned first."""
    words = _WORD.findall(prefix)
    if not words:
        return []
    if not 1 <= limit <= 50:
        raise SearchError(f"limit must be from 1 to 50, not {limit}")
    query = "name : (" + " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}" *)'
    db = _connect(index, 5.0)
    try:
        rows = db.execute(
            f"""SELECT e.title, e.iri, e.type FROM entry_text JOIN entry e ON e.id = entry_text.rowid
                WHERE entry_text MATCH ? AND e.type IN ({", ".join("?" * len(COMPLETED_TYPES))})
                ORDER BY e.weight DESC, bm25(entry_text, {NAME_WEIGHT}, {BODY_WEIGHT}), length(e.title), e.id
                LIMIT ?""", [query, *COMPLETED_TYPES, limit]).fetchall()
    except sqlite3.OperationalError as error:
        raise SearchError(f"cannot complete {prefix!r}: {error}") from None
    finally:
        db.close()
    return [{"label": label, "iri": iri, "type": type_} for label, iri, type_ in rows]
