"""Labels cut from quotes and spans end at a word, with an ellipsis."""
from __future__ import annotations

from ckg.graph.labels import shorten


def test_a_short_text_is_kept_whole_and_a_long_one_cut_at_a_word():
    assert shorten("12 killed in Nabatieh", 60) == "12 killed in Nabatieh"
    quote = "Israeli aircraft had destroyed 14 Hezbollah positions near the border, the spokesman said"
    label = shorten(quote, 40)
    assert len(label) <= 40 and label.endswith("…")
    assert label == "Israeli aircraft had destroyed 14…"
    assert quote.startswith(label[:-1])


def test_a_single_long_word_is_cut_and_whitespace_folded():
    assert shorten("x" * 50, 10) == "x" * 9 + "…"
    assert shorten("a\n\nb   c", 10) == "a b c"
