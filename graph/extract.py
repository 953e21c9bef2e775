"""From one document's text to statements, claims, events and figures.

Rule-based over the ontology's lexicon (see graph.lexicon): a sentence with a speech cue is
a statement by its subject; the figures, events, denials, accusations and appeals in it are
that speaker's claims. A sentence without a speaker is the publisher's narration.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property, lru_cache

import rdflib

from . import conventions as conv
from . import iris
from .documents import Document
from .lexicon import CKG, Lexicon
from .matching import Match, Matcher
from .mentions import ANONYMOUS, ORGANIZATION, PERSON, PLACE, STATE, Mention, MentionFinder
from .model import Agent, Bounds, Claim, Event, Extraction, Span, Statement, Variable
from .sentences import sentences

PASSIVE_AUXILIARIES = {"been", "being", "be", "was", "were", "is", "are"}
"""Before a speech verb they make it passive: 'was confirmed dead' reports no one's words."""
QUOTES = re.compile(r"“[^”]*”|\"[^\"]*\"")
GENERIC_FIGHTING = {str(CKG.ViolentEvent), str(CKG.ArmedClash), str(CKG.Strike)}
"""Unplaced, unnamed mentions of these are the document's episode of fighting."""
PLACED_ONLY = {str(CKG.Airstrike), str(CKG.ShellingAttack), str(CKG.CrossBorderAttack), str(CKG.Strike),
               str(CKG.ArmedClash), str(CKG.ViolentEvent)}
"""Violent events are one per class and place in a document; other events one per mention."""
VIOLENT_CLASSES = PLACED_ONLY | {str(CKG.MilitaryOperation)}
PARTIES_EVENTS = {str(CKG.MediationEffort), str(CKG.Ceasefire), str(CKG.MultilateralMechanism)}
VIOLENT_KINDS = {"killed", "wounded", "captured", "missing", "destroyed", "damaged", "seized"}
MATERIEL_KINDS = {"destroyed", "damaged", "seized"}
"""Counts of what a side did to things: with no owner named, they are nobody's in particular
('98 drones were shot down'), unlike 'no soldiers were captured', which is the speaker's own."""
PEOPLE_THINGS = {"civilians", "people", "refugees"}


@dataclass
class Context:
    lexicon: Lexicon
    matcher: Matcher
    conventions: conv.Conventions


@lru_cache(maxsize=8)
def measure_pattern(cues: tuple[str, ...]) -> re.Pattern:
    """A measure cue right after a number (optionally hyphenated, optionally plural)."""
    words = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
    return re.compile(rf"[\s-]?(?:{words})(?:e?s)?(?!\w)", re.IGNORECASE)


def utc(local: datetime, offset: str | None) -> datetime:
    if local.tzinfo is not None:
        return local.astimezone(timezone.utc)
    return (local - conv.parse_offset(offset or "+00:00")).replace(tzinfo=timezone.utc)


