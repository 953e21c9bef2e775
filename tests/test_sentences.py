"""Sentence boundaries on spaCy tokens agree with pySBD, whose rules they apply."""
from __future__ import annotations

import pysbd
import pytest
import spacy

from ckg.graph.sentences import sentence_spans, sentences

NLP = spacy.blank("en")
PYSBD = pysbd.Segmenter(language="en", clean=False, char_span=True)
TEXTS = [
    "Maj. Gen. Ruth Okello said at 3 p.m. on Feb. 27 that the U.S. and St. Kitts had sent 2.5 million doses. "
    "\"We will hold,\" she said. “No. Never.” Mr. Ouma left... He came back! Did he? Yes.\n\nA new paragraph "
    "(A.F.P.) notes e.g. this. Dr. Wanjiru lives at No. 5.",
    "he said. then he left.",
    "A title line\nThe next line here. And more",
    "It was 5 p.m. Then he left.",
    "The U.S. They said so.",
    "Killed 5. 10 were hurt.",
    "J. Mwangi said so. Fine",
    "Acme Inc. He said.",
    "A “quoted. More” thing. Next",
    "Ask (see fig. 5) now.",
    "Sen. Achieng and Gov. Odhiambo met on Tuesday. The Jan. 5 talks failed.",
    "About 3,000 people fled?! Nobody knows.",
    "In 2024 the U.N. said so. In 2025 it did not.",
    "The minister told Reuters. “We have no information.” He left.",
    'He said "no." Then he left.',
    "Juba, Feb. 27 (AP) — Fighting erupted. More came.",
    "It cost $2.5m. Others paid £3. Fine.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_same_boundaries_as_pysbd(text):
    expected = [(s.start, s.start + len(s.sent.rstrip())) for s in PYSBD.segment(text)]
    assert sentence_spans(NLP.make_doc(text)) == expected


def test_ranks_before_a_name_do_not_end_a_sentence():
    text = "Lt. Gen. Abdi Farah, the army spokesman, said 12 fighters were killed. Col. Noor denied it."
    assert [text[s:e] for s, e in sentences(NLP.make_doc(text))] == [
        "Lt. Gen. Abdi Farah, the army spokesman, said 12 fighters were killed.", "Col. Noor denied it."]


def test_a_quotation_over_several_sentences_is_one_sentence_until_its_paragraph_ends():
    text = ("The ministry said: “Our forces struck six posts. Many were killed. We will go on” and left. Then calm.\n\n"
            "“An open quote. Never closed.\n\nNext paragraph. Here.")
    found = [text[s:e] for s, e in sentences(NLP.make_doc(text))]
    assert found[0] == "The ministry said: “Our forces struck six posts. Many were killed. We will go on” and left."
    assert found[1] == "Then calm."
    assert found[-2:] == ["Next paragraph.", "Here."]
