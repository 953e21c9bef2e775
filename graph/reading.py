"""What every extraction stage shares: the document being read, and one sentence of it.

A ``Reading`` is made once per document. It holds what is known of the whole document (its
publisher and issuer, its dateline, its parties, the agents, posts and events found so far in
``out``) and answers the questions every stage asks of it: on whose side an agent is, what
post it holds, what a time expression means, how a claimant is attributed. A ``Sentence`` is
one sentence's text, matches, mentions and speech cues, frozen; ``Found`` is what the stages
have found in it so far, handed from one stage to the next.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from functools import cached_property

from . import conventions as conv
from . import iris
from .documents import WIRE_DATELINE, Document
from .lexicon import CKG, Lexicon
from .matching import Match, Matcher
from .mentions import ORGANIZATION, PLACE, STATE, Mention, MentionFinder, city_first
from .model import Agent, Bounds, Event, Extraction, Statement

PASSIVE_AUXILIARIES = {"been", "being", "be", "was", "were", "is", "are"}
"""Before a speech verb they make it passive: 'was confirmed dead' reports no one's words."""
ISSUING_WORDS = frozenset({"unit", "command", "forces", "army", "headquarters", "directorate", "office"})
"""Words that name an issuing office ('Spokesperson's Unit', 'Central Command') rather than an outlet."""
REDUCED_PASSIVES = {("blamed", "on"), ("attributed", "to")}
"""A claim verb right before these prepositions is a participle ('an attack blamed on X'), not a speech act."""
QUOTES = re.compile(r"“[^”]*”|\"[^\"]*\"")


@dataclass
class Context:
    """What every document is read with: the lexicon, its matcher, the time conventions."""
    lexicon: Lexicon
    matcher: Matcher
    conventions: conv.Conventions


def utc(local: datetime, offset: str | None) -> datetime:
    if local.tzinfo is not None:
        return local.astimezone(timezone.utc)
    return (local - conv.parse_offset(offset or "+00:00")).replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Sentence:
    """One sentence: where it stands, its matches and mentions, its speech cues and quotes."""
    start: int
    end: int
    paragraph: int
    matches: tuple[Match, ...]
    mentions: tuple[Mention, ...]
    cues: tuple[Match, ...]
    """Speech and claim cues outside quotes that are verbs of speech, not adjectives."""
    quotes: tuple[tuple[int, int], ...]

    def of(self, category: str) -> list[Match]:
        return [m for m in self.matches if m.category == category]


@dataclass
class Found:
    """What the stages found in one sentence, in the order they ran."""
    statements: list[Statement] = field(default_factory=list)
    cue_statement: dict[int, Statement] = field(default_factory=dict)
    """The statement each speech cue belongs to, by the cue's start."""
    events: list[Event] = field(default_factory=list)

    def statement_at(self, position: int) -> Statement | None:
        """The statement whose speech cue comes last before a position in the sentence."""
        before = [c for c in self.cue_statement if c <= position]
        if before:
            return self.cue_statement[max(before)]
        return self.statements[0] if self.statements else None


