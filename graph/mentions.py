"""Who and where a sentence talks about: known entities, minted people and organisations.

Known actors and places come from the knowledge base; people and organisations nobody
listed are minted from the patterns news writing uses for them ("Defence Minister X",
"X, a spokesperson for Y", "Gen. X, the army spokesman", "Y's Foreign Ministry").
Short names ("Haroutunian" for "Levon Haroutunian"), pronouns and definite descriptions ("the ministry", "the
officials") resolve within the document only.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import ORG
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from . import iris
from .lexicon import CKG, Entity, Lexicon
from .matching import Match
from .model import Agent, Extraction, Holding, Place, Post, Span

PERSON, ORGANIZATION, STATE, ANONYMOUS, PLACE = "person", "organization", "state", "anonymous", "place"
CALENDAR_WORDS = {w for w in (*calendar.day_name, *calendar.month_name, *calendar.month_abbr) if w}
PRONOUNS = {"he": PERSON, "she": PERSON, "it": ORGANIZATION, "they": ANONYMOUS}
OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they"}
"""'According to her, …': the object form after 'according to' stands for whom the subject form would."""
LOCATIVE = {"in", "into", "at", "from", "near", "across", "inside", "outside", "within", "around", "throughout",
            "to", "toward", "towards"}
CONJUNCTIONS = {"and", "or", "nor", "but"}
PREPOSITIONS = {"in", "on", "at", "for", "to", "by", "of", "from", "as", "via", "with"}
COMPASS = {"northern", "southern", "eastern", "western", "central", "north-eastern", "northeastern", "north-western",
           "northwestern", "south-eastern", "southeastern", "south-western", "southwestern", "northeast", "northwest",
           "southeast", "southwest"}
PLACE_WORDS = {"the", "town", "city", "village", "of", "district", "southern", "northern", "eastern", "western",
               "central", "nearby", "border", "frontier", "coastal", "camp", "refugee"}
"""Words between a preposition and a place name ('on the southern town of X')."""
PROXIMITY = {"near", "outside", "around", "towards", "toward"}
"""'a strike near X': what a strike is near is a place, listed or not."""
SETTLEMENT_WORDS = {"town", "city", "village", "camp", "district", "township", "locality", "county", "sub-district",
                    "neighbourhood", "neighborhood", "suburb", "area"}
"""'the town of X', 'X township': words that make an unknown name a place of its own."""
FEATURE_WORDS = {"base", "mountain", "mountains", "range", "valley", "hills", "pass", "crossing", "sector",
                 "temple", "forest", "airport", "airbase", "port", "checkpoint", "outpost"}
"""'the X mountain range', 'the X base', 'the X border crossing': words after an unknown name that
make it a place where fighting goes on, though no one may live there."""
PREPOSITIONS = {"to", "of", "in", "by", "from", "with", "for", "on", "at", "according", "and", "that"}
DEFINITE = {"the", "this", "that"}
LEADING_FUNCTION_WORDS = {"The", "A", "An", "In", "On", "At", "But", "And", "Meanwhile", "However", "Later", "Earlier",
                          "Also", "Separately", "Then", "Now", "Yet", "While", "When", "After", "Before", "Since"}
"""Capitalised at the start of a sentence, but no part of a name."""
ACRONYM = re.compile(r"[A-Z]{2,6}")
"""A word in capitals that names an organisation ('ISWAP', 'UNAMA') when nothing else does."""
GENERIC_ORG_WORDS = {"Royal", "National", "Federal", "Central", "Regular", "Armed", "Joint", "General", "Supreme"}
"""Words that leave 'the Royal Thai Army' the state's army rather than an organisation of its own name."""
ARTICLES = {"a", "an", "the"}
OBJECT_OPENERS = {"that", "the", "a", "an", "any", "this", "these", "those", "its", "their", "it", "them", "all"}
"""Words that open a verb's object: after 'Capital verbs', they show the verb is one."""
GROUP_NOUNS = {"group", "network", "organisation", "organization", "movement", "militia", "coalition", "alliance"}
"""Common nouns after a body's own name: 'the X group'."""
LOCAL_LEVELS = {"regional", "provincial", "departmental", "district", "municipal", "oblast", "county", "city",
                "local", "state"}
LOCAL_BODIES = {"administration", "government", "council", "authorities", "governorate"}
"""'The Kharkiv regional administration', 'the provincial government of X': a government below the state's."""
QUANTIFIERS = {"some", "other", "several", "many", "most", "few", "both", "all", "various"}
"""'Some residents said': how many of a group spoke is no part of the group's name."""
RELATIVES = {"who", "whom", "whose"}
DESCRIPTION_TOKENS = 24
"""How far back from its verb a description set off by commas may open ('X, a doctor at …, said')."""
HEADS_CLAUSE = re.compile(r",\s+who\s+(?:heads|leads|runs|chairs|directs)\s+(?:the\s+)?")
"""', who heads the Kyiv City Military Administration,': a post given by a relative clause."""
MEDIA_NOUNS = {("news", "agency"), ("agency",), ("newspaper",), ("broadcaster",), ("television",), ("channel",),
               ("outlet",), ("daily",), ("radio",), ("news", "outlet"), ("news", "site")}
BODY_NOUNS = {("rescue", "service"), ("emergency", "service"), ("ambulance", "service"), ("service",),
              ("committee",), ("council",), ("union",), ("society",), ("foundation",), ("network",), ("group",)}
"""'Iran's Tasnim news agency said', 'Israel's Magen David Adom rescue service said': lowercase words
after a name that say what kind of body it names."""
MEDIA_NOUNS_LONGEST_FIRST = sorted(MEDIA_NOUNS, key=len, reverse=True)
BODY_NOUNS_LONGEST_FIRST = sorted(BODY_NOUNS, key=len, reverse=True)
QUALIFYING = {"in", "within", "inside", "at", "from", "close"}
"""Words after an unnamed source that say where it stands ('a source in the army')."""
STOP_QUALIFYING = {"who", "that", "which", "and", "but", "on", "as", "when", "while", "because", "also", "later",
                   "earlier", "separately", "however", "then", "too", "now", "had", "have", "has", "was", "were",
                   "is", "are", "would", "could", "will"}


@dataclass
class Mention:
    iri: str
    kind: str
    start: int
    end: int
    text: str
    place: bool = False
    """A place mention (a city, a province, a state as territory)."""
    speaker_ok: bool = True
    """False for mentions that cannot be the subject of a verb (inside an appositive)."""


def city_first(entity: Entity) -> int:
    """Of two places of one name and no other clue, the city: news names cities ('Gaza', not
    the Mozambican province called so)."""
    return 0 if str(CKG.City) in entity.types else 1


@dataclass
class DocumentMemory:
    """What earlier sentences established: aliases, the last person, organisation, source."""

    aliases: dict[str, str] = field(default_factory=dict)
    last: dict[str, str] = field(default_factory=dict)
    last_org_kind: dict[str, str] = field(default_factory=dict)
    org_kind_named: dict[str, tuple[str, int]] = field(default_factory=dict)
    """The words and sentence each organisation kind was last named with: a bare 'foreign ministry'
    right after 'the Russian Foreign Ministry' is that one, not the dateline state's (but a bare
    'army' after 'Rwandan troops' is still the dateline state's)."""
    sentence: int = 0
    post_holders: dict[str, str] = field(default_factory=dict)
    states_seen: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    """Government bodies in the order they were named, for 'the ministry'."""
    place_states: list[str] = field(default_factory=list)
    """The states the places named so far lie in: 'in Khan Yunis' after 'Gaza' is looked up there."""
    acting_state: tuple[str, int, int] | None = None
    """The last state named as an actor ('Hanoi rejects that'): in which sentence, where it ends."""
    last_of_class: dict[str, str] = field(default_factory=dict)
    """The last organisation mentioned of each class, for 'the group', 'the agency'."""


def title_case(text: str) -> str:
    """'prime minister's office' → "Prime Minister's Office" (str.title would write 'Minister'S')."""
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def is_name_token(word: str) -> bool:
    return bool(word) and word[0].isupper() and any(c.isalpha() for c in word) and word not in CALENDAR_WORDS


