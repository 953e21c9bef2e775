"""Facts derived from the documents, so they are reversible and recomputed when inputs change.

- the subclass and subproperty closure, the inverse links and transitive place containment
  and sub-events of ONE document's triples: computed with the document (``Closure``, from
  the ontology and knowledge base) and kept in the document's own derived graph, replaced
  with it in the same transaction;
- the same closure of the ontology and knowledge bases, once, when they change (``RULES``
  restricted to their graphs);
- across documents: contradictions (disjoint intervals on one count variable), denials
  and corroborations (overlapping claims from independent sides), and event claims about
  one event from different sides. Claims are streamed grouped by their variable (or
  event), and pairs are only formed within a group: no join over the whole store.

Every pair of claims so linked also gets a ``ckg:ClaimComparison`` node that says why: the two
claims, the rule (a concept of ``ckg:ComparisonRuleScheme``), what they were compared on and
each side's interval as compared, so a reader can check the link without redoing it.

Claims that share a claimant never contradict or corroborate each other; graph.identity
runs first, and a claimant is read through its ``owl:sameAs``, so a person's name forms
are one claimant here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations, groupby

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDFS as RDFS_NS

from ckg.ontology.vocabulary import CKG, ORG, RDF, RDFS, SPARQL_PREFIXES as PREFIXES

from . import iris

RDF_TYPE = ox.NamedNode(RDF.type)
CONTRADICTS, CORROBORATES, DENIES = (ox.NamedNode(CKG.term(n)) for n in ("contradicts", "corroborates", "denies"))
COMPARISON, COMPARISON_RULE, COMPARED_ON, FIRST, SECOND = (ox.NamedNode(CKG.term(n)) for n in (
    "ClaimComparison", "comparisonRule", "comparedOn", "firstClaim", "secondClaim"))
BOUNDS = tuple(ox.NamedNode(CKG.term(n)) for n in ("firstMinValue", "firstMaxValue", "secondMinValue", "secondMaxValue"))
LABEL = ox.NamedNode(RDFS.label)
DISJOINT, OVERLAPPING, DENIAL, SAME_EVENT = (ox.NamedNode(CKG.term(n)) for n in (
    "rule-disjoint-intervals", "rule-overlapping-intervals", "rule-denial-of-positive-figure",
    "rule-same-event-different-sides"))
"""The comparison rules (ontology/ckg.ttl, ``ckg:ComparisonRuleScheme``)."""
RULE_NAMES = {DISJOINT: "disjoint intervals", OVERLAPPING: "overlapping intervals", DENIAL: "denial of a positive figure",
              SAME_EVENT: "one event, different sides"}
TRANSITIVE = (CKG.locatedIn, CKG.subEventOf)
INVERSES = {CKG.assertedIn: CKG.makesClaim, CKG.mediator: CKG.mediatorIn, ORG.holds: ORG.heldBy}
"""Inverse links materialised for queries that follow them the other way."""

RULES: dict[str, str] = {
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
CONSTRUCT { ?s ckg:makesClaim ?c . ?m ckg:mediatorIn ?e . ?p org:heldBy ?h }
WHERE {
  { ?c ckg:assertedIn ?s } UNION { ?e ckg:mediator ?m } UNION { ?h org:holds ?p }
}""",
}
"""The closure as SPARQL, for the ontology and knowledge-base graphs (run once when they change)."""

QUANTITY_CLAIMS = PREFIXES + """
SELECT ?v ?a ?min ?max ?claimant ?side ?denial ?quantity WHERE {
  ?a ckg:aboutVariable ?v ; ckg:minValue ?min ; ckg:claimedBy ?named .
  OPTIONAL { ?named owl:sameAs ?fullest }
  BIND (COALESCE(?fullest, ?named) AS ?claimant)
  OPTIONAL { ?a ckg:maxValue ?max } OPTIONAL { ?a ckg:claimedOnBehalfOf ?side }
  BIND (EXISTS { ?a a ckg:Denial } AS ?denial)
  BIND (EXISTS { ?a a ckg:QuantityClaim } AS ?quantity)
} ORDER BY ?v ?a"""
EVENT_CLAIMS = PREFIXES + """
SELECT ?e ?a ?side WHERE { ?a a ckg:EventClaim ; ckg:aboutEvent ?e ; ckg:claimedOnBehalfOf ?side } ORDER BY ?e ?a"""


