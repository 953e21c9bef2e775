"""Numbers, quantifiers and vague times, by the conventions the ontology publishes."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import rdflib

from ckg.graph import conventions as c
from ckg.ontology import files
from ckg.ontology.vocabulary import TURTLE_PREFIXES


@pytest.fixture(scope="module")
def conv() -> c.Conventions:
    return c.load_conventions(rdflib.Graph().parse(files.ONTOLOGY))


@pytest.mark.parametrize("text, value, low, high", [
    ("55", 55, 55, 55), ("2,611", 2611, 2611, 2611), ("eleven", 11, 11, 11), ("twenty-seven", 27, 27, 27),
    ("2.9 million", 2_900_000, 2_850_000, 2_949_999), ("1.25 billion", 1_250_000_000, 1_245_000_000, 1_254_999_999),
    ("three hundred and forty", 340, 340, 340),
])
def test_parse_number(text, value, low, high):
    assert c.parse_number(text) == c.NumberValue(value, low, high)


def test_find_numbers_flags_years_and_dates():
    found = c.find_numbers("On 12 March 2025, at least 14 people and nine soldiers died; 3.5 million fled in 2024.")
    by_text = {n.text: n for n in found}
    assert by_text["2025"].looks_like_year and by_text["2024"].looks_like_year and by_text["12"].looks_like_year
    assert not by_text["14"].looks_like_year and by_text["nine"].value.value == 9
    assert by_text["3.5 million"].value.low == 3_450_000


@pytest.mark.parametrize("before, number, expected", [
    ("at least ", 40, (40, None)), ("more than ", 200, (201, None)), ("nearly ", 80_000, (72_000, 79_999)),
    ("up to ", 30, (0, 30)), ("fewer than ", 10, (0, 9)), ("about ", 100, (90, 110)), ("", 12, (12, 12)),
])
def test_quantifiers_give_intervals(conv, before, number, expected):
    q = c.find_quantifier("officials said " + before, conv)
    assert c.interval(q, c.NumberValue(number, number, number)) == expected


def test_vague_quantities(conv):
    found = {text: c.interval(q, None) for (a, b, q), text in
             ((v, "several others dozens of refugees a few shells any"[v[0]:v[1]])
              for v in c.find_vague_quantities("several others dozens of refugees a few shells any", conv))}
    assert found["several"] == (3, None) and found["dozens of"] == (24, None)
    assert found["a few"] == (2, 5) and found["any"] == (0, 0)


def times(conv, text, dateline, offset):
    [mention] = c.find_time_expressions(text, conv)
    bounds = c.resolve(mention.text, dateline, offset, conv)
    return mention.text, bounds.earliest_begin.isoformat(), bounds.latest_end.isoformat()


def test_part_of_day_on_a_weekday_resolved_against_the_dateline(conv):
    # a Wednesday dateline in Kyiv (+03:00): 'late Monday night' is two days before, 21:00-24:00 local
    assert times(conv, "troops advanced late Monday night", datetime(2026, 9, 9), "+03:00") == (
        "late Monday night", "2026-09-07T18:00:00+00:00", "2026-09-07T21:00:00+00:00")
    # early Sunday on a Monday dateline in Kabul (+04:30): the day before, 00:00-09:00
    assert times(conv, "the minister said early Sunday", datetime(2026, 9, 14), "+04:30") == (
        "early Sunday", "2026-09-12T19:30:00+00:00", "2026-09-13T04:30:00+00:00")


def test_periods_and_vague_distances(conv):
    dateline = datetime(2026, 5, 2)
    assert times(conv, "displaced last year", dateline, "+02:00")[1:] == (
        "2024-12-31T22:00:00+00:00", "2025-12-31T22:00:00+00:00")
    assert times(conv, "returned so far this year", dateline, "+00:00")[1:] == (
        "2026-01-01T00:00:00+00:00", "2026-05-02T00:00:00+00:00")
    text, begin, end = times(conv, "a truce agreed months ago", dateline, "+00:00")
    assert begin == "2024-05-02T00:00:00+00:00" and end == "2026-03-03T00:00:00+00:00"
    assert times(conv, "a crackdown in October 2023", dateline, "+00:00")[1:] == (
        "2023-10-01T00:00:00+00:00", "2023-11-01T00:00:00+00:00")


def test_an_aware_dateline_uses_its_own_instant(conv):
    dateline = datetime(2026, 5, 2, 23, 30, tzinfo=timezone.utc)  # Sunday 3 May, 02:30 in Khartoum (+03:00)
    text, begin, _ = times(conv, "fighting on Friday", dateline, "+03:00")
    assert begin == "2026-04-30T21:00:00+00:00"  # Friday 1 May, local midnight


def test_a_new_convention_in_the_ontology_changes_the_reading():
    graph = rdflib.Graph().parse(files.ONTOLOGY)
    graph.parse(data=TURTLE_PREFIXES + """
        ckg:q-a-score skos:inScheme ckg:QuantifierScheme ; ckg:cue "a score of" ; ckg:impliedMin 20 ; ckg:impliedMax 20 .
        ckg:time-dawn skos:inScheme ckg:TimeConventionScheme ; ckg:cue "dawn" ; ckg:startHour 4.0 ; ckg:endHour 7.0 .""",
                format="turtle")
    conv = c.load_conventions(graph)
    [(a, b, q)] = [v for v in c.find_vague_quantities("a score of fighters", conv)]
    assert c.interval(q, None) == (20, 20)
    assert times(conv, "shelling at dawn on Tuesday", datetime(2026, 9, 9), "+00:00")[1:] == (
        "2026-09-08T04:00:00+00:00", "2026-09-08T07:00:00+00:00")


def test_an_open_ended_past_sets_no_earliest_bound(conv):
    """'decades ago' ends two years before the dateline and begins at no particular time."""
    [mention] = c.find_time_expressions("a dispute that began decades ago", conv)
    bounds = c.resolve(mention.text, datetime(2026, 5, 2), "+05:00", conv)
    assert bounds.earliest_begin is None and bounds.earliest_end is None
    assert bounds.latest_begin == bounds.latest_end == datetime(2024, 5, 1, 19, tzinfo=timezone.utc)
