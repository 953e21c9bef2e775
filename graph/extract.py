"""From one document's text to statements, claims, events and figures.

Rule-based over the ontology's lexicon (see graph.lexicon), and run as spaCy runs its
components: each sentence, frozen as a ``Sentence``, passes through the sentence stages in
order, each adding what it finds to the sentence's ``Found`` and the document's
``Extraction``; when every sentence is read, the document stages tidy the whole. A sentence
with a speech cue is a statement by its subject; the figures, events, denials, accusations
and appeals in it are that speaker's claims. A sentence without a speaker is the
publisher's narration.

A new construction is a method of the stage it belongs to, or a new stage in these lists.
"""
from __future__ import annotations

import bisect
import re
from typing import Callable, Protocol

from .documents import Document
from .model import Extraction
from .reading import Context, Found, Reading, Sentence, utc
from .sentences import sentences
from .stages.events import Events, broker_ceasefires, link_operations, merge_generic_events
from .stages.figures import Figures
from .stages.speech_acts import SpeechActs
from .stages.statements import KeepStatements, Statements, issuer_statement, one_occasion

__all__ = ["Context", "extract", "utc", "SENTENCE_STAGES", "DOCUMENT_STAGES"]


class SentenceStage(Protocol):
    def __call__(self, sentence: Sentence, found: Found) -> None: ...


SENTENCE_STAGES: tuple[Callable[[Reading], SentenceStage], ...] = (
    Statements,      # who speaks, through which channel, in what words
    Events,          # strikes, clashes, operations, ceasefires, mediation; their actors and places
    Figures,         # counts, as the speaker's quantity claims
    SpeechActs,      # denials, accusations, appeals
    KeepStatements,  # the sentence's statements join the document's
)
"""Made once per document, called once per sentence, in this order."""

DOCUMENT_STAGES: tuple[Callable[[Reading], None], ...] = (
    link_operations,        # unnamed mentions of the one named operation are it
    merge_generic_events,   # 'strikes on X' after 'airstrikes in X' are those airstrikes
    broker_ceasefires,      # a truce no one is said to have brokered came of the talks the article tells of
    one_occasion,           # what a speaker goes on to say, with no channel of its own, is one statement
    issuer_statement,       # a press release is its issuer's statement
)
"""Called once, after the last sentence."""

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def extract(ctx: Context, document: Document) -> Extraction:
    reading = Reading(ctx, document)
    stages = [make(reading) for make in SENTENCE_STAGES]
    breaks = [m.start() for m in PARAGRAPH_BREAK.finditer(reading.text)]
    for start, end in sentences(reading.doc, reading.text):
        if not reading.text[start:end].strip():
            continue
        paragraph = bisect.bisect_left(breaks, start)  # the breaks before it; counting them all is quadratic
        sentence = reading.sentence(start, end, paragraph)
        found = Found()
        for stage in stages:
            stage(sentence, found)
    for finish in DOCUMENT_STAGES:
        finish(reading)
    return reading.out
