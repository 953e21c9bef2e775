"""Acts of speech: who speaks in a sentence, through which channel, in what words.

A speech cue with a subject is a statement by that subject; 'X said ... He added ...' is one
act of speech while nobody else speaks; coordinated subjects ('China and Russia called')
speak together; who is told ('told AFP') never speaks.
"""
from __future__ import annotations

import re

from ..lexicon import CKG
from ..matching import Match
from ..mentions import ANONYMOUS, ORGANIZATION, PERSON, PLACE, STATE, Mention
from ..model import Span, Statement
from .. import iris
from ..reading import Found, Reading, Sentence


PRONOUNS = {"it", "they", "he", "she"}
PASSIVE_BY = re.compile(r"(?:\s+[\w-]+){0,3}?\s+by\s+")
"""'a figure reported on Tuesday by OCHA': the verb is passive and its agent speaks."""


HEADING = re.compile(r"^[ \t]*(?:\*\*|#+\s|\d{1,2}[:.]\d{2}\b)", re.M)
"""A line that opens a new entry (a live blog's time, a bold or Markdown heading): a new occasion."""


class Statements:
    """One statement per speaker and act of speech; a later clause with its own subject
    ('..., and China called on') is another speaker's statement."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.text = reading.text
        self.last_statement: dict[str, Statement] = {}
        """Each speaker's last statement: 'He also said ...' keeps its channel."""

    def __call__(self, sentence: Sentence, found: Found) -> None:
        cues, quotes, start = sentence.cues, sentence.quotes, sentence.start
        by_speaker: dict[str, Statement] = {}
        result = found.statements
        spoken_with: list[tuple[Statement, int]] = []
        time = self.reading.time(start, sentence.end, exclude_quotes=quotes, speech=True) if cues else None
        for index, cue in enumerate(cues):
            clause_start = start if index == 0 else cues[index - 1].char_end
            if index > 0 and result and self._same_speaker_goes_on(cues[index - 1], cue):
                found.cue_statement[cue.char_start] = found.cue_statement.get(cues[index - 1].char_start, result[-1])
                continue
            speakers = self._speakers(cue, sentence, clause_start)
            if index > 0:
                speakers = [m for m in speakers if m.start >= clause_start]
            if not speakers:
                if result:
                    found.cue_statement[cue.char_start] = result[-1]
                continue
            for speaker in speakers:
                if speaker.iri in by_speaker:
                    found.cue_statement.setdefault(cue.char_start, by_speaker[speaker.iri])
                    continue
                going_on = self._goes_on(speaker.iri, sentence)
                if going_on is not None:
                    more = " ".join(self.text[a + 1:b - 1] for a, b in quotes) if quotes else \
                        self._reported_words(speaker, cue, sentence)
                    if more and more not in going_on.quote:
                        going_on.quote = f"{going_on.quote} … {more}"
                    statement = going_on
                else:
                    statement = self._statement(speaker, cue, sentence, time)
                by_speaker[speaker.iri] = statement
                found.cue_statement.setdefault(cue.char_start, statement)
                result.append(statement)
                spoken_with.append((statement, cue.char_start))
        self._carriers_dropped(spoken_with, found)

    def _carriers_dropped(self, added: list[tuple[Statement, int]], found: Found) -> None:
        """'The ministry said in a statement ..., Xinhua reported': an outlet that carries someone
        else's words in the same sentence does not speak itself (one that speaks with others,
        'The BBC and Radio Free Asia reported', does)."""
        agents = self.reading.out.agents
        outlet = str(CKG.MediaOrganization)
        voices = [(s, cue) for s, cue in added if agents[s.speaker].cls != outlet]
        if not voices:
            return
        for carrier, cue in added:
            if agents[carrier.speaker].cls != outlet or any(c == cue for _, c in voices) \
                    or carrier not in found.statements:
                continue
            found.statements.remove(carrier)
            for position, statement in list(found.cue_statement.items()):
                if statement is carrier:
                    found.cue_statement[position] = voices[-1][0]

    def _goes_on(self, speaker: str, sentence: Sentence) -> Statement | None:
        """'X said ... He added ... He also said': one act of speech, as long as nobody else has
        spoken since and no other channel is named."""
        out = self.reading.out
        if not out.statements:
            return None
        previous = out.statements[-1]
        if previous.speaker != speaker or HEADING.search(self.text, previous.span.end, sentence.start):
            return None  # someone else spoke since, or a new entry began
        channels = sentence.of("channel")
        if channels and previous.channel not in [m.value for m in channels]:
            if previous.channel != str(CKG["channel-unspecified"]):
                return None
            previous.channel = max(channels, key=lambda m: (m.end - m.start, -m.start)).value  # now we know how it was said
        return previous

    def _reported_words(self, speaker: Mention, cue: Match, sentence: Sentence) -> str:
        """What was said: after the verb ('X said that ...'), after 'According to X, ...', or before
        the speaker when the attribution closes the sentence ('..., the ministry said in a statement')."""
        start, end = sentence.start, sentence.end
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

    def _statement(self, speaker: Mention, cue: Match, sentence: Sentence, time) -> Statement:
        reading = self.reading
        start, end, quotes = sentence.start, sentence.end, sentence.quotes
        previous = self.last_statement.get(speaker.iri)
        channel = self._channel(sentence, speaker)
        if channel == str(CKG["channel-unspecified"]) and previous is not None and previous.paragraph == sentence.paragraph:
            channel = previous.channel  # 'He also said ...' continues the post on X
        quote = " ".join(self.text[a + 1:b - 1] for a, b in quotes) if quotes else \
            self._reported_words(speaker, cue, sentence)
        agent = reading.out.agents[speaker.iri]
        statement = Statement(
            iri=iris.minted("statement", reading.doc_iri, start, speaker.iri, readable=agent.label),
            speaker=speaker.iri, span=Span(start, end, self.text[start:end]), channel=channel,
            quote=quote or self.text[start:end], time=time,
            post=reading.post_of(speaker.iri), on_behalf_of=reading.side(speaker.iri),
            via=self._relay(sentence, cue), paragraph=sentence.paragraph,
        )
        self.last_statement[speaker.iri] = statement
        reading.finder.remember(speaker)
        return statement

    def _speakers(self, cue: Match, sentence: Sentence, start: int) -> list[Mention]:
        quotes = sentence.quotes
        inside = lambda m: any(a <= m.start < b for a, b in quotes)  # noqa: E731
        out = self.reading.out
        last_speaker = out.statements[-1].speaker if out.statements else None
        candidates = [m for m in sentence.mentions if not m.place and not inside(m) and not self._modifier(m)
                      # 'it said' is a state only when that state was the one speaking
                      and not (m.kind == STATE and m.text.lower() in ("it", "its") and m.iri != last_speaker)]
        passive = PASSIVE_BY.match(self.text, cue.char_end, sentence.end)
        named_after = cue.text.lower() == "according to" or cue.text.lower().endswith(" by")
        if named_after or passive:
            # 'according to a doctors' group, as the army ... fought', 'a figure reported on Tuesday by
            # OCHA': who is named after it, up to the clause's end
            begin = passive.end() if passive and not named_after else cue.char_end
            stop = re.search(r"[,;:.]|\s(as|while|when|after|before|because|since|which|who)\s",
                             self.text[begin:sentence.end])
            limit = begin + stop.start() if stop else sentence.end
            after = self._distinct([m for m in candidates if begin <= m.start < limit and m.speaker_ok and (
                named_after or re.fullmatch(r"(?:the\s+)?", self.text[begin:m.start], re.I))])
            if after or named_after:
                return after  # 'Kyiv said by Friday …': no agent after 'by', the subject speaks
        before = [m for m in candidates if m.end <= cue.char_start and m.speaker_ok]
        if before:
            # the subject: the mention that starts the clause the verb belongs to
            clause_start = max([start] + [b for a, b in quotes if b <= cue.char_start])
            in_clause = [m for m in before if m.start >= clause_start]
            pool = in_clause or before
            subject = self._subject(pool, cue)
            if subject is not None:
                return self._coordinated(subject, candidates, clause_start)
        if cue.text.lower() in ("told", "tells", "telling") or cue.category == "claimcue":
            return []  # 'told AFP', 'accused the Houthis': who is told or accused never speaks
        # '..., said the ministry', '"...," said Lt Col X': an inverted attribution, the speaker right
        # after the verb ('said Ukrainian forces lost ...' is what was said, not who said it)
        # ('the ministry said it destroyed ...': with no subject of its own the verb's 'it' is the speaker)
        inverted = re.search(r"[,”\"'’]\s*$", self.text[start:cue.char_start]) is not None
        after = [m for m in candidates if m.start >= cue.char_end and m.speaker_ok
                 and len(self.text[cue.char_end:m.start].split()) <= 3 and "," not in self.text[cue.char_end:m.start]
                 and (inverted or m.text.lower() in PRONOUNS)]
        people = [m for m in after if m.kind == PERSON]
        if inverted and people:
            return people[:1]  # '…, said U.S. Air Force Col. Jane Roe': the officer, not the force
        return after[:1] if after and after[0].kind in (PERSON, ORGANIZATION, ANONYMOUS, STATE) else []

    def _modifier(self, mention: Mention) -> bool:
        """'the Iran-backed Houthis', '(AFP)', 'the Syrian Democratic Forces (SDF)': a name used as a
        modifier, a credit or a repeat in brackets is not who speaks."""
        text = self.text
        if re.match(r"-[a-z]", text[mention.end:mention.end + 2]):
            return True
        return text[mention.start - 1:mention.start] == "(" and text[mention.end:mention.end + 1] == ")"

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
        """The nearest agent before the verb, skipping possessors ('Chad's X' → X); for a verb joined to
        an earlier one ('X held Y responsible and said'), the first: the subject both verbs share."""
        joined = re.search(r"\s(?:and|but)\s+$", self.text[max(0, cue.char_start - 6):cue.char_start]) is not None
        ranked = sorted(pool, key=lambda m: m.start if joined else -m.end)
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

    @staticmethod
    def _channel(sentence: Sentence, speaker: Mention) -> str:
        channels = sentence.of("channel")
        if speaker.kind == ANONYMOUS:
            return str(CKG["channel-anonymous-briefing"])
        if channels:
            best = max(channels, key=lambda m: (m.end - m.start, -m.start))
            return best.value
        return str(CKG["channel-unspecified"])

    def _relay(self, sentence: Sentence, cue: Match) -> str | None:
        relay = [m for m in sentence.of("channel") if m.value == str(CKG["channel-news-agency"])]
        if not relay:
            return None
        entities = self.reading.lex.entities
        after = [m for m in sentence.of("entity") if m.start >= relay[0].end
                 and entities[m.value].kind == ORGANIZATION]
        return after[0].value if after else None


