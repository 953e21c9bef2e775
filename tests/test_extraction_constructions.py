"""Reporting constructions that the extraction used to get wrong, each on a few sentences of our own."""
from __future__ import annotations

import pytest

from ckg.graph import iris
from ckg.graph.lexicon import CKG

from .test_other_conflicts import extract_text, extraction_context


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


def test_a_report_filed_from_a_neighbouring_capital_gives_the_army_to_the_state_it_is_about():
    out = extract_text("Fighting flared in Khartoum and Omdurman on Monday. The army said 30 fighters were killed.", "Cairo",
                       "2026-05-02")
    assert speakers(out) == ["Armed Forces of Sudan"]


def test_according_to_names_who_speaks_up_to_the_clause_end():
    out = extract_text("A shelling attack killed 14 people, according to a medics' network, as the army and "
                       "the police went on fighting.", "Khartoum", "2026-05-02")
    assert len(out.statements) == 1 and "Armed Forces of Sudan" not in speakers(out)


def test_dozens_are_twelves_and_take_their_quantifier():
    out = extract_text("Two doctors said at least three dozen people were wounded and half a dozen killed.",
                       "Khartoum", "2026-05-02")
    assert {(k, lo, hi) for _, k, lo, hi in claims(out)} == {("wounded", 36, None), ("killed", 6, 6)}


def test_two_claimants_giving_the_same_figure_are_two_claims():
    out = extract_text("The army said 12 soldiers were killed. Officials in the capital also said 12 soldiers "
                       "were killed.", "Mogadishu", "2026-05-02")
    assert {(who, lo, hi) for who, _, lo, hi in claims(out)} == {("Armed Forces of Somalia", 12, 12),
                                                                  ("Officials in the capital", 12, 12)}


def test_a_named_officer_in_an_appositive_is_who_speaks():
    out = extract_text("Abdi Warsame, a military officer, said nine soldiers were killed.", "Mogadishu",
                       "2026-05-02")
    assert speakers(out) == ["Abdi Warsame"]
    [post] = [out.posts[h.post].label for h in out.holdings]
    assert post.startswith("Officer") and post.endswith("Somalia")


def test_a_massacre_blamed_on_a_group_has_no_speaker_and_a_state_after_in_eastern_is_a_place():
    out = extract_text("Dozens died when villages in eastern Democratic Republic of Congo were attacked in raids blamed on the ADF "
                       "rebels, Health Minister Samuel Kamba said.", "Kinshasa", "2026-05-02")
    assert speakers(out) == ["Samuel Kamba"]
    [post] = [out.posts[h.post].label for h in out.holdings]
    assert post.endswith("Democratic Republic of the Congo")  # not the rebels' minister


def test_a_post_before_a_name_set_off_by_commas_is_the_persons_post():
    out = extract_text("The Director of Army Public Relations, Musa Danjuma, said four soldiers had been killed. "
                       "The Afghan Ministry of National Defence said 11 of its soldiers were wounded.", "Abuja",
                       "2026-05-02")
    assert speakers(out)[0] == "Musa Danjuma" and speakers(out)[1].endswith("Ministry of National Defence")
    [post] = [out.posts[h.post].label for h in out.holdings]
    assert post.startswith("Director")
    ministry = next(a for a in out.agents.values() if a.label.endswith("Ministry of National Defence"))
    assert ministry.state.endswith("/AFG") and ministry.cls == str(CKG.GovernmentBody)


def test_whom_a_speaker_accuses_a_modifier_and_a_credit_in_brackets_never_speak():
    out = extract_text("SANAA, May 2 (Reuters) - The command accused the Iran-backed Houthis of hoarding fuel. "
                       "That fuel, it said, should reach the people of Yemen. The strike was legal, said the "
                       "Foreign Ministry.", "Sanaa", "2026-05-02")
    assert not {"Iran", "Houthis", "Yemen", "Reuters"} & set(speakers(out))
    assert speakers(out)[-1].startswith("Foreign Ministry")


def test_strikes_raids_and_captures_told_by_their_verbs_are_operations_with_their_actor():
    out = extract_text("Turkish forces struck Kurdish militants in northern Syria, the ministry said. The Arakan "
                       "Army overran the town on Saturday, the group said.", "Istanbul", "2026-05-02")
    found = {(e.cls.rsplit("#", 1)[-1], tuple(out.agents[a].label for a in e.initiated_by))
             for e in out.events.values()}
    assert ("Strike", ("Armed Forces of Turkey",)) in found
    assert ("MilitaryOperation", ("Arakan Army",)) in found


