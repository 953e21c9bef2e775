"""The extractor's vocabulary, read from the ontology and the knowledge bases.

Nothing the extractor looks for is written in Python: trigger words, cue phrases, known
actors and places all come from the RDF files, so an edit in Protégé changes the next
build. This module turns those files into plain Python records once per build.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import rdflib
from rdflib.namespace import ORG, OWL, RDF, RDFS, SKOS

from ckg.ontology import files, vocabulary

CKG = rdflib.Namespace(files.NAMESPACE)
PROV = rdflib.Namespace(str(vocabulary.PROV))


@dataclass(frozen=True)
class EventClass:
    iri: str
    label: str
    triggers: tuple[str, ...]
    depth: int
    """Distance from ckg:Event; the most specific matching class wins."""
    cameo: str | None = None
    acled: str | None = None
    place_triggers: tuple[str, ...] = ()
    """Verbs that signal the class only with a place as their object ('seized the town of X')."""


@dataclass(frozen=True)
class Concept:
    iri: str
    label: str
    notation: str
    cues: tuple[str, ...]
    extra: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Entity:
    iri: str
    label: str
    kind: str
    """'state', 'organization', 'person', 'place'."""
    types: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    state: str | None = None
    """IRI of the state the entity belongs to or lies in, when known."""
    iso: str | None = None
    demonyms: set[str] = field(default_factory=set)
    utc_offset: str | None = None
    posts: set[str] = field(default_factory=set)
    org_kind: str | None = None


@dataclass
class Lexicon:
    graph: rdflib.Graph
    digest: str
    event_classes: list[EventClass]
    count_kinds: list[Concept]
    counted_things: list[Concept]
    channels: list[Concept]
    appeal_kinds: list[Concept]
    org_kinds: list[Concept]
    post_kinds: list[Concept]
    claim_cues: dict[str, tuple[str, ...]]
    speech_cues: tuple[str, ...]
    anonymous_cues: tuple[str, ...]
    person_titles: tuple[str, ...]
    rank_titles: tuple[str, ...]
    place_cues: dict[str, tuple[str, ...]]
    entities: dict[str, Entity]
    subset_cues: tuple[str, ...] = ()
    """Words introducing part of a figure ('including'): cues on ckg:subsetOf."""
    anaphor_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """'the group', 'the agency': words that, after 'the', name the last organisation of a class."""
    measure_cues: tuple[str, ...] = ()
    """Words that make the number before them a measure, not a count ('two days')."""
    org_name_heads: frozenset[str] = frozenset()
    """Words that make a run of capitalised words an organisation's name (lower case)."""
    government_name_heads: frozenset[str] = frozenset()
    """Of those, the words that make it an organ of a state's government ('Ministry of Education')."""

    @cached_property
    def post_kind_by_iri(self) -> dict[str, Concept]:
        return {c.iri: c for c in self.post_kinds}

    @cached_property
    def people_by_name(self) -> dict[str, str]:
        return {name: e.iri for e in self.entities.values() if e.kind == "person" for name in e.names}

    @cached_property
    def org_kind_by_iri(self) -> dict[str, Concept]:
        return {c.iri: c for c in self.org_kinds}

    def state_of(self, iri: str | None) -> Entity | None:
        """The state an entity belongs to (itself, for a state)."""
        entity = self.entities.get(iri or "")
        if entity is None:
            return None
        if entity.kind == "state":
            return entity
        return self.entities.get(entity.state or "")


def _texts(graph: rdflib.Graph, subject, predicate) -> tuple[str, ...]:
    return tuple(sorted({str(o) for o in graph.objects(subject, predicate)}))


def _first(graph: rdflib.Graph, subject, predicate) -> str | None:
    values = sorted(str(o) for o in graph.objects(subject, predicate))
    return values[0] if values else None


def _concepts(graph: rdflib.Graph, scheme: rdflib.URIRef, extras: tuple[str, ...] = ()) -> list[Concept]:
    concepts = []
    for concept in sorted(graph.subjects(SKOS.inScheme, scheme)):
        extra = {name: graph.value(concept, CKG[name]) for name in extras}
        concepts.append(Concept(
            iri=str(concept),
            label=_first(graph, concept, RDFS.label) or str(concept).rsplit("#", 1)[-1],
            notation=_first(graph, concept, SKOS.notation) or str(concept).rsplit("-", 1)[-1],
            cues=_texts(graph, concept, CKG.cue) + _texts(graph, concept, CKG.titleCue),
            extra={k: (str(v) if v is not None else None) for k, v in extra.items()},
        ))
    return concepts


def _event_classes(graph: rdflib.Graph) -> list[EventClass]:
    """Every subclass of ckg:Event with triggers, however deep, and its depth."""
    result = []
    for cls in graph.transitive_subjects(RDFS.subClassOf, CKG.Event):
        if cls == CKG.Event or not isinstance(cls, rdflib.URIRef):
            continue
        triggers = _texts(graph, cls, CKG.trigger)
        place_triggers = _texts(graph, cls, CKG.placeTrigger)
        if not triggers and not place_triggers:
            continue
        depth, current = 0, cls
        while current != CKG.Event and depth < 20:
            parents = [p for p in graph.objects(current, RDFS.subClassOf) if isinstance(p, rdflib.URIRef)]
            if not parents:
                break
            current, depth = sorted(parents)[0], depth + 1
        result.append(EventClass(
            iri=str(cls), label=_first(graph, cls, RDFS.label) or str(cls).rsplit("#", 1)[-1],
            triggers=triggers, depth=depth, place_triggers=place_triggers,
            cameo=_first(graph, cls, CKG.defaultCameoCode), acled=_first(graph, cls, CKG.defaultAcledSubEventType),
        ))
    return sorted(result, key=lambda c: c.iri)


