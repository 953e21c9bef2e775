"""Events: strikes, clashes, operations, ceasefires and mediation, with their actors and places.

An event trigger of the lexicon is an event of its class, one per class and place in a
document for violent events; a place trigger ('seized') is one only with a place for its
object. Its actor comes from 'by X', the agent right before it or the subject its clause begins
with (a pronoun standing for the agent named before it, 'the army said it struck' for the
speaker; never a news outlet); its places from its stretch of the sentence, a state it aims at
('strikes on Iran') among them, or, for 'the strike', from the sentence before. Whoever reports
it claims it.
"""
from __future__ import annotations

import dataclasses
import re

import rdflib

from .. import iris
from ..lexicon import CKG
from ..matching import Match
from ..mentions import ORGANIZATION, PERSON, PLACE, PRONOUNS, STATE, Mention
from ..model import Claim, Event, Span, Statement
from ..reading import PASSIVE_AUXILIARIES, Found, Reading, Sentence

GENERIC_FIGHTING = {str(CKG.ViolentEvent), str(CKG.ArmedClash), str(CKG.Strike)}
"""Unplaced, unnamed mentions of these are the document's episode of fighting."""
PLACED_ONLY = {str(CKG.Airstrike), str(CKG.ShellingAttack), str(CKG.CrossBorderAttack), str(CKG.Strike),
               str(CKG.ArmedClash), str(CKG.ViolentEvent)}
"""Violent events are one per class and place in a document; other events one per mention."""
VIOLENT_CLASSES = PLACED_ONLY | {str(CKG.MilitaryOperation)}
COERCIVE_CLASSES = {str(CKG.Crackdown), str(CKG.Expulsion)}
UNREAL = re.compile(r"\b(?:to (?:stop|halt|end|cease|prevent|avoid|launch|carry out|conduct|begin|start|resume)"
                    r"|refrain from|threaten(?:ed|s)? (?:to|with|of)|warn(?:ed|s)? of|would|will|could|might|plans? to"
                    r"|planned|vow(?:ed|s)? to|ready to|prepared to)\s+(?:\w+\s+){0,3}$", re.I)
"""Words before a strike that make it wished, feared or denied, not reported as having happened."""
CIVIL_BEFORE = re.compile(r"\b(?:in|humanitarian|rescue|relief|aid|evacuation|medical|surgical|emergency|"
                          r"search-and-rescue|peacekeeping)\s+$", re.I)
"""Words before 'operation' that make it rescue, relief or surgery, or a body at work ('in operation');
a named one ('killed in Operation X') is military whatever stands before it."""
CIVIL_AFTER = re.compile(r"\s+(?:performed|to\s+(?:help|assist|evacuate|rescue|bring\s+out|deliver|supply|feed|"
                         r"treat|vaccinate|repatriate|reunite))\b", re.I)
"""Words after 'operation' that make it surgery or relief: 'operations performed', 'an operation to help civilians'."""
PAST_VERB = re.compile(r"(?:ed|struck|overran|hit)$")
"""A trigger that is a verb in the past tense ('shelled', 'struck') tells of a strike the paragraph is about."""
FRONTED_LOCATIVE = re.compile(r"[\s*“\"]*(?:In|At|Across|Near|Inside|Around|Outside)\b[^,.;:]{1,80},")
"""A sentence that opens on where: 'In eastern Ukraine, …'."""
CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:but|while|as(?!\s+well\b)|which|who|after|before|when|where)\b"
                          r"|\band\s+(?:it|they|he|she|we)\b|\s(?:before|while|when)\s")
