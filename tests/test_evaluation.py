"""The extraction score: names compared as a careful reader would, rows matched one to one."""
from __future__ import annotations

import pytest

from ckg.graph import evaluation as ev


@pytest.mark.parametrize("gold, system, same", [
    ("Armenian Defence Ministry", "Defence Ministry of Armenia", True),
    ("Ukraine's army", "Armed Forces of Ukraine", True),
    ("Israel Defense Forces", "Armed Forces of Israel", True),
    ("OCHA", "UN Office for the Coordination of Humanitarian Affairs (OCHA)", True),
    ("AFP", "Agence France-Presse", True),
    ("Mujahid", "Zabihullah Mujahid", True),
    ("Pakistan", "Defence Ministry of Pakistan", False),  # a state is not its ministry
    ("Sudan Doctors Network", "Sudan", False),
    ("Foreign Ministry of Iran", "Defence Ministry of Iran", False),
    ("Ahmed", "Defence Ministry of Ahmed", False),
])
def test_names(gold, system, same):
    assert ev.names_match(gold, system) is same


def test_a_claim_matches_on_claimant_kind_and_interval_and_once_only():
    gold = [{"claimant": "RSF", "aliases": ["Rapid Support Forces"], "kind": "killed", "min": 17, "max": 17}]
    rows = [{"claimantLabel": "Rapid Support Forces", "kind": "killed", "min": "17", "max": "17"},
            {"claimantLabel": "Rapid Support Forces", "kind": "killed", "min": "17", "max": "17"},
            {"claimantLabel": "Rapid Support Forces", "kind": "killed", "min": "17", "max": None}]
    tally = ev.score("claims", gold, rows)
    assert (tally.matched, tally.gold, tally.found, len(tally.extra)) == (1, 1, 3, 2)
    assert tally.precision == pytest.approx(1 / 3) and tally.recall == 1.0


def test_the_matching_is_maximal_whatever_the_order():
    gold = [{"speaker": "Ministry"}, {"speaker": "Defence Ministry of Armenia"}]
    rows = [{"speakerLabel": "Defence Ministry of Armenia"}, {"speakerLabel": "Ministry"}]
    assert ev.score("statements", gold, rows).matched == 2


def test_operations_are_one_row_per_event_with_a_parent_type_and_any_listed_place():
    rows = [{"event": "e1", "type": "airstrike", "actor": "Israel; Armed Forces of Israel", "place": "Tyre"},
            {"event": "e1", "type": "airstrike", "actor": "Israel; Armed Forces of Israel", "place": "Nabatieh"}]
    gold = [{"type": "strike", "actor": "Israeli military", "places": ["Nabatieh"]}]
    tally = ev.score("operations", gold, rows)
    assert (tally.matched, tally.found) == (1, 1)
    assert ev.score("operations", [{"type": "armed clash", "actor": None, "places": []}], rows).matched == 0


def test_contradictions_match_in_either_order():
    gold = [[{"claimant": "army", "stated": "no"}, {"claimant": "RSF", "stated": "dozens of"}]]
    rows = [{"claimantA": "Rapid Support Forces", "statedA": "dozens", "claimantB": "Army", "statedB": "no"}]
    assert ev.score("contradictions", gold, rows).matched == 1  # 'RSF' abbreviates the name
    gold[0][1]["stated"] = "17"
    assert ev.score("contradictions", gold, rows).matched == 0


def test_a_system_name_that_spells_out_its_state_matches_the_readers_name_without_it():
    gold = {"claimant": "Ministry of Defence", "side": "India", "kind": "killed", "min": 3, "max": 3}
    row = {"claimantLabel": "Defence Ministry of India", "side": "India", "kind": "killed", "min": "3", "max": "3"}
    assert ev._claim(gold, row)
    assert not ev._claim({**gold, "claimant": "Ministry of Health"}, row)
    assert ev.names_match("Turkish defence ministry", "Defence Ministry of Turkey")