def test_an_army_press_office_is_the_issuer_and_lost_is_killed_for_people_and_destroyed_for_things():
    from datetime import datetime

    from ckg.graph import conventions
    from ckg.graph.documents import Document
    from ckg.graph.extract import Context, extract
    from ckg.graph.lexicon import load_lexicon
    from ckg.graph.matching import Matcher

    lexicon = load_lexicon()
    ctx = Context(lexicon, Matcher(lexicon), conventions.load_conventions(lexicon.graph))
    text = "Troops eliminated more than 20 militants. The enemy lost 14 fighters and two armoured vehicles."
    doc = Document(id="release", text=text, title=None, date=datetime(2026, 5, 2), date_precision="day",
                   place="Kyiv", source="Spokesperson's Unit", url=None, path="release.txt", format="text",
                   sha256="0", metadata={})
    out = extract(ctx, doc)
    assert claims(out) == {("Spokesperson's Unit", "killed", 21, None), ("Spokesperson's Unit", "killed", 14, 14),
                           ("Spokesperson's Unit", "destroyed", 2, 2)}
    [release] = out.statements  # the release is its issuer's statement, and its figures belong to it
    assert speakers(out) == ["Spokesperson's Unit"] and release.channel == str(CKG["channel-statement"])
    assert {c.statement for c in out.claims if c.variable} == {release.iri}


def test_a_rank_makes_its_bearer_an_officer_and_a_conjunction_ends_a_name():
    out = extract_text("Colonel Meera Nair told reporters that nine sites were hit. Prime Minister Arjun Rao and "
                       "US Secretary of State Dana Kerr spoke on Monday.", "New Delhi", "2026-05-02")
    holdings = {(out.agents[h.person].label, out.posts[h.post].label, out.posts[h.post].kind) for h in out.holdings}
    # the post is the rank as the text gives it, in the armed forces of the state
    assert ("Meera Nair", "Colonel, Armed Forces of India", str(CKG["post-officer"])) in holdings
    assert "Arjun Rao" in {person for person, _, _ in holdings}  # not 'Arjun Rao and US'


def test_an_appositive_without_article_is_no_speaker_and_the_next_sentence_goes_on_with_the_account():
    out = extract_text("Jane Okoro, spokesperson for President Paul Adeyemi, said on X that 40 fighters were "
                       "killed. Three villages were burned in the raid.", "Abuja", "2026-05-02")
    assert speakers(out) == ["Jane Okoro"]
    assert {who for who, *_ in claims(out)} == {"Jane Okoro"}  # the sentence after goes on with her account


def test_with_the_mediation_of_names_the_mediator():
    out = extract_text("The war ended with a truce that Chad and Sudan signed with the mediation of Qatar.", "Doha",
                       "2026-05-02")
    mediations = [e for e in out.events.values() if e.cls == str(CKG.MediationEffort)]
    assert [[out.agents[m].label for m in e.mediators] for e in mediations] == [["Qatar"]]
    assert {out.agents[p].label for p in mediations[0].parties} == {"Chad", "Sudan"}


def test_a_city_beats_a_far_province_of_its_name_and_places_set_the_scene_of_a_paragraph():
    text = ("**Southern Gaza Strip**\n\n"
            "In the southern Gaza Strip, IDF troops killed six gunmen in two separate encounters. "
            "In one of them, the forces struck a weapons depot. Soldiers also raided a tunnel shaft in Rafah.")
    out = extract_text(text, "Gaza Strip", "2026-05-02")
    places = {iri: out.places[iri] if iri in out.places else None for e in out.events.values() for iri in e.places}
    labels = {e.cls.rsplit("#", 1)[-1]: (e.label, [out.agents[a].label for a in e.initiated_by])
              for e in out.events.values()}
    # Gaza the Palestinian city, not the Mozambican province of that name; 'Southern' is no Botswana district
    assert labels["ArmedClash"] == ("Armed clash in Gaza", ["Armed Forces of Israel"])
    assert labels["Strike"][0] == "Strike in Gaza"  # the sentence has no place: the paragraph's
    rafah = [p for p in places.values() if p is not None and p.label.startswith("Rafa")]
    assert rafah and rafah[0].located_in.endswith("/state/PSE")  # looked up where the places named before lie
    assert not [a for a in out.agents.values() if "Mozambique" in a.label or "Botswana" in a.label]


def test_an_army_known_by_its_acronym_is_that_states_armed_forces():
    out = extract_text("The SAF said on Monday that 15 fighters were killed near the town. The ISPR said two "
                       "soldiers were wounded.", "Port Sudan", "2026-05-02")
    found = {(out.agents[c.claimant].label, (c.side or "").rsplit("/", 1)[-1], c.minimum) for c in out.claims if c.variable}
    assert ("Armed Forces of Sudan", "SDN", 15) in found
    assert ("Inter-Services Public Relations", "PAK", 2) in found  # the media wing speaks for its state


def test_a_rank_and_a_surname_are_the_officer_named_before_and_the_ministry_is_the_one_named():
    out = extract_text("Enemy shelling killed 12 civilians overnight, the Director General of the Joint Staff, "
                       "Maj Gen Tariq Hameed Awan, said at a briefing. Maj Gen Awan said 30 others were injured. "
                       "Figures compiled by the Ministry of Public Health show that 40 clinics have closed. "
                       "The ministry says 12 nurses have been killed.", "Lahore", "2026-05-02")
    assert speakers(out) == ["Tariq Hameed Awan", "Ministry of Public Health"]
    assert {("Tariq Hameed Awan", "wounded", 30, 30), ("Ministry of Public Health", "killed", 12, 12)} <= claims(out)


