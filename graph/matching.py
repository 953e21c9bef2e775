"""Find the lexicon's phrases in a text with spaCy's PhraseMatcher.

Cue words (triggers, count kinds, channels ...) match case-insensitively and with regular
English inflections; names of known entities and demonyms match case-sensitively, so that
"US" the state is not "us" the pronoun.
"""
from __future__ import annotations

from dataclasses import dataclass

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .lexicon import Lexicon


@dataclass(frozen=True)
class Match:
    category: str
    value: str
    start: int
    """Token index."""
    end: int
    char_start: int
    char_end: int
    text: str


def inflections(phrase: str) -> set[str]:
    """The phrase with its last word in plural and past forms: 'air strike' → 'air strikes'."""
    words = phrase.split(" ")
    last = words[-1]
    forms = {last}
    if last[-1:].isalpha() and len(last) > 2:
        if last.endswith(("s", "x", "sh", "ch")):
            forms.add(last + "es")
        elif last.endswith("y") and last[-2:-1] not in "aeiou":
            forms.add(last[:-1] + "ies")
        else:
            forms.add(last + "s")
        if last.endswith("e"):
            forms.add(last + "d")
        elif not last.endswith("ed"):
            forms.add(last + "ed")
    return {" ".join(words[:-1] + [form]) for form in forms}


class Matcher:
    """PhraseMatchers built once per lexicon; ``find`` runs them over one text."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.nlp = spacy.blank("en")
        # spaCy's limit guards the memory of a parser this tokenizer-only pipeline lacks; how
        # long a document may be is the build's limit (documents.MAX_CHARACTERS), and long
        # ones are read in pieces (parallel.pieces)
        self.nlp.max_length = 10 ** 9
        self.cues = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.names = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._values: dict[str, tuple[str, str]] = {}
        self._build()

    def _add(self, matcher: PhraseMatcher, category: str, value: str, phrases, inflect: bool = False) -> None:
        texts: set[str] = set()
        for phrase in phrases:
            phrase = phrase.strip()
            if not phrase:
                continue
            texts |= inflections(phrase) if inflect else {phrase}
        if not texts:
            return
        key = f"{category}|{value}"
        self._values[key] = (category, value)
        matcher.add(key, list(self.nlp.tokenizer.pipe(sorted(texts))))

    def _build(self) -> None:
        lex = self.lexicon
        for cls in lex.event_classes:
            self._add(self.cues, "trigger", cls.iri, cls.triggers, inflect=True)
            self._add(self.cues, "placetrigger", cls.iri, cls.place_triggers)
        for category, concepts in (("kind", lex.count_kinds), ("thing", lex.counted_things),
                                   ("channel", lex.channels), ("appeal", lex.appeal_kinds),
                                   ("orgkind", lex.org_kinds), ("postkind", lex.post_kinds)):
            for concept in concepts:
                self._add(self.cues, category, concept.iri, concept.cues, inflect=category in ("postkind", "orgkind"))
        for cls, cues in lex.claim_cues.items():
            self._add(self.cues, "claimcue", cls, cues)
        self._add(self.cues, "speech", "speech", lex.speech_cues)
        self._add(self.cues, "anonymous", "anonymous", lex.anonymous_cues)
        for cls, cues in lex.anaphor_cues.items():
            self._add(self.cues, "anaphor", cls, cues)
        for cls, cues in lex.place_cues.items():
            self._add(self.cues, "placecue", cls, cues, inflect=True)
        self._add(self.names, "title", "person", lex.person_titles)
        self._add(self.names, "title", "rank", lex.rank_titles)
        for entity in lex.entities.values():
            self._add(self.names, "entity", entity.iri, entity.names)
            if entity.kind == "state":
                self._add(self.names, "demonym", entity.iri, entity.demonyms)

    def doc(self, text: str) -> Doc:
        return self.nlp.make_doc(text)

    def find(self, doc: Doc) -> list[Match]:
        """All matches, longest first at each position, in text order."""
        found = []
        for matcher in (self.cues, self.names):
            for match_id, start, end in matcher(doc):
                category, value = self._values[self.nlp.vocab.strings[match_id]]
                span = doc[start:end]
                found.append(Match(category, value, start, end, span.start_char, span.end_char, span.text))
        found.sort(key=lambda m: (m.start, -(m.end - m.start), m.category, m.value))
        # 'Defence Minister' also contains 'Minister': keep only the longest of a category
        kept: list[Match] = []
        reach: dict[str, tuple[int, int]] = {}  # category → (start, end) of the longest-reaching kept match
        for m in found:
            start, end = reach.get(m.category, (-1, -1))
            if m.end < end or (m.end == end and m.start > start):
                continue  # strictly inside a longer match of its category (same spans are all kept)
            kept.append(m)
            if m.end > end:
                reach[m.category] = (m.start, m.end)
        return kept
