"""Figure timelines over a live server: one mark per claim, links, revisions, denials, data, errors.

tests/data/timeline/ holds two reports of one border clash: the Afghan spokesman's toll of
three, revised to nine in the later report, a Pakistani toll of 12, and a denial that any
soldier was captured against a Pakistani claim of four.
"""
from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import pytest
import requests

from ckg.graph.build import build
from ckg.graph.store import Store
from ckg.ontology.vocabulary import ID_BASE

from .conftest import ROOT
from .live import serving
from .test_seed_graph import rows

ARTICLES = ROOT / "tests" / "data" / "timeline"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("timelines")
    with Store.open(path) as s:
        assert build([ARTICLES], s).failures == []
    with Store.open(path, read_only=True) as s:
        killed = rows(s, """SELECT DISTINCT ?v WHERE { ?c ckg:aboutVariable ?v ; ckg:statedValue "nine" }""")[0][0]
        claims = {stated: c for c, stated in rows(s, """SELECT ?c ?s WHERE { ?c ckg:aboutVariable ?v ; ckg:statedValue ?s
            ; ckg:aboutVariable ?v }""")}
        count = len(rows(s, f"SELECT DISTINCT ?c WHERE {{ ?c ckg:aboutVariable <{killed}> }}"))
    return path, killed, claims, count


@pytest.fixture(scope="module")
def server(built):
    yield from serving(built[0])


def local(iri: str) -> str:
    return iri.removeprefix("https://example.org")


def test_one_mark_per_claim_each_linked_to_its_claim(built, server):
    _, killed, claims, count = built
    html = requests.get(f"{server}/timeline?variable={quote(killed, safe='')}", headers={"Accept": "text/html"},
                        timeout=30).text
    svg = html[html.index("<svg"):html.index("</svg>")]
    marks = re.findall(r'<a href="([^"]+)" class="mark [^"]*"', svg)
    assert count == 3 and len(marks) == count
    assert {local(claims[s]) for s in ("three", "nine", "12")} == set(marks)


def test_the_revision_and_the_first_report_are_marked(built, server):
    _, killed, claims, _ = built
    html = requests.get(f"{server}/timeline.html?variable={quote(killed, safe='')}", timeout=30).text
    svg = html[html.index("<svg"):html.index("</svg>")]
    classes = dict(re.findall(r'<a href="([^"]+)" class="mark ([^"]*)"', svg))
    assert "revision" in classes[local(claims["nine"])].split()
    assert "revision" not in classes[local(claims["three"])].split()
    assert "first" in classes[local(claims["three"])].split(), "the Saturday toll is the first report"
    assert svg.count('class="revision-link"') == 1


def test_a_denial_is_marked(built, server):
    html = requests.get(f"{server}/timeline?states=AFG,PAK", headers={"Accept": "text/html"}, timeout=30).text
    _, _, claims, _ = built
    denial = re.search(rf'<a href="{re.escape(local(claims["any"]))}" class="mark ([^"]*)"', html)
    assert denial and "denial" in denial.group(1).split()
    assert html.count('class="denial-cross"') == 1
    assert "<script>" not in html


def test_json_and_csv_hold_the_same_claims(built, server):
    _, killed, claims, count = built
    data = requests.get(f"{server}/timeline.json", params={"variable": killed}, timeout=30).json()
    marks = [m for p in data["panels"] for m in p["marks"]]
    assert len(marks) == count
    nine = next(m for m in marks if m["claim"] == claims["nine"])
    assert nine["revises"] == claims["three"] and nine["low"] == 9
    answer = requests.get(f"{server}/timeline", params={"variable": killed}, headers={"Accept": "text/csv"}, timeout=30)
    assert answer.headers["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(answer.text)))
    assert sorted(r["claim"] for r in table) == sorted(m["claim"] for m in marks)
    assert next(r for r in table if r["claim"] == claims["nine"])["revises"] == claims["three"]


def test_claimant_and_states_timelines(built, server):
    _, _, claims, _ = built
    spokesman = ID_BASE + "person/enayatullah-khwarazmi"
    data = requests.get(f"{server}/timeline.json", params={"claimant": spokesman}, timeout=30).json()
    assert {m["stated"] for p in data["panels"] for m in p["marks"]} == {"three", "nine"}
    one = requests.get(f"{server}/timeline.csv", params={"states": "PAK"}, timeout=30).text
    assert claims["12"] in one and claims["nine"] not in one


@pytest.mark.parametrize("query, message", [
    ("", "give exactly one of"),
    ("variable=not%20an%20iri", "is not an absolute IRI"),
    ("variable=a&claimant=b", "not variable and claimant"),
    ("states=PAK,AFG,IND", "one or two states"),
    ("states=PAK,PAK", "two different states"),
    ("states=PAK&states=AFG", "once, not 2 times"),
    ("state=PAK", "unknown parameter 'state'"),
    ("claimant=http://x/%3Cscript%3E", "is not a valid IRI"),
])
def test_bad_parameters_get_a_400_that_says_why(server, query, message):
    answer = requests.get(f"{server}/timeline?{query}", timeout=30)
    assert answer.status_code == 400 and message in answer.text, answer.text
    assert requests.get(f"{server}/timeline?states=PAK", timeout=30).status_code == 200


def test_an_unknown_suffix_is_a_404(server):
    assert requests.get(f"{server}/timeline.xml?states=PAK", timeout=30).status_code == 404
