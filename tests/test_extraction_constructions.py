"""Reporting constructions that the extraction used to get wrong, each on a few sentences of our own."""
from __future__ import annotations

from ckg.graph.lexicon import CKG

from .test_other_conflicts import extract_text


def claims(out) -> set[tuple[str, str, int, int | None]]:
    return {(out.agents[c.claimant].label, out.variables[c.variable].kind.rsplit("-", 1)[-1], c.minimum, c.maximum)
            for c in out.claims if c.variable}


def speakers(out) -> list[str]:
    return [out.agents[s.speaker].label for s in out.statements]


def test_an_organisation_named_after_its_country_is_not_the_country():
    out = extract_text("The Sudan Doctors Network said at least 40 people were killed in the shelling.", "Port Sudan",
                       "2026-05-02")
    assert speakers(out) == ["Sudan Doctors Network"]
    assert ("Sudan Doctors Network", "killed", 40, None) in claims(out)


def test_the_agency_told_is_not_the_source_and_a_role_is_an_anonymous_source():
    out = extract_text("A medical source told AFP on condition of anonymity that 67 people had been killed. "
                       "Ko Zaw Tun, a local resident, told Reuters that ten houses were destroyed.", "Yangon",
                       "2026-05-02")
    found = claims(out)
    assert ("A medical source", "killed", 67, 67) in found and ("Ko Zaw Tun", "destroyed", 10, 10) in found
    assert not {"Agence France-Presse", "Reuters"} & set(speakers(out))
    assert out.agents[out.statements[0].speaker].cls == str(CKG.AnonymousSource)


def test_no_fewer_than_is_one_figure():
    out = extract_text("Volunteer groups said no fewer than 12 people were killed.", "Khartoum", "2026-05-02")
    assert claims(out) == {("Volunteer groups", "killed", 12, None)}  # not also a 'no' of [0, 0]


def test_a_news_outlets_own_tally_is_nobodys_claim():
    out = extract_text("At least 30 people were killed in the strikes on Tuesday.", "Beirut", "2026-05-02")
    assert claims(out) == set()


def test_mediators_after_by_and_one_statement_per_act_of_speech():
    out = extract_text("The ceasefire, mediated by Qatar and Türkiye, was reached in Doha. Talks hosted by Saudi "
                       "Arabia in Jeddah collapsed. Army spokesman Lt Gen Ahmed Chaudhry said 12 soldiers were "
                       "killed. He added that 30 were wounded.", "Islamabad", "2026-05-02")
    mediators = {tuple(sorted(out.agents[m].label for m in e.mediators)) for e in out.events.values()
                 if e.cls == str(CKG.MediationEffort)}
    assert ("Qatar", "Turkey") in mediators and ("Saudi Arabia",) in mediators
    assert speakers(out) == ["Ahmed Chaudhry"]  # the rank is no part of the name; 'He added' goes on
    assert {("Ahmed Chaudhry", "killed", 12, 12), ("Ahmed Chaudhry", "wounded", 30, 30)} <= claims(out)


def test_the_episode_of_fighting_is_no_operation_and_a_strike_takes_its_actor_after_by():
    out = extract_text("An air strike by the Myanmar military killed ten people in Nyaung Kone, a villager said. "
                       "Fighting between the two sides went on.", "Yangon", "2026-05-02")
    listed = {str(CKG.MilitaryOperation), str(CKG.Airstrike), str(CKG.ArmedClash), str(CKG.ViolentEvent)}
    operations = [e for e in out.events.values() if e.cls in listed]
    assert all(not e.label.startswith("Hostilities") for e in operations)
    strike = next(e for e in operations if e.cls == str(CKG.Airstrike))
    assert strike.initiated_by


def test_a_list_of_figures_gives_one_claim_per_item_even_when_two_items_are_equal():
    out = extract_text("Ukraine's General Staff said its units destroyed two field headquarters, four command posts, two "
                       "fuel depots and one radar station near the front.", "Kyiv", "2026-05-02")
    figures = sorted((c.minimum, c.group_as_stated[0]) for c in out.claims if c.variable)
    assert figures == [(1, "radar station"), (2, "field headquarters"), (2, "fuel depots"), (4, "command posts")]
    assert len({c.variable for c in out.claims if c.variable}) == 4  # parts, never one figure contradicting itself
