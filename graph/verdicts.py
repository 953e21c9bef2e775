"""Analysts' verdicts on claims: what a verdict holds, how it is checked, stored and reviewed.

A verdict marks a claim preferred, deprecated or disputed, with a reason, the Admiralty
scale's reliability of its source (A–F) and credibility of the claim (1–6), who set it
(``prov:wasAttributedTo``) and when (``prov:generatedAtTime``). It is a ``ckg:Assessment``
in the verdicts graph, which no build replaces: claim IRIs are minted from what the claim
says, so a rebuild keeps them, and a verdict whose claim a rebuild no longer produces stays,
shown as orphaned. A claim has one verdict in force, its latest, whose IRI is minted from the
claim's; each verdict it replaced is kept as a revision (PROV): the one in force
``prov:wasRevisionOf`` the state before it, which was revised from the one before that, each
with who set it, when, and when it was replaced (``prov:invalidatedAtTime``). Only the verdict in
force names its claim (``ckg:assessedClaim``), so every query of verdicts sees one per claim.
Verdicts are exported as schema.org ``ClaimReview``s. Data in, data out: the caller runs the
update and the query.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from ckg.ontology.vocabulary import CKG, PROV, RDF, RDFS, SCHEMA, VERDICTS_GRAPH, XSD, with_prefixes

from . import iris

VERDICTS = ("preferred", "deprecated", "disputed")
"""The verdicts an analyst gives (the skos:notation of their ckg:AssessmentScheme concepts)."""
NO_VERDICT = "none"
"""What the named queries' ``verdict`` parameter takes for claims that have none."""
RELIABILITY = ("A", "B", "C", "D", "E", "F")
CREDIBILITY = ("1", "2", "3", "4", "5", "6")
MAX_REASON = 2_000
MAX_ANALYST = 200


class VerdictError(ValueError):
    """A verdict that cannot be stored; the message says which field is wrong and why."""


@dataclass(frozen=True)
class Verdict:
    claim: str
    verdict: str
    analyst: str
    at: dt.datetime
    reason: str = ""
    reliability: str | None = None
    credibility: str | None = None

    @property
    def iri(self) -> str:
        return verdict_iri(self.claim)

    @property
    def analyst_iri(self) -> str:
        return iris.minted("analyst", self.analyst, readable=self.analyst)


def verdict_iri(claim: str) -> str:
    """The one verdict a claim has: readable after the claim, unique by its IRI."""
    return iris.minted("verdict", claim, readable=claim.rstrip("/").rsplit("/", 1)[-1])


def one_field(fields: Mapping[str, list[str]], name: str) -> str:
    values = fields.get(name) or []
    if len(values) > 1:
        raise VerdictError(f"give '{name}' once, not {len(values)} times")
    return values[0].strip() if values else ""


def printable(text: str, name: str, limit: int) -> str:
    if len(text) > limit:
        raise VerdictError(f"'{name}' may be at most {limit:,} characters; got {len(text):,}")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text) or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise VerdictError(f"'{name}' holds control characters")
    return text


def verdict_of(fields: Mapping[str, list[str]], at: dt.datetime) -> Verdict:
    """The verdict a form asks for (each field's values as a list), or VerdictError saying what is wrong."""
    claim = one_field(fields, "claim")
    if not claim:
        raise VerdictError("'claim' is missing: give the IRI of the claim the verdict is on")
    try:
        ox.NamedNode(claim)
    except ValueError:
        raise VerdictError(f"'claim' {claim!r} is not an absolute IRI") from None
    verdict = one_field(fields, "verdict").lower()
    if verdict not in VERDICTS:
        raise VerdictError(f"'verdict' must be one of {', '.join(VERDICTS)}; got {verdict or 'nothing'!r}")
    analyst = printable(one_field(fields, "analyst"), "analyst", MAX_ANALYST)
    if not analyst:
        raise VerdictError("'analyst' is missing: say who sets the verdict")
    reliability = one_field(fields, "reliability").upper() or None
    if reliability is not None and reliability not in RELIABILITY:
        raise VerdictError(f"'reliability' must be a letter of the Admiralty scale, A to F; got {reliability!r}")
    credibility = one_field(fields, "credibility") or None
    if credibility is not None and credibility not in CREDIBILITY:
        raise VerdictError(f"'credibility' must be a digit of the Admiralty scale, 1 to 6; got {credibility!r}")
    reason = printable(one_field(fields, "reason"), "reason", MAX_REASON)
    return Verdict(claim, verdict, analyst, at.astimezone(dt.timezone.utc).replace(microsecond=0), reason,
                   reliability, credibility)