def test_a_dateline_names_the_city_before_a_far_province_of_its_name():
    out = extract_text("The Ministry of Health said 150 people were killed and 300 injured over the weekend.",
                       "Gaza", "2026-05-02")
    assert speakers(out) == ["Health Ministry of Palestine"]


def test_a_source_with_a_name_of_its_own_is_that_body_not_the_states_office():
    from datetime import datetime

    from ckg.graph import conventions
    from ckg.graph.documents import Document
    from ckg.graph.extract import Context, extract
    from ckg.graph.lexicon import load_lexicon
    from ckg.graph.matching import Matcher

    lexicon = load_lexicon()
    ctx = Context(lexicon, Matcher(lexicon), conventions.load_conventions(lexicon.graph))
    text = ("The Presidency of the Council of Ministers issued its daily report on Monday. Since the start of the "
            "escalation, 310 people have been killed and 1,200 injured, according to the report.")
    doc = Document(id="report", text=text, title="Daily report", date=datetime(2026, 5, 2), date_precision="day",
                   place="Beirut", source="Presidency of the Council of Ministers, Lebanon", url=None,
                   path="report.txt", format="text", sha256="0", metadata={})
    out = extract(ctx, doc)
    assert ("Presidency of the Council of Ministers", "killed", 310, 310) in claims(out)
    assert "Presidency of Lebanon" not in {a.label for a in out.agents.values()}


def test_whose_dead_a_figure_counts_when_the_text_says_who_lost_them_or_who_killed_them():
    out = extract_text("Levon Haroutunian, Armenia's envoy to France, said that about 40 people on the Armenian side "
                       "had been killed. The Azerbaijani Ministry of Defence stated that the Armenian army had lost "
                       "about 600 servicemen killed.", "Baku", "2026-05-02")
    groups = {c.stated: out.agents[out.variables[c.variable].group].label for c in out.claims if c.variable}
    assert groups == {"about 40": "Armenia", "about 600": "Armed Forces of Armenia"}  # not the claimant's own
    out = extract_text("The army said five soldiers were killed in the raid on the base. ISWAP claimed in a "
                       "statement that its fighters had killed 19 soldiers.", "Maiduguri", "2026-05-02")
    variables = {c.stated: c.variable for c in out.claims if c.variable}
    assert variables["five"] == variables["19"]  # both count the army's dead: the two can contradict


def test_one_speaker_on_one_occasion_is_one_statement_and_a_new_entry_is_a_new_one():
    out = extract_text("Enemy shelling killed 12 civilians overnight, Maj Gen Tariq Hameed Awan said at a media "
                       "briefing on Monday. Rescue teams were still at work. Maj Gen Awan said 30 others were "
                       "injured.", "Lahore", "2026-05-02")
    assert speakers(out) == ["Tariq Hameed Awan"]
    assert len({c.statement for c in out.claims if c.variable}) == 1
    out = extract_text("**10:20 AM — Awan**\nMaj Gen Tariq Hameed Awan said 12 civilians were killed.\n\n"
                       "**1:15 PM — Awan again**\nMaj Gen Tariq Hameed Awan said 15 civilians were killed.",
                       "Lahore", "2026-05-02")
    assert speakers(out) == ["Tariq Hameed Awan", "Tariq Hameed Awan"]  # two entries of a live blog


def test_no_one_and_nobody_are_zero_people_of_each_kind_named():
    out = extract_text("Police said no one was killed or injured in the blast. The governor's office said there was "
                       "no loss of life. Medics said three people were killed or wounded.", "Kharkiv", "2026-05-02")
    found = {(kind, low, high) for _, kind, low, high in claims(out)}
    assert {("killed", 0, 0), ("wounded", 0, 0)} <= found
    assert ("killed", 1, 1) not in found  # the 'one' of 'no one' counts nobody
    assert ("wounded", 3, 3) not in found  # 'three killed or wounded' is one count, not three of each


def test_a_settlement_no_gazetteer_lists_is_a_place_and_a_filing_city_is_not_an_events():
    out = extract_text("Lagos: Jets carried out a raid on the village of Ugwu Ndiagu on Sunday, the army said. "
                       "The attack came days before talks in Abuja were due to open.", "Lagos", "2026-05-02")
    placed = {out.places[p].label for e in out.events.values() for p in e.places}
    assert "Ugwu Ndiagu" in placed
    assert not placed & {"Lagos", "Abuja"}  # the dateline, and talks in another clause


def test_a_threatened_expulsion_is_no_event():
    out = extract_text("The interior minister said the government would expel the envoy within days.",
                       "Bangkok", "2026-05-02")
    assert not [e for e in out.events.values() if e.cls in (str(CKG.Expulsion), str(CKG.Crackdown))]


def test_a_hyphenated_range_is_one_figure_and_those_sent_to_hospital_are_wounded():
    out = extract_text("The army said 15-20 militants were killed. The health ministry said the strikes killed 30 "
                       "people and sent 112 to hospital.", "Kabul", "2026-05-02")
    found = {(kind, low, high) for _, kind, low, high in claims(out)}
    assert {("killed", 15, 20), ("killed", 30, 30), ("wounded", 112, 112)} <= found
    assert ("killed", 112, 112) not in found


