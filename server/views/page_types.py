"""Every kind of page a resource can have, registered in one place.

A page type is the classes it is for, a query (``page_queries/<query>.rq``, with the
resource bound), a template (``templates/pages/<template>.html``) and a view: the function
that turns the query's rows into the page's own part of its data (every page also has
what resources share: presenters/resources.py). The first type whose classes the resource
has wins; the last, with no classes, fits anything. To add one, add a row to
``PAGE_TYPES`` (see the README, "Add a page type").
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ckg.graph import source_ratings, verdicts
from ckg.ontology.vocabulary import CKG

from .. import page_queries
from ..presenters import agents, charts, claims, comparisons, documents, events
from ..presenters.description import Description
from ..http.iri_paths import local_path
from ..presenters.labels import label_of, link, value_of, web_address
from ..runtime.executor import Executor


@dataclass
class Lookup:
    """The queries a page type's view may ask beyond its own, through the worker's executor."""

    executor: Executor

    def select(self, query: str, iri: str | None = None, variable: str = "this") -> list[dict]:
        return page_queries.select(self.executor, query, iri, variable)

    def describe(self, iri: str, query: str = "describe") -> Description:
        return page_queries.describe(self.executor, iri, query)

    def text(self, document: str) -> dict:
        """A document's text, date and own URL (text.rq): the one row, or an empty one."""
        rows = self.select("text", document)
        return rows[0] if rows else {}

    def evidence(self, iri: str, figure: str | None = None, rows: list[dict] | None = None) -> list[dict]:
        """The spans that evidence ``iri``, each in its sentence, the figure picked out."""
        rows = self.select("evidence", iri) if rows is None else rows
        texts = {}
        for document in {row["document"].value for row in rows}:
            found = self.text(document)
            if "text" in found:
                texts[document] = found["text"].value
        return claims.evidence(rows, texts, figure)

    def claim_card(self, iri: str) -> dict:
        """Another claim as a card: who, the figure and its interval, its sentences with the figure picked out."""
        summary = claims.claim_summary(self.describe(iri, "outgoing"), iri)
        summary["evidence"] = self.evidence(iri, summary["stated"])
        return summary

    def graph_size(self, iri: str) -> int:
        """How many triples the graph named ``iri`` holds (0: it names none)."""
        rows = self.select("graph", iri)
        return int(rows[0]["triples"].value) if rows and "triples" in rows[0] else 0


View = Callable[[Description, list[dict], Lookup], dict]
"""A page type's view: the description, its query's rows and the lookup in; its part of the page's data out."""


@dataclass(frozen=True)
class PageType:
    kind: str
    """The page's ``kind`` in its data (and the template's name unless another is given)."""
    classes: frozenset[str]
    """A resource of any of these classes gets this page; none: any resource."""
    query: str | None = None
    template: str | None = None
    view: View | None = None
    binds: str = "this"
    """The query's variable that the resource is bound to."""
    table: Callable[[dict], list[dict]] | None = None
    """The page's data as rows, for a page that is also offered as CSV (None: it is not)."""

    @property
    def template_name(self) -> str:
        return f"pages/{self.template or self.kind}.html"

    def fits(self, types: set[str]) -> bool:
        return not self.classes or bool(self.classes & types)


def claim_view(description: Description, rows: list[dict], lookup: Lookup) -> dict:
    """Who claimed it, in what capacity and statement, its evidence, and the claims it contradicts,
    corroborates or denies (and that deny it), side by side."""
    iri = description.iri
    statement = description.value(CKG.assertedIn)
    this = claims.claim_summary(description, iri)
    this["evidence"] = lookup.evidence(iri, this["stated"], rows)

    card = lookup.claim_card
    explained = {row["other"].value: local_path(row["comparison"].value)
                 for row in lookup.select("comparisons", iri)}
    related = [{"relation": relation, "claim": card(other.value), "comparison": explained.get(other.value)}
               for relation in ("contradicts", "corroborates", "denies")
               for other in description.values(CKG.term(relation))]
    related += [{"relation": "denied by", "claim": card(other.value), "comparison": explained.get(other.value)}
                for other in description.inc.get(iri, {}).get(CKG.denies, [])]
    document = description.value(CKG.reportedIn)
    attribution = description.value(CKG.attributionType)
    published = lookup.text(document.value) if document else {}
    verdict = lookup.select("verdict", iri)
    history = verdicts.history([{key: term.value for key, term in row.items()}
                                for row in lookup.select("verdict-history", iri)])
    return {"claim": {
        "this": this,
        "verdict": {key: term.value for key, term in verdict[0].items()} if verdict else None,
        "verdict_history": [{**state, "href": local_path(state["state"])} for state in history],
        "statement": events.statement_facts(lookup.describe(statement.value, "outgoing") if statement else None),
        "published": value_of(published.get("published")),
        "capacity": label_of(attribution.value, description.labels) if attribution else None,
        "document": link(document.value, description.labels) if document else None,
        "related": related}}