def _is_a(graph: rdflib.Graph, node, cls) -> bool:
    types = set(graph.objects(node, RDF.type))
    closure = set()
    for t in types:
        closure |= set(graph.transitive_objects(t, RDFS.subClassOf))
    return cls in closure


def _entities(graph: rdflib.Graph) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    kinds = [(CKG.State, "state"), (CKG.Person, "person"), (CKG.Organization, "organization"), (CKG.Place, "place")]
    for node in sorted(set(graph.subjects(RDF.type, OWL.NamedIndividual))):  # sorted: same output in every process
        if not isinstance(node, rdflib.URIRef) or (node, SKOS.inScheme, None) in graph:
            continue
        kind = next((name for cls, name in kinds if _is_a(graph, node, cls)), None)
        if kind is None:
            continue
        label = _first(graph, node, RDFS.label) or str(node).rsplit("/", 1)[-1]
        names = {label, *_texts(graph, node, SKOS.altLabel), *_texts(graph, node, SKOS.prefLabel)}
        entity = Entity(iri=str(node), label=label, kind=kind, names=names,
                        types={str(t) for t in graph.objects(node, RDF.type) if t != OWL.NamedIndividual},
                        iso=_first(graph, node, CKG.isoCode),
                        demonyms=set(_texts(graph, node, CKG.demonym)),
                        utc_offset=_first(graph, node, CKG.utcOffset),
                        posts=set(_texts(graph, node, ORG.holds)),
                        org_kind=_first(graph, node, CKG.organizationKind))
        entities[entity.iri] = entity
    for entity in entities.values():
        if entity.kind == "state":
            continue
        node = rdflib.URIRef(entity.iri)
        parents = sorted(str(p) for p in (*graph.objects(node, ORG.memberOf), *graph.objects(node, CKG.locatedIn),
                                          *graph.objects(node, PROV.actedOnBehalfOf)))
        for post in entity.posts:
            parents += [str(o) for o in graph.objects(rdflib.URIRef(post), ORG.postIn)]
        entity.state = _climb_to_state(entities, graph, parents)
    return entities


def _climb_to_state(entities: dict[str, Entity], graph: rdflib.Graph, parents: list[str]) -> str | None:
    seen: set[str] = set()
    while parents:
        parent = parents.pop(0)
        if parent in seen:
            continue
        seen.add(parent)
        found = entities.get(parent)
        if found is not None and found.kind == "state":
            return parent
        node = rdflib.URIRef(parent)
        parents += sorted(str(p) for p in (*graph.objects(node, ORG.memberOf), *graph.objects(node, CKG.locatedIn)))
    return None


def digest_of(paths: list[Path]) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def build_lexicon(graph: rdflib.Graph, digest: str = "") -> Lexicon:
    """Read every cue, trigger and known entity out of an ontology (+ knowledge base) graph."""
    claim_cues = {str(cls): _texts(graph, cls, CKG.cue)
                  for cls in (CKG.Denial, CKG.Accusation, CKG.Appeal, CKG.Declaration)}
    place_cues = {str(cls): _texts(graph, cls, CKG.cue) for cls in (CKG.Province, CKG.Border, CKG.BorderCrossing)}
    ranks = tuple(c for concept in _concepts(graph, CKG.RankScheme) for c in concept.cues)
    return Lexicon(
        graph=graph, digest=digest,
        event_classes=_event_classes(graph),
        count_kinds=_concepts(graph, CKG.CountKindScheme),
        counted_things=_concepts(graph, CKG.CountedThingScheme),
        channels=_concepts(graph, CKG.ChannelScheme),
        appeal_kinds=_concepts(graph, CKG.AppealScheme, ("defaultCameoCode",)),
        org_kinds=_concepts(graph, CKG.OrganizationKindScheme, ("organizationClass",)),
        post_kinds=_concepts(graph, CKG.PostKindScheme, ("postOrganizationKind",)),
        claim_cues=claim_cues,
        speech_cues=_texts(graph, CKG.CommunicationEvent, CKG.cue),
        anonymous_cues=_texts(graph, CKG.AnonymousSource, CKG.cue),
        person_titles=_texts(graph, CKG.Person, CKG.titleCue),
        rank_titles=ranks,
        place_cues=place_cues,
        entities=_entities(graph),
        subset_cues=_texts(graph, CKG.subsetOf, CKG.cue),
        measure_cues=_texts(graph, CKG.CountVariable, CKG.measureCue),
        org_name_heads=frozenset(w.lower() for c in (CKG.Organization, CKG.GovernmentBody)
                                 for w in _texts(graph, c, CKG.nameHead)),
        government_name_heads=frozenset(w.lower() for w in _texts(graph, CKG.GovernmentBody, CKG.nameHead)),
        anaphor_cues={str(cls): _texts(graph, cls, CKG.cue) for cls in (CKG.NonStateArmedGroup, CKG.InternationalOrganization,
                                                                                CKG.GovernmentBody)},
    )


def load_lexicon(paths: list[Path] | None = None) -> Lexicon:
    """The lexicon of the project's ontology and knowledge bases (or of the given files)."""
    paths = paths if paths is not None else files.reasoned_files()
    digest = digest_of(paths)
    if digest not in _LEXICONS:  # the same files read again give the same lexicon: seconds saved per build
        graph = rdflib.Graph()
        for path in paths:
            graph.parse(path, format=rdflib.util.guess_format(str(path)) or "turtle")
        _LEXICONS.clear()
        _LEXICONS[digest] = build_lexicon(graph, digest)
    return _LEXICONS[digest]


_LEXICONS: dict[str, Lexicon] = {}
"""The last lexicon read, by the digest of its files' bytes."""
