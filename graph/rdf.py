"""An Extraction as RDF quads (one document's named graph), built as pyoxigraph terms.

Figures never become direct event properties: they stay inside attributed claims. Every
claim says who claimed it, in which statement, in which document, and which span of the
text carries it (W3C Web Annotation position and quote selectors). The quads go straight
into the store: no rdflib graph and no serialisation in between.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import pyoxigraph as ox

from ckg.ontology import vocabulary

from .documents import Document
from .labels import shorten
from .model import Bounds, Extraction, Span


class Namespace:
    """A vocabulary namespace whose ``NS.term`` and ``NS["term"]`` are cached pyoxigraph named nodes."""

    def __init__(self, base: str) -> None:
        self._base = base
        self._terms: dict[str, ox.NamedNode] = {}

    def __getitem__(self, name: str) -> ox.NamedNode:
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = ox.NamedNode(self._base + name)
            if name.isidentifier():
                self.__dict__[name] = term  # later ``NS.name`` is a plain attribute read
        return term

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]


CKG, PROV, OA, SCHEMA = (Namespace(ns) for ns in (vocabulary.CKG, vocabulary.PROV, vocabulary.OA, vocabulary.SCHEMA))
GEO, CAMEO, RDF, RDFS = (Namespace(ns) for ns in (vocabulary.GEO, vocabulary.CAMEO, vocabulary.RDF, vocabulary.RDFS))
OWL, SKOS, ORG, XSD = (Namespace(ns) for ns in (vocabulary.OWL, vocabulary.SKOS, vocabulary.ORG, vocabulary.XSD))

CONTEXT = 32
"""Characters of prefix and suffix kept in a quote selector."""


def literal(value: object, datatype: ox.NamedNode | None = None, lang: str | None = None) -> ox.Literal:
    """A literal from any value (lexical form ``str(value)``; plain strings are xsd:string)."""
    if lang is not None:
        return ox.Literal(str(value), language=lang)
    if datatype is not None:
        return ox.Literal(str(value), datatype=datatype)
    return ox.Literal(str(value))


def _dt(value: datetime) -> ox.Literal:
    """UTC xsd:dateTime in the lexical form the store has always held (``+00:00``)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    value = value.astimezone(timezone.utc)
    return ox.Literal(value.strftime("%Y-%m-%dT%H:%M:%S+00:00"), datatype=XSD.dateTime)


