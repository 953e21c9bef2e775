"""The same person under different name forms, across documents.

One article writes "Lt. Gen. Ahmed Sharif Chaudhry", the next "Ahmed Chaudhry" or "Gen.
Chaudhry"; each document mints the name it reads. Across the store, two people are the same
when, once titles, ranks and posts are stripped (the words come from the ontology's
``ckg:titleCue`` and post-kind cues), the shorter name's words are the longer name's in order
with the same last word (the family name), and they share a state or an organisation. A
short form that fits two different full names is left alone. Anonymous sources are no
``ckg:Person`` and never merge.

Reconciliation links each other form to the fullest one (``owl:sameAs``, object = the
canonical person) and copies the other form's facts onto it, so that a query about the
canonical person sees every statement, claim and post with no reasoner. All of it lives in
a graph of its own that every build recomputes, so removing a document undoes its merges.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ckg.ontology.vocabulary import OWL, SPARQL_PREFIXES as PREFIXES

SAME_AS = ox.NamedNode(OWL.sameAs)
COPY_BATCH = 200

NAMES = PREFIXES + """
SELECT DISTINCT ?person ?name WHERE {
  ?person a ckg:Person .
  { ?person rdfs:label ?name } UNION { ?person skos:altLabel ?name }
}"""
CONTEXTS = PREFIXES + """
SELECT DISTINCT ?person ?context WHERE {
  ?person a ckg:Person ; prov:actedOnBehalfOf|org:memberOf|(org:holds/org:postIn) ?direct .
  ?direct org:memberOf* ?context
}"""
"""Who a person speaks for or belongs to, and what those belong to: asked apart from the
names (one row per pair, not per name × context) and as one path, which Oxigraph walks
far faster than a union of paths."""

TITLES = PREFIXES + """
SELECT DISTINCT ?words WHERE {
  { ckg:Person ckg:titleCue ?words }
  UNION { ?rank skos:inScheme ckg:RankScheme ; ckg:titleCue ?words }
  UNION { ?post skos:inScheme ckg:PostKindScheme ; ckg:cue ?words }
}"""

COPIES = PREFIXES + """
CONSTRUCT { ?canonical ?p ?o . ?s ?q ?canonical . ?canonical skos:altLabel ?name }
WHERE {
  VALUES (?alias ?canonical) { %s }
  { ?alias ?p ?o FILTER (?p NOT IN (rdfs:label, owl:sameAs)) }
  UNION { ?s ?q ?alias FILTER (?q != owl:sameAs) }
  UNION { ?alias rdfs:label ?name }
}"""


@dataclass
class Person:
    iri: str
    names: set[str] = field(default_factory=set)
    contexts: set[str] = field(default_factory=set)


def fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower().strip(".,’'\"")


def name_words(name: str, titles: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """'Lt. Gen. Ahmed Sharif Chaudhry' → ('ahmed', 'sharif', 'chaudhry'): leading titles and posts dropped."""
    words = [fold(w) for w in re.split(r"\s+", name.strip()) if fold(w)]
    ordered = sorted(titles, key=len, reverse=True)
    stripped = True
    while stripped and words:
        stripped = False
        if words[0] == "the":
            words, stripped = words[1:], True
        for title in ordered:
            if len(words) > len(title) and tuple(words[:len(title)]) == title:
                words, stripped = words[len(title):], True
                break
    return tuple(words)


def shorter_form(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """'Ahmed Chaudhry' and 'Chaudhry' are shorter forms of 'Ahmed Sharif Chaudhry'."""
    if not short or len(short) >= len(full) or short[-1] != full[-1]:
        return False
    remaining = iter(full)
    return all(word in remaining for word in short)


def canonical_people(people: list[Person], titles: Iterable[tuple[str, ...]]) -> dict[str, str]:
    """{person: the fullest form of the same person}, for each person that has one."""
    titles = list(titles)
    forms = {p.iri: {name_words(n, titles) for n in p.names} - {()} for p in people}
    by_iri = {p.iri: p for p in people}
    by_family: dict[str, set[str]] = {}  # only people who share a family name are compared
    for iri, words in forms.items():
        for form in words:
            by_family.setdefault(form[-1], set()).add(iri)
    fuller: dict[str, set[str]] = {}
    for group in by_family.values():
        for a in sorted(group):
            for b in sorted(group):
                if a != b and by_iri[a].contexts & by_iri[b].contexts and any(
                        shorter_form(x, y) for x in forms[a] for y in forms[b]):
                    fuller.setdefault(a, set()).add(b)
    result: dict[str, str] = {}
    for iri, candidates in sorted(fuller.items()):
        # the fullest forms among the candidates: those with no fuller form of their own in the set
        tops = sorted(c for c in candidates if not (fuller.get(c, set()) & candidates))
        longest = {max(len(w) for w in forms[c]) for c in tops}
        if len(tops) == 1 or (len(longest) == 1 and _same_names(tops, forms)):
            target = tops[0]
            if target != iri and by_iri.get(target) is not None:
                result[iri] = target
    for iri, target in result.items():  # every form points at the end of its chain
        seen = {iri}
        while target in result and target not in seen:
            seen.add(target)
            target = result[target]
        result[iri] = target
    return result


def _same_names(iris: list[str], forms: dict[str, set[tuple[str, ...]]]) -> bool:
    """Several fullest candidates that all write the same full name are one person."""
    return len({max(forms[i], key=len) for i in iris}) == 1


def read_people(query: Callable) -> list[Person]:
    people: dict[str, Person] = {}
    for row in query(NAMES):
        people.setdefault(row[0].value, Person(row[0].value)).names.add(row[1].value)
    for row in query(CONTEXTS):
        if row[0].value in people:
            people[row[0].value].contexts.add(row[1].value)
    return [people[iri] for iri in sorted(people)]


def read_titles(query: Callable) -> list[tuple[str, ...]]:
    return sorted({tuple(fold(w) for w in row[0].value.split()) for row in query(TITLES)})


def same_as(query: Callable) -> list[tuple[str, str]]:
    """(other form, canonical person) pairs over the whole store."""
    return sorted(canonical_people(read_people(query), read_titles(query)).items())


def identities(query: Callable) -> list[ox.Triple]:
    """owl:sameAs from each other name form of a person to the fullest, and the other form's
    facts copied onto the fullest (its name as an alternative label)."""
    pairs = same_as(query)
    triples = [ox.Triple(ox.NamedNode(alias), SAME_AS, ox.NamedNode(canonical)) for alias, canonical in pairs]
    for start in range(0, len(pairs), COPY_BATCH):
        values = " ".join(f"({ox.NamedNode(a)} {ox.NamedNode(c)})" for a, c in pairs[start:start + COPY_BATCH])
        triples += list(query(COPIES % values))
    return list(dict.fromkeys(triples))
