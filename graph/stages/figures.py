"""Figures: counts of the killed, wounded, captured, displaced, destroyed, as claims.

A number (or 'several', 'no fewer than 12', 'between 10 and 15') with a count kind after it
or just before it is a figure; the counted thing and group follow it ('12 soldiers of the
army'); 'including three children' is part of the figure before it; '..., and 40 wounded'
takes the kind it elides from the figure before. Whoever speaks in the sentence claims it;
a figure in the reporter's own voice is nobody's claim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .. import conventions as conv
from .. import iris
from ..lexicon import CKG
from ..matching import Match
from ..mentions import ORGANIZATION, STATE, Mention
from ..model import Claim, Event, Span, Statement, Variable
from ..reading import PASSIVE_AUXILIARIES, Found, Reading, Sentence

VIOLENT_KINDS = {"killed", "wounded", "captured", "missing", "destroyed", "damaged", "seized"}
MATERIEL_KINDS = {"destroyed", "damaged", "seized"}
"""Counts of what a side did to things: with no owner named, they are nobody's in particular
('98 drones were shot down'), unlike 'no soldiers were captured', which is the speaker's own."""
PEOPLE_THINGS = {"civilians", "people", "refugees"}
PERSONNEL_THINGS = {"personnel", "commanders"}
CLAUSE_STOP = re.compile(r"[;:]|, (and|but|while|including|with)\b|\band that\b|\band (we|they|he|she|it)\b")
"""'... two pickups, and we destroyed four vehicles': a new subject opens a new clause."""
PART_OF_THEM = re.compile(r"\s+of\s+(?:them|whom|which)\b", re.I)
"""', four of them seriously', ', two of whom were children', ', two of which are unidentified': a part of
the figure before."""
AMONG = re.compile(r"\bamong\s+(the\s+)?$", re.I)
"""'… were among the 40 killed': the figures before are a part of the one after."""
DESIGNATOR = re.compile(r"\b[A-Z][A-Za-z]{0,3}-$")
"""'F-16', 'MiG-29', 'Kh-59': a number joined to a model's letters names the model, it counts nothing."""
MAGNITUDE = 24
"""A number-less quantity from this up (dozens, hundreds ...) counts people by itself beside its verb."""


NOBODY = re.compile(r"\b(?:no[- ]one|nobody)\b", re.I)
"""'no one was killed', 'nobody was hurt': a zero count of people with no noun after it."""
COORDINATED_KIND = re.compile(r"\s+(?:or|and)\s+")
"""'killed or wounded': one figure, a count of each kind."""

LOST_BEFORE = re.compile(r"\s+(?:army\s+|forces\s+|side\s+)?(?:has\s+|had\s+|have\s+)?(?:lost|loses)\s+(?:\w+\s+){0,2}")
"""Between a party and a figure: 'X had lost about 550'."""