def _ancestors(graph: rdflib.Graph, predicate) -> dict[str, frozenset[str]]:
    """Every node's transitive ``predicate`` ancestors that are IRIs (as ``predicate+`` in SPARQL)."""
    parents: dict = {}
    for s, o in graph.subject_objects(predicate):
        parents.setdefault(s, set()).add(o)
    result: dict[str, frozenset[str]] = {}
    for start in parents:
        seen, todo = set(), list(parents[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(parents.get(node, ()))
        if isinstance(start, rdflib.URIRef):
            result[str(start)] = frozenset(str(n) for n in seen if isinstance(n, rdflib.URIRef))
    return result


@dataclass
class Closure:
    """What the ontology and knowledge base say about one document's triples."""

    superclasses: dict[str, frozenset[str]]
    superproperties: dict[str, frozenset[str]]
    kb_ancestors: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    """For each transitive property: every knowledge-base node's ancestors."""

    @classmethod
    def of(cls, graph: rdflib.Graph) -> "Closure":
        return cls(_ancestors(graph, RDFS_NS.subClassOf), _ancestors(graph, RDFS_NS.subPropertyOf),
                   {p: _ancestors(graph, rdflib.URIRef(p)) for p in TRANSITIVE})

    def derive(self, quads: Iterable[ox.Quad], graph: ox.NamedNode) -> list[ox.Quad]:
        """The closure of one document's quads, as quads in ``graph``."""
        out: dict[tuple, None] = {}
        links: dict[str, dict[str, set[str]]] = {p: {} for p in TRANSITIVE}
        for q in quads:
            s, p, o = q.subject, q.predicate.value, q.object
            if p == RDF_TYPE.value and isinstance(o, ox.NamedNode):
                for sup in self.superclasses.get(o.value, ()):
                    out[(s, RDF_TYPE, sup)] = None
            for sup in self.superproperties.get(p, ()):
                out[(s, sup, o)] = None
            if p in INVERSES and isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
                out[(o, INVERSES[p], s.value)] = None
            if p in links and isinstance(o, ox.NamedNode):
                links[p].setdefault(s.value, set()).add(o.value)
        for p, edges in links.items():
            known = self.kb_ancestors[p]
            for start, targets in edges.items():
                reach: set[str] = set()
                todo = list(targets)
                while todo:
                    node = todo.pop()
                    if node in reach:
                        continue
                    reach.add(node)
                    todo.extend(edges.get(node, ()))
                    reach |= known.get(node, frozenset())
                for target in reach - targets:
                    out[(ox.NamedNode(start), p, target)] = None
        return [ox.Quad(s, p if isinstance(p, ox.NamedNode) else ox.NamedNode(p),
                        o if not isinstance(o, str) else ox.NamedNode(o), graph) for s, p, o in out]


def _disjoint(a: tuple, b: tuple) -> bool:
    return (a[3] is not None and a[3] < b[2]) or (b[3] is not None and b[3] < a[2])


def _bounds(claim: tuple) -> str:
    low, high = claim[2], claim[3]
    return f"[{low:g}, ∞)" if high is None else (f"[{low:g}]" if low == high else f"[{low:g}, {high:g}]")


def comparison(first: tuple, second: tuple, rule: ox.NamedNode, on: ox.NamedNode | None) -> Iterator[tuple]:
    """The node that explains the link between two claims: the claims, the rule, what they are
    about and, for quantity claims, each side's interval (no maximum: open-ended)."""
    node = ox.NamedNode(iris.minted("comparison", first[0].value, second[0].value, rule.value,
                                    readable=RULE_NAMES[rule]))
    yield node, RDF_TYPE, COMPARISON
    yield node, FIRST, first[0]
    yield node, SECOND, second[0]
    yield node, COMPARISON_RULE, rule
    if on is not None:
        yield node, COMPARED_ON, on
    if len(first) > 3:
        for (low_p, high_p), claim in zip((BOUNDS[:2], BOUNDS[2:]), (first, second)):
            yield node, low_p, ox.Literal(claim[2])
            if claim[3] is not None:
                yield node, high_p, ox.Literal(claim[3])
        label = f"{_bounds(first)} against {_bounds(second)}: {RULE_NAMES[rule]}"
    else:
        label = RULE_NAMES[rule]
    yield node, LABEL, ox.Literal(label, language="en")


def quantity_pairs(claims: list[tuple], variable: ox.NamedNode | None = None) -> Iterator[tuple]:
    """Contradictions, denials and corroborations among the claims on ONE variable, each pair's
    links followed by its comparison node.

    A claim is (iri, claimant, min, max or None, side or None, is a denial, is a quantity claim).
    """
    for a, b in combinations(claims, 2):
        if a[0] == b[0] or a[1] == b[1]:
            continue
        rule, first, second = None, a, b
        if not (a[6] and b[6]):
            pass
        elif _disjoint(a, b):
            rule = DISJOINT
            yield a[0], CONTRADICTS, b[0]
            yield b[0], CONTRADICTS, a[0]
        elif a[4] is None or b[4] is None or a[4] != b[4]:
            rule = OVERLAPPING
            yield a[0], CORROBORATES, b[0]
            yield b[0], CORROBORATES, a[0]
        for d, o in ((a, b), (b, a)):
            if d[5] and d[3] == 0 and o[2] > 0:
                rule, first, second = DENIAL, d, o
                yield d[0], DENIES, o[0]
                yield d[0], CONTRADICTS, o[0]
                yield o[0], CONTRADICTS, d[0]
        if rule is not None:
            yield from comparison(first, second, rule, variable)


def event_pairs(claims: list[tuple], event: ox.NamedNode | None = None) -> Iterator[tuple]:
    """Corroborations among the claims about ONE event: (iri, side) from different sides, each
    pair's links followed by its comparison node."""
    for a, b in combinations(claims, 2):
        if a[0] != b[0] and a[1] != b[1]:
            yield a[0], CORROBORATES, b[0]
            yield b[0], CORROBORATES, a[0]
            yield from comparison(a, b, SAME_EVENT, event)


def _number(term) -> int | float | None:
    if term is None:
        return None
    value = term.value
    try:
        return int(value)
    except ValueError:
        return float(value)


def across_documents(query: Callable[[str], Iterable]) -> Iterator[tuple]:
    """Every cross-document triple, computed one variable (or event) at a time."""
    rows = ((r["v"], (r["a"], r["claimant"], _number(r["min"]), _number(r["max"]), r["side"],
                      r["denial"].value == "true", r["quantity"].value == "true")) for r in query(QUANTITY_CLAIMS))
    for variable, group in groupby(rows, key=lambda row: row[0]):
        claims = list(dict.fromkeys(claim for _, claim in group))
        if len(claims) > 1:
            yield from quantity_pairs(claims, variable)
    events = ((r["e"], (r["a"], r["side"])) for r in query(EVENT_CLAIMS))
    for event, group in groupby(events, key=lambda row: row[0]):
        claims = list(dict.fromkeys(claim for _, claim in group))
        if len(claims) > 1:
            yield from event_pairs(claims, event)