class KeepStatements:
    """The sentence's statements join the document's once every stage has read the sentence;
    a statement that goes on is listed once."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.out = reading.out

    def __call__(self, sentence: Sentence, found: Found) -> None:
        statements = found.statements
        if statements:
            self.reading.last_spoken = (statements[-1], sentence.end, sentence.paragraph)
        for statement in statements:
            if not any(statement is earlier for earlier in self.out.statements[-len(statements):]):
                self.out.statements.append(statement)


def one_occasion(reading: Reading) -> None:
    """'Lt Gen X said at a briefing … Lt Gen X said …': what one speaker goes on to say with no
    channel of its own, before a new entry begins, is the same act of speech as before."""
    out, text = reading.out, reading.text
    kept: list[Statement] = []
    merged: dict[str, str] = {}
    unspecified = str(CKG["channel-unspecified"])
    for statement in out.statements:
        earlier = next((k for k in reversed(kept) if k.speaker == statement.speaker), None)
        if (earlier is not None and statement.channel in (unspecified, earlier.channel)
                and (statement.time is None or earlier.time is None or statement.time == earlier.time)
                and not HEADING.search(text, earlier.span.end, statement.span.start)):
            merged[statement.iri] = earlier.iri
            if statement.quote and statement.quote not in earlier.quote:
                earlier.quote = f"{earlier.quote} … {statement.quote}"
            continue
        kept.append(statement)
    if merged:
        out.statements[:] = kept
        for claim in out.claims:
            claim.statement = merged.get(claim.statement, claim.statement)


FIRST_SENTENCE = re.compile(r"\S[^\n]*?[.!?](?=\s|$)|\S[^\n]*")


def issuer_statement(reading: Reading) -> None:
    """A press release or a situation report is its issuer's act of speech: one statement for the
    document, unless the text already quotes the issuer; the figures in its own voice belong to it."""
    issuer, out = reading.issuer, reading.out
    if issuer is None:
        return
    own = next((s for s in out.statements if s.speaker == issuer), None)
    if own is None:
        first = FIRST_SENTENCE.search(reading.text)
        start, end = (first.start(), first.end()) if first else (0, 0)
        own = Statement(
            iri=iris.minted("statement", reading.doc_iri, "issued", issuer, readable=reading.label(issuer)),
            speaker=issuer, span=Span(start, end, reading.text[start:end]), channel=str(CKG["channel-statement"]),
            quote=reading.document.title or reading.text[start:end], post=reading.post_of(issuer),
            on_behalf_of=reading.side(issuer), paragraph=0)
        out.statements.insert(0, own)
    for claim in out.claims:
        if claim.claimant == issuer and claim.statement is None:
            claim.statement = own.iri
