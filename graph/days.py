"""The day index: one node per UTC day, linked to each instant of the store that falls on it.

A range of dates has nothing a store can start from: Oxigraph finds a literal by its exact
value, not by a range, so "claims of one week" would compare every dated item with the range.
The build therefore writes, in one graph, ``<…/index/day/2026-02-26> index:instant
"2026-02-26T19:00:00Z"^^xsd:dateTime`` for each distinct begin time (``ckg:earliestBegin``) and
publication date (``schema:datePublished``) the documents hold. A narrow form of a query (see
graph/queries.py) is given the days of its range and joins from them to those instants, then to
the items that have them by exact match: each step an index lookup, so a week's cost follows the
week's items, not the corpus.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox

from ckg.ontology.vocabulary import CKG, DAY_BASE, INDEX, SCHEMA

INSTANT = ox.NamedNode(INDEX.instant)
INDEXED = (CKG.earliestBegin, SCHEMA.datePublished)
"""The properties whose values the index holds."""
MAX_DAYS = 62
"""The longest range (in days) a query starts from the index for; a longer one reads all dated items anyway."""


def day(date: dt.date) -> ox.NamedNode:
    return ox.NamedNode(DAY_BASE + date.isoformat())


def utc_day(instant: ox.Literal) -> dt.date | None:
    """The UTC day of an ``xsd:dateTime`` literal (None for a value that is not one)."""
    try:
        moment = dt.datetime.fromisoformat(instant.value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).date()


def index(instants: Iterable[ox.Literal]) -> Iterator[tuple[ox.NamedNode, ox.NamedNode, ox.Literal]]:
    """The index's triples for these distinct instants."""
    for instant in instants:
        date = utc_day(instant)
        if date is not None:
            yield day(date), INSTANT, instant


def instants(query: Callable[[str], Iterable]) -> Iterator[ox.Literal]:
    """Each distinct instant of the indexed properties, by a query of the store."""
    properties = " ".join(f"<{p}>" for p in INDEXED)
    for row in query(f"SELECT DISTINCT ?t WHERE {{ VALUES ?p {{ {properties} }} ?x ?p ?t FILTER (isLiteral(?t)) }}"):
        yield row[0]


def within(start: dt.datetime, end: dt.datetime) -> list[ox.NamedNode] | None:
    """The day nodes that every instant of [start, end) falls on; None when the range is empty
    or longer than ``MAX_DAYS`` (a query then reads its dated items as it would without the index)."""
    first, last = start.astimezone(dt.timezone.utc), (end - dt.timedelta(microseconds=1)).astimezone(dt.timezone.utc)
    if end <= start or (last.date() - first.date()).days >= MAX_DAYS:
        return None
    return [day(first.date() + dt.timedelta(days=n)) for n in range((last.date() - first.date()).days + 1)]
