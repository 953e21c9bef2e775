"""Analysts' standing ratings of sources: how reliable a person, organisation or news outlet is, A–F.

A verdict rates a claim (graph/verdicts.py); a source rating rates whoever makes claims, on the
Admiralty scale's reliability letters, with a reason, who set it (``prov:wasAttributedTo``) and
when (``prov:generatedAtTime``). It is a ``ckg:SourceRating`` (an ``ckg:Assessment``) in the
verdicts graph, which no build replaces: agent IRIs are minted from names, so a rebuild keeps
them. A source has one rating in force, whose IRI is minted from the source's; each rating it
replaced is kept as a revision, exactly as a claim's verdicts are (``verdicts.replacing_in_force``).
Only the rating in force names its source (``ckg:ratedSource``). Ratings are exported beside the
ClaimReviews as schema.org ``Review``s of the source: schema.org has no property for a source's
reliability on a ClaimReview, whose rating is the claim's. Data in, data out.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from ckg.ontology.vocabulary import CKG, RDF, with_prefixes

from . import iris
from .verdicts import (MAX_ANALYST, MAX_REASON, RELIABILITY, VerdictError, attribution, one_field, printable,
                       replacing_in_force)

AGENT_CLASSES = (CKG.Agent, CKG.Organization, CKG.Person, CKG.State)
"""A source is a resource of one of these classes (the classes whose resources get an agent's page)."""


class RatingError(VerdictError):
    """A rating that cannot be stored; the message says which field is wrong and why."""


@dataclass(frozen=True)
class SourceRating:
    source: str
    reliability: str
    analyst: str
    at: dt.datetime
    reason: str = ""

    @property
    def iri(self) -> str:
        return rating_iri(self.source)

    @property
    def analyst_iri(self) -> str:
        return iris.minted("analyst", self.analyst, readable=self.analyst)


def rating_iri(source: str) -> str:
    """The one rating in force a source has: readable after the source, unique by its IRI."""
    return iris.minted("rating", source, readable=source.rstrip("/").rsplit("/", 1)[-1])


def rating_of(fields: Mapping[str, list[str]], at: dt.datetime) -> SourceRating:
    """The rating a form asks for (each field's values as a list), or RatingError saying what is wrong."""
    source = one_field(fields, "source")
    if not source:
        raise RatingError("'source' is missing: give the IRI of the person or organisation rated")
    try:
        ox.NamedNode(source)
    except ValueError:
        raise RatingError(f"'source' {source[:200]!r} is not an absolute IRI") from None
    reliability = one_field(fields, "reliability").upper()
    if reliability not in RELIABILITY:
        raise RatingError(f"'reliability' must be a letter of the Admiralty scale, A to F; "
                          f"got {reliability[:20] or 'nothing'!r}")
    analyst = printable(one_field(fields, "analyst"), "analyst", MAX_ANALYST)
    if not analyst:
        raise RatingError("'analyst' is missing: say who sets the rating")
    reason = printable(one_field(fields, "reason"), "reason", MAX_REASON)
    return SourceRating(source, reliability, analyst, at.astimezone(dt.timezone.utc).replace(microsecond=0), reason)


def triples(rating: SourceRating) -> list[tuple]:
    """The rating as pyoxigraph triples (for the verdicts graph)."""
    node = ox.NamedNode(rating.iri)
    return [
        (node, ox.NamedNode(RDF.type), ox.NamedNode(CKG.SourceRating)),
        (node, ox.NamedNode(CKG.ratedSource), ox.NamedNode(rating.source)),
        (node, ox.NamedNode(CKG.sourceReliability), ox.NamedNode(CKG.term(f"reliability-{rating.reliability}"))),
        *attribution(rating.iri, rating.analyst_iri, rating.analyst, rating.at, rating.reason),
    ]


def revision_iri(rating: SourceRating, nonce: str) -> str:
    """Where the rating ``rating`` replaces is kept: under the source's rating, by when and a ``nonce``."""
    return f"{rating.iri}/{rating.at:%Y%m%dT%H%M%SZ}-{iris.slug(nonce)}"


def replacing(rating: SourceRating, nonce: str) -> str:
    """The SPARQL update that makes ``rating`` the source's rating in force, keeping the one it replaces."""
    return replacing_in_force(rating.iri, CKG.ratedSource, revision_iri(rating, nonce), triples(rating), rating.at)


_SOURCE_TYPES = " ".join(f"<{cls}>" for cls in AGENT_CLASSES)
IS_SOURCE = with_prefixes(f"ASK {{ ?source a ?type VALUES ?type {{ {_SOURCE_TYPES} }} }}")
"""Whether ``?source`` (bound by substitution) is a person, organisation or state of the store."""

RATINGS = with_prefixes("""# Every source rating in force, with the source's name; orphaned when no build has the source any more.
SELECT ?rating ?source ?sourceLabel ?reliability ?reliabilityLabel ?reason ?analyst ?analystLabel ?at ?orphaned WHERE {
  ?rating ckg:ratedSource ?source ; ckg:sourceReliability ?r ; prov:wasAttributedTo ?analyst ; prov:generatedAtTime ?at .
  ?r skos:notation ?reliability .
  OPTIONAL { ?r rdfs:label ?reliabilityLabel }
  OPTIONAL { ?analyst rdfs:label ?analystLabel }
  OPTIONAL { ?rating ckg:rationale ?reason }
  OPTIONAL { SELECT ?source (MIN(?name) AS ?sourceLabel) WHERE { ?source rdfs:label ?name } GROUP BY ?source }
  BIND (NOT EXISTS { ?source a ?type VALUES ?type { %s } } AS ?orphaned)
}
ORDER BY DESC(?at) ?rating
""" % _SOURCE_TYPES)
"""The ratings in force, newest first (rows for ``reviews``)."""


HISTORY_COLUMNS = ("state", "in_force", "value", "reason", "analyst", "at", "until")
"""A source's rating history as a table: one row per state, the one in force first (``value`` is the letter;
the states are ordered by ``verdicts.history``, along ``prov:wasRevisionOf``)."""


def reviews(rows: list[Mapping[str, str]]) -> list[dict]:
    """The ratings as schema.org Reviews of their sources (rows: RATINGS's columns, as strings): the
    letter is the rating's value (text, as schema.org allows), its meaning the rating's name."""
    out = []
    for row in rows:
        rating = {"@type": "Rating", "ratingValue": row["reliability"], "name": row.get("reliabilityLabel") or row["reliability"],
                  "ckg:sourceReliability": {"@id": CKG.term(f"reliability-{row['reliability']}")}}
        review: dict = {
            "@id": row["rating"], "@type": "Review", "reviewAspect": "source reliability (Admiralty scale)",
            "itemReviewed": {"@id": row["source"], "name": row.get("sourceLabel") or row["source"]},
            "reviewRating": rating,
            "author": {"@id": row["analyst"], "@type": "Person", "name": row.get("analystLabel") or row["analyst"]},
            "datePublished": {"@value": row["at"], "@type": "xsd:dateTime"}}
        if row.get("reason"):
            review["reviewBody"] = row["reason"]
        out.append(review)
    return out


def with_ratings(document: dict, rows: list[Mapping[str, str]]) -> dict:
    """The ClaimReview document (``verdicts.claim_reviews``) with the source ratings' Reviews beside its
    reviews: a reader joins a claim's ``author`` to its source's Review by ``@id``."""
    return {**document, "@graph": [*document["@graph"], *reviews(rows)]}
