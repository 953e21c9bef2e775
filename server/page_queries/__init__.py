"""The queries behind the pages: one ``.rq`` file each, run through the worker's executor.

The resource a page is about is bound as ``?this`` (or another variable) by substitution,
a pyoxigraph ``NamedNode``, never written into the query text; each file's prefixes are
the vocabulary's, added when it is read.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ckg.graph.queries import Page, among, paged
from ckg.ontology.vocabulary import with_prefixes

from ..presenters.description import Description, Term, term

HERE = Path(__file__).resolve().parent
RESULTS_JSON = "application/sparql-results+json"


class QueryFailed(Exception):
    """The query process answered with an error (time limit, store missing)."""

    def __init__(self, outcome) -> None:
        super().__init__(outcome.body.decode("utf-8", "replace").strip())
        self.status = outcome.status


@cache
def query_text(name: str) -> str:
    """``<name>.rq`` with the PREFIX lines of the prefixes it uses."""
    return with_prefixes((HERE / f"{name}.rq").read_text(encoding="utf-8"))


def select(executor, name: str, this: str | None = None, variable: str = "this",
           page: Page = Page(), only: tuple[str, list[str]] | None = None) -> list[dict[str, Term]]:
    """The rows of ``<name>.rq`` with ``?this`` (or another ``variable``) bound to the IRI ``this``;
    of a ``page``, one row more than it shows when more follow (presenters/paging.py); with
    ``only`` (a variable and IRIs), the rows whose variable is one of those IRIs (none for none)."""
    substitutions = {variable: ox.NamedNode(this)} if this is not None else {}
    text = query_text(name)
    if only is not None:
        if not only[1]:
            return []
        text = among(text, only[0], [ox.NamedNode(iri) for iri in only[1]])
    outcome = executor.run(paged(text, page, extra=1), accept=[(RESULTS_JSON, 1.0)],
                           substitutions=substitutions)
    if outcome.status != 200:
        raise QueryFailed(outcome)
    data = json.loads(outcome.body)
    return [{key: term(value) for key, value in row.items()} for row in data["results"]["bindings"]]


def select_among(executor, name: str, variable: str, iris: list[str]) -> list[dict[str, Term]]:
    """The rows of ``<name>.rq`` for each of ``iris`` as ``?variable`` (none for none): the items
    of one page of a listing, whose keys a query of their own gave."""
    if not iris:
        return []
    text = among(query_text(name), variable, [ox.NamedNode(iri) for iri in iris])
    outcome = executor.run(text, accept=[(RESULTS_JSON, 1.0)])
    if outcome.status != 200:
        raise QueryFailed(outcome)
    return [{key: term(value) for key, value in row.items()} for row in json.loads(outcome.body)["results"]["bindings"]]


def bound(name: str, values: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """``<name>.rq`` with each ``?variable`` of ``values`` bound to its term in a VALUES block of its own:
    for a query that aggregates, whose variables substitution cannot reach."""
    text = query_text(name)
    for variable, value in values.items():
        text = among(text, variable, [value])
    return text


def select_bound(executor, name: str, values: dict[str, ox.NamedNode | ox.Literal]) -> list[dict[str, Term]]:
    """The rows of ``<name>.rq`` with ``values`` bound (``bound``)."""
    outcome = executor.run(bound(name, values), accept=[(RESULTS_JSON, 1.0)])
    if outcome.status != 200:
        raise QueryFailed(outcome)
    return [{key: term(value) for key, value in row.items()} for row in json.loads(outcome.body)["results"]["bindings"]]


def describe(executor, iri: str, query: str = "describe") -> Description:
    """The quads a description query gives about ``iri``, indexed."""
    rows = select(executor, query, iri)
    return Description(iri, [(row["s"], row["p"], row["o"], row["g"]) for row in rows])
