"""Facets: what an analyst narrows a list by, how a value is written, and the values' counts.

One home for what ``/search``, ``/contested`` and ``/documents`` share. A facet is a request
parameter of the same name (``side=IRI``, ``kind=killed``, ``day=2026-02-14``), repeatable;
an item is kept when it has every value chosen. Each list counts, for every value its kept
items have, how many of them have it, so a value's link leads to as many items as it says.
Values are checked here, once, and reach a query only as bound parameters or escaped terms.
"""
from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

FACETS = ("type", "side", "kind", "claimant", "channel", "document", "day", "week", "month")
"""Every facet, in the order they are shown; each is a request parameter of the same name."""
NAMES = {"type": "Type", "side": "Side", "kind": "Count kind", "claimant": "Claimant", "channel": "Channel",
         "document": "Document", "day": "Day", "week": "Week", "month": "Month", "reliability": "Source reliability"}
"""Each facet's heading where it is shown."""
RELIABILITY = "reliability"
"""A facet of the claim listings only (not of search, whose index holds no analyst's judgement): the
Admiralty letter an analyst rated the claimant with, or ``none``."""
ORDERS = {RELIABILITY: ("A", "B", "C", "D", "E", "F", "none")}
"""Facets whose values are shown in a fixed order, not by count."""
IRI_FACETS = frozenset({"side", "claimant", "channel", "document"})
"""Facets whose values are IRIs (a state, an agent, a channel concept, a document)."""
DATE_FACETS = ("day", "week", "month")
SHOWN = 12
"""Most values shown per facet (the most frequent; dates the latest), besides the chosen ones."""

_WORD = re.compile(r"[\w-]{1,100}")
_FORMS = {"day": (re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII), "a day, YYYY-MM-DD"),
          "week": (re.compile(r"\d{4}-W\d{2}", re.ASCII), "an ISO week, YYYY-Www"),
          "month": (re.compile(r"\d{4}-\d{2}", re.ASCII), "a month, YYYY-MM")}

Chosen = tuple[tuple[str, str], ...]
"""(facet, value) pairs, in the order the request gives them."""


class FacetError(ValueError):
    """A facet the list does not have, or a value not written as its facet's are: a 400 that says which."""


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


def _valid_date(facet: str, value: str) -> bool:
    try:
        if facet == "day":
            datetime.date.fromisoformat(value)
        elif facet == "month":
            datetime.date.fromisoformat(value + "-01")
        else:
            datetime.date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
    except ValueError:
        return False
    return True


def check(facet: str, value: str) -> None:
    """Refuse a value its facet never has the form of (an IRI for side, claimant, channel, document;
    a word for type and kind; a real day, ISO week or month)."""
    if facet in IRI_FACETS:
        try:
            ox.NamedNode(value)
        except ValueError as error:
            raise FacetError(f"{facet}={value[:200]!r} is not an IRI ({error}); {facet} takes the IRI "
                             "its facet lists") from None
    elif facet in _FORMS:
        form, described = _FORMS[facet]
        if not form.fullmatch(value) or not _valid_date(facet, value):
            raise FacetError(f"{facet}={value[:200]!r} is not {described}")
    elif not _WORD.fullmatch(value):
        raise FacetError(f"{facet}={value[:200]!r} is not a word; {facet} takes one of the words its facet lists")


def parse(pairs: Iterable[tuple[str, str]], allowed: Sequence[str] = FACETS,
          others: Iterable[str] | None = None, where: str = "here") -> Chosen:
    """The facet values a request's parameters choose. With ``others`` (the list's other
    parameters), any parameter that is neither is refused; without it, they are left alone."""
    known = None if others is None else set(others)
    chosen: list[tuple[str, str]] = []
    for name, value in pairs:
        if name in allowed:
            check(name, value)
            if (name, value) not in chosen:
                chosen.append((name, value))
        elif name in FACETS or (known is not None and name not in known):
            kind = "facet" if name in FACETS else "parameter"
            other = f" (and the parameters {', '.join(sorted(known))})" if known else ""
            raise FacetError(f"there is no {kind} {name[:100]!r} {where}; the facets {where} are "
                             f"{', '.join(allowed) or 'none'}{other}")
    return tuple(chosen)


def day_of(value: str | None) -> str | None:
    """The UTC day of an xsd:dateTime or xsd:date value, or None when it is not one."""
    if not value or len(value) < 10:
        return None
    try:
        return datetime.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def dated(day: str) -> set[tuple[str, str]]:
    """A day's values of the date facets: the day, its ISO week, its month."""
    year, week, _ = datetime.date.fromisoformat(day).isocalendar()
    return {("day", day), ("week", f"{year}-W{week:02d}"), ("month", day[:7])}


def kept(items: Mapping[str, set[tuple[str, str]]], chosen: Chosen) -> set[str]:
    """The items that have every chosen value."""
    wanted = set(chosen)
    return {item for item, values in items.items() if wanted <= values}


def counted(items: Mapping[str, set[tuple[str, str]]], among: Iterable[str]) -> Counter:
    """How many of the items ``among`` have each (facet, value)."""
    counts: Counter = Counter()
    for item in among:
        counts.update(items.get(item, ()))
    return counts


def shown(counts: Iterable[tuple[str, str, str, int]], chosen: Chosen, facets: Sequence[str] = FACETS,
          order: Mapping[str, Sequence[str]] | None = None) -> dict[str, list[FacetValue]]:
    """Each facet's values to show from (facet, value, label, count): the most frequent first
    (dates the latest first; a facet of ``order`` in that order), at most ``SHOWN`` and the chosen ones."""
    picked = set(chosen)
    values: dict[str, list[FacetValue]] = {name: [] for name in facets}
    for facet, value, label, count in counts:
        if facet in values:
            values[facet].append(FacetValue(value, label or value, count, (facet, value) in picked))
            picked.discard((facet, value))
    for facet, value in chosen:  # chosen but had by nothing kept: still shown, to be taken away
        if (facet, value) in picked and facet in values:
            values[facet].append(FacetValue(value, value, 0, True))
    for name, listed in values.items():
        if name in DATE_FACETS:
            listed.sort(key=lambda v: v.value, reverse=True)
        elif order and name in order:
            ranks = list(order[name])
            listed.sort(key=lambda v: ranks.index(v.value) if v.value in ranks else len(ranks))
        else:
            listed.sort(key=lambda v: (-v.count, v.label.casefold(), v.value))
        values[name] = listed[:SHOWN] + [v for v in listed[SHOWN:] if v.selected]
    return values


def toggled(chosen: Chosen, facet: str, value: str) -> Chosen:
    """The choice with this value added, or taken away when it is chosen already."""
    pair = (facet, value)
    return tuple(c for c in chosen if c != pair) if pair in chosen else (*chosen, pair)


def of_rows(rows: Iterable[Mapping[str, str]], facets: Sequence[str],
            item: str = "item") -> dict[str, set[tuple[str, str]]]:
    """Each item's (facet, value) pairs from rows of a query whose columns are named after the
    facets (``date``, a date or dateTime, gives day, week and month); an item with none is there too."""
    found: dict[str, set[tuple[str, str]]] = {}
    wanted = set(facets)
    for row in rows:
        values = found.setdefault(row[item], set())
        for column, value in row.items():
            if column == "date":
                day = day_of(value)
                values |= {pair for pair in dated(day) if pair[0] in wanted} if day else set()
            elif column in wanted:
                values.add((column, value))
    return found