"""Where the stretch of a trigger ends: places past it are another clause's ('…, and it came before
talks in Rome')."""
SPEAKER_ACTS = re.compile(r"\s+(?:[^,.;:]{0,60}?\s)?(?:that\s+)?(?:it|they|we|its|their|our)\s[^,.;:]{0,60}$", re.I)
"""After a verb of speech, the speaker's own pronoun before the trigger, in one stretch: the speaker acted."""
ADJECTIVE_BEFORE = re.compile(r"(?:-|\b(?:in|into|the|a|an|of|from|to|at|on|near|its|their|newly|recently)\s+)$", re.I)
"""Before a participle, what makes it an adjective ('X-occupied', 'in occupied X', 'the newly seized town')."""
PLACE_OBJECT = re.compile(r"\s+(?:(?!(?:in|on|at|by|from|to|into|with|after|during|near|for|over|under|across"
                          r"|around|place|part|and|or)\b)[\w-]+\s+|(?:territory|ground|areas?|parts?)\s+"
                          r"(?:in|across|around)\s+){0,6}", re.I)
"""Between a place trigger and the place it acts on: its object's words, no preposition but 'of'."""
CLAIMED = re.compile(r"\s+(?:has\s+|have\s+|had\s+)?claimed\s+(?:responsibility\s+for\s+)?(?:[\w'’-]+,?\s+){0,6}",
                     re.I)
"""Between a group and an attack it owns to: 'X claimed the attack', 'X has claimed responsibility for
Sunday's bomb attack', 'X claimed one of those attacks, the deadly bombing'."""
CLAIMED_BY = re.compile(r"[^.;:]{0,80}?,\s+(?:which\s+was\s+)?claimed\s+by\s+(?:the\s+)?", re.I)
"""After an attack, before the group that owned to it: 'the attack on X, claimed by Y'."""
TARGET = re.compile(r"\b(?:on|against|into|at)\s+(?:the\s+)?(?:(?:north|south|east|west)\w*\s+|central\s+)?$", re.I)
"""Words before a state that a strike aims at ('strikes on', 'rockets fired into southern')."""
STRETCH = 150
"""The most characters after a trigger that its places may stand in."""
COORDINATED = re.compile(r"\s*(,|and|, and)\s+(the\s+)?")
BROKER_VERBS = r"(?:brokered|mediated|negotiated|sponsored)"
BROKERED_BEFORE = re.compile(rf"-{BROKER_VERBS}(?:\s+[\w-]+){{0,2}}\s+")
"""'Moscow-brokered ceasefire', 'a Qatari-mediated truce', 'US-brokered peace deal'."""
BROKERED_AFTER = re.compile(rf"[\s,]+(?:(?:that|which)\s+(?:was|were)\s+)?{BROKER_VERBS}\s+(?:\w+\s+){{0,3}}?by\s+(?:the\s+)?")
"""'a ceasefire brokered by Qatar', 'the truce, mediated last year by Egypt and Qatar'."""
PARTIES_EVENTS = {str(CKG.MediationEffort), str(CKG.Ceasefire), str(CKG.MultilateralMechanism)}