def attribution(iri: str, analyst_iri: str, analyst: str, at: dt.datetime, reason: str | None) -> list[tuple]:
    """Who set an analyst's judgement, when, and why: the triples every verdict and rating shares."""
    node, agent = ox.NamedNode(iri), ox.NamedNode(analyst_iri)
    out = [
        (node, ox.NamedNode(PROV.wasAttributedTo), agent),
        (node, ox.NamedNode(PROV.generatedAtTime),
         ox.Literal(at.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=ox.NamedNode(XSD.dateTime))),
        (agent, ox.NamedNode(RDF.type), ox.NamedNode(PROV.Agent)),
        (agent, ox.NamedNode(RDFS.label), ox.Literal(analyst)),
    ]
    if reason:
        out.append((node, ox.NamedNode(CKG.rationale), ox.Literal(reason)))
    return out


def triples(verdict: Verdict) -> list[tuple]:
    """The verdict as pyoxigraph triples (for the verdicts graph)."""
    node = ox.NamedNode(verdict.iri)
    out = [
        (node, ox.NamedNode(RDF.type), ox.NamedNode(CKG.Assessment)),
        (node, ox.NamedNode(CKG.assessedClaim), ox.NamedNode(verdict.claim)),
        (node, ox.NamedNode(CKG.assessment), ox.NamedNode(CKG.term(f"assess-{verdict.verdict}"))),
        *attribution(verdict.iri, verdict.analyst_iri, verdict.analyst, verdict.at, verdict.reason),
    ]
    if verdict.reliability:
        out.append((node, ox.NamedNode(CKG.sourceReliability), ox.NamedNode(CKG.term(f"reliability-{verdict.reliability}"))))
    if verdict.credibility:
        out.append((node, ox.NamedNode(CKG.credibility), ox.NamedNode(CKG.term(f"credibility-{verdict.credibility}"))))
    return out


def revision_iri(verdict: Verdict, nonce: str) -> str:
    """Where the verdict ``verdict`` replaces is kept: under the claim's verdict, by when it was
    replaced and a ``nonce`` (two verdicts within one second keep two states)."""
    return f"{verdict.iri}/{verdict.at:%Y%m%dT%H%M%SZ}-{iris.slug(nonce)}"


def replacing_in_force(node: str, link: str, kept: str, data: list[tuple], at: dt.datetime) -> str:
    """The SPARQL update that makes ``data`` (pyoxigraph triples about ``node``) the state in force, in one
    transaction, keeping the state it replaces (if any) at ``kept``: its triples but ``link`` (the
    predicate that names what the state is on), when it was replaced, and the ``prov:wasRevisionOf``
    link of the new state to it.

    Every term is written from pyoxigraph's own escaped form of a checked value: a value is never query syntax."""
    graph = ox.NamedNode(VERDICTS_GRAPH)
    subject, earlier = ox.NamedNode(node), ox.NamedNode(kept)
    until = ox.Literal(at.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=ox.NamedNode(XSD.dateTime))
    names, revised = ox.NamedNode(link), ox.NamedNode(PROV.wasRevisionOf)
    written = "\n".join(f"{s} {p} {o} ." for s, p, o in data)
    return (f"INSERT {{ GRAPH {graph} {{ {earlier} ?p ?o . {earlier} {ox.NamedNode(PROV.invalidatedAtTime)} {until} }} }}\n"
            f"WHERE {{ GRAPH {graph} {{ {subject} {ox.NamedNode(PROV.generatedAtTime)} ?at ; ?p ?o "
            f"FILTER (?p != {names}) }} }} ;\n"
            f"DELETE WHERE {{ GRAPH {graph} {{ {subject} ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH {graph} {{ {written} }} }} ;\n"
            f"INSERT {{ GRAPH {graph} {{ {subject} {revised} {earlier} }} }} "
            f"WHERE {{ GRAPH {graph} {{ {earlier} {ox.NamedNode(PROV.invalidatedAtTime)} ?until }} }}")


def replacing(verdict: Verdict, nonce: str) -> str:
    """The SPARQL update that makes ``verdict`` the claim's verdict in force, keeping the one it
    replaces (if any) at ``revision_iri(verdict, nonce)`` without its claim (``replacing_in_force``)."""
    return replacing_in_force(verdict.iri, CKG.assessedClaim, revision_iri(verdict, nonce), triples(verdict),
                              verdict.at)


HISTORY_COLUMNS = ("state", "in_force", "value", "reliability", "credibility", "reason", "analyst", "at", "until")
"""A claim's verdict history as a table: one row per state, the one in force first."""