def test_a_list_of_places_after_a_strike_is_all_its_places():
    out = extract_text("Jets struck targets in Kharkiv, Sumy, and Poltava as well as in Odesa, officials said.",
                       "Kyiv", "2026-05-02")
    names = {iri: e.label for iri, e in extraction_context().lexicon.entities.items()}
    placed = {names[p] for e in out.events.values() if e.cls == str(CKG.Strike) for p in e.places}
    assert placed == {"Kharkiv", "Sumy", "Poltava", "Odesa"}  # the Oxford comma and 'as well as' end no clause


def test_according_to_her_a_figure_reported_by_an_agency_and_a_language_is_no_state():
    out = extract_text("Translated from Spanish.\n\nInterior Minister Iris Marín spoke on Tuesday. According to her, 15,000 "
                       "people were displaced. The attack was reported by residents, who said 5 people were killed.",
                       "Bogotá", "2026-05-02")
    assert speakers(out)[:2] == ["Iris Marín", "Residents"]
    assert {("Iris Marín", "displaced", 15000, 15000), ("Residents", "killed", 5, 5)} <= claims(out)
    assert not [a for a in out.agents.values() if a.label == "Spain"]


def test_the_agent_that_begins_the_clause_acts_unless_it_is_saying_so():
    out = extract_text("Army troops killed 20 rebels in clashes near Goma, the army said. The army said on Sunday "
                       "that fighting near Sake had stopped.", "Goma", "2026-05-02")
    acted = {e.label: [out.agents[a].label for a in e.initiated_by] for e in out.events.values()
             if e.cls == str(CKG.ArmedClash)}
    assert any(label.endswith("Goma") and actors for label, actors in acted.items())
    assert all(not actors for label, actors in acted.items() if label.endswith("Sake"))


def test_people_driven_from_their_homes_or_taking_refuge_are_displaced():
    out = extract_text("Raids by insurgents have driven about 40,000 people from their homes over two weeks, the "
                       "International Organization for Migration said. It said 15,000 people have taken refuge in "
                       "Pemba.", "Maputo", "2026-05-02")
    found = {(kind, low, high) for _, kind, low, high in claims(out)}
    assert {("displaced", 36000, 44000), ("displaced", 15000, 15000)} <= found


def test_where_an_unnamed_source_stands_is_part_of_its_name():
    out = extract_text("A source in the local administration in Paktika told AFP that no one was killed. Witnesses "
                       "in the town, who asked not to be named, said 5 people died.", "Kabul", "2026-05-02")
    assert speakers(out) == ["A source in the local administration in Paktika", "Witnesses in the town"]


def test_a_time_after_by_leaves_the_subject_speaking():
    out = extract_text("Ukraine said by Friday all troops would withdraw and 5 soldiers were killed.", "Kyiv",
                       "2026-05-02")
    assert speakers(out) == ["Ukraine"]


def test_a_body_named_between_a_states_possessive_and_its_kind_speaks_not_the_state():
    out = extract_text("Iran's Tasnim news agency said at least six scientists had been killed. Israel's Magen "
                       "David Adom rescue service said at least 40 people had been wounded.", "Tehran", "2026-05-02")
    assert speakers(out) == ["Tasnim", "Magen David Adom"]
    assert out.agents[out.statements[0].speaker].cls == str(CKG.MediaOrganization)


def test_a_plural_magnitude_is_its_implied_range_and_no_figure_of_one_hundred():
    out = extract_text("Officials said the fighting had forced thousands from their homes. The Red Cross said "
                       "hundreds of thousands of people had been forced to flee their homes.", "Lagos", "2026-05-02")
    found = {(c.minimum, c.maximum) for c in out.claims if c.variable}
    assert (2000, None) in found and (200000, None) in found
    assert not {(1000, 1000), (100, 100)} & found  # 'thousands' is no 1,000, 'hundreds' no 100


def test_a_magnitude_right_after_its_verb_counts_people():
    out = extract_text("The army said its strikes killed dozens.", "Lagos", "2026-05-02")
    assert {(c.minimum, c.maximum) for c in out.claims if c.variable} == {(24, None)}


def test_a_body_whose_name_opens_with_a_listed_one_is_its_own_and_its_acronym_names_it_later():
    out = extract_text("The United Nations Assistance Mission in Somalia (UNSOM) said it was alarmed by the "
                       "shelling. UNSOM said 13 civilians were killed.", "Mogadishu", "2026-05-02")
    assert speakers(out) == ["United Nations Assistance Mission in Somalia"]
    assert claims(out) == {("United Nations Assistance Mission in Somalia", "killed", 13, 13)}
    counted = [out.variables[c.variable].group for c in out.claims if c.variable]
    assert counted == [None]  # a mission counts other people, never its own