class Reading:
    """One document being read, and what every stage asks of it."""

    def __init__(self, ctx: Context, document: Document) -> None:
        self.ctx = ctx
        self.lex = ctx.lexicon
        self.document = document
        self.text = document.text
        self.doc_iri = iris.document(document.id)
        self.doc = ctx.matcher.doc(self.text)
        self.matches = self._short_names_resolved(ctx.matcher.find(self.doc))
        self.match_starts = [m.char_start for m in self.matches]
        """Ascending: matches come in token order."""
        publisher = self._publisher()
        self.out = Extraction(document=self.doc_iri, publisher=publisher.iri)
        self.out.agents[publisher.iri] = publisher
        self.dateline_state, self.offset, self.out.dateline_place = self._dateline()
        self.out.utc_offset = self.offset
        self.finder = MentionFinder(self.lex, self.doc, self.out, self._home_state(), self.text)
        self.issuer = self._issuer()
        self.last_spoken: tuple[Statement, int, int] | None = None
        """The statement of the last sentence anyone spoke in, that sentence's end and paragraph."""

    # ---------------------------------------------------------------- the document
    def _publisher(self) -> Agent:
        source = self.document.source
        if source:
            known = next((e for e in self.lex.entities.values() if source in e.names), None)
            if known:
                return Agent(iri=known.iri, label=known.label, cls=str(CKG.MediaOrganization), state=known.state)
            return Agent(iri=iris.minted("org", source, readable=source), label=source,
                         cls=str(CKG.MediaOrganization), minted=True)
        return Agent(iri=self.doc_iri + "/publisher", label=f"Publisher of {self.document.title or self.document.id}",
                     cls=str(CKG.MediaOrganization), minted=True)

    def _issuer(self) -> str | None:
        """The party that issued the document when its source is one (an army, a ministry, a UN
        agency: a press release, a situation report): the figures in its own voice are its claims.
        A news outlet's own narration claims nothing."""
        source = self.document.source
        if not source:
            return None
        matches = self.ctx.matcher.find(self.ctx.matcher.doc(source))
        for m in matches:
            if m.category != "entity":
                continue
            entity = self.lex.entities[m.value]
            cls = self.finder._cls_of(entity.iri)
            if entity.kind == ORGANIZATION and cls != str(CKG.MediaOrganization):
                return self.finder.agent(entity.iri, entity.label, cls).iri
        kinds = [m for m in matches if m.category == "orgkind"]
        if not kinds and self._issuing_name(source, matches):
            # 'IDF Spokesperson's Unit', 'Ministry of Defence': an office nobody listed issued it
            agent = Agent(iri=iris.minted("org", source.lower(), readable=source), label=source,
                          cls=str(CKG.GovernmentBody), state=self.finder.default_state, minted=True)
            self.out.agents.setdefault(agent.iri, agent)
            return agent.iri
        if kinds:
            states = [self.lex.entities[m.value] for m in matches if m.category == "entity"
                      and self.lex.entities[m.value].kind == STATE]
            state = states[0].iri if states else self.finder.default_state
            name = self._body_name(source, matches)
            if name is not None:
                # 'Presidency of the Council of Ministers, Lebanon': a body with a name of its own, as
                # the text names it, not the state's presidency
                agent = self.finder.agent(iris.minted("org", name.lower(), readable=name), name,
                                          str(CKG.GovernmentBody), state=state)
                agent.names.add(name)
                return agent.iri
            if state is not None:
                return self.finder.organization(state, kinds[0].value).iri
        return self._opening_body(source)

    def _opening_body(self, source: str) -> str | None:
        """'Médecins Sans Frontières (MSF) condemns …' under that source: a body's own release, which
        opens with its name, as a wire story opens with its dateline."""
        name, acronym = re.fullmatch(r"\s*(.*?)\s*(?:\((\w+)\))?\s*", source).groups()
        if len(name.split()) < 2 or not self.text.lstrip().startswith(name):
            return None
        agent = self.finder.agent(iris.minted("org", name.lower(), readable=name), name, str(CKG.Organization))
        agent.names.add(name)
        if acronym:
            agent.names.add(acronym)
            self.finder.memory.aliases[acronym] = agent.iri
        return agent.iri

    @staticmethod
    def _body_name(source: str, matches: list[Match]) -> str | None:
        """The name a source opens with, when it says more than a kind of office and a state."""
        name = re.split(r"\s*[,(;]|\s+[-–—]\s+", source, maxsplit=1)[0].strip()
        said = {w for m in matches if m.category in ("orgkind", "entity", "demonym") and m.char_end <= len(name)
                for w in m.text.split()}
        rest = [w for w in name.split() if w not in said and w.lower() not in ("of", "the", "and", "for")]
        return name if rest and all(w[:1].isupper() for w in rest) else None

    def _issuing_name(self, source: str, matches: list[Match]) -> bool:
        """A source named like an office of a government or an armed force, not like an outlet."""
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", source)}
        return bool(words & (self.lex.government_name_heads | ISSUING_WORDS)) or any(
            m.category == "postkind" for m in matches)

    def _dateline(self) -> tuple[str | None, str | None, str | None]:
        """The dateline's state, UTC offset and place IRI (known places only)."""
        place = self.document.place
        if not place:
            return None, None, None
        words = place.split()
        named: list = []
        for size in range(len(words), 0, -1):  # 'Gaza Strip', 'Kherson region': the name before the kind of place
            name = " ".join(words[:size])
            named = [e for e in self.lex.entities.values() if name in e.names and e.kind in (PLACE, STATE)]
            if named:
                break
        # a state, then a city (Gaza the city before Gaza the Mozambican province), as in the text
        for entity in sorted(named, key=lambda e: (e.kind != STATE, city_first(e))):
            state = entity if entity.kind == STATE else self.lex.state_of(entity.iri)
            if state is not None:
                return state.iri, entity.utc_offset or state.utc_offset, entity.iri
        return None, None, None

    @cached_property
    def dateline_end(self) -> int:
        """Where a wire dateline ('KYIV, May 2 (Reuters) -', 'Hyderabad:') ends; 0 when there is none:
        where the report was filed is not what it speaks of."""
        dateline = WIRE_DATELINE.match(self.text)
        return dateline.end() if dateline else 0

    def _short_names_resolved(self, matches: list[Match]) -> list[Match]:
        """'Congo' is the Republic of the Congo to a gazetteer, but in a text that names the
        Democratic Republic of Congo in full it is that state: a state's short name that another
        named state's fuller name contains stands for that one."""
        longest: dict[str, str] = {}
        for m in matches:
            if m.category == "entity" and self.lex.entities[m.value].kind == STATE:
                longest[m.value] = max(longest.get(m.value, ""), m.text.lower(), key=len)
        out = []
        for m in matches:
            if m.category == "entity" and longest.get(m.value) == m.text.lower() \
                    and m.text.lower() != self.lex.entities[m.value].label.lower():  # 'Sudan' beside 'South Sudan' stays
                short = re.compile(rf"\b{re.escape(m.text.lower())}\b")
                fuller = [iri for iri, text in longest.items() if iri != m.value and short.search(text)]
                if len(fuller) == 1:  # never named longer itself, and only one state it can be short for
                    m = replace(m, value=fuller[0])
            out.append(m)
        return out

    def _home_state(self) -> str | None:
        """Whose 'the army' and 'the defence ministry' are when the text names no state with them:
        the dateline's state if the text speaks of it, else the state the text names most, more than
        once (a report filed from Cairo about Sudan speaks of Sudan's army)."""
        counts: dict[str, int] = {}
        for m in self.matches:
            if m.char_start < self.dateline_end:
                continue  # 'DUBAI, July 10 (AFP) -': where the report was filed is not what it speaks of
            entity = self.lex.entities.get(m.value) if m.category == "entity" else None
            if m.category == "demonym":
                state = m.value
            elif entity is not None and entity.kind == STATE:
                state = entity.iri
            elif entity is not None and entity.kind == PLACE:
                owner = self.lex.state_of(entity.iri)
                state = owner.iri if owner else None
            else:
                continue
            if state:
                counts[state] = counts.get(state, 0) + 1
        if self.dateline_state is None or self.dateline_state in counts or not counts:
            return self.dateline_state
        most = max(sorted(counts), key=lambda iri: counts[iri])
        return most if counts[most] >= 2 else self.dateline_state  # once in passing is no subject

    @property
    def reference_time(self) -> datetime | None:
        return self.document.date

    def sentence(self, start: int, end: int, paragraph: int) -> Sentence:
        """A sentence's frozen value: its matches, mentions (found now, in document order), cues, quotes."""
        first = bisect.bisect_left(self.match_starts, start)  # a scan of every match per sentence is quadratic
        last = bisect.bisect_right(self.match_starts, end, lo=first)
        matches = [m for m in self.matches[first:last] if m.char_end <= end]
        mentions = self.finder.sentence(start, end, matches)
        quotes = [(q.start(), q.end()) for q in QUOTES.finditer(self.text, start, end)]
        cues = [m for m in matches if m.category in ("speech", "claimcue")
                and not any(a <= m.char_start < b for a, b in quotes) and not self._attributive(m)
                and not _part_of_description(m, matches)]
        return Sentence(start, end, paragraph, tuple(matches), tuple(mentions), tuple(cues), tuple(quotes))

    def _attributive(self, cue: Match) -> bool:
        """'the alleged attacks': a cue word used as an adjective is no speech act; nor is a passive
        with no agent ('had been officially confirmed dead')."""
        doc = self.doc
        if cue.start > 0 and doc[cue.start - 1].lower_ in ("the", "a", "an", "its", "his", "her", "their"):
            return True
        before = [t.lower_ for t in doc[max(cue.start - 2, 0):cue.start]]
        passive = any(w in PASSIVE_AUXILIARIES for w in before)
        by_agent = cue.end < len(doc) and doc[cue.end].lower_ == "by"
        if cue.end < len(doc) and (cue.text.lower(), doc[cue.end].lower_) in REDUCED_PASSIVES:
            return True  # 'a massacre blamed on the M23': said of the massacre, by nobody here
        return passive and not by_agent and cue.text.lower() not in ("according to",)

    # ---------------------------------------------------------------- agents
    def post_of(self, agent_iri: str) -> str | None:
        posts = [h.post for h in self.out.holdings if h.person == agent_iri]
        if posts:
            return posts[-1]
        entity = self.lex.entities.get(agent_iri)
        return sorted(entity.posts)[0] if entity and entity.posts else None

    def side(self, agent_iri: str) -> str | None:
        """The state an agent speaks or acts for."""
        agent = self.out.agents.get(agent_iri)
        if agent is None:
            return None
        if agent.cls == str(CKG.State):
            return agent.iri
        if agent.state is None:
            post = self.post_of(agent_iri)
            if post and post in self.out.posts:
                org = self.out.agents.get(self.out.posts[post].organization)
                agent.state = org.state if org else None
        return agent.state

    def acting(self, mention: Mention) -> str:
        """Who acts when a mention acts: a state's own side, else the agent itself."""
        return (self.side(mention.iri) or mention.iri) if mention.kind == STATE else mention.iri

    def attribution(self, claimant: str) -> str:
        agent = self.out.agents.get(claimant)
        if claimant == self.out.publisher:
            return str(CKG["attr-journalist"])
        if agent is None:
            return str(CKG["attr-institution"])
        if agent.cls == str(CKG.AnonymousSource):
            return str(CKG["attr-anonymous"])
        if agent.cls == str(CKG.Person):
            return str(CKG["attr-named-official"] if self.post_of(claimant) else CKG["attr-named-person"])
        if agent.cls in (str(CKG.InternationalOrganization), str(CKG.MediaOrganization)):
            return str(CKG["attr-third-party"])
        return str(CKG["attr-institution"])

    def label(self, iri: str | None) -> str:
        if iri is None:
            return ""
        if iri in self.out.agents:
            return self.out.agents[iri].label
        if iri in self.out.events:
            return self.out.events[iri].label
        if iri in self.out.places:
            return self.out.places[iri].label
        entity = self.lex.entities.get(iri)
        return entity.label if entity else iri.rsplit("/", 1)[-1]

    # ---------------------------------------------------------------- parties
    @cached_property
    def document_parties(self) -> list[str]:
        """The two states the whole document names most: the same episode for every figure in it,
        however far into the text the figure stands."""
        counts: dict[str, int] = {}
        for m in self.matches:
            if m.category == "demonym" and self.finder.language(m):
                continue  # 'translated from Spanish.'
            if m.category == "demonym" or (m.category == "entity" and self.lex.entities[m.value].kind == STATE):
                state = m.value
            elif m.category == "entity" and self.lex.entities[m.value].kind == PLACE:
                state = self.finder.metonym_state(m.value)  # 'Kinshasa', 'Kigali'
            else:
                continue
            if state:
                counts[state] = counts.get(state, 0) + 1
        return [iri for iri, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]

    def main_parties(self, exclude=()) -> list[str]:
        """'the two sides': the two states the document has mentioned most so far."""
        counts: dict[str, int] = {}
        for iri, _ in self.out.mentions:
            entity = self.lex.entities.get(iri)
            if entity and entity.kind == STATE and iri not in exclude:
                counts[iri] = counts.get(iri, 0) + 1
        return [iri for iri, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]

    def episode(self) -> str:
        """The fighting a document reports: its main parties on its date (shared across documents)."""
        parties = sorted(self.document_parties)
        day = self.reference_time.date().isoformat() if self.reference_time else self.document.id
        codes = [self.lex.entities[p].iso or "" for p in parties]
        iri = iris.minted("episode", *codes, day, readable=f"{'-'.join(codes)} {day}")
        if iri not in self.out.events:
            names = " and ".join(self.label(p) for p in parties) or "unnamed parties"
            relation = "between" if len(parties) > 1 else "involving"
            self.out.events[iri] = Event(iri=iri, cls=str(CKG.ArmedConflict), label=f"Hostilities {relation} {names}, reported {day}",
                                         parties=list(parties))
            if self.reference_time is not None:
                reported = utc(self.reference_time, self.offset) if self.reference_time.tzinfo is None else \
                    self.reference_time.astimezone(timezone.utc)
                day_end = reported + timedelta(days=1)
                self.out.events[iri].time = Bounds(reported - timedelta(days=3), day_end, reported - timedelta(days=3),
                                                   day_end, f"reported {day}", str(CKG["prec-week"]))
        return iri

    # ---------------------------------------------------------------- time
    def time(self, start: int, end: int, exclude_quotes=(), speech: bool = False) -> Bounds | None:
        """The first time expression of a stretch; for a speech act, none that only says how long ago
        something else happened ('the war that began decades ago')."""
        if self.reference_time is None:
            return None
        distances = {t.iri for t in self.ctx.conventions.times if t.min_days_before is not None}
        for mention in conv.find_time_expressions(self.text[start:end], self.ctx.conventions):
            absolute = start + mention.start
            if any(a <= absolute < b for a, b in exclude_quotes):
                continue
            bounds = conv.resolve(mention.text, self.reference_time, self.offset or "+00:00", self.ctx.conventions)
            if bounds is not None and not (speech and distances & set(bounds.conventions)):
                return bounds
        return None


def _part_of_description(cue: Match, matches: list[Match]) -> bool:
    """'media reports said': a speech word that ends a source's own description is not its act."""
    return any(m.category == "postkind" and m.start <= cue.start and cue.end <= m.end
               and m.end - m.start > cue.end - cue.start for m in matches)
