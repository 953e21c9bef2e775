"""Reporting constructions of operations (who struck where) that the extraction used to get wrong,
each on a few sentences of our own."""
from __future__ import annotations

from ckg.graph.lexicon import CKG

from .test_other_conflicts import extract_text, extraction_context

VIOLENT = {str(CKG.MilitaryOperation), str(CKG.ViolentEvent), str(CKG.ArmedClash), str(CKG.Strike),
           str(CKG.Airstrike), str(CKG.ShellingAttack), str(CKG.CrossBorderAttack)}


def operations(out) -> set[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(class, actors, places) of each violent event, by label."""
    def label(iri: str) -> str:
        if iri in out.agents:
            return out.agents[iri].label
        if iri in out.places:
            return out.places[iri].label
        entity = extraction_context().lexicon.entities.get(iri)
        return entity.label if entity else iri
    return {(e.cls.rsplit("#", 1)[-1], tuple(sorted(label(a) for a in e.initiated_by)),
             tuple(sorted(label(p) for p in e.places)))
            for e in out.events.values() if e.cls in VIOLENT}


def extract_release(text: str, source: str, place: str, day: str):
    """An inline article published by a body the knowledge base knows (an army's press release)."""
    from datetime import datetime

    from ckg.graph.documents import Document
    from ckg.graph.extract import extract

    doc = Document(id="inline", text=text, title=None, date=datetime.fromisoformat(day), date_precision="day",
                   place=place, source=source, url=None, path="inline.txt", format="text", sha256="0", metadata={})
    return extract(extraction_context(), doc)


def actors(out) -> set[str]:
    return {a for _, found, _ in operations(out) for a in found}


def test_the_speaker_who_says_it_struck_is_the_actor_and_no_news_agency_acts():
    out = extract_text("KHARTOUM, May 2 (Reuters) - Fighting flared again on Friday, residents said. "
                       "Al Jazeera reported the bombing of a market. "
                       "The Rapid Support Forces said it had carried out drone strikes on Port Sudan.",
                       "Khartoum", "2026-05-02")
    assert ("Airstrike", ("Rapid Support Forces",), ("Port Sudan",)) in operations(out)
    assert not actors(out) & {"Reuters", "Al Jazeera"}
    release = extract_release("U.S. Africa Command struck al-Shabaab fighters in Mogadishu on Tuesday.",
                              "U.S. Africa Command", "Stuttgart", "2026-05-02")
    assert actors(release) == {"U.S. Africa Command"}  # the army that issued the release is no news outlet


def test_a_place_trigger_is_an_operation_only_with_a_place_for_its_object():
    out = extract_text("The Rapid Support Forces seized El Obeid on Monday. "
                       "The army captured seven fighters near Kadugli. Two soldiers were captured in Kosti.",
                       "Port Sudan", "2026-05-02")
    found = operations(out)
    assert ("MilitaryOperation", ("Rapid Support Forces",), ("El Obeid",)) in found
    assert not any(places and places[0] in ("Kadugli", "Kosti") for _, _, places in found)
    out = extract_text("Troops moved into the rebel-occupied Kharkiv region. In occupied Goma, a car blew up.",
                       "Kyiv", "2026-05-02")
    assert not any(cls == "MilitaryOperation" for cls, _, _ in operations(out))  # adjectives, no verbs


def test_a_state_a_strike_aims_at_is_where_it_struck():
    out = extract_text("Israel launched strikes on Iran on Friday. France called on Israel to show restraint.",
                       "Paris", "2026-05-02")
    assert operations(out) == {("Strike", ("Israel",), ("Iran",))}  # 'called on Israel' aims no strike


def test_rescue_relief_and_surgery_are_no_military_operation():
    out = extract_text("Only seven bakeries in operation across Kharkiv are left. The army launched a rescue operation "
                       "in Sumy. The Red Cross began an operation to evacuate the wounded from Odesa. "
                       "The army launched an operation in Kherson.", "Kyiv", "2026-05-02")
    found = {places for cls, _, places in operations(out) if cls == "MilitaryOperation"}
    assert found == {("Kherson",)}
    named = extract_text("Pakistan said 40 fighters were killed in Operation Bright Sword.", "Islamabad", "2026-05-02")
    assert any(e.name == "Operation Bright Sword" for e in named.events.values())


def test_a_raid_is_one_attack_not_a_campaign():
    out = extract_text("Israel carried out a raid on the town of Tyre overnight.", "Beirut", "2026-05-02")
    assert operations(out) == {("ViolentEvent", ("Israel",), ("Tyre",))}


def test_a_verb_that_takes_a_place_names_one_no_gazetteer_lists():
    out = extract_text("The Rapid Support Forces have taken control of Umm Kalbara and Wad Tendelti, the army said. "
                       "The army captured Hassan Adam Bilal, a commander, near Kosti, and captured South Sudanese "
                       "fighters.", "Port Sudan", "2026-05-02")
    places = {p for cls, who, found in operations(out) if cls == "MilitaryOperation" and who for p in found}
    assert {"Umm Kalbara", "Wad Tendelti"} <= places
    assert not places & {"Hassan Adam Bilal", "South Sudanese"}  # a person, a people: no places


def test_places_listed_after_one_stand_where_it_does():
    out = extract_text("Russian missiles struck near Lozova, Balakliia and Izium overnight.", "Kyiv", "2026-05-02")
    places = {p for _, _, found in operations(out) for p in found}
    assert {"Lozova", "Balakliya", "Izyum"} <= places  # labelled as the gazetteer spells them


def test_a_truce_no_one_brokered_came_of_the_talks_the_article_tells_of():
    out = extract_text("Ethiopia and Eritrea agreed to an immediate ceasefire on Sunday. "
                       "The breakthrough came at talks in Nairobi mediated by Kenya and Norway.",
                       "Addis Ababa", "2026-05-02")
    assert mediators(out, CKG.Ceasefire) == {"Kenya", "Norway"}
    talks = next(e for e in out.events.values() if e.cls == str(CKG.MediationEffort))
    truce = next(e for e in out.events.values() if e.cls == str(CKG.Ceasefire))
    assert talks.resulted_in == [truce.iri] and not set(truce.parties) & set(truce.mediators)
    own = extract_text("A ceasefire brokered by Egypt took effect on Sunday. Talks mediated by Kenya went on "
                       "over the border.", "Addis Ababa", "2026-05-02")
    assert mediators(own, CKG.Ceasefire) == {"Egypt"}  # a truce with a broker of its own keeps it


def mediators(out, cls) -> set[str]:
    return {extraction_context().lexicon.entities[m].label
            for e in out.events.values() if e.cls == str(cls) for m in e.mediators}


def test_a_state_after_a_place_and_a_comma_says_where_it_is_and_acts_in_nothing():
    out = extract_release("STUTTGART, Germany - U.S. Africa Command struck al-Shabaab fighters near the town of "
                          "Jilib, Somalia, with an airstrike on Tuesday.", "U.S. Africa Command", "Stuttgart, Germany",
                          "2026-05-02")
    found = operations(out)
    assert any(places == ("Jilib",) for _, _, places in found)  # Somalia, named in the sentence, is searched too
    assert actors(out) == {"U.S. Africa Command"}  # 'Jilib, Somalia,' is no actor


def test_a_name_before_a_word_for_a_mountain_base_or_crossing_is_a_place():
    out = extract_text("Iraqi jets struck militants in the Tabrak mountain range on Friday. "
                       "Gunmen attacked soldiers at the Wadi Lurah base. Troops fought near Tabrak Hassan on Monday.",
                       "Baghdad", "2026-05-02")
    places = {p for _, _, found in operations(out) for p in found}
    assert {"Tabrak", "Wadi Lurah"} <= places
    assert "Tabrak Hassan" not in places  # a name with no word of a place after it stays none


def test_who_claimed_an_attack_carried_it_out():
    out = extract_text("On Monday al-Shabaab claimed responsibility for Sunday's bomb attack in Baidoa. "
                       "A suicide attack on a police station in Beledweyne, claimed by al-Shabaab, killed five.",
                       "Mogadishu", "2026-05-02")
    placed = {places: who for _, who, places in operations(out) if places}
    assert placed[("Baidoa",)] == ("al-Shabaab",) and placed[("Beledweyne",)] == ("al-Shabaab",)


def test_what_a_strike_is_near_is_a_place_listed_or_not():
    out = extract_text("On Wednesday, a Turkish drone strike near Tal Tamr killed three people. Fighting raged "
                       "outside Ain Issa for hours.", "Damascus", "2026-05-02")
    found = operations(out)
    assert ("Airstrike", ("Turkey",), ("Tal Tamr",)) in found
    assert any(places == ("Ain Issa",) for _, _, places in found)