class DocumentExtractor:
    """Reads one document; ``run`` returns its Extraction."""

    def __init__(self, ctx: Context, document: Document) -> None:
        self.ctx = ctx
        self.lex = ctx.lexicon
        self.document = document
        self.text = document.text
        self.doc_iri = iris.document(document.id)
        self.doc = ctx.matcher.doc(self.text)
        self.matches = ctx.matcher.find(self.doc)
        publisher = self._publisher()
        self.out = Extraction(document=self.doc_iri, publisher=publisher.iri)
        self.out.agents[publisher.iri] = publisher
        self.dateline_state, self.offset, self.out.dateline_place = self._dateline()
        self.out.utc_offset = self.offset
        self.finder = MentionFinder(self.lex, self.doc, self.out, self.dateline_state, self.text)
        self.issuer = self._issuer()
        self.last_statement: dict[str, Statement] = {}
        self.previous_places: tuple[int, list[Mention]] = (-1, [])
        """The paragraph and places of the last sentence that named any: a strike with no place of
        its own took place where the sentence before says."""
        self.sides: dict[str, int] = {}

    # ---------------------------------------------------------------- setup
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
        if kinds:
            states = [self.lex.entities[m.value] for m in matches if m.category == "entity"
                      and self.lex.entities[m.value].kind == STATE]
            state = states[0].iri if states else self.dateline_state
            if state is not None:
                return self.finder.organization(state, kinds[0].value).iri
        return None

    def _dateline(self) -> tuple[str | None, str | None, str | None]:
        """The dateline's state, UTC offset and place IRI (known places only)."""
        place = self.document.place
        if not place:
            return None, None, None
        for entity in self.lex.entities.values():
            if place in entity.names and entity.kind in (PLACE, STATE):
                state = entity if entity.kind == STATE else self.lex.state_of(entity.iri)
                if state is not None:
                    return state.iri, entity.utc_offset or state.utc_offset, entity.iri
        return None, None, None

    @property
    def reference_time(self) -> datetime | None:
        return self.document.date

    # ---------------------------------------------------------------- main loop
    def run(self) -> Extraction:
        paragraph_breaks = [m.start() for m in re.finditer(r"\n\s*\n", self.text)]
        for start, end in sentences(self.doc, self.text):
            if not self.text[start:end].strip():
                continue
            paragraph = sum(1 for b in paragraph_breaks if b < start)
            matches = [m for m in self.matches if start <= m.char_start and m.char_end <= end]
            mentions = self.finder.sentence(start, end, matches)
            self._sentence(start, end, paragraph, matches, mentions)
        self._link_operations()
        self._merge_generic_events()
        return self.out

    def _sentence(self, start: int, end: int, paragraph: int, matches: list[Match], mentions: list[Mention]) -> None:
        self.sentence_start = start
        cues = [m for m in matches if m.category in ("speech", "claimcue")]
        quotes = [(q.start(), q.end()) for q in QUOTES.finditer(self.text, start, end)]
        cues = [c for c in cues if not any(a <= c.char_start < b for a, b in quotes) and not self._attributive(c)]
        statements = self._statements(start, end, paragraph, matches, mentions, cues, quotes)
        events = self._events(start, end, matches, mentions, statements, paragraph)
        places = [m for m in mentions if m.place]
        if places:
            self.previous_places = (paragraph, places)
        self._quantities(start, end, matches, mentions, statements, events, cues)
        self._speech_claims(start, end, matches, mentions, statements, cues, events)
        for statement in statements:
            if not any(statement is earlier for earlier in self.out.statements[-len(statements):]):
                self.out.statements.append(statement)  # a statement that goes on is listed once

    def _attributive(self, cue: Match) -> bool:
        """'the alleged attacks': a cue word used as an adjective is no speech act; nor is a passive
        with no agent ('had been officially confirmed dead')."""
        doc = self.doc
        if cue.start > 0 and doc[cue.start - 1].lower_ in ("the", "a", "an", "its", "his", "her", "their"):
            return True
        before = [t.lower_ for t in doc[max(cue.start - 2, 0):cue.start]]
        passive = any(w in PASSIVE_AUXILIARIES for w in before)
        by_agent = cue.end < len(doc) and doc[cue.end].lower_ == "by"
        return passive and not by_agent and cue.text.lower() not in ("according to",)

    # ---------------------------------------------------------------- statements
    def _statements(self, start, end, paragraph, matches, mentions, cues, quotes) -> list[Statement]:
        """One statement per speaker; a later clause with its own subject ('..., and China called on')
        is another speaker's statement."""
        self.cue_statement: dict[int, Statement] = {}
        result: list[Statement] = []
        by_speaker: dict[str, Statement] = {}
        time = self._time(start, end, exclude_quotes=quotes, speech=True) if cues else None
        for index, cue in enumerate(cues):
            clause_start = start if index == 0 else cues[index - 1].char_end
            if index > 0 and result and self._same_speaker_goes_on(cues[index - 1], cue):
                self.cue_statement[cue.char_start] = self.cue_statement.get(cues[index - 1].char_start, result[-1])
                continue
            speakers = self._speakers(cue, mentions, quotes, clause_start)
            if index > 0:
                speakers = [m for m in speakers if m.start >= clause_start]
            if not speakers:
                if result:
                    self.cue_statement[cue.char_start] = result[-1]
                continue
            for speaker in speakers:
                if speaker.iri in by_speaker:
                    self.cue_statement.setdefault(cue.char_start, by_speaker[speaker.iri])
                    continue
                going_on = self._goes_on(speaker.iri, matches)
                if going_on is not None:
                    more = " ".join(self.text[a + 1:b - 1] for a, b in quotes) if quotes else \
                        self._reported_words(speaker, cue, start, end)
                    if more and more not in going_on.quote:
                        going_on.quote = f"{going_on.quote} … {more}"
                    by_speaker[speaker.iri] = going_on
                    self.cue_statement.setdefault(cue.char_start, going_on)
                    result.append(going_on)
                    continue
                statement = self._statement(speaker, cue, start, end, paragraph, matches, quotes, time)
                by_speaker[speaker.iri] = statement
                self.cue_statement.setdefault(cue.char_start, statement)
                result.append(statement)
        return result

    def _goes_on(self, speaker: str, matches: list[Match]) -> Statement | None:
        """'X said ... He added ... He also said': one act of speech, as long as nobody else has
        spoken since and no other channel is named."""
        if not self.out.statements:
            return None
        previous = self.out.statements[-1]
        if previous.speaker != speaker:
            return None
        channels = [m.value for m in matches if m.category == "channel"]
        if channels and previous.channel not in channels:
            if previous.channel != str(CKG["channel-unspecified"]):
                return None
            previous.channel = max((m for m in matches if m.category == "channel"),
                                   key=lambda m: (m.end - m.start, -m.start)).value  # now we know how it was said
        return previous

    def _reported_words(self, speaker: Mention, cue: Match, start: int, end: int) -> str:
        """What was said: after the verb ('X said that ...'), after 'According to X, ...', or before
        the speaker when the attribution closes the sentence ('..., the ministry said in a statement')."""
        after = self.text[cue.char_end:end].strip(" ,:.").removeprefix("that ").strip()
        first, last = min(speaker.start, cue.char_start), max(speaker.end, cue.char_end)
        # '..., regional governor X said': the words up to the comma that opens the attribution
        before = re.sub(r",(?:\s+\S+){0,5}\s*$", ",", self.text[start:first].rstrip())
        if before.endswith(",") and len(before) > len(self.text[last:end].strip(" .")):
            return before.rstrip(",").strip()
        if cue.char_start < speaker.start and self.text[speaker.end:speaker.end + 2].startswith(","):
            return self.text[speaker.end:end].strip(" ,.")  # 'According to the ministry, ...'
        return after

    def _same_speaker_goes_on(self, previous: Match, cue: Match) -> bool:
        """'X said that Rwanda had no troops there and accused Y': after a reported clause, 'and' + verb
        is X again, not the reported clause's subject."""
        between = self.text[previous.char_end:cue.char_start]
        return bool(re.search(r"\bthat\b", between) and re.search(r"\band\s*$", between))

    def _statement(self, speaker, cue, start, end, paragraph, matches, quotes, time) -> Statement:
        previous = self.last_statement.get(speaker.iri)
        channel = self._channel(matches, speaker)
        if channel == str(CKG["channel-unspecified"]) and previous is not None and previous.paragraph == paragraph:
            channel = previous.channel  # 'He also said ...' continues the post on X
        quote = " ".join(self.text[a + 1:b - 1] for a, b in quotes) if quotes else \
            self._reported_words(speaker, cue, start, end)
        agent = self.out.agents[speaker.iri]
        statement = Statement(
            iri=iris.minted("statement", self.doc_iri, start, speaker.iri, readable=agent.label),
            speaker=speaker.iri, span=Span(start, end, self.text[start:end]), channel=channel,
            quote=quote or self.text[start:end], time=time,
            post=self._post_of(speaker.iri), on_behalf_of=self._side(speaker.iri),
            via=self._relay(matches, cue), paragraph=paragraph,
        )
        self.last_statement[speaker.iri] = statement
        self.finder.remember(speaker)
        return statement

    def statement_at(self, position: int, statements: list[Statement]) -> Statement | None:
        """The statement whose speech cue comes last before a position in the sentence."""
        before = [c for c in self.cue_statement if c <= position]
        if before:
            return self.cue_statement[max(before)]
        return statements[0] if statements else None

    def _speakers(self, cue: Match, mentions: list[Mention], quotes, start: int) -> list[Mention]:
        inside = lambda m: any(a <= m.start < b for a, b in quotes)  # noqa: E731
        last_speaker = self.out.statements[-1].speaker if self.out.statements else None
        candidates = [m for m in mentions if not m.place and not inside(m)
                      # 'it said' is a state only when that state was the one speaking
                      and not (m.kind == STATE and m.text.lower() in ("it", "its") and m.iri != last_speaker)]
        if cue.text.lower() == "according to":
            after = [m for m in candidates if m.start >= cue.char_end and m.speaker_ok]
            return self._distinct(after)
        before = [m for m in candidates if m.end <= cue.char_start and m.speaker_ok]
        if before:
            # the subject: the mention that starts the clause the verb belongs to
            clause_start = max([start] + [b for a, b in quotes if b <= cue.char_start])
            in_clause = [m for m in before if m.start >= clause_start]
            pool = in_clause or before
            subject = self._subject(pool, cue)
            if subject is not None:
                return self._coordinated(subject, candidates, clause_start)
        if cue.text.lower() in ("told", "tells", "telling"):
            return []  # 'told AFP': who is told is never who speaks
        after = [m for m in candidates if m.start >= cue.char_end and m.start - cue.char_end < 60 and m.speaker_ok]
        return after[:1] if after and after[0].kind in (PERSON, ORGANIZATION, ANONYMOUS, STATE) else []

    def _coordinated(self, subject: Mention, candidates: list[Mention], clause_start: int) -> list[Mention]:
        """'China and Russia called ...', 'China, Russia call ...': every coordinated subject.

        Only when the chain opens the clause: in 'between A and B, C urged' only C speaks.
        """
        result = [subject]
        earlier = sorted((m for m in candidates if m.end <= subject.start), key=lambda m: -m.end)
        for m in earlier:
            if re.fullmatch(r"\s*(,|and|, and)\s*", self.text[m.end:result[-1].start]) and m.kind == subject.kind:
                result.append(m)
            else:
                break
        if len(result) > 1 and not re.fullmatch(r"[\s“\"]*(the\s+)?", self.text[clause_start:result[-1].start], re.I):
            return [subject]
        return list(reversed(result))

    def _subject(self, pool: list[Mention], cue: Match) -> Mention | None:
        """The nearest agent before the verb, skipping possessors ('Chad's X' → X)."""
        ranked = sorted(pool, key=lambda m: -m.end)
        for mention in ranked:
            tail = self.text[mention.end:cue.char_start]
            if re.match(r"\s*(’s|'s)\b", tail):
                continue
            if re.search(r"\b(that|which|who|whether)\b", tail):
                continue
            return mention
        return ranked[0] if ranked else None

    @staticmethod
    def _distinct(mentions: list[Mention]) -> list[Mention]:
        seen, result = set(), []
        for m in mentions:
            if m.iri not in seen and m.kind != PLACE:
                seen.add(m.iri)
                result.append(m)
        # 'Sudanese army spokesperson X': a mention right before another qualifies it
        return [m for m in result if not any(o is not m and 0 <= o.start - m.end <= 4 for o in result)]

    def _channel(self, matches: list[Match], speaker: Mention) -> str:
        channels = [m for m in matches if m.category == "channel"]
        if speaker.kind == ANONYMOUS:
            return str(CKG["channel-anonymous-briefing"])
        if channels:
            best = max(channels, key=lambda m: (m.end - m.start, -m.start))
            return best.value
        return str(CKG["channel-unspecified"])

    def _relay(self, matches: list[Match], cue: Match) -> str | None:
        relay = [m for m in matches if m.category == "channel" and m.value == str(CKG["channel-news-agency"])]
        if not relay:
            return None
        after = [m for m in matches if m.category == "entity" and m.start >= relay[0].end
                 and self.lex.entities[m.value].kind == ORGANIZATION]
        return after[0].value if after else None

    def _post_of(self, agent_iri: str) -> str | None:
        posts = [h.post for h in self.out.holdings if h.person == agent_iri]
        if posts:
            return posts[-1]
        entity = self.lex.entities.get(agent_iri)
        return sorted(entity.posts)[0] if entity and entity.posts else None

    def _side(self, agent_iri: str) -> str | None:
        agent = self.out.agents.get(agent_iri)
        if agent is None:
            return None
        if agent.cls == str(CKG.State):
            return agent.iri
        if agent.state is None:
            post = self._post_of(agent_iri)
            if post and post in self.out.posts:
                org = self.out.agents.get(self.out.posts[post].organization)
                agent.state = org.state if org else None
        return agent.state

    # ---------------------------------------------------------------- time
    def _time(self, start: int, end: int, exclude_quotes=(), speech: bool = False) -> Bounds | None:
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

    # ---------------------------------------------------------------- events
    def _events(self, start, end, matches, mentions, statements, paragraph: int = -1) -> list[Event]:
        triggers = self._best_triggers(matches)
        events: list[Event] = []
        places = [m for m in mentions if m.place]
        appeal = any(m.category == "claimcue" and m.value == str(CKG.Appeal) for m in matches)
        agents = [(m.start, m.end) for m in mentions if not m.place and m.kind in (ORGANIZATION, PERSON)]
        for trig in triggers:
            if any(a <= trig.char_start < b for a, b in agents):
                continue  # 'the Emergency Operations Centre': a word of a name, not an event
            cls = next(c for c in self.lex.event_classes if c.iri == trig.value)
            if cls.iri == str(CKG.ArmedConflict) or (appeal and cls.iri == str(CKG.Ceasefire)):
                continue
            name = self._operation_name(trig) if cls.iri == str(CKG.MilitaryOperation) else None
            near_places = self._places_for(trig, places, triggers)
            anaphoric = trig.start > 0 and self.doc[trig.start - 1].lower_ in ("the", "this", "that")
            if (not near_places and not places and anaphoric and cls.iri in VIOLENT_CLASSES
                    and self.previous_places[0] == paragraph):
                near_places = self.previous_places[1]  # 'the strike' is the one the sentence before placed
            actors = self._actors_for(trig, mentions, start) or self._subject_actor(trig, mentions, statements)
            time = self._time(start, end)
            specific = [p for p in near_places if p.kind == PLACE]
            targets = specific or near_places or [None]
            for place in targets:
                event = self._event(cls, trig, name, place, actors, time, mentions, statements)
                events.append(event)
        mediations = [e for e in events if e.cls == str(CKG.MediationEffort)]
        for ceasefire in (e for e in events if e.cls == str(CKG.Ceasefire)):
            for mediation in mediations:
                if ceasefire.iri not in mediation.resulted_in:
                    mediation.resulted_in.append(ceasefire.iri)
                ceasefire.parties = list(mediation.parties)
                ceasefire.mediators = list(mediation.mediators)
        return events

    def _best_triggers(self, matches: list[Match]) -> list[Match]:
        """Overlapping triggers: keep the longest, then the most specific class."""
        depth = {c.iri: c.depth for c in self.lex.event_classes}
        triggers = sorted((m for m in matches if m.category == "trigger"),
                          key=lambda m: (-(m.char_end - m.char_start), -depth.get(m.value, 0)))
        chosen: list[Match] = []
        for m in triggers:
            if not any(m.char_start < c.char_end and c.char_start < m.char_end for c in chosen):
                chosen.append(m)
        return sorted(chosen, key=lambda m: m.char_start)

    def _operation_name(self, trig: Match) -> str | None:
        if not trig.text[:1].isupper() or trig.text.lower().endswith("s"):
            return None  # 'Operations Room' names a place or a body, not an operation
        finder = self.finder
        named = finder.name_after(trig.end, len(self.text))
        if named is None:
            token = trig.end
            if token < len(self.doc) and self.doc[token].text[:1].isupper():
                named = (token, token + 1)
        if named is None:
            return None
        return f"{trig.text} {self.doc[named[0]:named[1]].text}"

    def _places_for(self, trig: Match, places: list[Mention], triggers: list[Match]) -> list[Mention]:
        """Places in the trigger's stretch of the sentence (up to the next trigger)."""
        following = [t.char_start for t in triggers if t.char_start > trig.char_start]
        limit = min(following) if following else 10**9
        return [p for p in places if trig.char_end <= p.start < limit or 0 <= trig.char_start - p.end < 25]

    def _actors_for(self, trig: Match, mentions: list[Mention], start: int) -> list[str]:
        agents = [m for m in mentions if not m.place and m.kind in (STATE, ORGANIZATION)]
        # 'an air strike by the Myanmar military', 'shelling by the RSF': the agent after 'by'
        after = [m for m in agents if m.start >= trig.char_end
                 and re.fullmatch(r"\s+(?:\w+\s+){0,3}?by\s+(?:the\s+)?", self.text[trig.char_end:m.start])]
        if after:
            return [self._side(after[0].iri) or after[0].iri] if after[0].kind == STATE else [after[0].iri]
        before = [m for m in agents if m.end <= trig.char_start]
        if before:
            nearest = before[-1]
            between = self.text[nearest.end:trig.char_start]
            if len(between) < 40 and not re.search(r"\b(on|against|in|by)\b", between):
                return [self._side(nearest.iri) or nearest.iri] if nearest.kind == STATE else [nearest.iri]
        return []

    def _subject_actor(self, trig: Match, mentions: list[Mention], statements) -> list[str]:
        """'Russia launched 74 drones and three missiles in an overnight attack': the agent the
        clause of the trigger begins with, when it is not who reports it."""
        speakers = {s.speaker for s in statements}
        starts = [self.sentence_start] + [m.end() for m in re.finditer(
            r"[;:]\s*|, (?:and|but|while) |\bthat\s+", self.text[self.sentence_start:trig.char_start])]
        clause = self.sentence_start if len(starts) == 1 else self.sentence_start + starts[-1]
        subject = next((m for m in mentions if clause <= m.start < trig.char_start and not m.place), None)
        if (subject is None or subject.kind not in (STATE, ORGANIZATION) or subject.iri in speakers
                or not re.fullmatch(r"[\s“\"]*(the\s+)?", self.text[clause:subject.start], re.I)
                or re.match(r"\s*(’s|'s)\b", self.text[subject.end:subject.end + 3])):
            return []  # only the agent the clause begins with, as its subject
        return [self._side(subject.iri) or subject.iri] if subject.kind == STATE else [subject.iri]

    def _event(self, cls, trig, name, place, actors, time, mentions, statements) -> Event:
        place_iri = place.iri if place is not None else None
        place_label = self._label(place_iri) if place_iri else None
        if name:
            iri = iris.minted("event", "operation", name, readable=name)
            label = name
        elif place_iri is None and cls.iri in GENERIC_FIGHTING:
            iri, label = self._episode(), None
        else:
            one_per_place = PLACED_ONLY | {str(CKG.Ceasefire)}  # 'the truce' again is the same truce
            key = (cls.iri, place_iri) if place_iri or cls.iri in one_per_place else (cls.iri, self.sentence_start)
            iri = iris.minted("event", self.doc_iri, *key, readable=f"{cls.label} {place_label or ''}")
            label = f"{cls.label[:1].upper()}{cls.label[1:]}" + (f" in {place_label}" if place_label else "")
        event = self.out.events.get(iri)
        if event is None:
            event = Event(iri=iri, cls=cls.iri, label=label or cls.label, name=name, cameo=cls.cameo, acled=cls.acled)
            self.out.events[iri] = event
        event.spans.append(Span(trig.char_start, trig.char_end, trig.text))
        if place_iri and place_iri not in event.places:
            event.places.append(place_iri)
            state = self.lex.state_of(place_iri)
            if state and actors and state.iri not in actors and state.iri not in event.targeted:
                event.targeted.append(state.iri)
        for actor in actors if cls.iri not in PARTIES_EVENTS else []:
            if actor not in event.initiated_by and actor not in event.parties:
                event.initiated_by.append(actor)
        if time and event.time is None:
            event.time = time
        if cls.iri in PARTIES_EVENTS:
            self._parties(event, trig, mentions, statements)
        claimants = [s.speaker for s in statements] or [self.out.publisher]
        for claimant in claimants:
            self._event_claim(event, claimant, statements, Span(trig.char_start, trig.char_end, trig.text))
        return event

    def _parties(self, event: Event, trig: Match, mentions: list[Mention], statements) -> None:
        media = str(CKG.MediaOrganization)
        agents = [m for m in mentions if m.kind in (STATE, ORGANIZATION) and not m.place
                  and getattr(self.out.agents.get(m.iri), "cls", None) != media]  # who reports is no party
        before = [m.iri for m in agents if m.end <= trig.char_start]
        after = [m.iri for m in agents if m.start >= trig.char_end]
        if event.cls == str(CKG.MediationEffort):
            by_pattern = r"\s+(the\s+)?" if trig.text.lower().endswith(" by") else r"\s+by\s+(the\s+)?"
            by = [m for m in agents if m.start >= trig.char_end
                  and re.fullmatch(by_pattern, self.text[trig.char_end:m.start])]
            if by:  # 'mediated by Qatar and Türkiye', 'brokered by Malaysia and the United States'
                chain = [by[0]]
                for m in agents:
                    if m.start > chain[-1].end and re.fullmatch(r"\s*(,|and|, and)\s+(the\s+)?",
                                                                self.text[chain[-1].end:m.start]):
                        chain.append(m)
                mediators = [self._side(m.iri) or m.iri if m.kind == STATE else m.iri for m in chain]
                before = [b for b in before if b not in mediators]
                after = [a for a in after if a not in mediators]
            else:
                mediators = before or [s.speaker for s in statements]
                before = []
            for m in mediators:
                if m not in event.mediators:
                    event.mediators.append(m)
            parties = [a for a in before + after if a not in event.mediators] or \
                self._main_parties(exclude=event.mediators)
            between = re.match(r"\s+between\s", self.text[trig.char_end:trig.char_end + 12])
            following = [m for m in agents if m.start >= trig.char_end]
            if between and len(following) >= 2 and re.fullmatch(r"\s+and\s+(the\s+)?",
                                                                 self.text[following[0].end:following[1].start]):
                parties = [following[0].iri, following[1].iri]  # 'between Kinshasa and Kigali', and no more
        else:
            parties = [a for a in before + after if a not in event.mediators] or self._main_parties()
        for p in parties:
            if p not in event.parties:
                event.parties.append(p)

    @cached_property
    def document_parties(self) -> list[str]:
        """The two states the whole document names most: the same episode for every figure in it,
        however far into the text the figure stands."""
        counts: dict[str, int] = {}
        for m in self.matches:
            if m.category == "demonym" or (m.category == "entity" and self.lex.entities[m.value].kind == STATE):
                state = m.value
            elif m.category == "entity" and self.lex.entities[m.value].kind == PLACE:
                state = self.finder.metonym_state(m.value)  # 'Kinshasa', 'Kigali'
            else:
                continue
            if state:
                counts[state] = counts.get(state, 0) + 1
        return [iri for iri, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]

    def _main_parties(self, exclude=()) -> list[str]:
        """'the two sides': the two states the document mentions most."""
        counts: dict[str, int] = {}
        for iri, _ in self.out.mentions:
            entity = self.lex.entities.get(iri)
            if entity and entity.kind == STATE and iri not in exclude:
                counts[iri] = counts.get(iri, 0) + 1
        return [iri for iri, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]

    def _event_claim(self, event: Event, claimant: str, statements, span: Span) -> None:
        statement = next((s for s in statements if s.speaker == claimant), None)
        iri = iris.minted("claim", self.doc_iri, "event", event.iri, claimant,
                          readable=f"{self._label(claimant)} on {event.label}")
        existing = next((c for c in self.out.claims if c.iri == iri), None)
        if existing:
            existing.spans.append(span)
            return
        self.out.claims.append(Claim(
            iri=iri, classes=[str(CKG.EventClaim)], claimant=claimant, side=self._side(claimant),
            attribution=self._attribution(claimant), statement=statement.iri if statement else None,
            spans=[span], about_events=[event.iri]))

    def _link_operations(self) -> None:
        """Unnamed mentions of an operation are the named one when the document names one."""
        named = [e for e in self.out.events.values() if e.name and e.cls == str(CKG.MilitaryOperation)]
        if len(named) != 1:
            return
        target = named[0]
        for event in list(self.out.events.values()):
            if event is target or event.cls != target.cls or event.name:
                continue
            target.spans += event.spans
            target.initiated_by += [a for a in event.initiated_by if a not in target.initiated_by]
            target.time = target.time or event.time
            for claim in self.out.claims:
                claim.about_events = [target.iri if e == event.iri else e for e in claim.about_events]
            del self.out.events[event.iri]

    def _merge_generic_events(self) -> None:
        """'strikes on Kharkiv' after 'airstrikes in Kharkiv': the generic mention is the specific event."""
        graph = self.lex.graph
        events = list(self.out.events.values())
        for event in events:
            if event.name or event.iri not in self.out.events or not event.places:
                continue
            cls = rdflib.URIRef(event.cls)
            for other in events:
                if other is event or other.iri not in self.out.events or set(other.places) != set(event.places):
                    continue
                if cls in set(graph.transitive_objects(rdflib.URIRef(other.cls), rdflib.RDFS.subClassOf)) and other.cls != event.cls:
                    other.spans += event.spans
                    other.initiated_by += [a for a in event.initiated_by if a not in other.initiated_by]
                    for claim in self.out.claims:
                        claim.about_events = [other.iri if e == event.iri else e for e in claim.about_events]
                    del self.out.events[event.iri]
                    break

    # ---------------------------------------------------------------- attribution
    def _attribution(self, claimant: str) -> str:
        agent = self.out.agents.get(claimant)
        if claimant == self.out.publisher:
            return str(CKG["attr-journalist"])
        if agent is None:
            return str(CKG["attr-institution"])
        if agent.cls == str(CKG.AnonymousSource):
            return str(CKG["attr-anonymous"])
        if agent.cls == str(CKG.Person):
            return str(CKG["attr-named-official"] if self._post_of(claimant) else CKG["attr-named-person"])
        if agent.cls in (str(CKG.InternationalOrganization), str(CKG.MediaOrganization)):
            return str(CKG["attr-third-party"])
        return str(CKG["attr-institution"])

    def _label(self, iri: str | None) -> str:
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

    # ---------------------------------------------------------------- figures
    def _quantities(self, start, end, matches, mentions, statements, events, cues) -> None:
        sentence = self.text[start:end]
        denial = any(c.value == str(CKG.Denial) for c in cues if c.category == "claimcue")
        counts = self._count_mentions(sentence, start, denial)
        kinds = [m for m in matches if m.category == "kind"]
        things = [m for m in matches if m.category == "thing"]
        groups = [m for m in mentions if m.kind in (STATE, ORGANIZATION)]
        previous: dict | None = None
        for index, count in enumerate(counts):
            limit = counts[index + 1]["start"] if index + 1 < len(counts) else end
            clause_end = self._clause_end(count["end"], limit)
            kind = next((k for k in kinds if count["end"] <= k.char_start < clause_end), None)
            if kind is None:
                # 'killed 12 people', '..., and wounded 40': the verb right before the figure
                kind = next((k for k in reversed(kinds) if k.char_end <= count["start"]
                             and count["start"] - k.char_end < 12
                             and (previous is None or k.char_start >= previous["end"])), None)
            if kind is None:
                # 'the death toll from the strikes has risen to 31': a tally named before the figure
                kind = next((k for k in reversed(kinds) if k.char_end <= count["start"]
                             and (previous is None or k.char_start >= previous["end"])
                             and re.search(r"\b(to|at|reached)\s*$", self.text[k.char_end:count["start"]])
                             and not re.search(r"[;:.]", self.text[k.char_end:count["start"]])
                             and count["start"] - k.char_end < 80), None)
            subset = previous is not None and self._subset(count, previous)
            if kind is None and previous is not None and (subset or self._elided(count, previous)):
                kind_value = previous["kind"]
            elif kind is not None:
                kind_value = kind.value
            else:
                continue
            thing = next((t for t in things if count["end"] <= t.char_start < min(clause_end, count["end"] + 40)), None)
            if thing is None and count["vague"] and not count["number"]:
                # "several" alone is only a figure when a noun follows it
                if previous is None and not self._followed_by_others(count):
                    continue
            group = None
            if thing is not None or previous is None:
                group = next((g for g in groups if count["end"] <= g.start < (thing.char_start if thing else clause_end)), None)
            if group is None and thing is not None:
                # 'fighters of the Rapid Support Forces'
                group = next((g for g in groups if re.fullmatch(r"\s+of(\s+the)?\s+", self.text[thing.char_end:g.start])), None)
            thing_value = thing.value if thing else (previous["thing"] if previous else None)
            if thing is not None and thing.value == str(CKG["thing-people"]) and previous and thing.text.lower() == "others":
                thing_value = previous["thing"]
            group_value = self._group(group.iri if group else (previous["group"] if previous else None), thing_value)
            stated = self.text[count["qstart"]:count["end"]]
            group_text = self.text[count["end"]:thing.char_end].strip() if thing else ""
            statement = self.statement_at(count["start"], statements)
            claimant = statement.speaker if statement else self.issuer
            if claimant is None:
                continue  # a figure in the reporter's own voice is nobody's claim
            if group_value is None and thing is not None and self._irregulars(thing):
                # '20 rebels were killed', said the army: the armed group the document last named
                group_value = self.finder.memory.last_of_class.get(str(CKG.NonStateArmedGroup))
            if group_value is None and thing_value and statement is not None:
                between = self.text[count["end"]:thing.char_start] if thing else ""
                possessed = re.search(r"\b(its|their|our)\b", between)
                if possessed or (previous is None and kind_value.rsplit("-", 1)[-1] not in MATERIEL_KINDS):
                    # 'no soldiers were captured', '17 of its fighters': the speaker's own side
                    group_value = self._group(self._own_side(claimant), thing_value)
            current = {"kind": kind_value, "thing": thing_value, "group": group_value, "end": count["end"]}
            total = previous if subset else None
            current["variable"] = self._figure(count, stated, group_text, current, claimant, statement, events,
                                               start, end, denial, total)
            previous = total or current  # after '12 killed, including three children', elisions refer to the 12

    def _count_mentions(self, sentence: str, offset: int, denial: bool) -> list[dict]:
        found = []
        taken: list[tuple[int, int]] = []
        numbers = [n for n in conv.find_numbers(sentence) if not n.looks_like_year]
        for first, second in zip(numbers, numbers[1:]):
            # 'between 10 and 15', '10 to 15': one figure, the range
            joined = re.fullmatch(r"\s+(and|to|or)\s+", sentence[first.end:second.start])
            between = re.search(r"\bbetween\s+$", sentence[:first.start], flags=re.IGNORECASE)
            if joined and (between or joined.group(1) == "to") and first.value.value < second.value.value:
                start = between.start() if between else first.start
                value = conv.NumberValue(first.value.value, first.value.low, second.value.high)
                found.append({"start": offset + start, "qstart": offset + start, "end": offset + second.end,
                              "number": value, "quantifier": None, "vague": False})
                taken += [(first.start, first.end), (second.start, second.end)]
        for number in numbers:
            if any(a <= number.start < b for a, b in taken):
                continue
            if self._measure(sentence[number.end:number.end + 16]):
                continue
            q = conv.find_quantifier(sentence[:number.start], self.ctx.conventions)
            qstart = number.start
            if q is not None:
                cue = max((c for c in q.cues if sentence[:number.start].lower().rstrip().endswith(c.lower())),
                          key=len, default="")
                qstart = len(sentence[:number.start].rstrip()) - len(cue)
            found.append({"start": offset + qstart, "qstart": offset + qstart, "end": offset + number.end,
                          "number": number.value, "quantifier": q, "vague": False})
            taken.append((qstart, number.end))  # 'no fewer than 12': its 'no' is no figure of its own
        for vstart, vend, q in conv.find_vague_quantities(sentence, self.ctx.conventions):
            if any(a <= vstart < b or vstart <= a < vend for a, b in taken):
                continue
            if q.implied_max == 0 and not denial and sentence[vstart:vend].lower() == "any":
                continue
            found.append({"start": offset + vstart, "qstart": offset + vstart, "end": offset + vend,
                          "number": None, "quantifier": q, "vague": True})
        return sorted(found, key=lambda c: c["start"])

    def _measure(self, after: str) -> bool:
        """'two days of fighting', '5-km', '40%': the number measures, it does not count."""
        return bool(self.lex.measure_cues) and measure_pattern(self.lex.measure_cues).match(after) is not None

    def _clause_end(self, after: int, limit: int) -> int:
        stop = re.search(r"[;:]|, (and|but|while|including|with)\b|\band that\b", self.text[after:limit])
        return after + stop.start() if stop else limit

    def _elided(self, count: dict, previous: dict) -> bool:
        between = self.text[previous["end"]:count["start"]]
        return bool(re.search(r"\b(and|or)\s*$", between)) or len(between) < 30

    def _irregulars(self, thing: Match) -> bool:
        """'rebels', 'insurgents': words that name a non-state armed group's fighters."""
        words = {c.lower() for c in self.lex.anaphor_cues.get(str(CKG.NonStateArmedGroup), ())}
        return thing.text.lower() in words

    def _subset(self, count: dict, previous: dict) -> bool:
        """'12 people were killed, including three children': the figure counts part of the one before."""
        between = self.text[previous["end"]:count["start"]].lower()
        return any(re.search(rf"\b{re.escape(cue.lower())}[\s,:]*$", between) for cue in self.lex.subset_cues)

    def _followed_by_others(self, count: dict) -> bool:
        return bool(re.match(r"\s+(others|more)\b", self.text[count["end"]:count["end"] + 10]))

    def _own_side(self, claimant: str) -> str | None:
        """The organisation a claimant speaks for: itself, or the organisation of its post."""
        agent = self.out.agents.get(claimant)
        if agent is None or agent.cls == str(CKG.AnonymousSource):
            return agent.state if agent else None
        if agent.cls in (str(CKG.InternationalOrganization), str(CKG.MediaOrganization)):
            return None  # a third party counts other people, not its own
        post = self._post_of(claimant)
        if post and post in self.out.posts:
            return self.out.posts[post].organization
        return claimant if agent.cls != str(CKG.Person) else agent.state

    def _group(self, agent_iri: str | None, thing: str | None) -> str | None:
        """Whose people or things are counted: a state's armed forces, or the state itself."""
        if agent_iri is None:
            return None
        entity = self.lex.entities.get(agent_iri)
        agent = self.out.agents.get(agent_iri)
        if entity is not None and entity.kind == ORGANIZATION and "NonStateArmedGroup" in " ".join(entity.types):
            return agent_iri
        state = self.lex.state_of(agent_iri)
        if state is None and agent is not None and agent.state:
            state = self.lex.entities.get(agent.state)
        if state is None:
            return agent_iri
        notation = thing.rsplit("-", 1)[-1] if thing else ""
        if notation in PEOPLE_THINGS:
            return state.iri
        finder = self.finder
        kind = str(CKG["org-armed-forces"])
        return finder.organization(state.iri, kind).iri

    def _figure(self, count, stated, group_text, current, claimant, statement, events, start, end, denial,
                total: dict | None = None) -> str:
        """Records a figure as a claim (or as another span of the same claim); returns its variable's IRI.

        A part of an earlier figure (``total``) is a subset of the total's variable: the variable of what
        it names ('two commanders'), or one of its own when it names what the total counts ('four')."""
        q = count["quantifier"]
        number = count["number"]
        low, high = conv.interval(q, number)
        kind_iri = current["kind"]
        kind_note = kind_iri.rsplit("-", 1)[-1]
        event_iri = self._variable_event(kind_note, count["end"], start, end)
        variable = self._variable(kind_iri, current["thing"], current["group"], event_iri)
        if total is not None and total.get("variable") in self.out.variables:
            whole = self.out.variables[total["variable"]]
            if variable.iri == whole.iri:  # 'including four' (of the same fighters): a part of its own
                variable = self._subset_variable(whole, current, group_text)
            else:  # 'including two commanders': the commanders' count, part of the total here
                variable.subset_of = variable.subset_of or whole.iri
        side = self._side(claimant)
        # a paraphrase of the same side's figure in the same document is the same claim
        for claim in self.out.claims:
            if claim.variable == variable.iri and claim.side == side and claim.minimum is not None and \
                    (claim.maximum is None or claim.maximum >= low) and (high is None or high >= claim.minimum):
                claim.spans.append(Span(start, end, self.text[start:end]))
                if group_text and group_text not in claim.group_as_stated:
                    claim.group_as_stated.append(group_text)
                return variable.iri
        classes = [str(CKG.QuantityClaim)]
        if denial and high == 0:
            classes.append(str(CKG.Denial))
        self.out.claims.append(Claim(
            iri=iris.minted("claim", self.doc_iri, "figure", count["start"], readable=f"{stated} {kind_note}"),
            classes=classes, claimant=claimant, side=side, attribution=self._attribution(claimant),
            statement=statement.iri if statement else None, spans=[Span(start, end, self.text[start:end])],
            variable=variable.iri, minimum=low, maximum=high, stated=stated,
            group_as_stated=[group_text] if group_text else [], quantifier=q.iri if q else None,
            about_events=[e.iri for e in events if e.cls != str(CKG.ArmedConflict)][:1] or [variable.event],
        ))
        return variable.iri

    def _variable_event(self, kind: str, after: int, start: int, end: int) -> str:
        """Violent counts belong to the document's episode of fighting; others to their period
        (the time expression after the figure, else the sentence's)."""
        if kind in VIOLENT_KINDS or self.reference_time is None:
            return self._episode()
        time = self._time(after, end) or self._time(start, end)
        if time is None:
            return self._episode()
        since = time.earliest_begin.isoformat() if time.earliest_begin else "open"
        iri = iris.minted("period", kind, since, time.latest_end.isoformat(),
                          readable=f"{kind} {time.expression}")
        if iri not in self.out.events:
            self.out.events[iri] = Event(iri=iri, cls=str(CKG.PopulationMovement),
                                         label=f"People {kind}, {time.expression}", time=time)
        return iri

    def _episode(self) -> str:
        """The fighting a document reports: its main parties on its date (shared across documents)."""
        parties = sorted(self.document_parties)
        day = self.reference_time.date().isoformat() if self.reference_time else self.document.id
        codes = [self.lex.entities[p].iso or "" for p in parties]
        iri = iris.minted("episode", *codes, day, readable=f"{'-'.join(codes)} {day}")
        if iri not in self.out.events:
            names = " and ".join(self._label(p) for p in parties) or "unnamed parties"
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

    def _variable(self, kind: str, thing: str | None, group: str | None, event: str) -> Variable:
        iri = iris.minted("variable", kind, thing, group, event,
                          readable=f"{self._label(group)} {kind.rsplit('-', 1)[-1]}")
        if iri not in self.out.variables:
            kind_label = next((k.label for k in self.lex.count_kinds if k.iri == kind), kind)
            thing_label = next((t.label for t in self.lex.counted_things if t.iri == thing), "")
            group_label = self._label(group)
            label = f"{group_label} {thing_label} {kind_label}".replace("  ", " ").strip()
            self.out.variables[iri] = Variable(iri=iri, label=f"{label} ({self._label(event)})", kind=kind,
                                               thing=thing, group=group, event=event)
        return self.out.variables[iri]

    def _subset_variable(self, total: Variable, current: dict, words: str) -> Variable:
        """'including three children' of a total: its own variable, never compared with the total's claims."""
        words = " ".join(words.lower().split()) or "of them"
        iri = iris.minted("variable", total.iri, "subset", current["thing"], current["group"], words,
                          readable=f"{self._label(current['group'] or total.group)} {words} {total.kind.rsplit('-', 1)[-1]}")
        if iri not in self.out.variables:
            self.out.variables[iri] = Variable(iri=iri, label=f"{words}, part of: {total.label}", kind=total.kind,
                                               thing=current["thing"] or total.thing,
                                               group=current["group"] or total.group, event=total.event,
                                               subset_of=total.iri)
        return self.out.variables[iri]

    # ---------------------------------------------------------------- denials, accusations, appeals
    def _speech_claims(self, start, end, matches, mentions, statements, cues, events) -> None:
        if not statements:
            return
        for cue in cues:
            if cue.category != "claimcue":
                continue
            statement = self.statement_at(cue.char_start, statements)
            after = [m for m in mentions if m.start >= cue.char_end and not m.place and m.iri != statement.speaker]
            claim = Claim(
                iri=iris.minted("claim", self.doc_iri, cue.value, cue.char_start,
                                readable=f"{self._label(statement.speaker)} {cue.value.rsplit('#', 1)[-1]}"),
                classes=[cue.value], claimant=statement.speaker, side=self._side(statement.speaker),
                attribution=self._attribution(statement.speaker), statement=statement.iri,
                spans=[Span(start, end, self.text[start:end])], quote=self.text[cue.char_start:end].strip(),
                about_events=[e.iri for e in events],
            )
            if cue.value == str(CKG.Appeal):
                claim.addressees = self._addressees(after, cue)
                claim.appeal_for = sorted({m.value for m in matches if m.category == "appeal"})
                codes = [c.extra.get("defaultCameoCode") for c in self.lex.appeal_kinds if c.iri in claim.appeal_for]
                statement.cameo = next((c for c in codes if c), statement.cameo)
            elif cue.value == str(CKG.Accusation):
                claim.accused = [m.iri for m in after[:1]]
            if any(c.iri == claim.iri for c in self.out.claims):
                continue
            if cue.value == str(CKG.Denial) and any(
                    str(CKG.Denial) in c.classes and c.variable and c.spans[0].start == start for c in self.out.claims):
                continue
            self.out.claims.append(claim)

    def _addressees(self, after: list[Mention], cue: Match) -> list[str]:
        text = self.text[cue.char_end:cue.char_end + 40].lower()
        if re.match(r"\s*(on\s+)?(both|the two)\s+(sides|countries|parties|governments)", text):
            return self._main_parties()
        names = []
        for m in after:
            if m.start - cue.char_end > 60:
                break
            if m.kind in (STATE, ORGANIZATION, PERSON) and m.iri not in names:
                names.append(self._side(m.iri) if m.kind == STATE else m.iri)
        return [n for n in names if n]


def extract(ctx: Context, document: Document) -> Extraction:
    return DocumentExtractor(ctx, document).run()
