"""Articles of the same genre about other conflicts, in every input format.

Nobody listed these people, posts or figures anywhere: the extractor must mint them from
the way the articles are written.
"""
from __future__ import annotations

import pytest

from graph.build import build
from graph.store import Store

from .conftest import ROOT
from .test_seed_graph import rows

ARTICLES = ROOT / "tests" / "data" / "articles"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("others")
    with Store.open(path) as s:
        summary = build([ARTICLES], s)
    assert summary.failures == [] and summary.built == len(list(ARTICLES.iterdir()))
    opened = Store.open(path, read_only=True)
    yield opened
    opened.close()


def test_unlisted_officials_are_minted_with_posts_in_the_right_state(store):
    found = set(rows(store, "SELECT ?n ?p WHERE { ?x a ckg:Person ; rdfs:label ?n ; org:holds/rdfs:label ?p }"))
    assert ("Levon Haroutunian", "Defence Minister of Armenia") in found
    assert ("Nigar Aliyeva", "Spokesperson, Foreign Ministry of Azerbaijan") in found
    assert ("Reza Karimi", "Spokesperson, Foreign Ministry of Iran") in found
    assert ("Amira Suleiman", "Spokesperson, Armed Forces of Sudan") in found  # rank stripped from the name
    assert ("Faisal Omer", "Spokesperson, Rapid Support Forces") in found
    assert ("Somchai Wongsawat", "Spokesperson, Armed Forces of Thailand") in found
    assert ("Chantha Sokha", "Spokesperson, Defence Ministry of Cambodia") in found
    assert ("Aziz Rahman", "Foreign Minister of Malaysia") in found


def test_channels(store):
    found = set(rows(store, """SELECT ?sp ?ch WHERE { ?s a ckg:CommunicationEvent ;
        ckg:speaker/rdfs:label ?sp ; ckg:channel/rdfs:label ?ch }"""))
    assert ("Levon Haroutunian", "media briefing") in found
    assert ("Nigar Aliyeva", "post on X") in found
    assert ("Faisal Omer", "written statement") in found
    assert ("Amira Suleiman", "social media post") in found
    assert ("Two Armenian officials", "anonymous briefing") in found


def test_figures_with_claimants_and_intervals(store):
    found = {(who, kind, int(lo), None if hi is None else int(hi)) for who, kind, lo, hi in rows(store, """
        SELECT ?who ?k ?min ?max WHERE { ?c a ckg:QuantityClaim ; ckg:claimedBy/rdfs:label ?who ;
          ckg:minValue ?min ; ckg:aboutVariable/ckg:countOf/skos:notation ?k OPTIONAL { ?c ckg:maxValue ?max } }""")}
    assert {
        ("Defence Ministry of Armenia", "killed", 12, 12), ("Defence Ministry of Armenia", "wounded", 30, 30),
        ("Defence Ministry of Azerbaijan", "killed", 3, 3), ("Levon Haroutunian", "captured", 4, 4),
        ("Nigar Aliyeva", "captured", 0, 0), ("Nigar Aliyeva", "killed", 41, None),
        ("Armed Forces of Sudan", "killed", 250, None), ("Faisal Omer", "killed", 17, 17),
        ("Faisal Omer", "captured", 24, None), ("Amira Suleiman", "captured", 0, 0),
        ("UNHCR", "displaced", 13_500, 14_999), ("Armed Forces of Thailand", "wounded", 8, 8),
        ("Chantha Sokha", "killed", 5, 5), ("Somchai Wongsawat", "destroyed", 3, 3),
    } <= found


def test_contradictions_across_parties(store):
    pairs = {frozenset([(a, sa), (b, sb)]) for a, sa, b, sb in rows(store, """
        SELECT ?a ?sa ?b ?sb WHERE { ?x ckg:contradicts ?y FILTER (STR(?x) < STR(?y))
          ?x ckg:claimedBy/rdfs:label ?a ; ckg:statedValue ?sa . ?y ckg:claimedBy/rdfs:label ?b ; ckg:statedValue ?sb }""")}
    assert frozenset([("Defence Ministry of Armenia", "12"), ("Nigar Aliyeva", "more than 40")]) in pairs
    assert frozenset([("Levon Haroutunian", "four"), ("Nigar Aliyeva", "any")]) in pairs
    assert frozenset([("Faisal Omer", "dozens of"), ("Amira Suleiman", "no")]) in pairs
    assert frozenset([("Faisal Omer", "17"), ("Armed Forces of Sudan", "at least 250")]) in pairs


