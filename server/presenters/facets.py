"""Facets in, what the page and its JSON show out: each facet's values with their counts and links.

A value's link is the list it is on with that value chosen as well, or, when it is chosen
already, without it; every other parameter of the request stays as it was, but the offset,
since the list it leads to is another.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from ckg.graph.facets import NAMES, Chosen, FacetValue, toggled


def facets_data(values: dict[str, list[FacetValue]], chosen: Chosen, link: Callable[[Chosen], str]) -> dict[str, dict]:
    """Each facet's name and values (value, label, count, selected, href), in the facets' order."""
    return {name: {"name": NAMES[name],
                   "values": [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected,
                               "href": link(toggled(chosen, name, v.value))} for v in listed]}
            for name, listed in values.items()}


def chosen_data(chosen: Chosen) -> list[dict]:
    return [{"facet": facet, "value": value} for facet, value in chosen]


def removals(values: dict[str, list[FacetValue]], chosen: Chosen, link: Callable[[Chosen], str]) -> list[dict]:
    """The chosen values, each with its label and the link that takes it away."""
    labels = {(name, v.value): v.label for name, listed in values.items() for v in listed}
    return [{"facet": facet, "value": value, "label": labels.get((facet, value), value),
             "remove": link(toggled(chosen, facet, value))} for facet, value in chosen]


def listing_link(path: str, args: Iterable[tuple[str, str]], facets: Iterable[str]) -> Callable[[Chosen], str]:
    """Links to ``path`` with other facet values: the request's parameters that are not facets
    (nor ``offset``) kept first, then the facet values."""
    names = set(facets)
    kept = [(k, v) for k, v in args if k not in names and k != "offset"]

    def link(chosen: Chosen) -> str:
        query = urlencode(kept + list(chosen))
        return path + ("?" + query if query else "")

    return link