def test_coordinated_outlets_are_not_one_name_and_a_name_may_open_with_its_head():
    out = extract_text("Local media, The Frontier Post and Radio Free Europe reported that at least 20 people were "
                       "killed.", "Peshawar", "2026-05-02")
    assert "Radio Free Europe" in speakers(out) and not any(" and " in s for s in speakers(out))


def test_a_short_state_name_stands_for_the_fuller_one_the_text_names():
    out = extract_text("Fighting went on in the east of the Democratic Republic of Congo. Congo's army accused the "
                       "rebels of killing at least 50 civilians.", "Goma", "2026-05-02")
    assert speakers(out) == ["Armed Forces of Democratic Republic of the Congo"]
    assert ("Armed Forces of Democratic Republic of the Congo", "killed", 50, None) in claims(out)
    out = extract_text("Refugees from South Sudan crossed back. Sudan's army said 30 fighters were killed.", "Khartoum",
                       "2026-05-02")
    assert speakers(out) == ["Armed Forces of Sudan"]  # a state's own name stays its own


def test_a_post_named_without_its_state_belongs_to_the_state_in_focus():
    out = extract_text("The talks in Doha ended on Sunday. Kabul rejected that account. Information Minister Ahmad "
                       "Nuri said 12 soldiers were killed.", "Doha", "2026-05-02")
    assert {(c.claimant, c.side) for c in out.claims if c.variable} == {
        (next(a for a in out.agents.values() if a.label == "Ahmad Nuri").iri, iris.state("AFG"))}
    out = extract_text("The talks in Doha ended on Sunday.\n\nDefence Minister Ahmad Nuri said drones were shot down "
                       "over Herat and Kandahar.", "Doha", "2026-05-02")
    holder = next(h for h in out.holdings if out.agents[h.person].label == "Ahmad Nuri")
    assert "/AFG/" in holder.post  # the one state the sentence names, not the dateline's


def test_an_appositive_post_of_a_named_state_and_an_ambassador_to_another():
    out = extract_text("Vardan Petrosyan, Armenia's ambassador to Russia, said that about 30 people had been killed.",
                       "Moscow", "2026-05-02")
    assert [h.post for h in out.holdings] == [iris.post(iris.organization("ARM", "foreign-ministry"), "ambassador")]
    assert [c.side for c in out.claims if c.variable] == [iris.state("ARM")]


def test_the_chief_of_an_international_body_and_a_state_by_its_common_initials():
    out = extract_text("UN Secretary-General Antonio Guterres said the UAE had mediated the exchange.", "Geneva",
                       "2026-05-02")
    assert [h.post for h in out.holdings] == [iris.post(iris.kb("org/UN"), "secretary-general")]  # no general
    assert iris.state("ARE") in out.agents


def test_an_outlet_that_carries_a_statement_in_the_same_sentence_does_not_speak():
    out = extract_text("In a statement, the French Foreign Ministry urged all sides to show restraint, Xinhua news "
                       "agency reported. Xinhua reported that 12 people were killed.", "Paris", "2026-05-02")
    assert speakers(out) == ["Foreign Ministry of France", "Xinhua"]  # the second sentence is the outlet's own


def test_an_inverted_attribution_names_who_speaks_after_the_verb():
    out = extract_text("Our team received 396 wounded people, said Dr Ana Roe, the hospital's deputy director. "
                       "\"We lost 12 men,\" said Ahmed Ali.", "Khartoum", "2026-05-02")
    assert speakers(out) == ["Ana Roe", "Ahmed Ali"]  # the title is no part of the name
    assert ("Ana Roe", "wounded", 396, 396) in claims(out)


def test_an_account_goes_on_from_the_last_sentence_spoken_in_not_the_first():
    out = extract_text("Jane Roe, the army's spokeswoman, said 58 fighters were killed.\n\nThe army also suffered "
                       "losses, she said. Nine of its soldiers were killed and 16 others were wounded.", "Kabul",
                       "2026-05-02")
    assert {("Jane Roe", "killed", 9, 9), ("Jane Roe", "wounded", 16, 16)} <= claims(out)


def test_a_body_nobody_listed_may_speak_by_one_word():
    out = extract_text("Two peacekeepers were injured, Unmiss said. Ukrzaliznytsia said five employees were hurt.",
                       "Juba", "2026-05-02")
    assert speakers(out) == ["Unmiss", "Ukrzaliznytsia"]
    assert {out.agents[s.speaker].cls for s in out.statements} == {str(CKG.Organization)}


def test_who_brokered_a_ceasefire_mediated_it_and_is_no_party():
    def ceasefires(text):
        out = extract_text(text, "Geneva", "2026-05-02")
        return [(sorted(out.agents[m].label for m in e.mediators), sorted(out.agents[p].label for p in e.parties))
                for e in out.events.values() if e.cls == str(CKG.Ceasefire)]
    assert ceasefires("A Moscow-brokered ceasefire was signed by the leaders of Armenia and Azerbaijan.") == [
        (["Russia"], ["Armenia", "Azerbaijan"])]
    assert ceasefires("A ceasefire brokered by Qatar and Turkey ended the fighting between Pakistan and "
                      "Afghanistan.") == [(["Qatar", "Turkey"], ["Afghanistan", "Pakistan"])]