@lru_cache(maxsize=8)
def measure_pattern(cues: tuple[str, ...]) -> re.Pattern:
    """A measure cue right after a number (optionally hyphenated, optionally plural)."""
    words = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
    return re.compile(rf"[\s-]?(?:{words})(?:e?s)?(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Count:
    """A stated quantity in the text: where it stands and what it says."""
    start: int
    end: int
    number: conv.NumberValue | None
    quantifier: conv.Quantifier | None
    people: bool = False
    """'no one', 'nobody': the words count people themselves."""

    @property
    def vague(self) -> bool:
        """'several', 'dozens': a quantifier with no number."""
        return self.number is None


@dataclass(frozen=True)
class Counted:
    """What a figure counts: the kind of count, the thing and whose it is; and its variable once recorded."""
    kind: str
    thing: str | None
    group: str | None
    end: int
    variable: str | None = None
    """The variable the figure was recorded under."""
    counts: str | None = None
    """The variable of what it counts, before a list told its items apart."""


class Figures:
    """The figures a sentence states, each its speaker's (or the issuer's) quantity claim."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.text = reading.text

    def __call__(self, sentence: Sentence, found: Found) -> None:
        start, end = sentence.start, sentence.end
        denial = any(c.value == str(CKG.Denial) for c in sentence.cues if c.category == "claimcue")
        counts = self.counts(sentence, denial)
        kinds = sentence.of("kind")
        things = sentence.of("thing")
        groups = [m for m in sentence.mentions if m.kind in (STATE, ORGANIZATION)]
        previous: Counted | None = None
        for index, count in enumerate(counts):
            limit = counts[index + 1].start if index + 1 < len(counts) else end
            clause_end = self._clause_end(count.end, limit)
            if self._counts_events(count, sentence):
                continue  # '15 strikes killed seven civilians': the strikes are no victims
            kind = self._kind(count, kinds, clause_end, previous, self._list_kind(index, counts, kinds, end))
            subset = previous is not None and self._subset(count, previous)
            if previous is not None and (subset or (kind is None and self._elided(count, previous))):
                kind_value = previous.kind  # a part of a figure counts what the whole counts
            elif kind is not None:
                kind_value = kind.value
            else:
                continue
            thing = next((t for t in things if count.end <= t.char_start < min(clause_end, count.end + 40)), None)
            people = count.people or (count.vague and kind is not None and self._kind_noun_after(count, kind))
            if thing is None and count.vague and previous is None and not self._followed_by_others(count) and not people:
                continue  # "several" alone is only a figure when a noun follows it
            group = None
            if thing is not None or previous is None:
                group = next((g for g in groups if count.end <= g.start < (thing.char_start if thing else clause_end)), None)
            if group is None and thing is not None:
                # 'fighters of the Rapid Support Forces'
                group = next((g for g in groups if re.fullmatch(r"\s+of(\s+the)?\s+", self.text[thing.char_end:g.start])), None)
            if group is None:
                group = self._losing_side(count, thing, groups)
            thing_value = thing.value if thing else (previous.thing if previous else None)
            if thing is None and people:
                thing_value = str(CKG["thing-people"])  # 'no one was killed', 'no loss of life'
            if thing is not None and thing.value == str(CKG["thing-people"]) and previous and thing.text.lower() == "others":
                thing_value = previous.thing
            if kind_value == str(CKG["kind-killed"]) and thing_value and \
                    thing_value.rsplit("-", 1)[-1] not in PEOPLE_THINGS | PERSONNEL_THINGS:
                kind_value = str(CKG["kind-destroyed"])  # 'lost two tanks', 'eliminated three posts': things are destroyed
            group_value = self._group(group.iri if group else (previous.group if previous else None), thing_value)
            statement = found.statement_at(count.start) or self._speech_goes_on(sentence)
            claimant = statement.speaker if statement else self.reading.issuer
            if claimant is None:
                continue  # a figure in the reporter's own voice is nobody's claim
            if group_value is None and thing is not None and self._irregulars(thing):
                # '20 rebels were killed', said the army: the armed group the document last named
                group_value = self.reading.finder.memory.last_of_class.get(str(CKG.NonStateArmedGroup))
            if group_value is None and thing_value and statement is not None and self._done_by_speaker(count, kinds):
                # 'its fighters had killed 17 soldiers': the speaker's side did it; the dead are the other side's
                own = self.reading.side(claimant)
                home = self.reading.finder.default_state
                others = self.reading.main_parties(exclude=[own or ""]) or ([home] if home and home != own else [])
                group_value = self._group(others[0], thing_value) if others else None
            elif group_value is None and thing_value and statement is not None:
                between = self.text[count.end:thing.char_start] if thing else ""
                possessed = re.search(r"\b(its|their|our)\b", between)
                if possessed or (previous is None and kind_value.rsplit("-", 1)[-1] not in MATERIEL_KINDS):
                    # 'no soldiers were captured', '17 of its fighters': the speaker's own side
                    group_value = self._group(self._own_side(claimant), thing_value)
            current = Counted(kind_value, thing_value, group_value, count.end)
            total = previous if subset else None
            group_text = self.text[count.end:thing.char_end].strip() if thing else ""
            if thing is None and previous is not None and not subset:
                group_text = self._item_words(count, clause_end, kinds)
            listed = previous if previous is not None and not subset and group_text else None
            variable, counts_variable = self._figure(count, group_text, current, claimant, statement, found.events,
                                                     sentence, denial, total, listed)
            current = replace(current, variable=variable, counts=counts_variable)
            for also in self._coordinated_kinds(kind, kinds) if kind is not None and self._zero(count) else []:
                # 'no one was killed or wounded': none of either ('three were killed or wounded' is one count)
                self._figure(count, group_text, Counted(also.value, thing_value, group_value, count.end), claimant,
                             statement, found.events, sentence, denial, None, None)
            previous = total or current  # after '12 killed, including three children', elisions refer to the 12

    def _speech_goes_on(self, sentence: Sentence) -> Statement | None:
        """'X said ... . Three people died in Kotli.': a sentence with no speaker of its own, right
        after one with a speaker in the same paragraph, goes on with that speaker's account."""
        spoken = self.reading.last_spoken  # '…, he said. Nine were …': the last sentence anyone spoke in
        if spoken is None or spoken[2] != sentence.paragraph:
            return None
        last, end, _ = spoken
        return last if not self.text[end:sentence.start].strip() else None

    # ---------------------------------------------------------------- finding the figures
    def counts(self, sentence: Sentence, denial: bool) -> list[Count]:
        """Every stated quantity of a sentence, in order: ranges, numbers with their quantifiers, vague words."""
        text, offset = self.text[sentence.start:sentence.end], sentence.start
        conventions = self.reading.ctx.conventions
        found: list[Count] = []
        taken: list[tuple[int, int]] = []
        numbers = [n for n in conv.find_numbers(text)
                   if not n.looks_like_year and not DESIGNATOR.search(text, max(n.start - 6, 0), n.start)]
        for first, second in zip(numbers, numbers[1:]):
            # 'between 10 and 15', '10 to 15', '15-20': one figure, the range
            joined = re.fullmatch(r"\s+(and|to|or)\s+|([-–])", text[first.end:second.start])
            between = re.search(r"\bbetween\s+$", text[:first.start], flags=re.IGNORECASE)
            if joined and (between or joined.group(1) in ("to", None)) and first.value.value < second.value.value:
                start = between.start() if between else first.start
                value = conv.NumberValue(first.value.value, first.value.low, second.value.high)
                found.append(Count(offset + start, offset + second.end, value, None))
                taken += [(first.start, first.end), (second.start, second.end)]
        for number in numbers:
            if any(a <= number.start < b for a, b in taken):
                continue
            if self._measure(text[number.end:number.end + 16]):
                continue
            q = conv.find_quantifier(text[:number.start], conventions)
            qstart = number.start
            if q is not None:
                cue = max((c for c in q.cues if text[:number.start].lower().rstrip().endswith(c.lower())),
                          key=len, default="")
                qstart = len(text[:number.start].rstrip()) - len(cue)
            found.append(Count(offset + qstart, offset + number.end, number.value, q))
            taken.append((qstart, number.end))  # 'no fewer than 12': its 'no' is no figure of its own
        for m in NOBODY.finditer(text) if conventions.none is not None else ():
            found = [c for c in found if not (offset + m.start() <= c.start < offset + m.end())]  # 'one' is no 1 here
            found.append(Count(offset + m.start(), offset + m.end(), None, conventions.none, people=True))
            taken.append((m.start(), m.end()))
        for vstart, vend, q in conv.find_vague_quantities(text, conventions):
            if any(a <= vstart < b or vstart <= a < vend for a, b in taken):
                continue
            if q.implied_max == 0 and not denial and text[vstart:vend].lower() == "any":
                continue
            found.append(Count(offset + vstart, offset + vend, None, q))
        return sorted(found, key=lambda c: c.start)

    def _kind(self, count: Count, kinds: list[Match], clause_end: int, previous: Counted | None,
              list_kind: Match | None) -> Match | None:
        """The verb right before the figure ('killed seven'); else the count kind after it; else the
        kind after the list it opens; else a verb just before it ('..., and wounded 40'); else a tally
        named before it ('the death toll has risen to 31')."""
        earlier = [k for k in reversed(kinds) if k.char_end <= count.start
                   and (previous is None or k.char_start >= previous.end)]
        # 'killed seven civilians and injured three others': the verb right before the figure binds
        # it before any verb after it ('12 were killed, 30 wounded': a comma between does not)
        adjacent = next((k for k in earlier if re.fullmatch(r"\s+", self.text[k.char_end:count.start])), None)
        if adjacent is not None:
            return adjacent
        kind = next((k for k in kinds if count.end <= k.char_start < clause_end), None) or list_kind
        if kind is not None:
            return kind
        kind = next((k for k in earlier if count.start - k.char_end < 12), None)
        if kind is not None:
            return kind
        return next((k for k in earlier
                     if re.search(r"\b(to|at|reached)\s*$", self.text[k.char_end:count.start])
                     and not re.search(r"[;:.]", self.text[k.char_end:count.start])
                     and count.start - k.char_end < 80), None)

    def _list_kind(self, index: int, counts: list[Count], kinds: list[Match], end: int) -> Match | None:
        """'22 tanks, 18 drones and dozens of vehicles had been destroyed': the kind after a list's
        last item is every item's."""
        j = index
        while j + 1 < len(counts):
            between = self.text[counts[j].end:counts[j + 1].start]
            if (len(between) > 60 or re.search(r"[.;:]", between) or any(
                    counts[j].end <= k.char_start < counts[j + 1].start for k in kinds)
                    or not re.search(r"(,|\band)\s*$", between)):
                break
            j += 1
        if j + 1 < len(counts) and AMONG.search(self.text[counts[j].end:counts[j + 1].start]):
            # 'seven women and 15 children were among the 40 killed': the whole's kind is its parts'
            whole = counts[j + 1]
            limit = counts[j + 2].start if j + 2 < len(counts) else end
            return next((k for k in kinds if whole.end <= k.char_start < self._clause_end(whole.end, limit)), None)
        if j == index:
            return None
        limit = counts[j + 1].start if j + 1 < len(counts) else end
        return next((k for k in kinds if counts[j].end <= k.char_start < self._clause_end(counts[j].end, limit)), None)

    def _counts_events(self, count: Count, sentence: Sentence) -> bool:
        """A figure whose noun is an event word ('15 strikes', 'two attacks') counts events, not people or things."""
        following = [t for t in sentence.of("trigger") if count.end <= t.char_start <= count.end + 25]
        if not following:
            return False
        first = following[0]
        words = self.text[count.end:first.char_start]
        things = [t for t in sentence.of("thing") if count.end <= t.char_start < first.char_start]
        return not things and re.fullmatch(r"[\s\w-]*", words) is not None and len(words.split()) <= 2

    def _measure(self, after: str) -> bool:
        """'two days of fighting', '5-km', '40%': the number measures, it does not count."""
        cues = self.reading.lex.measure_cues
        return bool(cues) and measure_pattern(cues).match(after) is not None

    def _clause_end(self, after: int, limit: int) -> int:
        # '... two pickups, and we destroyed four vehicles': a new subject opens a new clause
        text = self.text[after:limit]
        stop = CLAUSE_STOP.search(text)
        if stop and stop.group(1) == "including":
            closing = text.find(",", stop.end())
            if closing != -1:  # 'Eighteen people, including women and children, lost their lives'
                again = CLAUSE_STOP.search(text, closing + 1)
                return after + again.start() if again else limit
        return after + stop.start() if stop else limit

    def _elided(self, count: Count, previous: Counted) -> bool:
        between = self.text[previous.end:count.start]
        return bool(re.search(r"\b(and|or)\s*$", between)) or len(between) < 30

    def _irregulars(self, thing: Match) -> bool:
        """'rebels', 'insurgents': words that name a non-state armed group's fighters."""
        lex = self.reading.lex
        words = {c.lower() for c in lex.anaphor_cues.get(str(CKG.NonStateArmedGroup), ())}
        return thing.text.lower() in words

    def _subset(self, count: Count, previous: Counted) -> bool:
        """'12 people were killed, including three children': the figure counts part of the one before."""
        between = self.text[previous.end:count.start].lower()
        if between.rstrip().endswith(",") and PART_OF_THEM.match(self.text, count.end):
            return True  # '240 were wounded, four of them seriously'
        return any(re.search(rf"\b{re.escape(cue.lower())}[\s,:]*$", between) for cue in self.reading.lex.subset_cues)

    def _item_words(self, count: Count, clause_end: int, kinds: list[Match]) -> str:
        """'..., two ammunition depots and one logistics base': the words a list item counts, when
        the lexicon has no word for them (a few words up to the next comma or 'and', no count kind)."""
        stop = re.search(r",|\b(and|or|near|in|at|on|from|along|across|around|inside|outside)\b",
                         self.text[count.end:clause_end])
        item_end = count.end + stop.start() if stop else clause_end
        words = self.text[count.end:item_end].strip(" .")
        if not words or len(words.split()) > 4 or any(count.end <= k.char_start < item_end for k in kinds):
            return ""
        return words if re.fullmatch(r"[a-z][a-z\s-]*", words) else ""

    def _kind_noun_after(self, count: Count, kind: Match) -> bool:
        """'no deaths', 'no loss of life': a kind's noun right after a vague quantity is what it counts;
        'killed dozens', 'forced thousands from their homes': so is a magnitude right beside its verb."""
        if self._zero(count):
            return re.fullmatch(r"\s+", self.text[count.end:kind.char_start]) is not None
        between = self.text[kind.char_end:count.start] if kind.char_end <= count.start \
            else self.text[count.end:kind.char_start]
        return (count.quantifier is not None and (count.quantifier.implied_min or 0) >= MAGNITUDE
                and re.fullmatch(r"\s+", between) is not None)

    @staticmethod
    def _zero(count: Count) -> bool:
        return count.quantifier is not None and count.quantifier.implied_max == 0

    def _coordinated_kinds(self, kind: Match, kinds: list[Match]) -> list[Match]:
        """The kinds joined to this one by 'or'/'and' right after it ('killed or injured')."""
        joined, last = [], kind
        for k in kinds:
            if k.char_start > last.char_end and COORDINATED_KIND.fullmatch(self.text[last.char_end:k.char_start]) \
                    and k.value != kind.value:
                joined.append(k)
                last = k
        return joined

    def _followed_by_others(self, count: Count) -> bool:
        return bool(re.match(r"\s+(others|more)\b", self.text[count.end:count.end + 10]))

    # ---------------------------------------------------------------- whose figure
    def _losing_side(self, count: Count, thing: Match | None, groups: list[Mention]) -> Mention | None:
        """'the Armenian army had lost about 550 servicemen', 'about 30 people on the Armenian side'."""
        text = self.text
        loser = next((g for g in reversed(groups) if g.end <= count.start and LOST_BEFORE.fullmatch(text[g.end:count.start])),
                     None)
        if loser is None and thing is not None:
            loser = next((g for g in groups if re.fullmatch(r"\s+on\s+the\s+", text[thing.char_end:g.start])
                          and re.match(r"\s+side\b", text[g.end:g.end + 6])), None)
        return loser

    def _done_by_speaker(self, count: Count, kinds: list[Match]) -> bool:
        """An active verb of harm right before the figure, with the speaker's side as its subject:
        'its fighters had killed 17 soldiers', 'our forces eliminated 30 militants'."""
        verb = next((k for k in kinds if k.char_end <= count.start
                     and re.fullmatch(r"\s+(?:\w+\s+){0,2}", self.text[k.char_end:count.start] + " ")), None)
        if verb is None:
            return False
        before = self.text[max(0, verb.char_start - 40):verb.char_start].lower().split()
        return bool(before) and not set(before[-2:]) & PASSIVE_AUXILIARIES and bool(
            set(before[-4:]) & {"its", "our", "their", "we", "they"})

    def _own_side(self, claimant: str) -> str | None:
        """The organisation a claimant speaks for: itself, or the organisation of its post."""
        out = self.reading.out
        agent = out.agents.get(claimant)
        if agent is None or agent.cls == str(CKG.AnonymousSource):
            return agent.state if agent else None
        if self._third_party(agent):
            return None  # a third party (an outlet, a mission, a hospital nobody listed) counts other people
        post = self.reading.post_of(claimant)
        if post and post in out.posts:
            body = out.agents.get(out.posts[post].organization)
            return None if body is not None and self._third_party(body) else out.posts[post].organization
        return claimant if agent.cls != str(CKG.Person) else agent.state

    @staticmethod
    def _third_party(agent) -> bool:
        return agent.cls in (str(CKG.InternationalOrganization), str(CKG.MediaOrganization)) or (
            agent.minted and agent.cls == str(CKG.Organization) and agent.state is None)

    def _group(self, agent_iri: str | None, thing: str | None) -> str | None:
        """Whose people or things are counted: a state's armed forces, or the state itself."""
        if agent_iri is None:
            return None
        lex = self.reading.lex
        entity = lex.entities.get(agent_iri)
        agent = self.reading.out.agents.get(agent_iri)
        if entity is not None and entity.kind == ORGANIZATION and "NonStateArmedGroup" in " ".join(entity.types):
            return agent_iri
        state = lex.state_of(agent_iri)
        if state is None and agent is not None and agent.state:
            state = lex.entities.get(agent.state)
        if state is None:
            return agent_iri
        notation = thing.rsplit("-", 1)[-1] if thing else ""
        if notation in PEOPLE_THINGS:
            return state.iri
        return self.reading.finder.organization(state.iri, str(CKG["org-armed-forces"])).iri

    # ---------------------------------------------------------------- recording
    def _figure(self, count: Count, group_text: str, current: Counted, claimant: str, statement: Statement | None,
                events: list[Event], sentence: Sentence, denial: bool, total: Counted | None,
                listed: Counted | None) -> tuple[str, str]:
        """Records a figure as a claim (or as another span of the same claim); returns the IRIs of
        its variable and of the variable of what it counts.

        A part of an earlier figure (``total``) is a subset of the total's variable: the variable of what
        it names ('two commanders'), or one of its own when it names what the total counts ('four').
        An item of a list that counts what the item before it counts ('two corps headquarters, three
        brigade headquarters') is another part of it, named by its words, never the same figure again."""
        reading, out = self.reading, self.reading.out
        start, end = sentence.start, sentence.end
        low, high = conv.interval(count.quantifier, count.number)
        kind_note = current.kind.rsplit("-", 1)[-1]
        event_iri = self._variable_event(kind_note, count.end, sentence)
        variable = self._variable(current.kind, current.thing, current.group, event_iri)
        counts_iri = variable.iri
        if listed is not None and listed.counts == variable.iri and group_text:
            variable = self._listed_variable(variable, group_text)
            if listed.variable == counts_iri:  # the list's first item, recorded before its sibling showed
                self._tell_apart(listed, counts_iri)
        if total is not None and total.variable in out.variables:
            whole = out.variables[total.variable]
            if variable.iri == whole.iri:  # 'including four' (of the same fighters): a part of its own
                variable = self._subset_variable(whole, current, group_text)
            else:  # 'including two commanders': the commanders' count, part of the total here
                variable.subset_of = variable.subset_of or whole.iri
        side = reading.side(claimant)
        span = Span(start, end, self.text[start:end])
        # the same claimant's figure again, in other words, in the same document is the same claim
        for claim in out.claims:
            if claim.variable == variable.iri and claim.claimant == claimant and claim.minimum is not None and \
                    (claim.maximum is None or claim.maximum >= low) and (high is None or high >= claim.minimum) and \
                    (claim.minimum == low or (claim.maximum is not None and high is not None)):
                # ('more than 150' and later 'more than 520' are two figures, though neither excludes the other)
                claim.spans.append(span)
                if group_text and group_text not in claim.group_as_stated:
                    claim.group_as_stated.append(group_text)
                return variable.iri, counts_iri
        classes = [str(CKG.QuantityClaim)]
        if denial and high == 0:
            classes.append(str(CKG.Denial))
        stated = self.text[count.start:count.end]
        q = count.quantifier
        out.claims.append(Claim(
            iri=iris.minted("claim", reading.doc_iri, "figure", count.start, readable=f"{stated} {kind_note}"),
            classes=classes, claimant=claimant, side=side, attribution=reading.attribution(claimant),
            statement=statement.iri if statement else None, spans=[span],
            variable=variable.iri, minimum=low, maximum=high, stated=stated,
            group_as_stated=[group_text] if group_text else [], quantifier=q.iri if q else None,
            about_events=[e.iri for e in events if e.cls != str(CKG.ArmedConflict)][:1] or [variable.event],
        ))
        return variable.iri, counts_iri

    def _variable_event(self, kind: str, after: int, sentence: Sentence) -> str:
        """Violent counts belong to the document's episode of fighting; others to their period
        (the time expression after the figure, else the sentence's)."""
        reading = self.reading
        if kind in VIOLENT_KINDS or reading.reference_time is None:
            return reading.episode()
        time = reading.time(after, sentence.end) or reading.time(sentence.start, sentence.end)
        if time is None:
            return reading.episode()
        since = time.earliest_begin.isoformat() if time.earliest_begin else "open"
        iri = iris.minted("period", kind, since, time.latest_end.isoformat(),
                          readable=f"{kind} {time.expression}")
        if iri not in reading.out.events:
            reading.out.events[iri] = Event(iri=iri, cls=str(CKG.PopulationMovement),
                                            label=f"People {kind}, {time.expression}", time=time)
        return iri

    def _variable(self, kind: str, thing: str | None, group: str | None, event: str) -> Variable:
        reading, out = self.reading, self.reading.out
        iri = iris.minted("variable", kind, thing, group, event,
                          readable=f"{reading.label(group)} {kind.rsplit('-', 1)[-1]}")
        if iri not in out.variables:
            kind_label = next((k.label for k in reading.lex.count_kinds if k.iri == kind), kind)
            thing_label = next((t.label for t in reading.lex.counted_things if t.iri == thing), "")
            label = f"{reading.label(group)} {thing_label} {kind_label}".replace("  ", " ").strip()
            out.variables[iri] = Variable(iri=iri, label=f"{label} ({reading.label(event)})", kind=kind,
                                          thing=thing, group=group, event=event)
        return out.variables[iri]

    def _listed_variable(self, counted: Variable, words: str) -> Variable:
        """An item of a list of like things ('three brigade headquarters'): a variable of its own words."""
        reading, out = self.reading, self.reading.out
        words = " ".join(words.lower().split())
        iri = iris.minted("variable", counted.iri, "item", words,
                          readable=f"{reading.label(counted.group)} {words} {counted.kind.rsplit('-', 1)[-1]}")
        if iri not in out.variables:
            kind_label = next((k.label for k in reading.lex.count_kinds if k.iri == counted.kind), counted.kind)
            label = f"{reading.label(counted.group)} {words} {kind_label}".strip()
            out.variables[iri] = Variable(iri=iri, label=f"{label} ({reading.label(counted.event)})", kind=counted.kind,
                                          thing=counted.thing, group=counted.group, event=counted.event,
                                          subset_of=counted.subset_of)
        return out.variables[iri]

    def _tell_apart(self, first: Counted, counted: str) -> None:
        """The first item of a list moves to a variable of its own words, as its siblings do."""
        out = self.reading.out
        claim = next((c for c in reversed(out.claims) if c.variable == counted and c.group_as_stated), None)
        if claim is not None and len(claim.spans) == 1:
            claim.variable = self._listed_variable(out.variables[counted], claim.group_as_stated[0]).iri

    def _subset_variable(self, total: Variable, current: Counted, words: str) -> Variable:
        """'including three children' of a total: its own variable, never compared with the total's claims."""
        reading, out = self.reading, self.reading.out
        words = " ".join(words.lower().split()) or "of them"
        iri = iris.minted("variable", total.iri, "subset", current.thing, current.group, words,
                          readable=f"{reading.label(current.group or total.group)} {words} {total.kind.rsplit('-', 1)[-1]}")
        if iri not in out.variables:
            out.variables[iri] = Variable(iri=iri, label=f"{words}, part of: {total.label}", kind=total.kind,
                                          thing=current.thing or total.thing,
                                          group=current.group or total.group, event=total.event,
                                          subset_of=total.iri)
        return out.variables[iri]
