"""Facts derived across all documents, recomputed on every build (so they are reversible).

- contradictions: claims on the same count variable whose intervals cannot both hold;
- denials: a claim of zero denies every claim of a positive count on the same variable;
- corroborations: overlapping claims from independent claimants (different sides), and
  event claims about the same event from different sides;
- the subclass and subproperty closure and transitive place containment, so a query for
  agents finds ministries with no reasoner.

Claims that share a claimant never contradict or corroborate each other; graph.identity
runs first, so a person's name forms are one claimant here.

Each rule is a SPARQL CONSTRUCT over the union of all graphs; the results go to one
derived graph that a rebuild replaces whole.
"""
from __future__ import annotations

from collections.abc import Iterable

PREFIXES = """
PREFIX ckg: <https://example.org/ckg#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

DISJOINT = "((BOUND(?maxA) && ?maxA < ?minB) || (BOUND(?maxB) && ?maxB < ?minA))"

PAIRS = """
  ?a a ckg:QuantityClaim ; ckg:aboutVariable ?v ; ckg:minValue ?minA ; ckg:claimedBy ?ca .
  ?b a ckg:QuantityClaim ; ckg:aboutVariable ?v ; ckg:minValue ?minB ; ckg:claimedBy ?cb .
  OPTIONAL { ?a ckg:maxValue ?maxA } OPTIONAL { ?b ckg:maxValue ?maxB }
  OPTIONAL { ?a ckg:claimedOnBehalfOf ?sa } OPTIONAL { ?b ckg:claimedOnBehalfOf ?sb }
  FILTER (?a != ?b)
  FILTER NOT EXISTS { ?a ckg:claimedBy ?same . ?b ckg:claimedBy ?same }
"""

RULES: dict[str, str] = {
    "contradictions": PREFIXES + f"""
CONSTRUCT {{ ?a ckg:contradicts ?b . ?b ckg:contradicts ?a }}
WHERE {{ {PAIRS} FILTER {DISJOINT} }}""",
    "denials": PREFIXES + """
CONSTRUCT { ?d ckg:denies ?o . ?d ckg:contradicts ?o . ?o ckg:contradicts ?d }
WHERE {
  ?d a ckg:Denial ; ckg:aboutVariable ?v ; ckg:maxValue 0 ; ckg:claimedBy ?cd .
  ?o ckg:aboutVariable ?v ; ckg:minValue ?m ; ckg:claimedBy ?co .
  FILTER (?m > 0)
  FILTER NOT EXISTS { ?d ckg:claimedBy ?same . ?o ckg:claimedBy ?same }
}""",
    "corroborations": PREFIXES + f"""
CONSTRUCT {{ ?a ckg:corroborates ?b . ?b ckg:corroborates ?a }}
WHERE {{ {PAIRS} FILTER (!{DISJOINT}) FILTER (!BOUND(?sa) || !BOUND(?sb) || ?sa != ?sb) }}""",
    "event corroborations": PREFIXES + """
CONSTRUCT { ?a ckg:corroborates ?b . ?b ckg:corroborates ?a }
WHERE {
  ?a a ckg:EventClaim ; ckg:aboutEvent ?e ; ckg:claimedOnBehalfOf ?sa .
  ?b a ckg:EventClaim ; ckg:aboutEvent ?e ; ckg:claimedOnBehalfOf ?sb .
  FILTER (?a != ?b && ?sa != ?sb)
}""",
    "class closure": PREFIXES + """
CONSTRUCT { ?x a ?super }
WHERE { ?x a ?cls . ?cls rdfs:subClassOf+ ?super . FILTER (isIRI(?super)) }""",
    "property closure": PREFIXES + """
CONSTRUCT { ?s ?super ?o }
WHERE { ?p rdfs:subPropertyOf+ ?super . ?s ?p ?o . FILTER (isIRI(?super)) }""",
    "containment": PREFIXES + """
CONSTRUCT { ?a ckg:locatedIn ?c }
WHERE { ?a ckg:locatedIn/ckg:locatedIn+ ?c }""",
    "sub-events": PREFIXES + """
CONSTRUCT { ?a ckg:subEventOf ?c }
WHERE { ?a ckg:subEventOf/ckg:subEventOf+ ?c }""",
    "inverses": PREFIXES + """
CONSTRUCT { ?s ckg:makesClaim ?c . ?m ckg:mediatorIn ?e . ?p <http://www.w3.org/ns/org#heldBy> ?h }
WHERE {
  { ?c ckg:assertedIn ?s } UNION { ?e ckg:mediator ?m } UNION { ?h <http://www.w3.org/ns/org#holds> ?p }
}""",
}


def derive(query) -> Iterable:
    """Every derived triple; ``query`` runs a SPARQL CONSTRUCT over the union of all graphs."""
    seen = set()
    for name, sparql in RULES.items():
        for triple in query(sparql):
            key = (str(triple[0]), str(triple[1]), str(triple[2]))
            if key not in seen:
                seen.add(key)
                yield triple