def test_a_part_of_the_figure_before_after_a_comma():
    out = extract_text("The health ministry said at least 240 people had been wounded by the missiles, four of them "
                       "seriously.", "Jerusalem", "2026-05-02")
    parts = [(c.minimum, out.variables[c.variable].subset_of is not None) for c in out.claims if c.variable]
    assert sorted(parts) == [(4, True), (240, False)]


def test_who_puts_or_raises_a_toll_states_it():
    out = extract_text("The army accused the rebels of killing 50 civilians. On Friday the health ministry raised the "
                       "toll to more than 100. A security source put the number of dead at 120.", "Goma", "2026-05-02")
    found = {(speaker, low) for speaker, _, low, _ in claims(out)}
    assert {(speakers(out)[1], 101), ("A security source", 120)} <= found


def test_who_heads_a_body_in_a_relative_clause_holds_its_head_post_and_speaks():
    out = extract_text("Ivan Petrenko, who heads the Odesa City Military Administration, said 12 drones were "
                       "destroyed. Jane Roe, who heads the Sahel Food Programme, said 12 people were killed.",
                       "Kyiv", "2026-05-02")
    assert speakers(out) == ["Ivan Petrenko", "Jane Roe"]
    posts = {out.agents[h.person].label: out.posts[h.post] for h in out.holdings}
    assert posts["Ivan Petrenko"].kind == str(CKG["post-head"])
    assert out.agents[posts["Jane Roe"].organization].label == "Sahel Food Programme"
    assert all(out.variables[c.variable].group is None for c in out.claims
               if c.variable and out.agents[c.claimant].label == "Jane Roe")  # a third party's count is not its own


def test_a_parenthetical_including_does_not_end_the_figures_clause():
    out = extract_text("Eighteen people, including women and children, lost their lives, police spokesman Ahmad Noor "
                       "said. He said 12 people were wounded, including three children.", "Kabul", "2026-05-02")
    assert {("Ahmad Noor", "killed", 18, 18), ("Ahmad Noor", "wounded", 12, 12),
            ("Ahmad Noor", "wounded", 3, 3)} <= claims(out)


def test_two_open_figures_of_one_speaker_are_two_claims():
    out = extract_text("The defence ministry said its forces had killed more than 150 enemy soldiers on Monday. In the "
                       "same statement the ministry said its forces had killed more than 520 enemy soldiers over the "
                       "past day.", "Moscow", "2026-05-02")
    assert sorted(c.minimum for c in out.claims if c.variable) == [151, 521]


def test_a_states_initials_name_it_with_or_without_stops():
    out = extract_text("U.S. Secretary of State Jane Roe said the fighting must stop. US President John Doe said "
                       "talks would go on.", "Kinshasa", "2026-05-02")
    states = {out.agents[h.person].label: out.agents[out.agents[out.posts[h.post].organization].state].label
              for h in out.holdings}
    assert states == {"Jane Roe": "United States", "John Doe": "United States"}


def test_a_preposition_ends_a_persons_name():
    out = extract_text("At a ceremony on Monday, President Jane Roe in Jerusalem honoured the dead.", "Tel Aviv",
                       "2026-05-02")
    assert [out.agents[h.person].label for h in out.holdings] == ["Jane Roe"]  # 'von', 'bin' go on, 'in' ends


def test_a_post_no_lexicon_lists_is_held_in_the_body_named_after_it():
    out = extract_text("Jane Roe, deputy Africa director at Human Rights Watch, said the killings were crimes. The "
                       "figures do not add up, said John Doe, operations manager of the International Committee of "
                       "the Red Cross.", "Nairobi", "2026-05-02")
    posts = {out.agents[h.person].label: out.posts[h.post].label for h in out.holdings}
    assert posts == {"Jane Roe": "Deputy Africa director, Human Rights Watch",
                     "John Doe": "Operations manager, International Committee of the Red Cross"}


def test_weapons_families_fires_refuge_and_monitors_are_counted():
    out = extract_text("The fighting has killed more than 3,200 people, according to a local monitoring group. More than "
                       "a dozen shops were set on fire, according to the Sahel Rights Commission. The commission said "
                       "hundreds of families had to take refuge in the capital. The army said dozens of weapons were "
                       "seized. Jane Roe pointed out that the morgue had received 35 bodies, two of which are not yet "
                       "identified.", "Bamako", "2026-05-02")
    found = {(who, kind, low) for who, kind, low, _ in claims(out)}
    assert {("A local monitoring group", "killed", 3201), ("Sahel Rights Commission", "destroyed", 13),
            ("Sahel Rights Commission", "displaced", 200), ("Jane Roe", "killed", 35)} <= found
    assert any(kind == "seized" and low == 24 for _, kind, low in found)
    parts = {c.minimum: out.variables[c.variable].subset_of is not None for c in out.claims if c.variable}
    assert parts.get(2) is True  # 'two of which': a part of the 35


