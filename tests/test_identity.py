"""Name forms of one person: which merge, which stay apart (titles and posts from the real ontology)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from ckg.graph.identity import Person, canonical_people, name_words, read_titles
from ckg.ontology import files


@pytest.fixture(scope="module")
def titles() -> list[tuple[str, ...]]:
    store = ox.Store()
    store.load(path=str(files.ONTOLOGY), format=ox.RdfFormat.TURTLE)
    return read_titles(store.query)


def person(iri: str, name: str, *contexts: str) -> Person:
    return Person(iri, {name}, set(contexts))


def test_titles_ranks_and_posts_come_off_names(titles):
    assert name_words("Lt. Gen. Ahmed Sharif Chaudhry", titles) == ("ahmed", "sharif", "chaudhry")
    assert name_words("Defence Minister Levon Haroutunian", titles) == ("levon", "haroutunian")
    assert name_words("Gen. Chaudhry", titles) == ("chaudhry",)
    assert name_words("Dr. Amira Suleiman", titles) == ("amira", "suleiman")


def test_shorter_forms_in_the_same_state_merge_into_the_fullest(titles):
    people = [person("full", "Lt. Gen. Ahmed Sharif Chaudhry", "PAK"), person("short", "Ahmed Chaudhry", "PAK"),
              person("surname", "Gen. Chaudhry", "PAK", "PAK-army")]
    assert canonical_people(people, titles) == {"short": "full", "surname": "full"}


def test_other_states_ambiguous_short_forms_and_unplaced_people_stay_apart(titles):
    people = [person("pak", "Ahmed Sharif Chaudhry", "PAK"), person("ind", "Ahmed Chaudhry", "IND"),
              person("a", "Amira Suleiman", "SDN"), person("b", "Hassan Suleiman", "SDN"),
              person("c", "Suleiman", "SDN"), person("nowhere", "Sharif Chaudhry")]
    assert canonical_people(people, titles) == {}


def test_a_different_first_name_is_a_different_person(titles):
    people = [person("a", "Levon Haroutunian", "ARM"), person("b", "Armen Haroutunian", "ARM")]
    assert canonical_people(people, titles) == {}
