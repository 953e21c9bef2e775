"""Sentence boundaries from the spaCy tokens the matcher made anyway.

The rules are pySBD's (its abbreviation lists, sentence starters and "no split between
quotes or brackets"), applied to tokens instead of to rewritten copies of the text: pySBD
itself costs ~25 ms per article, these rules well under one. A quotation that runs over
several sentences of a paragraph stays in one sentence.
"""
from __future__ import annotations

import re

from pysbd.lang.english import English
from spacy.tokens import Doc

ABBREVIATIONS = frozenset(a.strip().lower() for a in English.Abbreviation.ABBREVIATIONS)
PREPOSITIVE = frozenset(a.strip().lower() for a in English.Abbreviation.PREPOSITIVE_ABBREVIATIONS)
"""Titles that always precede a name ('Lt. Gen. X'): never the end of a sentence."""
BEFORE_NUMBERS = frozenset(a.strip().lower() for a in English.Abbreviation.NUMBER_ABBREVIATIONS)
"""'No. 5', 'pp. 3': not an end before a figure."""
STARTERS = frozenset(English.AbbreviationReplacer.SENTENCE_STARTERS)
"""Words after which 'U.S.' and the like end a sentence."""
TIMES_OF_DAY = frozenset({"a.m", "p.m"})
TERMINAL = re.compile(r"[.!?…]+")
ENCLOSED = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|\([^()\n]*\)|\[[^\]\n]*\]|«[^»\n]*»|(?<=\s)‘(?:[^’\n]|’[a-zA-Z])*’")
"""Stretches pySBD never splits: quotations and brackets within a paragraph."""
CLOSERS = frozenset("”\"’')]»")
QUOTE_MARKS = frozenset("\"'“”")


def _closes_quotation(doc: Doc, i: int) -> bool:
    """'… captured alive.” It said': a quotation's last sentence ends the sentence around it."""
    return (i + 2 < len(doc) and doc[i + 1].text in QUOTE_MARKS and doc[i + 1].whitespace_ == " "
            and doc[i + 2].text[:1].isupper())


def _tail(doc: Doc, i: int) -> int:
    """The last token of the ending at ``i``: closing quotes, brackets and '?!' attached to it."""
    while i + 1 < len(doc) and not doc[i].whitespace_ and (doc[i + 1].text in CLOSERS
                                                           or TERMINAL.fullmatch(doc[i + 1].text)):
        i += 1
    return i


def _ends_sentence(doc: Doc, i: int) -> bool:
    """Whether token ``i`` (a terminal, or a word ending in '.') closes its sentence."""
    token = doc[i]
    after = _tail(doc, i) + 1
    if after >= len(doc) or doc[after].is_space:
        return True
    nxt = doc[after].text
    if TERMINAL.fullmatch(token.text):
        if not token.text.startswith(".") or len(token.text) > 1:
            return token.text != "..." or nxt[:1].isupper()
        if i == 0 or doc[i - 1].whitespace_:
            return True
        word = doc[i - 1].text
    else:
        word = token.text[:-1]
    lowered = word.lower()
    if lowered in PREPOSITIVE:
        return False
    if lowered in BEFORE_NUMBERS and (nxt[:1].isdigit() or nxt == "("):
        return False
    if "." in word:  # 'U.S.', 'p.m.', 'e.g.'
        return nxt[:1].isupper() and (lowered in TIMES_OF_DAY or nxt in STARTERS)
    if len(word) == 1 and word.isupper():  # an initial: 'J. Smith'
        return False
    if lowered in ABBREVIATIONS:
        return nxt[:1].isupper()
    return True


def sentence_spans(doc: Doc, text: str | None = None) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence, without surrounding whitespace.

    ``text`` is ``doc.text`` if the caller has it (spaCy rebuilds it on every access).
    """
    text = doc.text if text is None else text
    enclosed = [(m.start(), m.end()) for m in ENCLOSED.finditer(text)]
    inside = bytearray(len(text) + 1)
    for start, end in enclosed:
        inside[start + 1:end - 1] = b"\x01" * (end - start - 2)
    spans: list[tuple[int, int]] = []
    start: int | None = None
    last_end = 0
    n = len(doc)
    i = 0
    while i < n:
        token = doc[i]
        if token.is_space:
            if "\n" in token.text and start is not None:
                spans.append((start, last_end))
                start = None
            i += 1
            continue
        if start is None:
            start = token.idx
        last_end = token.idx + len(token.text)
        if (TERMINAL.fullmatch(token.text) or (token.text.endswith(".") and len(token.text) > 1)) \
                and (not inside[token.idx] or _closes_quotation(doc, i)) and _ends_sentence(doc, i):
            i = _tail(doc, i)
            last_end = doc[i].idx + len(doc[i].text)
            spans.append((start, last_end))
            start = None
        elif "\n" in token.whitespace_ and start is not None:
            spans.append((start, last_end))
            start = None
        i += 1
    if start is not None:
        spans.append((start, last_end))
    return spans


def sentences(doc: Doc, text: str | None = None) -> list[tuple[int, int]]:
    """Sentence spans; a quotation that runs over several sentences stays in one."""
    text = doc.text if text is None else text
    merged: list[tuple[int, int]] = []
    for start, end in sentence_spans(doc, text):
        if merged:
            prev_start, prev_end = merged[-1]
            opened = text.count("“", prev_start, prev_end) - text.count("”", prev_start, prev_end)
            if opened > 0 and "\n\n" not in text[prev_start:start + 1]:
                merged[-1] = (prev_start, end)
                continue
        merged.append((start, end))
    return merged