class Writer:
    def __init__(self, extraction: Extraction, document: Document, run: dict,
                 graph: ox.NamedNode | ox.DefaultGraph) -> None:
        self.x = extraction
        self.document = document
        self.run = run
        self.graph = graph
        self.quads: dict[ox.Quad, None] = {}
        """Insertion-ordered set: a triple added twice is written once."""
        self.spans: set[str] = set()
        self.doc = ox.NamedNode(extraction.document)
        self.text = document.text

    def add(self, s, p, o) -> None:
        if o is None:
            return
        self.quads[ox.Quad(ox.NamedNode(s) if type(s) is str else s, p, ox.NamedNode(o) if type(o) is str else o,
                           self.graph)] = None

    def span(self, owner: str, span: Span, role: str) -> ox.NamedNode:
        iri = f"{self.x.document}#char={span.start},{span.end}"
        node = ox.NamedNode(iri)
        if iri not in self.spans:
            self.spans.add(iri)
            self.add(node, RDF.type, CKG.TextSpan)
            self.add(node, RDFS.label, literal(shorten(span.text, 80)))
            self.add(node, OA.hasSource, self.doc)
            position, quote = ox.NamedNode(iri + "-position"), ox.NamedNode(iri + "-quote")
            self.add(node, OA.hasSelector, position)
            self.add(position, RDF.type, OA.TextPositionSelector)
            self.add(position, OA.start, literal(span.start, datatype=XSD.nonNegativeInteger))
            self.add(position, OA.end, literal(span.end, datatype=XSD.nonNegativeInteger))
            self.add(node, OA.hasSelector, quote)
            self.add(quote, RDF.type, OA.TextQuoteSelector)
            self.add(quote, OA.exact, literal(span.text))
            self.add(quote, OA.prefix, literal(self.text[max(0, span.start - CONTEXT):span.start]))
            self.add(quote, OA.suffix, literal(self.text[span.end:span.end + CONTEXT]))
        self.add(owner, CKG.hasEvidence if role == "evidence" else CKG.denotedBy, node)
        return node

    def bounds(self, node: str, bounds: Bounds | None) -> None:
        if bounds is None:
            return
        self.add(node, CKG.earliestBegin, bounds.earliest_begin and _dt(bounds.earliest_begin))  # None: open
        self.add(node, CKG.latestBegin, _dt(bounds.latest_begin))
        self.add(node, CKG.earliestEnd, bounds.earliest_end and _dt(bounds.earliest_end))
        self.add(node, CKG.latestEnd, _dt(bounds.latest_end))
        self.add(node, CKG.timeExpression, literal(bounds.expression))
        self.add(node, CKG.timeResolvedAgainst, self.doc)
        if bounds.precision:
            self.add(node, CKG.timePrecision, ox.NamedNode(bounds.precision))
        for convention in bounds.conventions:
            self.add(node, CKG.timeConvention, ox.NamedNode(convention))

    # ------------------------------------------------------------------ sections
    def document_node(self) -> None:
        d = self.document
        self.add(self.doc, RDF.type, CKG.NewsArticle)
        self.add(self.doc, RDF.type, OWL.NamedIndividual)
        self.add(self.doc, RDFS.label, literal(d.title or d.id))
        if d.title:
            self.add(self.doc, SCHEMA.headline, literal(d.title))
        if d.url:
            self.add(self.doc, SCHEMA.url, literal(d.url, datatype=XSD.anyURI))
        if d.date is not None:
            self.add(self.doc, SCHEMA.datePublished, _dt(self.run["published"]))
        self.add(self.doc, SCHEMA.text, literal(d.text))
        self.add(self.doc, CKG.textSha256, literal(d.sha256))
        self.add(self.doc, SCHEMA.publisher, self.x.publisher)
        if self.run.get("dateline_place"):
            self.add(self.doc, CKG.datelinePlace, self.run["dateline_place"])
        run = ox.NamedNode(self.x.document + "/run")
        self.add(run, RDF.type, CKG.ExtractionRun)
        self.add(run, RDFS.label, literal(f"Extraction of {d.title or d.id}"))
        self.add(run, PROV.used, self.doc)
        self.add(run, PROV.startedAtTime, _dt(self.run["started"]))
        self.add(run, PROV.endedAtTime, _dt(self.run["ended"]))
        self.add(run, CKG.inputSha256, literal(d.sha256))
        self.add(run, CKG.ontologySha256, literal(self.run["lexicon"]))
        software = ox.NamedNode(vocabulary.ID_BASE + "software/ckg-extractor")
        self.add(run, PROV.wasAssociatedWith, software)
        self.add(software, RDF.type, PROV.SoftwareAgent)
        self.add(software, RDFS.label, literal("ckg extractor"))
        self.add(software, CKG.modelVersion, literal(self.run["version"]))

    def agents(self) -> None:
        for agent in self.x.agents.values():
            if not agent.minted and agent.iri != self.x.publisher and agent.cls != CKG.AnonymousSource.value:
                continue  # known entities live in the knowledge base graph
            self.add(agent.iri, RDF.type, ox.NamedNode(agent.cls))
            self.add(agent.iri, RDF.type, OWL.NamedIndividual)
            self.add(agent.iri, RDFS.label, literal(agent.label, lang="en"))
            for name in sorted(agent.names - {agent.label}):
                self.add(agent.iri, SKOS.altLabel, literal(name, lang="en"))
            if agent.member_of:
                self.add(agent.iri, ORG.memberOf, agent.member_of)
            if agent.org_kind:
                self.add(agent.iri, CKG.organizationKind, agent.org_kind)
            if agent.cls == CKG.AnonymousSource.value:
                self.add(agent.iri, CKG.sourceDescription, literal(agent.description or agent.label))
            elif agent.cls == CKG.Person.value and agent.state:
                self.add(agent.iri, PROV.actedOnBehalfOf, agent.state)
        for iri, span in self.x.mentions:
            self.span(iri, span, "mention")
            self.add(self.doc, CKG.mentions, iri)
        for post in self.x.posts.values():
            self.add(post.iri, RDF.type, CKG.Post)
            self.add(post.iri, RDF.type, OWL.NamedIndividual)
            self.add(post.iri, RDFS.label, literal(post.label, lang="en"))
            self.add(post.iri, ORG.postIn, post.organization)
            self.add(post.iri, CKG.postKind, post.kind)
        for holding in self.x.holdings:
            self.add(holding.person, ORG.holds, holding.post)
            tenure = ox.NamedNode(f"{holding.post}/tenure/{hashlib.sha256(holding.person.encode()).hexdigest()[:8]}")
            self.add(tenure, RDF.type, CKG.Tenure)
            self.add(tenure, RDFS.label, literal(f"{self.label(holding.person)} as {self.label(holding.post)}"))
            self.add(tenure, ORG.member, holding.person)
            self.add(tenure, CKG.tenureOf, holding.post)
            self.add(tenure, ORG.organization, self.x.posts[holding.post].organization
                     if holding.post in self.x.posts else None)
            if self.run.get("published") is not None:
                # attested in office on the article's date: latest begin = earliest end = that date
                self.add(tenure, CKG.latestBegin, _dt(self.run["published"]))
                self.add(tenure, CKG.earliestEnd, _dt(self.run["published"]))
            self.span(holding.person, holding.span, "mention")

    def label(self, iri: str) -> str:
        if iri in self.x.agents:
            return self.x.agents[iri].label
        if iri in self.x.posts:
            return self.x.posts[iri].label
        return iri.rsplit("/", 1)[-1]

    def statements(self) -> None:
        for s in self.x.statements:
            self.add(s.iri, RDF.type, CKG.CommunicationEvent)
            self.add(s.iri, RDFS.label, literal(f"Statement by {self.label(s.speaker)}: {shorten(s.quote, 60)}"))
            self.add(s.iri, CKG.speaker, s.speaker)
            self.add(s.iri, CKG.speakerPost, s.post)
            self.add(s.iri, CKG.onBehalfOf, s.on_behalf_of)
            self.add(s.iri, CKG.channel, s.channel)
            self.add(s.iri, CKG.quote, literal(s.quote))
            self.add(s.iri, CKG.cameoCode, s.cameo or CAMEO["010"])
            if s.via:
                self.add(s.iri, PROV.wasAssociatedWith, s.via)
            self.bounds(s.iri, s.time)
            self.span(s.iri, s.span, "mention")

    def claims(self) -> None:
        for c in self.x.claims:
            for cls in c.classes:
                self.add(c.iri, RDF.type, ox.NamedNode(cls))
            label = f"{self.label(c.claimant)}: " + (f"{c.stated} ({c.variable and self.x.variables[c.variable].label})"
                                                      if c.variable else shorten(c.quote or "", 80) or
                                                      ", ".join(self.label(e) for e in c.about_events))
            self.add(c.iri, RDFS.label, literal(label))
            self.add(c.iri, CKG.claimedBy, c.claimant)
            self.add(c.iri, CKG.claimedOnBehalfOf, c.side)
            self.add(c.iri, CKG.attributionType, c.attribution)
            self.add(c.iri, CKG.assertedIn, c.statement)
            self.add(c.iri, CKG.reportedIn, self.doc)
            self.add(c.iri, PROV.wasGeneratedBy, self.x.document + "/run")
            self.add(c.iri, CKG.confidence, literal(f"{self.confidence(c):.2f}", datatype=XSD.decimal))
            for span in c.spans:
                self.span(c.iri, span, "evidence")
            for event in c.about_events:
                self.add(c.iri, CKG.aboutEvent, event)
            if c.variable:
                self.add(c.iri, CKG.aboutVariable, c.variable)
                self.add(c.iri, CKG.minValue, literal(c.minimum, datatype=XSD.integer))
                if c.maximum is not None:
                    self.add(c.iri, CKG.maxValue, literal(c.maximum, datatype=XSD.integer))
                self.add(c.iri, CKG.statedValue, literal(c.stated))
                self.add(c.iri, CKG.quantifier, c.quantifier)
                for words in c.group_as_stated:
                    self.add(c.iri, CKG.groupAsStated, literal(words))
            for a in c.addressees:
                self.add(c.iri, CKG.addressee, a)
            for a in c.appeal_for:
                self.add(c.iri, CKG.appealFor, a)
            for a in c.accused:
                self.add(c.iri, CKG.accused, a)
            if c.quote:
                self.add(c.iri, CKG.quote, literal(c.quote))

    def confidence(self, claim) -> float:
        """A plain heuristic: named, resolved claimants and exact figures score higher."""
        score = 0.9 if claim.statement else 0.7
        if claim.attribution == CKG["attr-anonymous"].value:
            score -= 0.2
        if claim.variable and claim.maximum is None:
            score -= 0.05
        return max(0.3, score)

    def variables(self) -> None:
        for v in self.x.variables.values():
            self.add(v.iri, RDF.type, CKG.CountVariable)
            self.add(v.iri, RDFS.label, literal(v.label, lang="en"))
            self.add(v.iri, CKG.countOf, v.kind)
            self.add(v.iri, CKG.countedThing, v.thing)
            self.add(v.iri, CKG.countedGroup, v.group)
            self.add(v.iri, CKG.inEvent, v.event)
            self.add(v.iri, CKG.subsetOf, v.subset_of)

    def events(self) -> None:
        for e in self.x.events.values():
            self.add(e.iri, RDF.type, ox.NamedNode(e.cls))
            self.add(e.iri, RDFS.label, literal(e.label, lang="en"))
            for p in e.places:
                self.add(e.iri, CKG.tookPlaceAt, p)
            for prop, values in ((CKG.initiatedBy, e.initiated_by), (CKG.targeted, e.targeted),
                                 (CKG.mediator, e.mediators), (CKG.party, e.parties), (CKG.resultedIn, e.resulted_in)):
                for v in values:
                    self.add(e.iri, prop, v)
            if e.cls == CKG.MilitaryOperation.value:
                for v in e.initiated_by:
                    self.add(e.iri, CKG.conductedBy, v)
            self.add(e.iri, CKG.subEventOf, e.sub_event_of)
            self.add(e.iri, CKG.cameoCode, e.cameo)
            self.add(e.iri, CKG.acledSubEventType, e.acled)
            self.bounds(e.iri, e.time)
            for span in e.spans:
                self.span(e.iri, span, "mention")

    def places(self) -> None:
        for p in self.x.places.values():
            self.add(p.iri, RDF.type, ox.NamedNode(p.cls))
            self.add(p.iri, RDFS.label, literal(p.label, lang="en"))
            self.add(p.iri, CKG.locatedIn, p.located_in)
            self.add(p.iri, RDF.type, OWL.NamedIndividual)
            if p.point is not None:
                geometry = ox.NamedNode(p.iri + "/geometry")
                self.add(p.iri, GEO.hasGeometry, geometry)
                self.add(geometry, RDF.type, GEO.Geometry)
                self.add(geometry, GEO.asWKT, literal(f"POINT({p.point[0]:.4f} {p.point[1]:.4f})", datatype=GEO.wktLiteral))


def to_quads(extraction: Extraction, document: Document, run: dict,
             graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    """All quads for one document in ``graph``; ``run`` carries version, times, lexicon digest."""
    writer = Writer(extraction, document, run, graph)
    writer.document_node()
    writer.agents()
    writer.statements()
    writer.claims()
    writer.variables()
    writer.events()
    writer.places()
    return list(writer.quads)