def test_mediators_appeals_and_named_operation(store):
    mediators = {m for (m,) in rows(store, "SELECT ?m WHERE { ?e a ckg:MediationEffort ; ckg:mediator/rdfs:label ?m }")}
    assert {"France", "United States", "Saudi Arabia"} <= mediators
    appeals = {w for (w,) in rows(store, "SELECT ?w WHERE { ?c a ckg:Appeal ; ckg:claimedBy/rdfs:label ?w }")}
    assert {"European Union", "African Union", "China"} <= appeals
    operations = {label for (label,) in rows(store, "SELECT ?l WHERE { ?e a ckg:MilitaryOperation ; rdfs:label ?l }")}
    assert "Operation Dawn Shield" in operations


def test_a_town_the_knowledge_base_does_not_list_gets_coordinates_from_the_gazetteer(store):
    found = rows(store, """PREFIX geo: <http://www.opengis.net/ont/geosparql#>
        SELECT ?wkt ?state WHERE { ?p rdfs:label "Vanadzor"@en ; geo:hasGeometry/geo:asWKT ?wkt ;
                                      ckg:locatedIn/rdfs:label ?state }""")
    assert found, "Vanadzor not found"
    wkt, state = found[0]
    lon, lat = map(float, wkt[len("POINT("):-1].split())
    assert state == "Armenia" and 44 < lon < 45 and 40 < lat < 41.5


def extract_text(text: str, place: str, day: str):
    """Extract one article written inline, with the project's lexicon."""
    from datetime import datetime

    from graph import conventions
    from graph.documents import Document
    from graph.extract import Context, extract
    from graph.lexicon import load_lexicon
    from graph.matching import Matcher

    lexicon = load_lexicon()
    ctx = Context(lexicon, Matcher(lexicon), conventions.load_conventions(lexicon.graph))
    doc = Document(id="inline", text=text, title=None, date=datetime.fromisoformat(day), date_precision="day",
                   place=place, source=None, url=None, path="inline.txt", format="text", sha256="0", metadata={})
    return extract(ctx, doc)


def test_ranked_spokesman_in_an_appositive_is_minted_with_post_and_state():
    text = ("Lt. Gen. Ahmed Sharif Chaudhry, the army spokesman, told a news conference that 12 militants "
            "were killed. Halima Yusuf, a spokesperson for Nigeria’s Defence Ministry, said the figure was 9.")
    out = extract_text(text, "Islamabad", "2026-05-10")
    holdings = {(out.agents[h.person].label, out.posts[h.post].label) for h in out.holdings}
    assert ("Ahmed Sharif Chaudhry", "Spokesperson, Armed Forces of Pakistan") in holdings
    assert ("Halima Yusuf", "Spokesperson, Defence Ministry of Nigeria") in holdings
    speakers = {out.agents[s.speaker].label: s.channel for s in out.statements}
    assert speakers["Ahmed Sharif Chaudhry"].endswith("channel-media-briefing")


def test_ranges_are_one_figure_with_both_bounds():
    text = ("Colombia’s Defence Ministry said between 12 and 15 guerrillas were killed, "
            "and that 20 to 25 soldiers were wounded.")
    figures = {(c.stated, c.minimum, c.maximum) for c in extract_text(text, "Bogotá", "2026-08-01").claims if c.variable}
    assert ("between 12 and 15", 12, 15) in figures and ("20 to 25", 20, 25) in figures


def test_a_part_of_a_figure_counts_its_own_variable_linked_to_the_total():
    text = ("Lebanon’s Health Ministry said an Israeli air strike killed 12 people, including three children, "
            "and wounded 40. The Israeli military said it had killed 20 Hezbollah fighters, among them two commanders. "
            "Hezbollah said 15 of its fighters were killed, including four.")
    out = extract_text(text, "Beirut", "2026-06-10")
    figures = {c.stated: out.variables[c.variable] for c in out.claims if c.variable}
    assert {"12", "three", "40", "20", "two", "15", "four"} <= set(figures)
    assert figures["three"].subset_of == figures["12"].iri != figures["three"].iri
    assert figures["40"].subset_of is None and figures["40"].kind.endswith("kind-wounded")  # after the part, the total
    assert figures["two"].subset_of == figures["20"].iri and figures["four"].subset_of == figures["15"].iri
    assert figures["20"].iri == figures["15"].iri  # the two sides' totals stay comparable
    assert figures["two"].iri != figures["four"].iri  # 'two commanders' and 'four' (of them) are different parts
