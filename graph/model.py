"""What the extractor finds in one document, as plain data (no RDF yet).

Every item keeps the character spans it was read from; IRIs are minted deterministically
from the document id and the item's identifying fields, so the same text always gives
the same graph.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Bounds:
    """SEM-style uncertain time, UTC, with the source's own words; an earliest bound is None when
    the words set none ('decades ago')."""

    earliest_begin: datetime | None
    latest_begin: datetime
    earliest_end: datetime | None
    latest_end: datetime
    expression: str
    precision: str | None = None
    conventions: tuple[str, ...] = ()
    """The time conventions (ontology concepts) that produced the bounds."""


@dataclass
class Agent:
    iri: str
    label: str
    cls: str
    """ckg class IRI (Person, GovernmentBody, State, AnonymousSource ...)."""
    state: str | None = None
    """IRI of the state the agent belongs to or speaks for."""
    minted: bool = False
    names: set[str] = field(default_factory=set)
    spans: list[Span] = field(default_factory=list)
    description: str | None = None
    member_of: str | None = None
    org_kind: str | None = None


@dataclass
class Post:
    iri: str
    label: str
    organization: str
    kind: str | None


@dataclass
class Holding:
    """A person attested in a post by this document."""

    person: str
    post: str
    span: Span


@dataclass
class Statement:
    iri: str
    speaker: str
    span: Span
    channel: str
    quote: str
    post: str | None = None
    on_behalf_of: str | None = None
    time: Bounds | None = None
    cameo: str | None = None
    via: str | None = None
    """A news outlet that relayed the words ('was quoted as saying by ...')."""
    paragraph: int = -1


@dataclass
class Claim:
    iri: str
    classes: list[str]
    claimant: str
    side: str | None
    attribution: str
    statement: str | None
    spans: list[Span]
    # quantity claims
    variable: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    stated: str | None = None
    group_as_stated: list[str] = field(default_factory=list)
    quantifier: str | None = None
    # event claims, appeals, accusations
    about_events: list[str] = field(default_factory=list)
    addressees: list[str] = field(default_factory=list)
    appeal_for: list[str] = field(default_factory=list)
    accused: list[str] = field(default_factory=list)
    quote: str | None = None


@dataclass
class Variable:
    iri: str
    label: str
    kind: str
    thing: str | None
    group: str | None
    event: str
    subset_of: str | None = None
    """The variable whose count this one is part of ('including three children')."""


@dataclass
class Event:
    iri: str
    cls: str
    label: str
    name: str | None = None
    places: list[str] = field(default_factory=list)
    initiated_by: list[str] = field(default_factory=list)
    targeted: list[str] = field(default_factory=list)
    mediators: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    sub_event_of: str | None = None
    resulted_in: list[str] = field(default_factory=list)
    time: Bounds | None = None
    spans: list[Span] = field(default_factory=list)
    cameo: str | None = None
    acled: str | None = None


@dataclass
class Place:
    iri: str
    label: str
    cls: str
    located_in: str | None = None
    point: tuple[float, float] | None = None
    """(longitude, latitude) for places the gazetteer knew but the knowledge base did not."""
    spans: list[Span] = field(default_factory=list)


@dataclass
class Extraction:
    """Everything read from one document."""

    document: str
    publisher: str
    agents: dict[str, Agent] = field(default_factory=dict)
    posts: dict[str, Post] = field(default_factory=dict)
    holdings: list[Holding] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    variables: dict[str, Variable] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    mentions: list[tuple[str, Span]] = field(default_factory=list)
    """(entity IRI, span) for every recognised mention of an agent or place."""
    dateline_place: str | None = None
    utc_offset: str | None = None
    """The dateline place's offset, used to read local dates and times."""