def test_a_release_that_opens_with_its_sources_name_is_that_bodys_own_voice():
    text = ("Sahel Relief Alliance (SRA) condemns the attacks on the camp. In recent days more than 5,000 people "
            "displaced from the town have reached the camp, and SRA teams treated 300 wounded.")
    out = extract_text(text, "Gao", "2026-05-02", source="Sahel Relief Alliance (SRA)")
    assert ("Sahel Relief Alliance", "displaced", 5001, None) in claims(out)
    wire = extract_text("GAO, May 2 (Reuters) - " + text, "Gao", "2026-05-02", source="Reuters")
    assert not any(who == "Reuters" for who, _, _, _ in claims(wire))  # an outlet's story is nobody's release


def test_a_part_counts_what_the_whole_counts_and_laying_down_arms_is_surrender():
    out = extract_text("A rights group said at least 639 people have been killed, 263 of them civilians, and more than "
                       "1,300 wounded. The Sahel Liberation Front said at least 200 soldiers had laid down their arms.",
                       "Tehran", "2026-05-02")
    found = {(kind, low) for _, kind, low, _ in claims(out)}
    assert {("killed", 639), ("killed", 263), ("wounded", 1301), ("captured", 200)} <= found
    assert ("wounded", 263) not in found


def test_the_statement_speaks_for_its_issuer_and_parts_before_among_count_the_whole():
    out = extract_text("The army's media wing said in a statement that 11 soldiers were killed. The statement also said "
                       "that 121 civilians were injured, and that seven women and 15 children were among the 40 "
                       "civilians killed.", "Islamabad", "2026-05-02")
    found = {(who, kind, low) for who, kind, low, _ in claims(out)}
    army = speakers(out)[0]
    assert {(army, "wounded", 121), (army, "killed", 7), (army, "killed", 15), (army, "killed", 40)} <= found


def test_a_models_number_counts_nothing_and_brought_down_is_destroyed():
    out = extract_text("The air force said air defences had brought down 60 drones. A spokesman for the air force said "
                       "a drone was brought down by F-16 jets.", "Kyiv", "2026-05-02")
    assert {(kind, low) for _, kind, low, _ in claims(out)} == {("destroyed", 60)}


def test_a_post_of_a_region_before_a_name_set_off_by_commas():
    out = extract_text("The governor of the Kharkiv region, Ivan Petrenko, said three people were wounded.", "Kyiv",
                       "2026-05-02")
    assert speakers(out) == ["Ivan Petrenko"]
    assert [out.posts[h.post].kind for h in out.holdings] == [str(CKG["post-governor"])]


def test_a_death_or_a_capture_of_some_counts_them():
    out = extract_text("Armenia has reported the death of one of its soldiers and the capture of several of its men.",
                       "Yerevan", "2026-05-02")
    assert {(kind, low, high) for _, kind, low, high in claims(out)} == {("killed", 1, 1), ("captured", 3, None)}


def test_executions_are_killings_and_higher_than_is_more_than():
    out = extract_text("The Sahel Rights Commission said at least 45 residents had been executed by soldiers. A villager put "
                       "the number of dead at higher than 120. Prosecutors raised the number of injured to 23.",
                       "Addis Ababa", "2026-05-02")
    found = {(kind, low, high) for _, kind, low, high in claims(out)}
    assert {("killed", 45, None), ("killed", 121, None), ("wounded", 23, 23)} <= found