class MentionFinder:
    """Resolves mentions sentence by sentence, remembering what the document said before."""

    def __init__(self, lexicon: Lexicon, doc: Doc, out: Extraction, default_state: str | None,
                 text: str | None = None) -> None:
        self.lex = lexicon
        self.doc = doc
        self.text = doc.text if text is None else text  # spaCy rebuilds Doc.text on every access
        self.out = out
        self.memory = DocumentMemory()
        self.default_state = default_state
        self.title_words = {w for t in (*lexicon.person_titles, *lexicon.rank_titles) for w in t.split()
                            if w.endswith(".")}
        self.cue_words = {w.lower() for c in (*lexicon.post_kinds, *lexicon.org_kinds) for cue in c.cues
                          for w in cue.split()}
        self.province_words = set(lexicon.place_cues.get(str(CKG.Province), ()))
        self._alpha2_codes: dict[str, str | None] = {}
        self.speech_words = {cue.split()[0].lower() for cue in lexicon.speech_cues}  # the verbs, not "to" of "according to"
        self.org_cue_words = {w.lower() for c in lexicon.org_kinds for cue in c.cues for w in cue.split()}
        self.titles = sorted({tuple(t.split()) for t in (*lexicon.person_titles, *lexicon.rank_titles)}, key=len,
                             reverse=True)
        """Ranks and honorifics as word sequences, longest first: stripped from the front of names."""

    # ---------------------------------------------------------------- helpers
    def span(self, start: int, end: int) -> Span:
        text = self.text
        return Span(start, end, text[start:end])

    def agent(self, iri: str, label: str, cls: str, **extra) -> Agent:
        """The document's record of an agent, created on first mention."""
        if iri not in self.out.agents:
            known = self.lex.entities.get(iri)
            self.out.agents[iri] = Agent(iri=iri, label=known.label if known else label, cls=cls,
                                         state=(known.state if known and known.kind != STATE else
                                                iri if known and known.kind == STATE else extra.get("state")),
                                         minted=known is None, **{k: v for k, v in extra.items() if k != "state"})
        return self.out.agents[iri]

    def state_label(self, state_iri: str) -> str:
        entity = self.lex.entities.get(state_iri)
        return entity.label if entity else state_iri.rsplit("/", 1)[-1]

    def name_after(self, token_index: int, sentence_end: int) -> tuple[int, int] | None:
        """A run of capitalised tokens starting at a token: a person's name."""
        doc, i = self.doc, token_index
        while i < len(doc) and doc[i].idx < sentence_end and (doc[i].text in (",",) or doc[i].text in self.title_words):
            i += 1
        start = i
        while i < len(doc) and doc[i].idx < sentence_end:
            word = doc[i].text
            if is_name_token(word) and word.lower() not in self.cue_words:
                i += 1
            elif (word.islower() and len(word) <= 3 and word.isalpha() and i + 1 < len(doc)
                  and i > start and is_name_token(doc[i + 1].text) and word not in CONJUNCTIONS | PREPOSITIONS):
                i += 1  # 'Mohammed bin Salman', 'Ursula von der Leyen'; not 'X and Y', 'X in Washington'
            elif self._joining_hyphen(i) and i > start:
                i += 1  # 'Jean-Noel Barrot'
            elif (word.islower() and len(word) <= 3 and word.isalpha() and i > start and i + 2 < len(doc)
                  and not doc[i].whitespace_ and doc[i + 1].text == "-" and is_name_token(doc[i + 2].text)):
                i += 3  # 'Majed al-Nasser': a particle joined to the family name
            else:
                break
        return (start, i) if i - start >= 2 else None

    def _named_groups(self, start: int, end: int, matches: list[Match],
                      taken: set[int]) -> list[tuple[Agent, int, tuple[int, int]]]:
        """'the Syrian Monitors group', 'the Sahel Watch network': capitalised words nobody
        listed before a common noun for a body name that body (the noun no part of the name)."""
        doc = self.doc
        listed = {t for x in matches if x.category == "entity" for t in range(x.start, x.end)}
        demonyms = {t for x in matches if x.category == "demonym" for t in range(x.start, x.end)}
        found = []
        for noun in doc.char_span(start, end, alignment_mode="expand") or []:
            if noun.lower_ not in GROUP_NOUNS or noun.text != noun.lower_ or noun.i in taken:
                continue
            first = noun.i
            while first > 0 and is_name_token(doc[first - 1].text) and first - 1 not in listed \
                    and first - 1 not in taken and doc[first - 1].text not in LEADING_FUNCTION_WORDS \
                    and doc[first - 1].lower_ not in STOP_WORDS:
                first -= 1  # the name's words, whatever else they may be cues of ('… Monitors group')
            if all(t in demonyms for t in range(first, noun.i)):
                continue  # 'a Kurdish militia' names no body
            name = doc[first:noun.i].text
            agent = self.agent(iris.minted("org", name.lower(), readable=name), name, str(CKG.Organization))
            agent.names.add(name)
            found.append((agent, noun.i, (first, noun.i)))
        return found

    def _local_governments(self, start: int, end: int, matches: list[Match],
                           taken: set[int]) -> list[tuple[Agent, tuple[int, int]]]:
        """A level word and a body word ('regional administration', 'provincial government') with the
        place they govern before them or after 'of': a body of its own, in that place's state."""
        doc = self.doc
        places = {x.start: x for x in matches if x.category == "entity" and self.lex.entities[x.value].kind == PLACE}
        place_ends = {x.end: x for x in places.values()}
        found = []
        for level in doc.char_span(start, end, alignment_mode="expand") or []:
            if level.lower_ not in LOCAL_LEVELS or level.i in taken:
                continue
            body = level.i + 1
            if body < len(doc) and doc[body].lower_ == "military":
                body += 1  # 'regional military administration'
            if body >= len(doc) or doc[body].lower_ not in LOCAL_BODIES:
                continue
            where = self._governed_place(level.i, body, end, places, place_ends)
            if where is None:
                continue
            (s, e), place = where
            if any(t in taken for t in range(s, e)):
                continue
            name = " ".join(t.text.title() if level.i <= t.i <= body else t.text for t in doc[s:e])
            state = self.lex.state_of(place) if place else None
            agent = self.agent(iris.minted("org", name.lower(), readable=name), name, str(CKG.GovernmentBody),
                               state=state.iri if state else self.default_state)
            agent.names.add(name)
            found.append((agent, (s, e)))
        return found

    def _governed_place(self, level: int, body: int, end: int, places: dict[int, Match],
                        place_ends: dict[int, Match]) -> tuple[tuple[int, int], str | None] | None:
        """The body's tokens with the place it governs, and the place's IRI when the gazetteer knows it:
        'Kharkiv regional administration', or 'provincial government of X' (a name no one lists too)."""
        doc = self.doc
        before = place_ends.get(level)
        if before is not None:
            return (before.start, body + 1), before.value
        if body + 2 >= len(doc) or doc[body + 1].lower_ != "of":
            return None
        after = places.get(body + 2)
        if after is not None:
            return (level, after.end), after.value
        named = self.name_after(body + 2, end) or (
            (body + 2, body + 3) if is_name_token(doc[body + 2].text) else None)
        return ((level, named[1]), None) if named else None

    def _counterparts(self, start: int, end: int, matches: list[Match],
                      taken: set[int]) -> list[tuple[Post, tuple[int, int]]]:
        """'X passed the message to his Israeli counterpart, Y': Y holds X's kind of post in Israel."""
        doc = self.doc
        found = []
        for m in matches:
            if m.category != "demonym" or m.end >= len(doc) or doc[m.end].lower_ != "counterpart":
                continue
            held = [h for h in self.out.holdings if start <= h.span.start < doc[m.start].idx]
            kind = self.out.posts[held[-1].post].kind if held and held[-1].post in self.out.posts else None
            org_kind = self.lex.post_kind_by_iri[kind].extra.get("postOrganizationKind") if kind else None
            named = self.name_after(m.end + 1, end)
            if not org_kind or named is None or any(t in taken for t in range(*named)):
                continue
            found.append((self.post(self.organization(m.value, org_kind), kind), named))
        return found

    def _mononym(self, i: int, sentence_end: int) -> tuple[int, int] | None:
        """'Foreign Minister Wirajuda said': one capitalised word right after a post, before a verb of
        speech or a comma, is the holder's whole name (many people go by one name)."""
        doc = self.doc
        if i + 1 >= len(doc) or doc[i].idx >= sentence_end:
            return None
        word, following = doc[i].text, doc[i + 1]
        if not (is_name_token(word) and word.isalpha() and len(word) >= 3 and word[1:].islower()
                and word.lower() not in STOP_WORDS and word.lower() not in self.cue_words
                and word not in self.title_words and word not in CALENDAR_WORDS):
            return None
        return (i, i + 1) if following.lower_ in self.speech_words or following.text == "," else None

    def _joining_hyphen(self, i: int) -> bool:
        """A hyphen with no space around it between two capitalised words: part of one name."""
        doc = self.doc
        return (doc[i].text == "-" and 0 < i < len(doc) - 1 and not doc[i - 1].whitespace_ and not doc[i].whitespace_
                and is_name_token(doc[i - 1].text) and is_name_token(doc[i + 1].text))

    def _name_after_qualifier(self, token_index: int, sentence_end: int) -> tuple[int, int] | None:
        """'Special Envoy for Syria, Jane Roe': skip 'for X,' then read the name."""
        doc, j = self.doc, token_index
        if j >= len(doc) or doc[j].lower_ not in ("for", "of", "to", "in"):
            return None
        j += 1
        while j < len(doc) and doc[j].idx < sentence_end and (is_name_token(doc[j].text) or doc[j].lower_ == "the"
                                                              or doc[j].lower_ in self.province_words):
            j += 1  # 'Governor of the Kyiv region, X'
        if j < len(doc) and doc[j].text == ",":
            return self.name_after(j + 1, sentence_end)
        return None

    def name_before(self, token_index: int) -> tuple[int, int] | None:
        """A run of capitalised tokens ending just before a token (for 'X, a spokesperson')."""
        doc, i = self.doc, token_index - 1
        end = token_index
        while i >= 0 and ((is_name_token(doc[i].text) and doc[i].text.lower() not in self.cue_words
                           and doc[i].text not in self.title_words) or (self._joining_hyphen(i) and i < end - 1)):
            i -= 1
        start = i + 1
        while start < end and doc[start].text in LEADING_FUNCTION_WORDS:
            start += 1  # 'In Washington, President X': no one is called 'In Washington'
        return (start, end) if end - start >= 2 else None

    def kind_rank(self, m: Match) -> int:
        """When names collide (Armenia the state, Armenia the Colombian city), states win, places lose."""
        if m.category != "entity":
            return 0
        kind = self.lex.entities[m.value].kind
        if kind == PLACE:  # of two places of one name, the city that stands for a state ('Kinshasa') first
            return 3 if self.metonym_state(m.value) else 4
        return {STATE: 0, ORGANIZATION: 1, PERSON: 2}.get(kind, 4)

    def place_rank(self, m: Match) -> tuple[int, int]:
        """Of places that share a name (Gaza the city, Gaza the Mozambican province): the one in a
        state the document is about, then a city before a province, as news names cities."""
        if m.category != "entity" or self.lex.entities[m.value].kind != PLACE:
            return (0, 0)
        entity = self.lex.entities[m.value]
        return (0 if entity.state in self._likely_states() else 1, city_first(entity))

    def _mere_place(self, m: Match) -> bool:
        """A place that stands for no state: 'in Gaza, troops' are nobody's; 'In Washington, President X' is
        the United States'."""
        return (m.category == "entity" and self.lex.entities[m.value].kind == PLACE
                and not self.metonym_state(m.value))

    def _compass_modifier(self, m: Match) -> bool:
        doc = self.doc
        return (m.end - m.start == 1 and doc[m.start].lower_ in COMPASS and m.end < len(doc)
                and is_name_token(doc[m.end].text))

    # ---------------------------------------------------------------- states and organisations
    def owner_state(self, matches: list[Match], before_token: int, after_token: int) -> str | None:
        """The state a phrase belongs to: 'Peru's X', 'Chinese X', 'X of France', 'X in Chad'."""
        doc = self.doc
        window = [m for m in matches if m.category in ("entity", "demonym") and before_token - 4 <= m.end <= before_token
                  and not (self._mere_place(m) and any(t.is_punct for t in doc[m.end:before_token]))]
        for m in sorted(window, key=lambda m: (-m.end, self.kind_rank(m), self.place_rank(m))):
            state = self.lex.state_of(m.value) if m.category == "entity" else self.lex.entities.get(m.value)
            if state is not None:
                return state.iri
        if after_token + 1 < len(doc) and doc[after_token].lower_ in ("of", "in", "for"):
            for m in sorted(matches, key=lambda m: (self.kind_rank(m), self.place_rank(m))):  # Gaza the city first
                if m.start == after_token + 1 or (m.start == after_token + 2 and doc[after_token + 1].lower_ == "the"):
                    state = self.lex.state_of(m.value) if m.category == "entity" else None
                    if state is not None:
                        return state.iri
        return None

    def organization(self, state_iri: str, kind_iri: str) -> Agent:
        kind = self.lex.org_kind_by_iri[kind_iri]
        state = self.lex.entities[state_iri]
        iri = iris.organization(state.iso or iris.slug(state.label), kind.notation)
        cls = kind.extra.get("organizationClass") or str(CKG.GovernmentBody)
        label = f"{title_case(kind.label)} of {state.label}"
        agent = self.agent(iri, label, cls, state=state_iri, member_of=state_iri, org_kind=kind_iri)
        self.memory.last_org_kind[kind_iri] = iri
        return agent

    def named_just_before(self, m: Match, within: int = 1) -> bool:
        words, sentence = self.memory.org_kind_named.get(m.value, ("", -within - 1))
        return words == m.text.lower() and self.memory.sentence - sentence <= within

    def _kind_named_lately(self, kind_iri: str, within: int = 1) -> bool:
        return self.memory.sentence - self.memory.org_kind_named.get(kind_iri, ("", -within - 1))[1] <= within

    def post(self, organization: Agent, kind_iri: str) -> Post:
        kind = self.lex.post_kind_by_iri[kind_iri]
        iri = iris.post(organization.iri, kind.notation)
        if iri not in self.out.posts:
            label = f"{kind.label[:1].upper()}{kind.label[1:]}, {organization.label}"
            if organization.org_kind and self._org_kind_matches_post(organization.org_kind, kind_iri):
                label = f"{kind.label[:1].upper()}{kind.label[1:]} of {self.state_label(organization.state or '')}"
            self.out.posts[iri] = Post(iri=iri, label=label, organization=organization.iri, kind=kind_iri)
        return self.out.posts[iri]

    def _org_kind_matches_post(self, org_kind: str, post_kind: str) -> bool:
        kind = self.lex.post_kind_by_iri.get(post_kind)
        return kind is not None and kind.extra.get("postOrganizationKind") == org_kind

    # ---------------------------------------------------------------- people
    def person(self, start_tok: int, end_tok: int, post: Post | None) -> Agent:
        doc = self.doc
        bare = self._after_titles(start_tok, end_tok, keep=1)
        surname = doc[bare:end_tok].text
        if (post is None and end_tok - bare == 1 and bare > start_tok and surname in self.memory.aliases
                and self.memory.aliases[surname] in self.out.agents):
            agent = self.out.agents[self.memory.aliases[surname]]  # 'Lt Gen Chaudhry' after 'Lt Gen Ahmed Sharif Chaudhry'
            agent.spans.append(self.span(doc[start_tok].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1].text)))
            return agent
        start_tok = self._after_titles(start_tok, end_tok)
        name = doc[start_tok:end_tok].text
        known = self._known_person(name)
        iri = known or iris.person(name)
        state = None
        if post is not None:
            state = self.out.agents[post.organization].state if post.organization in self.out.agents else None
        if known and post is not None:
            post = self._known_post(known, post)
            state = self.out.agents[post.organization].state if post.organization in self.out.agents else state
        agent = self.agent(iri, name, str(CKG.Person), state=state)
        agent.names.add(name)
        span = self.span(doc[start_tok].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1].text))
        agent.spans.append(span)
        if post is not None:
            self.out.holdings.append(Holding(person=iri, post=post.iri, span=span))
            self.memory.post_holders[post.iri] = iri
            if agent.state is None:
                agent.state = state
        for word in name.split():
            if len(word) > 2 and word[0].isupper():
                self.memory.aliases.setdefault(word, iri)
        self.memory.aliases[name] = iri
        return agent

    def _known_post(self, person: str, post: Post) -> Post:
        """A known person's post of the same kind in the knowledge base beats a guessed one."""
        graph = self.lex.graph
        for held in sorted(self.lex.entities[person].posts):
            node = rdflib.URIRef(held)
            if str(graph.value(node, CKG.postKind)) == post.kind:
                organization = str(graph.value(node, ORG.postIn))
                known_org = self.lex.entities.get(organization)
                if known_org is not None:
                    self.agent(organization, known_org.label, self._cls_of(organization))
                self.out.posts.pop(post.iri, None)
                self.out.posts[held] = Post(iri=held, label=str(graph.value(node, rdflib.RDFS.label)),
                                            organization=organization, kind=post.kind)
                return self.out.posts[held]
        return post

    def _names_at_speech(self, cue: Match, sentence_end: int) -> list[tuple[int, int]]:
        """Runs of capitalised words that may be who speaks: after 'according to'; else right
        before the verb, or before an appositive that closes right before it ('X, a resident, said')."""
        doc = self.doc
        if cue.text.lower() == "according to" or cue.text.lower().endswith(" by"):
            named = self.name_after(cue.end, sentence_end)
            return [self._trimmed(named)] if named else []
        found = []
        k = cue.start
        if k > 0 and doc[k - 1].text == ",":
            k -= 1
            opening = next((j for j in range(k - 1, max(k - DESCRIPTION_TOKENS, -1), -1) if doc[j].text == ","), None)
            candidates = [k] + ([opening] if opening is not None else [])
        else:
            candidates = [k]
        for position in candidates:
            named = self.name_before(position)
            if named:
                found.append(self._trimmed(named))
            elif position > 0 and (ACRONYM.fullmatch(doc[position - 1].text) or self._lone_name(position - 1)):
                found.append((position - 1, position))  # 'ISWAP claimed', 'Unifil said': a body by its short name
        if not found and cue.start > 0 and doc[cue.start - 1].text in (",", "”", '"', "’", "'"):
            named = self.name_after(cue.end, sentence_end)  # '…, said Dr Jane Roe, the ward's head.'
            if named:
                found.append(self._trimmed(named))
        return [n for n in found if n[1] - n[0] >= 2 or ACRONYM.fullmatch(doc[n[0]].text) or self._lone_name(n[0])]

    def _lone_name(self, i: int) -> bool:
        """'Unifil said', 'Unesco said': one capitalised word nobody listed that opens its clause
        names a body (a person named once is named in full first, and later by a known alias)."""
        doc = self.doc
        word = doc[i].text
        opens = i == 0 or (doc[i - 1].is_punct and doc[i - 1].text not in ("'", "’")) or doc[i - 1].is_space
        speaks = i + 1 < len(doc) and (doc[i + 1].lower_ in self.speech_words or doc[i + 1].is_punct)
        return (opens and speaks and len(word) >= 4 and word.lower() not in self.lex.org_name_heads and word.isalpha()
                and word[0].isupper() and word[1:].islower() and not word.endswith("ed")  # not 'Unconfirmed reports'
                and word not in LEADING_FUNCTION_WORDS and word.lower() not in self.cue_words
                and word.lower() not in STOP_WORDS  # 'They said', 'Others said': no name
                and word not in CALENDAR_WORDS and word not in self.memory.aliases)

    def _organisation_names(self, start: int, end: int, matches: list[Match]) -> list[tuple[int, int]]:
        doc = self.doc
        listed = {t for m in matches if m.category == "entity"
                  and self.lex.entities[m.value].kind in (ORGANIZATION, PERSON) for t in range(m.start, m.end)}
        kind_words = {t for m in matches if m.category == "orgkind" for t in range(m.start, m.end)}
        found = []
        for token in doc.char_span(start, end, alignment_mode="expand") or []:
            if token.text.lower() not in self.lex.org_name_heads or not token.text[:1].isupper():
                continue
            s = token.i
            while s > 0 and doc[s - 1].idx >= start and (
                    is_name_token(doc[s - 1].text)
                    or (doc[s - 1].lower_ in ("of", "for", "and") and s > 1 and is_name_token(doc[s - 2].text)
                        and not (doc[s - 1].lower_ == "and" and s == token.i))):
                s -= 1  # 'Justice and Equality Movement', but 'The Irrawaddy and Radio Free Asia' are two
            e = token.i + 1
            while s == token.i and e < len(doc) and doc[e].idx < end and is_name_token(doc[e].text) \
                    and e - token.i <= 3 and doc[e].text not in LEADING_FUNCTION_WORDS:
                e += 1  # 'Radio Free Asia': a name that opens with its head goes on after it
            s, e = self._trimmed((s, e))
            while e + 1 < len(doc) and doc[e + 1].idx < end and (doc[e].lower_ in ("of", "for") or (
                    doc[e].lower_ == "in" and any(x.start == e + 1 and x.category == "entity"
                                                  and self.lex.entities[x.value].kind == STATE for x in matches))):
                # '... Mission in Afghanistan' names a body; '... Center in Beersheba' says where it is
                # '... Coordination of Camps for the Displaced': the name goes on after the head
                after = e + 2 if doc[e + 1].lower_ == "the" else e + 1
                longer = self.name_after(after, end) if after < len(doc) and is_name_token(doc[after].text) else None
                if longer is None and after < len(doc) and is_name_token(doc[after].text):
                    longer = (after, after + 1)
                if longer is None:
                    break
                e = longer[1]
                while e < len(doc) and doc[e].idx < end and doc[e].text[:1].isupper() and \
                        doc[e].lower_ in self.org_cue_words:
                    e += 1  # 'Ministry of National Defence': a word of an organisation's kind ends the name
            stateish = {t for m in matches if m.category in ("demonym", "entity") and m.start >= s and m.end <= e
                        and (m.category == "demonym" or self.lex.entities[m.value].kind == STATE)
                        for t in range(m.start, m.end)}
            rest = [doc[t].text for t in range(s, e) if t not in kind_words and t not in stateish
                    and doc[t].text not in GENERIC_ORG_WORDS and doc[t].is_alpha]
            if token.i in kind_words and not rest:
                continue  # 'Royal Thai Army', 'Defence Ministry': a kind of organisation the lexicon knows
            inside = [t for t in range(s, e) if t in listed]
            if inside and (max(inside) >= token.i or all(
                    doc[t].lower_ in self.lex.org_name_heads for t in range(max(inside) + 1, token.i))):
                continue  # 'Xinhua News Agency' is the listed outlet; 'United Nations Assistance Mission' a body of its own
            if e - s >= 2 and doc[s].idx >= start:
                found.append((s, e))
        return sorted(found, key=lambda span: span[0] - span[1])  # the longest name first

    def _government_of(self, agent: Agent, s: int, e: int, matches: list[Match]) -> None:
        """'Afghanistan's Ministry of Education', 'the Ministry of Public Health': an organ of a
        government nobody listed is its state's, the one named with it or else the document's."""
        heads = self.lex.government_name_heads
        if agent.state is not None or not any(t.lower_ in heads for t in self.doc[s:e]):
            return
        state = self.owner_state(matches, s, e) or next(
            (self.lex.entities[m.value].iri for m in matches if s <= m.start and m.end <= e
             and (m.category == "demonym" or (m.category == "entity" and self.lex.entities[m.value].kind == STATE))),
            None) or self.default_state
        if state is not None:
            agent.state, agent.cls = state, str(CKG.GovernmentBody)

    def _trimmed(self, span: tuple[int, int]) -> tuple[int, int]:
        s, e = span
        while s < e and self.doc[s].text in LEADING_FUNCTION_WORDS:
            s += 1
        return s, e

    def _described_body(self, cue: Match, matches: list[Match], taken: set[int]) -> tuple[Agent, tuple[int, int]] | None:
        """'Iran's Tasnim news agency said': a name between a state's possessive (or a demonym) and
        a word saying what kind of body it is, right before the verb, names that body."""
        doc = self.doc
        if cue.start < 3:
            return None
        last = doc[cue.start - 1].text
        for nouns, cls in ((MEDIA_NOUNS_LONGEST_FIRST, CKG.MediaOrganization),
                           (BODY_NOUNS_LONGEST_FIRST, CKG.Organization)):
            noun = next((n for n in nouns if n[-1] == last and cue.start >= len(n) + 2
                         and tuple(t.text for t in doc[cue.start - len(n):cue.start]) == n), None)
            if noun is None:
                continue
            e = cue.start - len(noun)
            s = e
            while s > 0 and e - s < 4 and is_name_token(doc[s - 1].text) and s - 1 not in taken \
                    and doc[s - 1].lower_ not in self.cue_words:
                s -= 1
            if s == e or s < 2:
                return None
            owner = self.owner_state(matches, s, e) if doc[s - 1].text in ("'s", "’s") or any(
                x.category == "demonym" and x.end == s for x in matches) else None
            if owner is None:
                return None
            name = doc[s:e].text
            agent = self.agent(iris.minted("org", name.lower(), readable=name), name, str(cls), state=owner)
            agent.names.add(name)
            return agent, (s, e)
        return None

    def unlisted(self, start_tok: int, end_tok: int) -> Agent:
        """An agent the lexicon does not know: an organisation when a word of its name says so
        ('Network', 'Centre'), else a person."""
        words = [t.text for t in self.doc[start_tok:end_tok]]
        if len(words) == 1 and self.memory.aliases.get(words[0]) in self.out.agents:
            return self.out.agents[self.memory.aliases[words[0]]]  # an acronym given in brackets before
        if any(w.lower() in self.lex.org_name_heads for w in words) or (
                len(words) == 1 and (ACRONYM.fullmatch(words[0]) or self._lone_name(start_tok))):
            name = self.doc[start_tok:end_tok].text
            agent = self.agent(iris.minted("org", name.lower(), readable=name), name, str(CKG.Organization))
            agent.names.add(name)
            return agent
        return self.person(start_tok, end_tok, None)

    def _after_titles(self, start_tok: int, end_tok: int, keep: int = 2) -> int:
        """'Lt Gen Ahmed Sharif Chaudhry', 'Field Marshal Asim Munir': the name starts after the ranks
        and honorifics (the lexicon's title cues), and keeps two words at least (or ``keep``)."""
        words = [t.text for t in self.doc[start_tok:end_tok]]
        moved = True
        while moved:
            moved = False
            for title in self.titles:
                if tuple(words[:len(title)]) == title and len(words) - len(title) >= keep:
                    words, start_tok, moved = words[len(title):], start_tok + len(title), True
                    break
        return start_tok

    def _known_person(self, name: str) -> str | None:
        return self.lex.people_by_name.get(name)

    # ---------------------------------------------------------------- a sentence
    def sentence(self, start: int, end: int, matches: list[Match]) -> list[Mention]:
        """Every agent or place mention in a sentence, in text order."""
        self.memory.sentence += 1
        doc, text = self.doc, self.text
        mentions: list[Mention] = []
        taken: set[int] = set()

        def add(m: Mention, tokens: range) -> None:
            if any(t in taken for t in tokens):
                return
            taken.update(tokens)
            mentions.append(m)

        appositives = self._appositive_ranges(start, end, matches)
        silent = appositives + self._descriptions_before_speech(start, matches)

        # organisations nobody listed, named by a run of capitalised words that ends like one
        # ('the Sudan Doctors Network', 'Joint Maritime Information Centre'): before the states
        # their names may begin with
        for s, e in self._organisation_names(start, end, matches):
            agent = self.unlisted(s, e)
            self._government_of(agent, s, e, matches)
            if e + 2 < len(doc) and doc[e].text == "(" and doc[e + 2].text == ")" and ACRONYM.fullmatch(doc[e + 1].text):
                self.memory.aliases[doc[e + 1].text] = agent.iri  # 'the ... Mission in Afghanistan (UNAMA)'
                agent.names.add(doc[e + 1].text)
            for kind in (m for m in matches if m.category == "orgkind" and s <= m.start and m.end <= e):
                self.memory.last_org_kind[kind.value] = agent.iri  # 'the ministry' after 'the Ministry of Public Health'
            add(Mention(agent.iri, ORGANIZATION, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), doc[s:e].text,
                        speaker_ok=not self._inside(silent, s)), range(s, e))

        # 'the Syrian Monitors group': a body named by its capitalised words and a common noun
        for agent, noun, (s, e) in self._named_groups(start, end, matches, taken):
            for m in matches:
                if m.category == "anaphor" and m.start == noun:
                    self.memory.last_of_class[m.value] = agent.iri  # 'the group' in a later sentence
            add(Mention(agent.iri, ORGANIZATION, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), doc[s:e].text,
                        speaker_ok=not self._inside(silent, s)), range(s, e + 1))

        # a government below the state's: 'the Kharkiv regional administration', 'the departmental
        # government of Antioquia'
        for agent, (s, e) in self._local_governments(start, end, matches, taken):
            add(Mention(agent.iri, ORGANIZATION, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), doc[s:e].text,
                        speaker_ok=not self._inside(silent, s)), range(s, e))

        # people introduced with a post or a rank: "Defence Minister X", "Lt. Gen. X"
        for m in matches:
            if m.category == "postkind" or (m.category == "title"):
                after = m.end
                title = next((t for t in matches if t.category == "title" and t.start == after), None)
                if m.category == "postkind" and title is not None:
                    after = title.end  # 'army spokesman Col. X': the rank is no part of the name
                named = (self.name_after(after, end) or self._name_after_qualifier(after, end)
                         or (self._mononym(after, end) if m.category == "postkind" else None))
                if not named:
                    continue
                s, e = named
                if any(t in taken for t in range(s, e)):
                    continue  # an organisation's name took these words ('Darfur General Coordination ...')
                entity_here = [x for x in matches if x.category == "entity" and x.start == s and x.end >= e]
                if entity_here and self.lex.entities[entity_here[0].value].kind != PERSON:
                    continue
                post = None
                if m.category == "postkind":
                    post = self._post_for(m, matches, start)
                elif m.value == "rank":
                    post = self._rank_post(m, e, end, matches)
                agent = self.person(s, e, post)
                if m.category == "title" and m.value == "rank" and agent.member_of is None:
                    org = self._appositive_org(e, end, matches)
                    if org is not None:
                        agent.member_of = org.iri
                add(Mention(agent.iri, PERSON, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text),
                            doc[s:e].text, speaker_ok=not self._inside(silent, s)), range(s, e))
                self.memory.last[PERSON] = agent.iri  # 'he said' in a later sentence

        # 'his Israeli counterpart, X': the post its holder's opposite number holds, in the other state
        for holder, (s, e) in self._counterparts(start, end, matches, taken):
            agent = self.person(s, e, holder)
            add(Mention(agent.iri, PERSON, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), doc[s:e].text,
                        speaker_ok=not self._inside(silent, s)), range(s, e))

        # "X, a spokesperson for Y": a name followed by an appositive post
        for (a_start, a_end, post_match) in appositives:
            named = self.name_before(a_start - 1)
            if not named:
                continue
            s, e = named
            post = self._post_for(post_match, matches, start)
            agent = self.person(s, e, post)
            add(Mention(agent.iri, PERSON, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), doc[s:e].text),
                range(s, e))

        # known entities (states, organisations, people, places), longest first, states before places
        for m in sorted(matches, key=lambda m: (m.start, -(m.end - m.start), self.kind_rank(m), self.place_rank(m))):
            if m.category != "entity":
                continue
            entity = self.lex.entities[m.value]
            kind = entity.kind
            if kind == PLACE and self._compass_modifier(m):
                continue  # 'Southern Gaza Strip': a direction of the place after it, not a province called so
            previous = doc[m.start - 1].lower_ if m.start > 0 else ""
            if previous in COMPASS and m.start > 1:
                previous = doc[m.start - 2].lower_  # 'in eastern Congo' is a place as 'in Congo' is
            place = kind == PLACE or (kind == STATE and previous in LOCATIVE)
            iri = m.value
            if kind == PLACE:
                metonym = self.metonym_state(m.value)
                if metonym and (self._used_as_agent(m, start) or any(
                        x.start == m.end and x.category in ("speech", "claimcue") for x in matches)):
                    iri, kind, place = metonym, STATE, False
            if kind != PLACE:
                self.agent(iri, entity.label, self._cls_of(iri))
            add(Mention(iri, kind, m.char_start, m.char_end, m.text, place=place,
                        speaker_ok=not self._inside(silent, m.start)), range(m.start, m.end))
            if kind == ORGANIZATION:
                for cls in entity.types:
                    self.memory.last_of_class[cls] = iri
            if kind == PERSON:
                for word in entity.label.split() + [n for name in entity.names for n in name.split()]:
                    if len(word) > 2 and word[0].isupper():
                        self.memory.aliases.setdefault(word, iri)

        # organisations by kind: "Armenia's Defence Ministry", "the ministry", "Russian forces"
        for m in matches:
            if m.category != "orgkind" or any(t in taken for t in range(m.start, m.end)):
                continue
            org = self._organization_mention(m, matches, start)
            if org is not None:
                add(Mention(org.iri, ORGANIZATION, m.char_start, m.char_end, m.text,
                            speaker_ok=not self._inside(silent, m.start)), range(m.start, m.end))

        # "X, operations manager of the Y,": a post nobody listed, in a body the sentence names
        for (s, e), title, org in self._described_posts(start, end, mentions, taken):
            agent = self.person(s, e, self.described_post(self.out.agents[org], title))
            add(Mention(agent.iri, PERSON, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), doc[s:e].text),
                range(s, e))

        # "X, who heads the Y": the head of a body named in a relative clause
        for clause in HEADS_CLAUSE.finditer(text, start, end):
            org = next((x for x in mentions if x.start == clause.end() and x.kind == ORGANIZATION), None)
            comma = doc.char_span(clause.start(), clause.start() + 1)
            named = self.name_before(comma.start) if org is not None and comma is not None else None
            if named is None or any(t in taken for t in range(*named)):
                continue
            s, e = named
            org.speaker_ok = False  # the body the clause names is not who speaks
            agent = self.person(s, e, self.post(self.out.agents[org.iri], str(CKG["post-head"])))
            add(Mention(agent.iri, PERSON, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), doc[s:e].text),
                range(s, e))

        # 'the group', 'the agency': the last organisation of that class; 'the ministry': the last
        # government body with that word in its name
        for m in matches:
            if m.category != "anaphor" or m.start == 0 or doc[m.start - 1].lower_ != "the" or any(
                    t in taken for t in range(m.start, m.end)):
                continue
            if m.value == str(CKG.GovernmentBody):
                word = m.text.lower()
                iri = next((b for b in reversed(self.memory.bodies) if word in self.out.agents[b].label.lower()), None)
            else:
                iri = self.memory.last_of_class.get(m.value)
            if iri is not None:
                add(Mention(iri, ORGANIZATION, doc[m.start - 1].idx, m.char_end, text[doc[m.start - 1].idx:m.char_end]),
                    range(m.start - 1, m.end))

        # 'The statement also said …': the words of the last one who spoke, through what they issued
        speaker = self.memory.last.get("speaker")
        for m in matches:
            if m.category != "channel" or speaker is None or m.start == 0 or doc[m.start - 1].lower_ not in DEFINITE \
                    or any(t in taken for t in range(m.start, m.end)):
                continue
            after = [t.lower_ for t in doc[m.end:m.end + 2]]
            if after and (after[0] in self.speech_words or (len(after) == 2 and after[0] == "also"
                                                            and after[1] in self.speech_words)):
                agent = self.out.agents[speaker]
                kind = {str(CKG.Person): PERSON, str(CKG.State): STATE}.get(agent.cls, ORGANIZATION)
                add(Mention(speaker, kind, doc[m.start - 1].idx, m.char_end, text[doc[m.start - 1].idx:m.char_end]),
                    range(m.start - 1, m.end))

        # post-only mentions: "Kenya's defence minister said" → the holder, when known
        for m in matches:
            if m.category != "postkind" or any(t in taken for t in range(m.start, m.end)):
                continue
            holder = self._holder_of(m, matches, start)
            if holder is not None:
                add(Mention(holder, PERSON, m.char_start, m.char_end, m.text,
                            speaker_ok=not self._inside(silent, m.start)), range(m.start, m.end))
            elif m.value in (str(CKG["post-official"]), str(CKG["post-source"])):
                source = self._anonymous(m, matches, start, end)
                add(Mention(source.iri, ANONYMOUS, m.char_start, m.char_end, m.text,
                            speaker_ok=not self._inside(silent, m.start)), range(m.start, m.end))

        # places nobody listed: 'near the town of X', 'in X province' (looked up in the gazetteer)
        for mention, tokens in self._gazetteer_places(start, end, taken, matches):
            add(mention, tokens)

        # a name nobody listed, known only by its speech act: 'Ko Zaw Tun told', 'X, a resident, said',
        # 'according to the Sudan Doctors Network'
        for m in matches:
            if m.category != "speech":
                continue
            described = self._described_body(m, matches, taken)
            if described is not None:
                agent, (s, e) = described
                add(Mention(agent.iri, ORGANIZATION, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text),
                            doc[s:e].text, speaker_ok=not self._inside(silent, s)), range(s, e))
                continue
            for s, e in self._names_at_speech(m, end):
                if any(t in taken for t in range(s, e)):
                    continue
                agent = self.unlisted(s, e)
                kind = PERSON if agent.cls == str(CKG.Person) else ORGANIZATION
                add(Mention(agent.iri, kind, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), doc[s:e].text,
                            speaker_ok=not self._inside(silent, s)), range(s, e))
                break

        # short names, pronouns, demonyms
        for token in doc.char_span(start, end, alignment_mode="expand") or []:
            if token.i in taken:
                continue
            word, lower = token.text, token.lower_
            if lower in OBJECT_PRONOUNS and token.i >= 2 and doc[token.i - 2:token.i].text.lower() == "according to":
                lower = OBJECT_PRONOUNS[lower]
            if word in self.memory.aliases and is_name_token(word):
                iri = self.memory.aliases[word]
                kind = PERSON if self.out.agents[iri].cls == str(CKG.Person) else ORGANIZATION
                add(Mention(iri, kind, token.idx, token.idx + len(word), word), range(token.i, token.i + 1))
            elif lower in PRONOUNS:
                if lower == "they":
                    speaker = self.memory.last.get("speaker")
                    iri = speaker if speaker and speaker == self.memory.last.get(ANONYMOUS) else None
                else:
                    iri = self.memory.last.get(PRONOUNS[lower]) or (
                        self.memory.last.get(STATE) if lower == "it" else None)
                if iri:
                    add(Mention(iri, PRONOUNS[lower], token.idx, token.idx + len(word), word),
                        range(token.i, token.i + 1))
        for m in matches:
            if m.category == "demonym" and not any(t in taken for t in range(m.start, m.end)) \
                    and not self.language(m):
                self.agent(m.value, self.state_label(m.value), str(CKG.State))
                add(Mention(m.value, STATE, m.char_start, m.char_end, m.text, speaker_ok=False),
                    range(m.start, m.end))

        mentions.sort(key=lambda x: x.start)
        for mention in mentions:
            agent = self.out.agents.get(mention.iri)
            if mention.kind == STATE and not mention.place:
                self.memory.acting_state = (mention.iri, self.memory.sentence, mention.end)
            if mention.kind == ORGANIZATION and agent is not None and agent.cls == str(CKG.GovernmentBody):
                self.memory.bodies.append(mention.iri)
            if mention.kind == STATE and mention.iri not in self.memory.states_seen:
                self.memory.states_seen.append(mention.iri)
            elif mention.kind == PLACE:
                state = self.lex.state_of(mention.iri)
                if state is not None and state.iri not in self.memory.place_states:
                    self.memory.place_states.append(state.iri)
            if not mention.place or mention.kind == STATE:
                self.out.mentions.append((mention.iri, self.span(mention.start, mention.end)))
        return mentions

    def language(self, m: Match) -> bool:
        """'translated from Spanish.', 'said in Arabic,': a demonym that names a language names no state."""
        doc = self.doc
        before = doc[m.start - 1].lower_ if m.start > 0 else ""
        return before in ("from", "into", "in") and (m.end >= len(doc) or doc[m.end].is_punct)

    def _gazetteer_places(self, start: int, end: int, taken: set[int],
                          matches: list[Match]) -> list[tuple[Mention, range]]:
        """Names in a place's slot: after a preposition of place, after a verb that takes a place
        ('seized X', 'took control of X'), and each name listed with one found ('on A, B and C')."""
        from .gazetteer import lookup

        doc = self.doc
        found = []
        countries: dict[str, str | None] | None = None
        span = doc.char_span(start, end, alignment_mode="expand") or []
        verbs = {m.end for m in matches if m.category == "placetrigger"}
        demonyms = {m.start for m in matches if m.category == "demonym"}  # 'captured South Sudanese fighters'
        slots = [(t.i + 1, t.i + 1 in verbs) for t in span
                 if t.lower_ in LOCATIVE or t.lower_ == "on" or t.i + 1 in verbs]
        while slots:
            opened, acted_on = slots.pop(0)
            if opened >= len(doc) or opened >= span[-1].i + 1:
                continue
            if countries is None:  # the states the text is about, then those this sentence names
                named_here = [m.value for m in matches if m.category == "entity" and m.value in self.lex.entities
                              and self.lex.entities[m.value].kind == STATE]
                countries = {state: self._alpha2(state) for state in [*self._likely_states(), *named_here]}
            i = opened
            while i < len(doc) and doc[i].lower_ in PLACE_WORDS:
                i += 1
            named = (i, i + 1) if i < len(doc) and is_name_token(doc[i].text) else None
            if (named is None or named[0] in taken or named[0] in demonyms
                    or doc[named[0]].text.lower() in self.cue_words):
                continue
            if i + 1 < len(doc) and is_name_token(doc[i + 1].text) and doc[i + 1].i not in taken:
                named = (i, i + 2)
            listed = named[1]
            while listed < len(doc) and doc[listed].lower_ in (",", "and"):
                listed += 1
            if listed > named[1] and all(listed != o for o, _ in slots):
                slots.append((listed, acted_on))  # 'on A, B and C': B and C stand where A does
            name = doc[named[0]:named[1]].text
            place = lookup(name, [c for c in countries.values() if c])
            if place is None:
                unlisted = self._unlisted_place(opened, named, countries, acted_on)
                if unlisted is not None:
                    found.append((unlisted, range(*named)))
                continue
            state = next((s for s, code in countries.items() if code == place.country), None)
            iri = iris.kb(f"place/geonames/{place.geonameid}")
            if iri not in self.out.places:
                self.out.places[iri] = Place(iri=iri, label=place.name, cls=str(CKG.City), located_in=state,
                                             point=(place.longitude, place.latitude))
            found.append((Mention(iri, PLACE, doc[named[0]].idx, doc[named[1] - 1].idx + len(doc[named[1] - 1].text),
                                  name, place=True), range(*named)))
        return found

    def _unlisted_place(self, after_preposition: int, named: tuple[int, int],
                        countries: dict[str, str | None], acted_on: bool = False) -> Mention | None:
        """'in the village of X', 'in X township', 'seized X': a place no gazetteer lists, in the
        state the text is about, when the words around the name say it is a settlement or a verb
        that takes a place ('seized', 'retook') has it for object."""
        doc = self.doc
        before = {t.lower_ for t in doc[after_preposition:named[0]]}
        after = {doc[named[1]].lower_} if named[1] < len(doc) else set()
        name = doc[named[0]:named[1]].text
        near = after_preposition > 0 and doc[after_preposition - 1].lower_ in PROXIMITY
        if not (acted_on or near or (before | after) & SETTLEMENT_WORDS or after & FEATURE_WORDS) \
                or name in CALENDAR_WORDS or name.lower() in STOP_WORDS or not countries:
            return None
        state = next(iter(countries))
        iri = iris.minted("place", state, name, readable=name)
        if iri not in self.out.places:
            self.out.places[iri] = Place(iri=iri, label=name, cls=str(CKG.Place), located_in=state)
        return Mention(iri, PLACE, doc[named[0]].idx, doc[named[1] - 1].idx + len(doc[named[1] - 1].text), name,
                       place=True)

    def _likely_states(self) -> list[str]:
        states = ([self.default_state] if self.default_state else []) + self.memory.states_seen + self.memory.place_states
        return list(dict.fromkeys(states))

    def _alpha2(self, state_iri: str) -> str | None:
        if state_iri not in self._alpha2_codes:  # asked for each place slot of each sentence
            value = self.lex.graph.value(rdflib.URIRef(state_iri), CKG.isoCode2)
            self._alpha2_codes[state_iri] = str(value) if value is not None else None
        return self._alpha2_codes[state_iri]

    def remember(self, mention: Mention) -> None:
        """The last speaker of each kind, for pronouns in later sentences."""
        self.memory.last[mention.kind] = mention.iri
        self.memory.last["speaker"] = mention.iri

        if mention.kind == STATE:
            self.memory.last[ORGANIZATION] = mention.iri

    # ---------------------------------------------------------------- pieces of sentence()
    def _cls_of(self, iri: str) -> str:
        entity = self.lex.entities.get(iri)
        if entity is None:
            return str(CKG.Agent)
        own = sorted(t for t in entity.types if t.startswith(str(CKG)))
        return own[0] if own else str(CKG.Agent)

    def metonym_state(self, place_iri: str) -> str | None:
        graph = self.lex.graph
        state = graph.value(rdflib.URIRef(place_iri), CKG.metonymFor)
        return str(state) if state is not None else None

    def _used_as_agent(self, m: Match, sentence_start: int) -> bool:
        """'Nairobi said', 'urged Baku and Yerevan to', 'Kyiv's allegations'."""
        doc = self.doc
        before = doc[m.start - 1].lower_ if m.start > 0 else ""
        after = doc[m.end].lower_ if m.end < len(doc) else ""
        if before in ("in", "at", "from", "into", "near", "on", "to", "across", "outside", "around", "capital"):
            return False
        if before == "between":
            return True
        if after == "-" and m.end + 1 < len(doc) and doc[m.end + 1].lower_ in ("brokered", "mediated", "negotiated", "sponsored"):
            return True  # 'a Moscow-brokered ceasefire': the capital acted for its state
        if before == "," and m.start > 1 and doc[m.start - 2].lower_ == "capital":
            return False
        if after in ("’s", "'s", "and", "claimed", "said", "says", "described", "urged", "accused",
                     "denied", "announced", "to", "has", "had", "was", "is", "of") or before in ("urged", "and"):
            return True
        return self._acts(m, sentence_start)

    def _acts(self, m: Match, sentence_start: int) -> bool:
        """'Hanoi rejects that figure', 'Moscow rejected the claim': a name that opens its clause
        before a verb in the third person and that verb's object is its state acting."""
        doc = self.doc
        if m.end + 1 >= len(doc) or not (m.start == 0 or doc[m.start].idx <= sentence_start
                                         or doc[m.start - 1].is_punct):
            return False
        verb, following = doc[m.end], doc[m.end + 1]
        return (verb.is_lower and verb.is_alpha and len(verb) > 3 and verb.lower_.endswith(("s", "ed"))
                and not verb.lower_.endswith(("ss", "ous")) and following.lower_ in OBJECT_OPENERS)

    def _inside(self, ranges: list[tuple[int, int, Match | None]], token: int) -> bool:
        return any(a <= token < b for a, b, _ in ranges)

    def _appositive_ranges(self, start: int, end: int, matches: list[Match]) -> list[tuple[int, int, Match]]:
        """', a spokesperson for Y,' after a name: token ranges that cannot hold the subject."""
        doc = self.doc
        found = []
        for m in matches:
            if m.category != "postkind":
                continue
            i = m.start - 1
            while i >= 0 and doc[i].text not in (",",) and doc[i].idx >= start and m.start - i < 8:
                i -= 1
            owned = {t for x in matches if x.category in ("entity", "demonym", "orgkind") for t in range(x.start, x.end)}
            bare = i + 1 <= m.start and i >= 1 and self.name_before(i) is not None and all(
                t in owned or doc[t].text in ("'s", "’s") for t in range(i + 1, m.start))  # ', Armenia's ambassador,'
            if i < 1 or doc[i].text != "," or (doc[i + 1].lower_ not in ARTICLES and not bare):
                continue  # 'X, a spokesperson for Y,' and 'Jane Roe, spokesperson for Y,'
            if not is_name_token(doc[i - 1].text):
                continue
            if any(x.category == "postkind" and i < x.start < m.start for x in matches):
                continue
            j = m.end
            while j < len(doc) and doc[j].idx < end and doc[j].text not in (",", ";"):
                j += 1
            found.append((i + 1, j, m))
        return found

    def _descriptions_before_speech(self, start: int, matches: list[Match]) -> list[tuple[int, int, None]]:
        """'Jane Roe, operations manager of the Red Cross, said': a description set off by commas
        between a name and its verb of speech; what it names does not speak."""
        doc = self.doc
        found = []
        for m in matches:
            if m.category != "speech" or m.start < 2 or doc[m.start - 1].text != ",":
                continue
            j = m.start - 2
            while j >= 0 and doc[j].idx >= start and m.start - j < DESCRIPTION_TOKENS and \
                    doc[j].text not in (",", ";", '"', "“", "”"):
                j -= 1
            if j < 1 or doc[j].idx < start or doc[j].text != ",":
                continue
            first, named = doc[j + 1], self.name_before(j)
            if named is None or not self._opens_clause(named[0], start):
                continue  # not '…, the capital of North X, after …, said'
            if first.lower_ in ARTICLES | RELATIVES or (first.text[:1].islower() and not first.is_stop):
                found.append((j + 1, m.start - 1, None))
        return found

    def _post_for(self, m: Match, matches: list[Match], sentence_start: int) -> Post | None:
        """The post a post-kind phrase names, in the organisation the context gives."""
        organization = self._organization_context(m, matches, sentence_start)
        if organization is None:
            return None
        return self.post(organization, m.value)

    def _organization_context(self, m: Match, matches: list[Match], sentence_start: int) -> Agent | None:
        doc = self.doc
        # an organisation phrase right before the post: "Foreign Ministry spokesperson"
        before = [x for x in matches if x.category in ("orgkind", "entity") and m.start - 3 <= x.end <= m.start
                  and not any(t.is_punct for t in doc[x.end:m.start])]  # '... the M23 rebels, Industry Minister X
        for x in sorted(before, key=lambda x: -x.end):
            if x.category == "orgkind":
                org = self._organization_mention(x, matches, sentence_start)
                if org is not None:
                    return org
            else:
                entity = self.lex.entities[x.value]
                if entity.kind == ORGANIZATION:
                    return self.agent(entity.iri, entity.label, self._cls_of(entity.iri))
        # "a spokesperson for Japan's Prime Minister" / "Special Envoy for Syria"
        after = [x for x in matches if x.start > m.end and x.start <= m.end + 4]
        if m.end < len(doc) and doc[m.end].lower_ in ("for", "of", "to"):
            for x in after:
                if x.category == "postkind":
                    principal = self._post_for(x, matches, sentence_start)
                    if principal is not None:
                        return self.out.agents.get(principal.organization)
                if x.category == "orgkind":
                    org = self._organization_mention(x, matches, sentence_start)
                    if org is not None:
                        return org
                if x.category == "entity" and self.lex.entities[x.value].kind == ORGANIZATION \
                        and all(t.lower_ in ARTICLES for t in doc[m.end + 1:x.start]):
                    entity = self.lex.entities[x.value]  # 'the head of the UN refugee agency'
                    return self.agent(entity.iri, entity.label, self._cls_of(entity.iri))
        # whose post: 'Ghana's Information Minister' (an organisation right before was taken above)
        state = self.owner_state(matches, m.start, m.end)
        org_kind = self.lex.post_kind_by_iri[m.value].extra.get("postOrganizationKind")
        if state is None and org_kind in self.memory.last_org_kind and (
                self.default_state is None or self._kind_named_lately(org_kind)):
            # 'The Israeli military said … military spokesman X said': that army's spokesman
            return self.out.agents[self.memory.last_org_kind[org_kind]]
        state = state or self._state_in_focus(m, matches) or self.default_state
        if state is None or not org_kind:
            return None
        return self.organization(state, org_kind)

    def _state_in_focus(self, m: Match, matches: list[Match]) -> str | None:
        """Whose 'Information Minister X' is, when no state is named with the post: the state the
        sentence before named as an actor in the same paragraph ('Hanoi rejects that.
        Information Minister X said'); else the one state the sentence itself names after the post."""
        acting = self.memory.acting_state
        if acting is not None and self.memory.sentence - acting[1] == 1 \
                and "\n\n" not in self.text[acting[2]:m.char_start]:
            return acting[0]
        named = set()
        for x in matches:
            if x.start < m.end or x.category not in ("entity", "demonym") or self.doc[x.start - 1].lower_ == "to" \
                    or (x.end < len(self.doc) and self.doc[x.end].lower_ == "counterpart"):
                continue  # 'ambassador to Russia' is not Russia's, nor is the one with 'his Russian counterpart' 
            state = self.lex.state_of(x.value) if x.category == "entity" else self.lex.entities.get(x.value)
            if state is not None:
                named.add(state.iri)
        return named.pop() if len(named) == 1 else None

    def _organization_mention(self, m: Match, matches: list[Match], sentence_start: int) -> Agent | None:
        doc = self.doc
        kind = self.lex.org_kind_by_iri[m.value]
        if m.text.lower() not in {c.lower() for c in kind.cues} and m.text.lower().endswith("s"):
            return None  # 'both governments': a plural is no single organisation
        definite = m.start > 0 and doc[m.start - 1].lower_ in DEFINITE
        state = self.owner_state(matches, m.start, m.end)
        if state is None and m.value in self.memory.last_org_kind and (
                definite or self.default_state is None or self.named_just_before(m)):
            # 'the army' is the army named before; a bare 'army spokesman' is the dateline state's
            return self.out.agents[self.memory.last_org_kind[m.value]]
        self.memory.org_kind_named[m.value] = (m.text.lower(), self.memory.sentence)
        if state is None and (not definite or m.value not in self.memory.last_org_kind):
            state = self.default_state  # 'the army' named first: the dateline state's
        if state is None and definite:
            # 'the ministry' after a named ministry of another kind: the most recent organisation
            candidates = [iri for kind, iri in self.memory.last_org_kind.items()]
            if candidates and doc[m.start:m.end].text.lower() in ("ministry", "ministries"):
                return self.out.agents[candidates[-1]]
        if state is None:
            return None
        return self.organization(state, m.value)

    def _rank_post(self, rank: Match, name_end: int, end: int, matches: list[Match]) -> Post | None:
        """'Colonel X', 'Lt Gen X of the Pakistan Army': a rank makes its bearer an officer of an armed
        force, the one named beside the name, else the state's the rank is given with, else the document's."""
        org = self._appositive_org(name_end, end, matches)
        if org is None:
            state = self.owner_state(matches, rank.start, rank.end) or self.default_state
            if state is None:
                return None
            org = self.organization(state, str(CKG["org-armed-forces"]))
        return self.ranked_post(org, rank.text)

    def _opens_clause(self, token: int, start: int, after_speech: bool = False) -> bool:
        """A name that opens its sentence or follows punctuation (or, if asked, a verb of speech)."""
        doc = self.doc
        if token == 0 or doc[token].idx <= start:
            return True
        before = doc[token - 1]
        return before.is_punct or (after_speech and before.lower_ in self.speech_words)

    def _described_posts(self, start: int, end: int, mentions: list[Mention],
                         taken: set[int]) -> Iterator[tuple[tuple[int, int], str, str]]:
        """'Jane Roe, deputy head of emergencies at the Y,': a name, then lower-case words that end
        with 'of', 'at' or 'for' and a body the sentence names."""
        doc = self.doc
        bodies = {m.start: m.iri for m in mentions if m.kind == ORGANIZATION}
        for comma in (t for t in doc.char_span(start, end, alignment_mode="expand") or [] if t.text == ","):
            named = self.name_before(comma.i)
            if named is None or any(t in taken for t in range(*named)) or not self._opens_clause(
                    named[0], start, after_speech=True):
                continue  # '…, said Jane Roe, head of …' too
            j = comma.i + 1 + (comma.i + 1 < len(doc) and doc[comma.i + 1].lower_ in ARTICLES)
            for t in range(j + 1, min(j + 7, len(doc) - 1)):
                if not doc[t].is_alpha:
                    break
                if doc[t].lower_ not in ("of", "at", "for"):
                    continue
                k = t + 1 + (doc[t + 1].lower_ == "the")
                org = bodies.get(doc[k].idx) if k < len(doc) else None
                if org is not None and doc[j].text[:1].islower():
                    yield named, doc[j:t].text, org
                    break

    def described_post(self, organization: Agent, title: str) -> Post:
        """A post the text names in words no post kind lists ('operations manager'), held in a body."""
        return self._worded_post(organization, str(CKG["post-official"]), iris.slug(title),
                                 f"{title[:1].upper()}{title[1:]}")

    def ranked_post(self, organization: Agent, rank: str) -> Post:
        """An officer's post is the rank the text gives ('Lt Gen, Armed Forces of X'), one post per rank."""
        kind = str(CKG["post-officer"])
        return self._worded_post(organization, kind, f"{self.lex.post_kind_by_iri[kind].notation}-{iris.slug(rank)}",
                                 rank)

    def _worded_post(self, organization: Agent, kind: str, key: str, words: str) -> Post:
        """A post labelled by the text's own words, one per wording and body."""
        iri = iris.post(organization.iri, key)
        if iri not in self.out.posts:
            self.out.posts[iri] = Post(iri=iri, label=f"{words}, {organization.label}", organization=organization.iri,
                                       kind=kind)
        return self.out.posts[iri]

    def _appositive_org(self, after_name: int, end: int, matches: list[Match]) -> Agent | None:
        for m in matches:
            if m.category == "orgkind" and after_name <= m.start <= after_name + 4:
                state = self.owner_state(matches, m.start, m.end) or self.default_state
                if state:
                    return self.organization(state, m.value)
        return None

    def _holder_of(self, m: Match, matches: list[Match], sentence_start: int) -> str | None:
        post = self._post_for(m, matches, sentence_start)
        if post is None:
            return None
        if post.iri in self.memory.post_holders:
            return self.memory.post_holders[post.iri]
        for entity in self.lex.entities.values():
            if entity.kind == PERSON and post.iri in entity.posts:
                self.agent(entity.iri, entity.label, str(CKG.Person))
                return entity.iri
        return None

    def _qualified_end(self, m: Match, end: int) -> int:
        """'a source in the local administration in Paktika told …', 'sources within the army': the
        words that say where an unnamed source stands are part of how the text names it."""
        doc = self.doc
        if m.end + 1 < len(doc) and doc[m.end].text in ("'", "’") and doc[m.end + 1].is_lower:
            return doc[m.end + 1].idx + len(doc[m.end + 1].text)  # 'a doctors' group': whose group it is
        if m.end >= len(doc) or doc[m.end].lower_ not in QUALIFYING:
            return m.char_end
        j = m.end
        while (j < len(doc) and doc[j].idx + len(doc[j].text) <= end and j - m.end < 10
               and not self._ends_description(doc[j])):
            j += 1
        if j == m.end + 1 or (j < len(doc) and not self._ends_description(doc[j])):
            return m.char_end  # no words after the preposition, or no clear end of the description
        return doc[j - 1].idx + len(doc[j - 1].text)

    def _ends_description(self, token) -> bool:
        """A verb of speech, a clause's or an adverb's word, or punctuation ends 'a source in …'."""
        return ((token.is_punct and token.text not in ("'s", "’s", "-")) or token.lower_ in self.speech_words
                or token.lower_ in STOP_QUALIFYING or token.lower_.endswith("ly"))

    def _anonymous(self, m: Match, matches: list[Match], start: int, end: int) -> Agent:
        """Unnamed officials: one source per document and description, never merged."""
        doc, text = self.doc, self.text
        i = m.start
        while (i > 0 and doc[i - 1].idx >= start and m.start - i < 6 and not doc[i - 1].is_punct
               and doc[i - 1].lower_ not in PREPOSITIONS and doc[i - 1].lower_ not in self.speech_words
               and (doc[i - 1].text not in LEADING_FUNCTION_WORDS or doc[i - 1].lower_ in ARTICLES)):
            # not '"…," said a resident' nor 'After X's official', but 'a resident', 'X's official'
            i -= 1
        if doc[i].lower_ in QUANTIFIERS and i < m.start:
            i += 1
        phrase = text[doc[i].idx:self._qualified_end(m, end)]
        definite = doc[i].lower_ in DEFINITE
        if definite and ANONYMOUS in self.memory.last:
            return self.out.agents[self.memory.last[ANONYMOUS]]
        state = self.owner_state(matches, i, m.end)
        if state is None:  # 'two Lebanese security officials': a demonym inside the description
            inside = [x for x in matches if x.category == "demonym" and i <= x.start and x.end <= m.start]
            state = inside[0].value if inside else None
        if state is None:
            lead = [x for x in matches if x.category == "entity" and x.char_start >= start and x.end <= i
                    and self.lex.state_of(x.value) is not None]
            if lead:
                state = self.lex.state_of(lead[0].value).iri
        if state is None and m.value == str(CKG["post-official"]):
            state = self.default_state  # 'officials said': the government's, of the state the text is about
        iri = iris.minted("source", self.out.document, phrase, start, readable=phrase)
        label = phrase[:1].upper() + phrase[1:]
        agent = self.agent(iri, label, str(CKG.AnonymousSource), state=state, description=phrase)
        agent.member_of = state
        self.memory.last[ANONYMOUS] = iri
        return agent
