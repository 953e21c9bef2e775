"""The reading view's cutting of text at span boundaries, and the evidence sentence."""
from __future__ import annotations

from ckg.server.presenters.annotate import Span, segments, sentence_around


def test_nested_and_overlapping_spans_become_flat_segments_that_cover_the_text():
    text = "Defence Minister Levon Harout said on X that 40 fighters died."
    minister = Span(0, 29, "char=0,29", "/p", "the minister")
    name = Span(17, 29, "char=17,29", "/n", "the name")
    overlapping = Span(25, 41, "char=25,41", "/o", "overlap")
    outside = Span(500, 510, "char=500,510", "/x", "beyond the text")
    cut = segments(text, [minister, name, overlapping, outside])
    assert "".join(s.text for s in cut) == text
    by_text = {s.text: s for s in cut}
    assert by_text["Defence Minister "].covering == [minister]
    assert by_text["Levon Ha"].innermost == name and by_text["Levon Ha"].depth == 2
    assert by_text["rout"].depth == 3 and by_text["rout"].innermost == name
    assert by_text[" said on X t"].covering == [overlapping] and by_text["hat 40 fighters died."].covering == []
    assert [a for s in cut for a in s.anchors] == ["char=0,29", "char=17,29", "char=25,41"]
    assert by_text["rout"].title == "the name · overlap · the minister"


def test_the_evidence_sentence_holds_the_span_and_stops_at_sentence_ends():
    text = "First one. Officials said 12 soldiers were killed in the attack. Then more.\nNext line."
    start = text.index("12 soldiers")
    assert sentence_around(text, start, start + 11) == ("Officials said ", "12 soldiers", " were killed in the attack.")
    whole = text.index("Officials")
    assert sentence_around(text, whole, text.index(" Then")) == ("", "Officials said 12 soldiers were killed in the attack.", "")
    assert sentence_around(text, text.index("Next"), len(text)) == ("", "Next line.", "")
