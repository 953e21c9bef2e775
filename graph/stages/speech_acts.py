"""Speech acts that are claims of their own: denials, accusations and appeals.

A claim cue in a statement ('denied', 'accused', 'called on') is its speaker's claim; an
accusation names whom it accuses, an appeal whom it calls on ('both sides' is the document's
two main parties) and what for.
"""
from __future__ import annotations

import re

from .. import iris
from ..lexicon import CKG
from ..matching import Match
from ..mentions import ORGANIZATION, PERSON, STATE, Mention
from ..model import Claim, Span
from ..reading import Found, Reading, Sentence


class SpeechActs:
    """Each claim cue of a sentence that has a speaker: a denial, accusation or appeal claim."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.text = reading.text

    def __call__(self, sentence: Sentence, found: Found) -> None:
        if not found.statements:
            return
        reading, out = self.reading, self.reading.out
        start, end = sentence.start, sentence.end
        for cue in sentence.cues:
            if cue.category != "claimcue":
                continue
            statement = found.statement_at(cue.char_start)
            after = [m for m in sentence.mentions if m.start >= cue.char_end and not m.place and m.iri != statement.speaker]
            claim = Claim(
                iri=iris.minted("claim", reading.doc_iri, cue.value, cue.char_start,
                                readable=f"{reading.label(statement.speaker)} {cue.value.rsplit('#', 1)[-1]}"),
                classes=[cue.value], claimant=statement.speaker, side=reading.side(statement.speaker),
                attribution=reading.attribution(statement.speaker), statement=statement.iri,
                spans=[Span(start, end, self.text[start:end])], quote=self.text[cue.char_start:end].strip(),
                about_events=[e.iri for e in found.events],
            )
            if cue.value == str(CKG.Appeal):
                claim.addressees = self._addressees(after, cue)
                claim.appeal_for = sorted({m.value for m in sentence.matches if m.category == "appeal"})
                codes = [c.extra.get("defaultCameoCode") for c in reading.lex.appeal_kinds if c.iri in claim.appeal_for]
                statement.cameo = next((c for c in codes if c), statement.cameo)
            elif cue.value == str(CKG.Accusation):
                claim.accused = [m.iri for m in after[:1]]
            if any(c.iri == claim.iri for c in out.claims):
                continue
            if cue.value == str(CKG.Denial) and any(
                    str(CKG.Denial) in c.classes and c.variable and c.spans[0].start == start for c in out.claims):
                continue  # the denial is already there as its figure ('no soldiers were captured')
            out.claims.append(claim)

    def _addressees(self, after: list[Mention], cue: Match) -> list[str]:
        text = self.text[cue.char_end:cue.char_end + 40].lower()
        if re.match(r"\s*(on\s+)?(both|the two)\s+(sides|countries|parties|governments)", text):
            return self.reading.main_parties()
        names = []
        for m in after:
            if m.start - cue.char_end > 60:
                break
            if m.kind in (STATE, ORGANIZATION, PERSON) and m.iri not in names:
                names.append(self.reading.side(m.iri) if m.kind == STATE else m.iri)
        return [n for n in names if n]