class Events:
    """The events a sentence reports, and who claims them."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.text = reading.text
        self.previous_places: tuple[int, list[Mention]] = (-1, [])
        """The paragraph and places of the last sentence that named any: a strike with no place of
        its own took place where the sentence before says."""

    def __call__(self, sentence: Sentence, found: Found) -> None:
        reading = self.reading
        triggers = self._best_triggers(sentence)
        events = found.events
        mentions = sentence.mentions
        places = [m for m in mentions if m.place and m.start >= reading.dateline_end]  # no filing city
        places += self._targeted_states(sentence, triggers)
        appeal = any(m.value == str(CKG.Appeal) for m in sentence.of("claimcue"))
        agents = [(m.start, m.end) for m in mentions if not m.place and m.kind in (ORGANIZATION, PERSON)]
        for trig in triggers:
            if any(a <= trig.char_start < b for a, b in agents):
                continue  # 'the Emergency Operations Centre': a word of a name, not an event
            cls = next(c for c in reading.lex.event_classes if c.iri == trig.value)
            if cls.iri == str(CKG.ArmedConflict) or (appeal and cls.iri == str(CKG.Ceasefire)):
                continue
            before = self.text[max(sentence.start, trig.char_start - 60):trig.char_start]
            if cls.iri in VIOLENT_CLASSES | COERCIVE_CLASSES and UNREAL.search(before):
                continue  # 'undertook to stop shelling and air strikes', 'threatened to launch an offensive'
            after = self.text[trig.char_end:min(sentence.end, trig.char_end + 40)]
            if trig.text.startswith("operation") and (CIVIL_BEFORE.search(before) or CIVIL_AFTER.match(after)):
                continue  # 'a rescue operation', 'bakeries in operation', 'an operation to evacuate the wounded'
            name = self._operation_name(trig) if cls.iri == str(CKG.MilitaryOperation) else None
            near_places = self._places_for(trig, places, triggers) or self._fronted_places(sentence, places)
            told_again = (trig.start > 0 and reading.doc[trig.start - 1].lower_ in ("the", "this", "that")) or \
                PAST_VERB.search(trig.text.lower())
            if (not near_places and not places and cls.iri in VIOLENT_CLASSES and told_again
                    and self.previous_places[0] == sentence.paragraph):
                near_places = self.previous_places[1]  # 'the strike', 'troops struck': where the paragraph last placed
            actors = self._actors_for(trig, sentence) or self._subject_actor(trig, sentence, found.statements)
            time = reading.time(sentence.start, sentence.end)
            specific = [p for p in near_places if p.kind == PLACE]
            for place in specific or near_places or [None]:
                events.append(self._event(cls, trig, name, place, actors, time, sentence, found.statements))
        mediations = [e for e in events if e.cls == str(CKG.MediationEffort)]
        for ceasefire in (e for e in events if e.cls == str(CKG.Ceasefire)):
            for mediation in mediations:
                if ceasefire.iri not in mediation.resulted_in:
                    mediation.resulted_in.append(ceasefire.iri)
                ceasefire.parties = list(mediation.parties)
                ceasefire.mediators = list(mediation.mediators)
        if places:
            self.previous_places = (sentence.paragraph, places)

    def _best_triggers(self, sentence: Sentence) -> list[Match]:
        """Overlapping triggers: keep the longest, then the most specific class."""
        depth = {c.iri: c.depth for c in self.reading.lex.event_classes}
        found = sentence.of("trigger") + [m for m in sentence.of("placetrigger") if self._acts_on_place(m, sentence)]
        triggers = sorted(found, key=lambda m: (-(m.char_end - m.char_start), -depth.get(m.value, 0)))
        chosen: list[Match] = []
        for m in triggers:
            if not any(m.char_start < c.char_end and c.char_start < m.char_end for c in chosen):
                chosen.append(m)
        return sorted(chosen, key=lambda m: m.char_start)

    def _acts_on_place(self, verb: Match, sentence: Sentence) -> bool:
        """'seized Kazgeil', 'took back large parts of the X region', 'entered the town of X': a
        place trigger whose object is a place; not 'was captured in X', 'took place in X', 'in occupied X'."""
        doc = self.reading.doc
        if ADJECTIVE_BEFORE.search(self.text, max(0, verb.char_start - 12), verb.char_start) or any(
                t.lower_ in PASSIVE_AUXILIARIES for t in doc[max(verb.start - 2, 0):verb.start]):
            return False  # 'the X-occupied region', 'in occupied X': an adjective, no verb
        return any(PLACE_OBJECT.fullmatch(self.text, verb.char_end, p.start)
                   for p in sentence.mentions if p.place and p.start >= verb.char_end)

    def _operation_name(self, trig: Match) -> str | None:
        if not trig.text[:1].isupper() or trig.text.lower().endswith("s"):
            return None  # 'Operations Room' names a place or a body, not an operation
        doc = self.reading.doc
        named = self.reading.finder.name_after(trig.end, len(self.text))
        if named is None:
            token = trig.end
            if token < len(doc) and doc[token].text[:1].isupper():
                named = (token, token + 1)
        if named is None:
            return None
        return f"{trig.text} {doc[named[0]:named[1]].text}"

    def _places_for(self, trig: Match, places: list[Mention], triggers: list[Match]) -> list[Mention]:
        """Places in the trigger's stretch of the sentence (up to the next trigger or clause)."""
        following = [t.char_start for t in triggers if t.char_start > trig.char_start]
        limit = min(following + [trig.char_end + STRETCH])
        stop = CLAUSE_BREAK.search(self.text, trig.char_end, limit)
        limit = stop.start() if stop else limit
        return [p for p in places if trig.char_end <= p.start < limit or 0 <= trig.char_start - p.end < 25]

    def _targeted_states(self, sentence: Sentence, triggers: list[Match]) -> list[Mention]:
        """'Israel launched strikes on Iran', 'rockets fired into Israel', 'attacks against Pakistan':
        a state a violent trigger's stretch aims at is where it struck, as territory."""
        found = []
        for m in sentence.mentions:
            if m.kind != STATE or m.place or not TARGET.search(self.text, max(sentence.start, m.start - 30), m.start):
                continue
            if any(t.char_end <= m.start and self._in_stretch(t, m, triggers) for t in triggers):
                found.append(dataclasses.replace(m, place=True))
        return found

    def _in_stretch(self, trig: Match, mention: Mention, triggers: list[Match]) -> bool:
        classes = VIOLENT_CLASSES | COERCIVE_CLASSES
        if trig.value not in classes:
            return False
        following = [t.char_start for t in triggers if t.char_start > trig.char_start]
        limit = min(following + [trig.char_end + STRETCH])
        stop = CLAUSE_BREAK.search(self.text, trig.char_end, limit)
        return mention.start < (stop.start() if stop else limit)

    def _fronted_places(self, sentence: Sentence, places: list[Mention]) -> list[Mention]:
        """'In the northern Gaza Strip, troops killed ten in several encounters': a place the
        sentence opens with sets the scene for all it reports."""
        fronted = FRONTED_LOCATIVE.match(self.text, sentence.start, sentence.end)
        return [p for p in places if fronted and p.end <= fronted.end()]

    def _can_act(self, mention: Mention) -> bool:
        """A state or an organisation, named in the text proper, that is not a news outlet: the agency
        of a dateline ('BOGOTA, Jan 19 (AFP) -') or one that 'reported the bombing' carried out nothing."""
        if mention.place or mention.kind not in (STATE, ORGANIZATION) or mention.start < self.reading.dateline_end:
            return False
        media = str(CKG.MediaOrganization)
        entity = self.reading.lex.entities.get(mention.iri)
        if entity is not None:  # a known body is what the knowledge base says, though it published the text
            return media not in entity.types
        agent = self.reading.out.agents.get(mention.iri)
        return agent is None or agent.cls != media

    def _agents(self, sentence: Sentence) -> list[Mention]:
        """The sentence's possible actors, a pronoun standing for the last of them before it ('Hezbollah
        said it had fired rockets', 'Israel has struck the city outside the suburb it has bombed'); a
        pronoun with none before it keeps what the sentences before made of it."""
        found: list[Mention] = []
        places = [p.end for p in sentence.mentions if p.place]
        for m in sentence.mentions:
            if not self._can_act(m) or (m.kind == STATE and any(
                    re.fullmatch(r",\s*", self.text[end:m.start]) for end in places if end <= m.start)):
                continue  # 'near the town of Jilib, Somalia,': where the place is, no actor
            if m.text.lower() in PRONOUNS:
                antecedent = next((a for a in reversed(found) if a.text.lower() not in PRONOUNS), None)
                if antecedent is not None:
                    m = dataclasses.replace(m, iri=antecedent.iri, kind=antecedent.kind)
            found.append(m)
        return found

    def _actors_for(self, trig: Match, sentence: Sentence) -> list[str]:
        agents = self._agents(sentence)
        # 'an air strike by the Myanmar military', 'shelling by the RSF': the agent after 'by'
        after = [m for m in agents if m.start >= trig.char_end
                 and re.fullmatch(r"\s+(?:\w+\s+){0,3}?by\s+(?:the\s+)?", self.text[trig.char_end:m.start])]
        if after:
            return [self.reading.acting(after[0])]
        claimed = next((m for m in agents if m.start >= trig.char_end
                        and CLAIMED_BY.fullmatch(self.text, trig.char_end, m.start)), None)
        if claimed is not None:  # 'the attack on the base, claimed by X'
            return [self.reading.acting(claimed)]
        before = [m for m in agents if m.end <= trig.char_start]
        if before:
            nearest = before[-1]
            between = self.text[nearest.end:trig.char_start]
            if len(between) < 40 and not re.search(r"\b(on|against|in|by)\b", between):
                return [self.reading.acting(nearest)]
        return []

    def _subject_actor(self, trig: Match, sentence: Sentence, statements: list[Statement]) -> list[str]:
        """'Russia launched 74 drones and three missiles in an overnight attack': the agent the
        clause of the trigger begins with, unless it is saying so ('the army said it …'); an army's
        own release ('troops of the army struck …') tells of what the army did."""
        speakers = {s.speaker for s in statements}
        fronted = FRONTED_LOCATIVE.match(self.text, sentence.start, sentence.end)
        start = fronted.end() if fronted and fronted.end() < trig.char_start else sentence.start
        starts = [start] + [m.end() for m in re.finditer(
            r"[;:]\s*|, (?:and|but|while) |\bthat\s+", self.text[start:trig.char_start])]
        clause = start if len(starts) == 1 else start + starts[-1]
        if re.match(r"[\s“\"]*(?:it|they|we)\s", self.text[clause:trig.char_start], re.I):
            before = [a for a in self._agents(sentence) if a.end <= clause and a.text.lower() not in PRONOUNS]
            return [self.reading.acting(before[-1])] if before else []  # 'the army said that it struck …'
        subject = next((m for m in sentence.mentions if clause <= m.start < trig.char_start and not m.place), None)
        if (subject is not None and self._can_act(subject)
                and CLAIMED.fullmatch(self.text, subject.end, trig.char_start)):
            return [self.reading.acting(subject)]  # 'X claimed the attack': who owns to it carried it out
        cue = next((c for c in sentence.of("speech") if subject is not None
                    and subject.end <= c.char_start < trig.char_start), None)
        speaking = subject is not None and subject.iri in speakers and cue is not None
        if speaking and SPEAKER_ACTS.match(self.text, cue.char_end, trig.char_start):
            speaking = False  # 'Hezbollah said it had fired rockets', 'admitted that its aircraft had bombed'
        if (subject is None or subject.kind not in (STATE, ORGANIZATION) or speaking or not self._can_act(subject)
                or not re.fullmatch(r"[\s“\"]*(the\s+)?", self.text[clause:subject.start], re.I)
                or re.match(r"\s*(’s|'s)\b", self.text[subject.end:subject.end + 3])):
            return []  # only the agent the clause begins with, as its subject
        return [self.reading.acting(subject)]

    def _event(self, cls, trig: Match, name, place, actors, time, sentence: Sentence, statements) -> Event:
        reading, out = self.reading, self.reading.out
        place_iri = place.iri if place is not None else None
        place_label = reading.label(place_iri) if place_iri else None
        if name:
            iri = iris.minted("event", "operation", name, readable=name)
            label = name
        elif place_iri is None and (cls.iri in GENERIC_FIGHTING or (cls.iri in VIOLENT_CLASSES and not actors)):
            iri, label = reading.episode(), None  # 'the operations', 'shelling' with no one and nowhere: the fighting
        else:
            one_per_place = PLACED_ONLY | {str(CKG.Ceasefire)}  # 'the truce' again is the same truce
            key = (cls.iri, place_iri) if place_iri or cls.iri in one_per_place else (cls.iri, sentence.start)
            iri = iris.minted("event", reading.doc_iri, *key, readable=f"{cls.label} {place_label or ''}")
            label = f"{cls.label[:1].upper()}{cls.label[1:]}" + (f" in {place_label}" if place_label else "")
        event = out.events.get(iri)
        if event is None:
            event = Event(iri=iri, cls=cls.iri, label=label or cls.label, name=name, cameo=cls.cameo, acled=cls.acled)
            out.events[iri] = event
        event.spans.append(Span(trig.char_start, trig.char_end, trig.text))
        if place_iri and place_iri not in event.places:
            event.places.append(place_iri)
            state = reading.lex.state_of(place_iri)
            if state and actors and state.iri not in actors and state.iri not in event.targeted:
                event.targeted.append(state.iri)
        for actor in actors if cls.iri not in PARTIES_EVENTS else []:
            if actor not in event.initiated_by and actor not in event.parties:
                event.initiated_by.append(actor)
        if time and event.time is None:
            event.time = time
        if cls.iri in PARTIES_EVENTS:
            self._parties(event, trig, sentence, statements)
        claimants = [s.speaker for s in statements] or [out.publisher]
        for claimant in claimants:
            self._event_claim(event, claimant, statements, Span(trig.char_start, trig.char_end, trig.text))
        return event

    def _parties(self, event: Event, trig: Match, sentence: Sentence, statements) -> None:
        reading = self.reading
        media = str(CKG.MediaOrganization)
        agents = [m for m in sentence.mentions if m.kind in (STATE, ORGANIZATION) and not m.place
                  and getattr(reading.out.agents.get(m.iri), "cls", None) != media]  # who reports is no party
        before = [m.iri for m in agents if m.end <= trig.char_start]
        after = [m.iri for m in agents if m.start >= trig.char_end]
        if event.cls == str(CKG.MediationEffort):
            # 'mediated by Qatar', 'with the mediation of Russia', 'talks under the auspices of the AU'
            by_pattern = r"\s+(the\s+)?" if trig.text.lower().endswith(" by") else \
                r"\s+(?:by|of|under(?:\s+the\s+auspices\s+of)?)\s+(the\s+)?"
            by = [m for m in agents if m.start >= trig.char_end
                  and re.fullmatch(by_pattern, self.text[trig.char_end:m.start])]
            if by:  # 'mediated by Qatar and Türkiye', 'brokered by Malaysia and the United States'
                mediators = [reading.acting(m) for m in self._coordinated(by[0], agents)]
                before = [b for b in before if b not in mediators]
                after = [a for a in after if a not in mediators]
            else:
                mediators = before or [s.speaker for s in statements]
                before = []
            for m in mediators:
                if m not in event.mediators:
                    event.mediators.append(m)
            parties = [a for a in before + after if a not in event.mediators] or \
                reading.main_parties(exclude=event.mediators)
            between = re.match(r"\s+between\s", self.text[trig.char_end:trig.char_end + 12])
            following = [m for m in agents if m.start >= trig.char_end]
            if between and len(following) >= 2 and re.fullmatch(r"\s+and\s+(the\s+)?",
                                                                 self.text[following[0].end:following[1].start]):
                parties = [following[0].iri, following[1].iri]  # 'between Kinshasa and Kigali', and no more
        else:
            for m in self._brokers(trig, agents):  # 'a Moscow-brokered ceasefire', 'a truce brokered by Qatar'
                if reading.acting(m) not in event.mediators:
                    event.mediators.append(reading.acting(m))
            parties = [a for a in before + after if a not in event.mediators] or \
                reading.main_parties(exclude=event.mediators)
        for p in parties:
            if p not in event.parties:
                event.parties.append(p)

    def _brokers(self, trig: Match, agents: list) -> list:
        """Who brokered an agreement: named in a compound right before it ('a Moscow-brokered
        ceasefire') or after 'brokered by' right after it, with those coordinated with them."""
        text = self.text
        compound = [m for m in agents if m.end <= trig.char_start
                    and BROKERED_BEFORE.fullmatch(text[m.end:trig.char_start])]
        if compound:
            return compound[-1:]
        by = next((m for m in agents if m.start >= trig.char_end
                   and BROKERED_AFTER.fullmatch(text[trig.char_end:m.start])), None)
        return [] if by is None else self._coordinated(by, agents)

    def _coordinated(self, first, agents: list) -> list:
        """'Qatar and Türkiye', 'Malaysia and the United States': the agents coordinated with the first."""
        chain = [first]
        for m in agents:
            if m.start > chain[-1].end and COORDINATED.fullmatch(self.text[chain[-1].end:m.start]):
                chain.append(m)
        return chain

    def _event_claim(self, event: Event, claimant: str, statements, span: Span) -> None:
        reading, out = self.reading, self.reading.out
        statement = next((s for s in statements if s.speaker == claimant), None)
        iri = iris.minted("claim", reading.doc_iri, "event", event.iri, claimant,
                          readable=f"{reading.label(claimant)} on {event.label}")
        existing = next((c for c in out.claims if c.iri == iri), None)
        if existing:
            existing.spans.append(span)
            return
        out.claims.append(Claim(
            iri=iri, classes=[str(CKG.EventClaim)], claimant=claimant, side=reading.side(claimant),
            attribution=reading.attribution(claimant), statement=statement.iri if statement else None,
            spans=[span], about_events=[event.iri]))