def claim_table(page: dict) -> list[dict]:
    """A claim's page as a table: its verdict's history, the one in force first."""
    return [{column: state.get(column) for column in verdicts.HISTORY_COLUMNS}
            for state in page["claim"]["verdict_history"]] if page.get("claim") else []


def comparison_view(description: Description, rows: list[dict], lookup: Lookup) -> dict:
    """The two claims side by side with their sentences, the rule in words and the two intervals."""
    if not rows:
        return {"comparison": None}
    found = comparisons.comparison_facts(rows[0], description.labels)
    found["cards"] = {"first": lookup.claim_card(rows[0]["first"].value),
                      "second": lookup.claim_card(rows[0]["second"].value)}
    return {"comparison": found}


def comparison_table(page: dict) -> list[dict]:
    return comparisons.comparison_rows(page["iri"], page["comparison"]) if page.get("comparison") else []


def agent_view(description: Description, rows: list[dict], lookup: Lookup) -> dict:
    """What it did in the reporting, and an analyst's standing rating of it as a source, with its history."""
    iri = description.iri
    rating = lookup.select("source-rating", iri)
    history = verdicts.history([{key: term.value for key, term in row.items()}
                                for row in lookup.select("source-rating-history", iri)])
    return {"agent": agents.agent_sections(rows, description.labels),
            "source_rating": {key: term.value for key, term in rating[0].items()} if rating else None,
            "source_rating_history": [{column: state.get(column) for column in source_ratings.HISTORY_COLUMNS}
                                      | {"href": local_path(state["state"])} for state in history]}


def event_view(description: Description, rows: list[dict], lookup: Lookup) -> dict:
    iri = description.iri
    found = events.event_claims(rows, description.labels)
    return {"event": {"time": events.time_bounds(description, iri), "claims": found,
                      "facts": events.event_facts(description, found), "evidence": lookup.evidence(iri)}}


def statement_view(description: Description, rows: list[dict], lookup: Lookup) -> dict:
    """A statement is an event too (its page is the event's), with who said it, how, and its claims."""
    page = event_view(description, rows, lookup)
    page["statement"] = events.statement_facts(description)
    page["statement"]["claims"] = [link(c.value, description.labels)
                                   for c in description.inc.get(description.iri, {}).get(CKG.assertedIn, [])]
    return page


def variable_view(description: Description, rows: list[dict], lookup: Lookup) -> dict:
    return {"charts": charts.contested_charts(rows)}


def document_view(description: Description, rows: list[dict], lookup: Lookup) -> dict:
    found = lookup.text(description.iri)
    return {"document": {"segments": documents.reading_view(value_of(found.get("text")) or "", rows),
                         "published": value_of(found.get("published")),
                         "url": web_address(value_of(found.get("url")))}}


PAGE_TYPES: tuple[PageType, ...] = (
    PageType("comparison", frozenset({CKG.ClaimComparison}), "comparison", view=comparison_view,
             table=comparison_table),
    PageType("claim", frozenset({CKG.Claim}), "evidence", view=claim_view, table=claim_table),
    PageType("document", frozenset({CKG.Document}), "spans", view=document_view),
    PageType("statement", frozenset({CKG.CommunicationEvent}), "event", template="event", view=statement_view),
    PageType("event", frozenset({CKG.Event}), "event", view=event_view),
    PageType("agent", frozenset({CKG.Agent, CKG.Organization, CKG.Person, CKG.State}), "agent", view=agent_view),
    PageType("variable", frozenset({CKG.CountVariable}), "contested", view=variable_view, binds="variable"),
    PageType("resource", frozenset()),
)
"""The page types, the first that fits a resource winning."""


def page_type_of(description: Description) -> PageType:
    """The page a resource gets (an unknown one gets the plain resource page)."""
    types = set(description.types()) if description.exists else set()
    return next(t for t in PAGE_TYPES if t.fits(types))