@pytest.mark.parametrize("text, dateline, expected", [
    # a place after 'in' says where a body is, unless it is a state ('… Mission in Somalia')
    ("The Mercy Medical Center in Kherson said no one was seriously hurt.", "Kyiv", ["Mercy Medical Center"]),
    # an unnamed source is named by its own words: not the quote or verb before it, and with whose group it is
    ("\"Many fighters were killed,\" said a resident. At least 30 people were killed, according to a doctors' "
     "group.", "Khartoum", ["A resident", "A doctors' group"]),
    # outlets that report together both speak
    ("The BBC and Radio Free Asia reported that at least 100 people were killed.", "Yangon",
     ["BBC", "Radio Free Asia"]),
    # a dateline that adds a kind of place to a name ('Gaza Strip') is the place of that name
    ("The Ministry of Health in Gaza reports that 182 people were killed.", "Gaza Strip",
     ["Health Ministry of Palestine"]),
    # a source whose description ends in a verb of speech ('media reports') is still who speaks
    ("Media reports said more than 70 people were killed in the strike.", "Sanaa", ["Media reports"]),
    # a description set off by commas before the verb names a body that does not speak
    ("Jane Roe, operations manager of the International Committee of the Red Cross (ICRC), said the "
     "organisation had moved 200 bodies.", "Yerevan", ["Jane Roe"]),
    ("John Doe, who represented the Sahel Liberation Front at the talks, said the text made no mention of a "
     "withdrawal.", "Doha", ["John Doe"]),
    ("Jane Roe, an ICRC paediatrician at the health post we have set up at the entrance of the camp in the north, "
     "said every child screened there was malnourished.", "Gao", ["Jane Roe"]),
    # a hyphen with no space around it joins the parts of one name, before or after the verb
    ("\"The numbers do not add up,\" said Marie-Claire Dupont, who heads the clinic. Foreign Minister Jean-Luc "
     "Martin said the talks would go on.", "Paris", ["Marie-Claire Dupont", "Jean-Luc Martin"]),
    # a pronoun or a word such as 'Others' opening its clause names nobody; how many of a group spoke is no
    # part of the group's name
    ("Some villagers said six houses were burned. They said three people were wounded.", "Juba",
     ["Villagers"]),
    # a verb joined to an earlier one by 'and' has that verb's subject, not the nearest name
    ("Defence Minister John Carter held the rebel leader, Ahmed Musa, responsible and said 12 soldiers were "
     "killed.", "Nairobi", ["John Carter"]),
    # one capitalised word right after a post is the holder's whole name
    ("Foreign Minister Wirajuda said the government would bring 300 citizens home.", "Jakarta", ["Wirajuda"]),
    # an inverted attribution names the officer, not the force before the rank
    ("\"Nothing has changed,\" said French Army Col. Jean Dupont, the unit's spokesman.", "Paris",
     ["Jean Dupont"]),
    # speaking of something, welcoming and threatening are acts of speech
    ("Jane Roe, representative of the IFRC, spoke of an enormous need for support. Prime Minister John Doe "
     "welcomed the deal.", "Yerevan", ["Jane Roe", "John Doe"]),
    # a word that opens a sentence is no part of the name after it; an honorific is no part of a name
    ("In Washington, President John Carter welcomed the deal. Ayatollah Hassan Rezaei said nothing had been "
     "agreed.", "Doha", ["John Carter", "Hassan Rezaei"]),
])
def test_who_speaks(text, dateline, expected):
    assert speakers(extract_text(text, dateline, "2026-05-02")) == expected


def test_a_capital_that_opens_its_clause_before_a_verb_and_its_object_acts_for_its_state():
    out = extract_text("Rebels said on Monday that 40 soldiers were killed near the border.\n\nHanoi rejects that "
                       "figure. Defence Minister Tran Van Binh said only two soldiers were wounded.", "Bangkok",
                       "2026-05-02")
    [post] = [out.posts[h.post].label for h in out.holdings]
    assert post == "Defence Minister of Vietnam"  # not the dateline state's


def test_verbs_of_arrival_count_the_displaced():
    out = extract_text("More than 5,000 people have crossed into Chad since Monday, the UN refugee agency said. "
                       "Almost 2,000 families have now moved to the camps around the town, it added.", "N'Djamena",
                       "2026-05-02")
    assert {("UNHCR", "displaced", 5001, None), ("UNHCR", "displaced", 1800, 1999)} <= claims(out)


def test_a_post_held_in_a_listed_body_named_after_of():
    out = extract_text("Jane Roe, the head of the UN refugee agency in Kenya, said 300 people had arrived in "
                       "Dadaab.", "Nairobi", "2026-05-02")
    [post] = [out.posts[h.post].label for h in out.holdings]
    assert post == "Head, UNHCR"  # the body's, not the state's the office stands in


def test_a_counterpart_holds_the_same_kind_of_post_in_the_other_state():
    out = extract_text("Foreign Minister Jean Martin passed the message on to his Israeli counterpart, David Levy, "
                       "and to Lebanese Foreign Minister Karim Haddad.", "Paris", "2026-05-02")
    holdings = {(out.agents[h.person].label, out.posts[h.post].label) for h in out.holdings}
    assert holdings == {("Jean Martin", "Foreign Minister of France"), ("David Levy", "Foreign Minister of Israel"),
                        ("Karim Haddad", "Foreign Minister of Lebanon")}


def test_a_states_police_is_a_body_of_its_own():
    out = extract_text("Kenya's national police said seven people were killed in the raid. Police said three officers "
                       "were wounded.", "Nairobi", "2026-05-02")
    assert claims(out) == {("National Police of Kenya", "killed", 7, 7), ("National Police of Kenya", "wounded", 3, 3)}


def test_a_government_below_the_states_is_a_body_of_its_own():
    out = extract_text("The Kharkiv regional administration said four people were killed. The departmental government "
                       "of Antioquia said 80 people were displaced.", "Bogotá", "2026-05-02")
    found = claims(out)
    assert ("Kharkiv Regional Administration", "killed", 4, 4) in found
    assert ("Departmental Government of Antioquia", "displaced", 80, 80) in found
    sides = {out.agents[c.claimant].label: out.agents[c.claimant].state for c in out.claims}
    assert sides["Kharkiv Regional Administration"] == iris.kb("state/UKR")  # the place's state, not the dateline's


def test_a_body_named_before_a_common_noun_and_the_group_later():
    out = extract_text("A tally kept by the London-based Syrian Monitors group puts the toll higher. According to the "
                       "group, the strikes have killed at least 96 people. The Sahel Watch network said 12 were "
                       "wounded.", "Beirut", "2026-05-02")
    assert claims(out) == {("Syrian Monitors", "killed", 96, None), ("Sahel Watch", "wounded", 12, 12)}