def link_operations(reading: Reading) -> None:
    """Unnamed mentions of an operation are the named one when the document names one."""
    out = reading.out
    named = [e for e in out.events.values() if e.name and e.cls == str(CKG.MilitaryOperation)]
    if len(named) != 1:
        return
    target = named[0]
    for event in list(out.events.values()):
        if event is target or event.cls != target.cls or event.name:
            continue
        target.spans += event.spans
        target.initiated_by += [a for a in event.initiated_by if a not in target.initiated_by]
        target.time = target.time or event.time
        _redirect_claims(reading, event.iri, target.iri)
        del out.events[event.iri]


def broker_ceasefires(reading: Reading) -> None:
    """'Baku and Yerevan agreed to a ceasefire. The breakthrough came at talks mediated by Qatar
    and Turkey': a truce no one is said to have brokered came of the talks the article tells of."""
    events = list(reading.out.events.values())
    talks = [e for e in events if e.cls == str(CKG.MediationEffort) and e.mediators]
    if not talks:
        return
    for ceasefire in (e for e in events if e.cls == str(CKG.Ceasefire) and not e.mediators):
        for mediation in talks:
            ceasefire.mediators += [m for m in mediation.mediators if m not in ceasefire.mediators]
            ceasefire.parties = [p for p in ceasefire.parties if p not in ceasefire.mediators]  # no party to it
            if ceasefire.iri not in mediation.resulted_in:
                mediation.resulted_in.append(ceasefire.iri)


def merge_generic_events(reading: Reading) -> None:
    """'strikes on Kharkiv' after 'airstrikes in Kharkiv': the generic mention is the specific event."""
    out, graph = reading.out, reading.lex.graph
    events = list(out.events.values())
    for event in events:
        if event.name or event.iri not in out.events or not event.places:
            continue
        cls = rdflib.URIRef(event.cls)
        for other in events:
            if other is event or other.iri not in out.events or set(other.places) != set(event.places):
                continue
            if cls in set(graph.transitive_objects(rdflib.URIRef(other.cls), rdflib.RDFS.subClassOf)) and other.cls != event.cls:
                other.spans += event.spans
                other.initiated_by += [a for a in event.initiated_by if a not in other.initiated_by]
                _redirect_claims(reading, event.iri, other.iri)
                del out.events[event.iri]
                break


def _redirect_claims(reading: Reading, old: str, new: str) -> None:
    for claim in reading.out.claims:
        claim.about_events = [new if e == old else e for e in claim.about_events]
