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

import heapq
import json
import re
import sqlite3
import time
from collections.abc import Callable
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
FACETS_EXACT_UP_TO = 2_000
"""Matches whose facets are counted one by one; past it, the facets are the best this many's."""
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
    facets_exact: bool = True
    """False when the facets count only the best ``facets_counted`` hits, not all ``total``."""
    facets_counted: int = 0


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


def search(index: Path, request: Request, seconds: float | None = None,
           exact_up_to: int = FACETS_EXACT_UP_TO) -> Result:
    """The request's hits (best first), how many there are, and its facets' values with counts.

    BM25 scores every match, but only the best ``exact_up_to`` (or as many as the page reaches)
    are read further: boosted by type, lifted by what was read from them, and
    counted by facet. Past that many matches the facets are the best hits' (``facets_exact``
    false), since grouping every match's facet rows takes seconds at a hundred thousand."""
    check(request)
    query = fts_query(request.text)
    db = _connect(index, seconds)
    try:
        kept = _filters(db, request.filters)
        if kept is None:
            db.execute("SELECT 1 FROM entry_text WHERE entry_text MATCH ? LIMIT 1", [query])  # its syntax, still
            return Result(request, 0, [], facets.shown([], request.filters))
        narrowed, arguments = kept
        reach = request.offset + request.limit
        pool = max(exact_up_to, reach)
        best, total = _best(db, query, narrowed, arguments, pool)
        ranked = _ranked(db, best, arguments, lambda numbers: _matching(db, query, narrowed, arguments, numbers),
                         reach)
        ranked = ranked[request.offset:reach]
        shown = _shown(db, query, [number for number, _ in ranked])
        counted_over = [number for number, _ in best[:max(exact_up_to, 0)]]
        counted = db.execute(
            """SELECT v.facet, v.value, v.label, counted.n FROM (
                 SELECT value, COUNT(*) AS n FROM facet WHERE entry IN (SELECT value FROM json_each(?))
                 GROUP BY value) AS counted JOIN facet_value v ON v.id = counted.value""",
            [json.dumps(counted_over)]).fetchall()
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
    return Result(request, total, hits, facets.shown(counted, request.filters, order={"type": TYPES}),
                  facets_exact=len(counted_over) == total, facets_counted=len(counted_over))


def _best(db: sqlite3.Connection, query: str, narrowed: str, arguments: list[int],
          pool: int) -> tuple[list[tuple[int, float]], int]:
    """The best ``pool`` matches by BM25, and how many match. Unnarrowed, FTS5 sorts them and
    counts them apart (counting is cheap); narrowed, each match pays the facet check, so it is
    paid once: every match read here and the best taken."""
    score = f"bm25(entry_text, {NAME_WEIGHT}, {BODY_WEIGHT})"
    if narrowed:
        rows = db.execute(f"SELECT entry_text.rowid, {score} FROM entry_text WHERE entry_text MATCH ?{narrowed}",
                          [query, *arguments]).fetchall()
        return heapq.nsmallest(pool, rows, key=lambda row: (row[1], row[0])), len(rows)
    best = db.execute(f"SELECT entry_text.rowid, {score} AS raw FROM entry_text WHERE entry_text MATCH ? "
                      "ORDER BY raw LIMIT ?", [query, pool]).fetchall()
    if len(best) < pool:
        return best, len(best)
    return best, db.execute("SELECT COUNT(*) FROM entry_text WHERE entry_text MATCH ?", [query]).fetchone()[0]


def _ranked(db: sqlite3.Connection, best: list[tuple[int, float]], values: list[int],
            matching: Callable[[list[int]], set[int]], reach: int) -> list[tuple[int, float]]:
    """The best matches in the order shown, the first ``reach`` of them certain: BM25 times the
    type's boost, an entry ranking with the best of what was read from it (so a span with its
    claims and quote), ties by type, then the most mentioned. A span lifted so from beyond the
    best matches is a hit only if it has the chosen facet ``values`` and matches itself, which
    is asked for those within reach."""
    raw = dict(best)
    rows = _entries(db, list(raw))
    sources = {source for _, source, _ in rows.values() if source is not None} - raw.keys()
    rows.update(_entries(db, list(sources), values))
    unsure = set(rows) - raw.keys()
    while True:
        ranked = _order(rows, raw)
        asked = [number for number, _ in ranked[:reach] if number in unsure]
        if not asked:
            return ranked
        found = matching(asked)
        unsure -= set(asked)
        for number in set(asked) - found:
            del rows[number]


def _order(rows: dict[int, tuple[str, int | None, int]], raw: dict[int, float]) -> list[tuple[int, float]]:
    """These entries best first, with their scores (lifted by what was read from them)."""
    score = {number: raw.get(number, 0.0) * TYPE_BOOST.get(type_, 1.0) for number, (type_, _, _) in rows.items()}
    lifted: dict[int, float] = {}
    for number, (_, source, _) in rows.items():
        if source in rows:
            lifted[source] = min(lifted.get(source, 0.0), score[number])
    for number, value in lifted.items():
        score[number] = min(score[number], value)
    order = {name: position for position, name in enumerate(TYPES)}
    return sorted(((number, score[number]) for number in rows),
                  key=lambda pair: (pair[1], order.get(rows[pair[0]][0], len(order)), -rows[pair[0]][2], pair[0]))


def _rowid(query: str) -> str:
    """How to look matches up by entry: a prefix is read in one pass over its matches, since
    looked up entry by entry it merges the list of every word it begins each time (seconds
    for a page of a common prefix)."""
    return "entry_text.rowid + 0" if "*" in query else "entry_text.rowid"


def _matching(db: sqlite3.Connection, query: str, narrowed: str, arguments: list[int],
              numbers: list[int]) -> set[int]:
    """Which of these entries the search matches."""
    return {row[0] for row in db.execute(
        f"""SELECT entry_text.rowid FROM entry_text
            WHERE entry_text MATCH ?{narrowed} AND {_rowid(query)} IN ({", ".join("?" * len(numbers))})""",
        [query, *arguments, *numbers])}


def _entries(db: sqlite3.Connection, numbers: list[int],
             values: list[int] = ()) -> dict[int, tuple[str, int | None, int]]:
    """Each entry's type, source and weight (what ranking reads besides BM25), of those with
    every one of the facet ``values``."""
    having = " AND EXISTS (SELECT 1 FROM facet WHERE facet.entry = entry.id AND facet.value = ?)" * len(values)
    return {row[0]: row[1:] for row in db.execute(
        f"SELECT id, type, source, weight FROM entry WHERE id IN (SELECT value FROM json_each(?)){having}",
        [json.dumps(numbers), *values])}


def _shown(db: sqlite3.Connection, query: str, numbers: list[int]) -> dict[int, tuple]:
    """What a page of hits shows: titles, documents and the snippet around the match."""
    return {row[0]: row[1:] for row in db.execute(
        f"""SELECT e.id, e.type, e.iri, e.anchor, e.title, e.document, d.title, e.date,
                   snippet(entry_text, -1, ?, ?, '…', {SNIPPET_TOKENS})
            FROM entry_text JOIN entry e ON e.id = entry_text.rowid LEFT JOIN document d ON d.iri = e.document
            WHERE entry_text MATCH ? AND {_rowid(query)} IN ({", ".join("?" * len(numbers))})""",
        [*MARKS, query, *numbers])}


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