def history(rows: list[Mapping[str, str]]) -> list[dict]:
    """A claim's verdict states, newest first: the one in force, then each it was revised from,
    following ``prov:wasRevisionOf`` (not the clock: two states may share a second). Rows have the
    columns ``state``, ``revisionOf``, ``value``, ``at`` (and ``until``, ``analystLabel``, ``reason``,
    ``reliability``, ``credibility`` when known)."""
    states = {row["state"]: row for row in rows}
    earlier = {row["revisionOf"] for row in rows if row.get("revisionOf")}
    heads = sorted((s for s in states if s not in earlier), key=lambda s: states[s]["at"], reverse=True)
    ordered: list[dict] = []
    state = heads[0] if heads else None
    while state in states and all(state != seen["state"] for seen in ordered):
        row = states[state]
        ordered.append({"state": state, "in_force": not ordered, "value": row["value"],
                        "reliability": row.get("reliability"), "credibility": row.get("credibility"),
                        "reason": row.get("reason"), "analyst": row.get("analystLabel"), "at": row["at"],
                        "until": row.get("until")})
        state = row.get("revisionOf")
    return ordered


IS_CLAIM = with_prefixes("ASK { ?claim a ckg:Claim }")
"""Whether ``?claim`` (bound by substitution) is a claim of the store."""

REVIEWS = with_prefixes("""# Every verdict with what a ClaimReview says of it; orphaned when no build produces its claim any more.
# Each optional part is keyed by ?claim, which every row binds (an orphan's claimant would be unbound).
SELECT DISTINCT ?verdict ?claim ?value ?reason ?reliability ?credibility ?analyst ?analystLabel ?at
       ?quote ?claimant ?claimantLabel ?document ?url ?orphaned WHERE {
  ?verdict a ckg:Assessment ; ckg:assessedClaim ?claim ; ckg:assessment/skos:notation ?value ;
           prov:wasAttributedTo ?analyst ; prov:generatedAtTime ?at .
  OPTIONAL { ?analyst rdfs:label ?analystLabel }
  OPTIONAL { ?verdict ckg:rationale ?reason }
  OPTIONAL { ?verdict ckg:sourceReliability/skos:notation ?reliability }
  OPTIONAL { ?verdict ckg:credibility/skos:notation ?credibility }
  BIND (NOT EXISTS { ?claim a ckg:Claim } AS ?orphaned)
  OPTIONAL { SELECT ?claim (MIN(?exact) AS ?quote) WHERE { ?claim ckg:hasEvidence/oa:hasSelector/oa:exact ?exact } GROUP BY ?claim }
  OPTIONAL { SELECT ?claim (MIN(?who) AS ?claimant) WHERE { ?claim ckg:claimedBy ?who } GROUP BY ?claim }
  OPTIONAL { SELECT ?claim (MIN(?name) AS ?claimantLabel) WHERE { ?claim ckg:claimedBy/rdfs:label ?name } GROUP BY ?claim }
  OPTIONAL { SELECT ?claim (MIN(?doc) AS ?document) WHERE { ?claim ckg:reportedIn ?doc } GROUP BY ?claim }
  OPTIONAL { SELECT ?claim (MIN(?address) AS ?url) WHERE { ?claim ckg:reportedIn/schema:url ?address } GROUP BY ?claim }
}
ORDER BY DESC(?at) ?verdict
""")
"""The verdicts, newest first, with the claim's quote, claimant and source (rows for ``claim_reviews``)."""

CONTEXT = {"@vocab": str(SCHEMA), "ckg": str(CKG), "xsd": str(XSD)}
"""The schema.org context, inline: readers need fetch nothing."""


def claim_reviews(rows: list[Mapping[str, str]]) -> dict:
    """The verdicts as schema.org ClaimReviews in JSON-LD (rows: REVIEWS's columns, as strings)."""
    reviews = []
    for row in rows:
        rating: dict = {"@type": "Rating", "alternateName": row["value"], "bestRating": 1, "worstRating": 6}
        if row.get("credibility"):
            rating["ratingValue"] = int(row["credibility"])
        claim: dict = {"@id": row["claim"], "@type": "Claim"}
        if row.get("claimant"):
            claim["author"] = {"@id": row["claimant"], "name": row.get("claimantLabel") or row["claimant"]}
        if row.get("document"):
            claim["appearance"] = {"@id": row["document"], "@type": "CreativeWork",
                                   **({"url": row["url"]} if row.get("url") else {})}
        review: dict = {
            "@id": row["verdict"], "@type": "ClaimReview", "itemReviewed": claim, "reviewRating": rating,
            "author": {"@id": row["analyst"], "@type": "Person", "name": row.get("analystLabel") or row["analyst"]},
            "datePublished": {"@value": row["at"], "@type": "xsd:dateTime"},
        }
        if row.get("quote"):
            review["claimReviewed"] = row["quote"]
        if row.get("reason"):
            review["reviewBody"] = row["reason"]
        if row.get("reliability"):
            review["ckg:sourceReliability"] = {"@id": CKG.term(f"reliability-{row['reliability']}")}
        reviews.append(review)
    return {"@context": CONTEXT, "@graph": reviews}
