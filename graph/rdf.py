"""An Extraction as RDF triples (one document's named graph).

Figures never become direct event properties: they stay inside attributed claims. Every
claim says who claimed it, in which statement, in which document, and which span of the
text carries it (W3C Web Annotation position and quote selectors).
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import ORG, OWL, RDF, RDFS, SKOS, XSD

from ontology import files

from .documents import Document
from .labels import shorten
from .model import Bounds, Extraction, Span

CKG = rdflib.Namespace(files.NAMESPACE)
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
SCHEMA = rdflib.Namespace("http://schema.org/")
GEO = rdflib.Namespace("http://www.opengis.net/ont/geosparql#")
CAMEO = rdflib.Namespace("http://gdelt.org/cameo/")

CONTEXT = 32
"""Characters of prefix and suffix kept in a quote selector."""


def _dt(value: datetime) -> Literal:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    value = value.astimezone(timezone.utc)
    return Literal(value.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)


class Writer:
    def __init__(self, extraction: Extraction, document: Document, run: dict) -> None:
        self.x = extraction
        self.document = document
        self.run = run
        self.g = rdflib.Graph()
        self.doc = URIRef(extraction.document)
        self.text = document.text

    def add(self, s, p, o) -> None:
        if o is None:
            return
        self.g.add((URIRef(s) if type(s) is str else s, p, URIRef(o) if type(o) is str else o))

    def span(self, owner: str, span: Span, role: str) -> URIRef:
        node = URIRef(f"{self.x.document}#char={span.start},{span.end}")
        if (node, RDF.type, CKG.TextSpan) not in self.g:
            self.add(node, RDF.type, CKG.TextSpan)
            self.add(node, RDFS.label, Literal(shorten(span.text, 80)))
            self.add(node, OA.hasSource, self.doc)
            position, quote = URIRef(str(node) + "-position"), URIRef(str(node) + "-quote")
            self.add(node, OA.hasSelector, position)
            self.add(position, RDF.type, OA.TextPositionSelector)
            self.add(position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger))
            self.add(position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger))
            self.add(node, OA.hasSelector, quote)
            self.add(quote, RDF.type, OA.TextQuoteSelector)
            self.add(quote, OA.exact, Literal(span.text))
            self.add(quote, OA.prefix, Literal(self.text[max(0, span.start - CONTEXT):span.start]))
            self.add(quote, OA.suffix, Literal(self.text[span.end:span.end + CONTEXT]))
        self.add(owner, CKG.hasEvidence if role == "evidence" else CKG.denotedBy, node)
        return node

    def bounds(self, node: str, bounds: Bounds | None) -> None:
        if bounds is None:
            return
        self.add(node, CKG.earliestBegin, bounds.earliest_begin and _dt(bounds.earliest_begin))  # None: open
        self.add(node, CKG.latestBegin, _dt(bounds.latest_begin))
        self.add(node, CKG.earliestEnd, bounds.earliest_end and _dt(bounds.earliest_end))
        self.add(node, CKG.latestEnd, _dt(bounds.latest_end))
        self.add(node, CKG.timeExpression, Literal(bounds.expression))
        self.add(node, CKG.timeResolvedAgainst, self.doc)
        if bounds.precision:
            self.add(node, CKG.timePrecision, URIRef(bounds.precision))
        for convention in bounds.conventions:
            self.add(node, CKG.timeConvention, URIRef(convention))

    # ------------------------------------------------------------------ sections
    def document_node(self) -> None:
        d = self.document
        self.add(self.doc, RDF.type, CKG.NewsArticle)
        self.add(self.doc, RDF.type, OWL.NamedIndividual)
        self.add(self.doc, RDFS.label, Literal(d.title or d.id))
        if d.title:
            self.add(self.doc, SCHEMA.headline, Literal(d.title))
        if d.url:
            self.add(self.doc, SCHEMA.url, Literal(d.url, datatype=XSD.anyURI))
        if d.date is not None:
            self.add(self.doc, SCHEMA.datePublished, _dt(self.run["published"]))
        self.add(self.doc, SCHEMA.text, Literal(d.text))
        self.add(self.doc, CKG.textSha256, Literal(d.sha256))
        self.add(self.doc, SCHEMA.publisher, self.x.publisher)
        if self.run.get("dateline_place"):
            self.add(self.doc, CKG.datelinePlace, self.run["dateline_place"])
        run = URIRef(self.x.document + "/run")
        self.add(run, RDF.type, CKG.ExtractionRun)
        self.add(run, RDFS.label, Literal(f"Extraction of {d.title or d.id}"))
        self.add(run, PROV.used, self.doc)
        self.add(run, PROV.startedAtTime, _dt(self.run["started"]))
        self.add(run, PROV.endedAtTime, _dt(self.run["ended"]))
        self.add(run, CKG.inputSha256, Literal(d.sha256))
        self.add(run, CKG.ontologySha256, Literal(self.run["lexicon"]))
        software = URIRef(files.ID_BASE + "software/ckg-extractor")
        self.add(run, PROV.wasAssociatedWith, software)
        self.add(software, RDF.type, PROV.SoftwareAgent)
        self.add(software, RDFS.label, Literal("ckg extractor"))
        self.add(software, CKG.modelVersion, Literal(self.run["version"]))

    def agents(self) -> None:
        for agent in self.x.agents.values():
            if not agent.minted and agent.iri != self.x.publisher and agent.cls != str(CKG.AnonymousSource):
                continue  # known entities live in the knowledge base graph
            self.add(agent.iri, RDF.type, URIRef(agent.cls))
            self.add(agent.iri, RDF.type, OWL.NamedIndividual)
            self.add(agent.iri, RDFS.label, Literal(agent.label, lang="en"))
            for name in sorted(agent.names - {agent.label}):
                self.add(agent.iri, SKOS.altLabel, Literal(name, lang="en"))
            if agent.member_of:
                self.add(agent.iri, ORG.memberOf, agent.member_of)
            if agent.org_kind:
                self.add(agent.iri, CKG.organizationKind, agent.org_kind)
            if agent.cls == str(CKG.AnonymousSource):
                self.add(agent.iri, CKG.sourceDescription, Literal(agent.description or agent.label))
            elif agent.cls == str(CKG.Person) and agent.state:
                self.add(agent.iri, PROV.actedOnBehalfOf, agent.state)
        for iri, span in self.x.mentions:
            self.span(iri, span, "mention")
            self.add(self.doc, CKG.mentions, iri)
        for post in self.x.posts.values():
            self.add(post.iri, RDF.type, CKG.Post)
            self.add(post.iri, RDF.type, OWL.NamedIndividual)
            self.add(post.iri, RDFS.label, Literal(post.label, lang="en"))
            self.add(post.iri, ORG.postIn, post.organization)
            self.add(post.iri, CKG.postKind, post.kind)
        for holding in self.x.holdings:
            self.add(holding.person, ORG.holds, holding.post)
            tenure = URIRef(f"{holding.post}/tenure/{hashlib.sha256(holding.person.encode()).hexdigest()[:8]}")
            self.add(tenure, RDF.type, CKG.Tenure)
            self.add(tenure, RDFS.label, Literal(f"{self.label(holding.person)} as {self.label(holding.post)}"))
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
            self.add(s.iri, RDFS.label, Literal(f"Statement by {self.label(s.speaker)}: {shorten(s.quote, 60)}"))
            self.add(s.iri, CKG.speaker, s.speaker)
            self.add(s.iri, CKG.speakerPost, s.post)
            self.add(s.iri, CKG.onBehalfOf, s.on_behalf_of)
            self.add(s.iri, CKG.channel, s.channel)
            self.add(s.iri, CKG.quote, Literal(s.quote))
            self.add(s.iri, CKG.cameoCode, s.cameo or str(CAMEO["010"]))
            if s.via:
                self.add(s.iri, PROV.wasAssociatedWith, s.via)
            self.bounds(s.iri, s.time)
            self.span(s.iri, s.span, "mention")

    def claims(self) -> None:
        for c in self.x.claims:
            for cls in c.classes:
                self.add(c.iri, RDF.type, URIRef(cls))
            label = f"{self.label(c.claimant)}: " + (f"{c.stated} ({c.variable and self.x.variables[c.variable].label})"
                                                      if c.variable else shorten(c.quote or "", 80) or
                                                      ", ".join(self.label(e) for e in c.about_events))
            self.add(c.iri, RDFS.label, Literal(label))
            self.add(c.iri, CKG.claimedBy, c.claimant)
            self.add(c.iri, CKG.claimedOnBehalfOf, c.side)
            self.add(c.iri, CKG.attributionType, c.attribution)
            self.add(c.iri, CKG.assertedIn, c.statement)
            self.add(c.iri, CKG.reportedIn, self.doc)
            self.add(c.iri, PROV.wasGeneratedBy, self.x.document + "/run")
            self.add(c.iri, CKG.confidence, Literal(f"{self.confidence(c):.2f}", datatype=XSD.decimal))
            for span in c.spans:
                self.span(c.iri, span, "evidence")
            for event in c.about_events:
                self.add(c.iri, CKG.aboutEvent, event)
            if c.variable:
                self.add(c.iri, CKG.aboutVariable, c.variable)
                self.add(c.iri, CKG.minValue, Literal(c.minimum, datatype=XSD.integer))
                if c.maximum is not None:
                    self.add(c.iri, CKG.maxValue, Literal(c.maximum, datatype=XSD.integer))
                self.add(c.iri, CKG.statedValue, Literal(c.stated))
                self.add(c.iri, CKG.quantifier, c.quantifier)
                for words in c.group_as_stated:
                    self.add(c.iri, CKG.groupAsStated, Literal(words))
            for a in c.addressees:
                self.add(c.iri, CKG.addressee, a)
            for a in c.appeal_for:
                self.add(c.iri, CKG.appealFor, a)
            for a in c.accused:
                self.add(c.iri, CKG.accused, a)
            if c.quote:
                self.add(c.iri, CKG.quote, Literal(c.quote))

    def confidence(self, claim) -> float:
        """A plain heuristic: named, resolved claimants and exact figures score higher."""
        score = 0.9 if claim.statement else 0.7
        if claim.attribution == str(CKG["attr-anonymous"]):
            score -= 0.2
        if claim.variable and claim.maximum is None:
            score -= 0.05
        return max(0.3, score)

    def variables(self) -> None:
        for v in self.x.variables.values():
            self.add(v.iri, RDF.type, CKG.CountVariable)
            self.add(v.iri, RDFS.label, Literal(v.label, lang="en"))
            self.add(v.iri, CKG.countOf, v.kind)
            self.add(v.iri, CKG.countedThing, v.thing)
            self.add(v.iri, CKG.countedGroup, v.group)
            self.add(v.iri, CKG.inEvent, v.event)
            self.add(v.iri, CKG.subsetOf, v.subset_of)

    def events(self) -> None:
        for e in self.x.events.values():
            self.add(e.iri, RDF.type, URIRef(e.cls))
            self.add(e.iri, RDFS.label, Literal(e.label, lang="en"))
            for p in e.places:
                self.add(e.iri, CKG.tookPlaceAt, p)
            for prop, values in ((CKG.initiatedBy, e.initiated_by), (CKG.targeted, e.targeted),
                                 (CKG.mediator, e.mediators), (CKG.party, e.parties), (CKG.resultedIn, e.resulted_in)):
                for v in values:
                    self.add(e.iri, prop, v)
            if e.cls == str(CKG.MilitaryOperation):
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
            self.add(p.iri, RDF.type, URIRef(p.cls))
            self.add(p.iri, RDFS.label, Literal(p.label, lang="en"))
            self.add(p.iri, CKG.locatedIn, p.located_in)
            self.add(p.iri, RDF.type, OWL.NamedIndividual)
            if p.point is not None:
                geometry = URIRef(p.iri + "/geometry")
                self.add(p.iri, GEO.hasGeometry, geometry)
                self.add(geometry, RDF.type, GEO.Geometry)
                self.add(geometry, GEO.asWKT, Literal(f"POINT({p.point[0]:.4f} {p.point[1]:.4f})", datatype=GEO.wktLiteral))


def to_graph(extraction: Extraction, document: Document, run: dict) -> rdflib.Graph:
    """All triples for one document; ``run`` carries version, times, lexicon digest."""
    writer = Writer(extraction, document, run)
    writer.document_node()
    writer.agents()
    writer.statements()
    writer.claims()
    writer.variables()
    writer.events()
    writer.places()
    return writer.g
