"""ckg against Virtuoso Open Source, started by the test on loopback ports (Debian virtuoso-opensource).

The seeds are built into it with `ckg build --store URL/sparql` (updates through /sparql, graphs
through /sparql-graph-crud), and every named query is compared with the embedded build. Virtuoso
7.2.5 answers some of them otherwise, for reasons of its own SPARQL engine, listed in DIFFERS:
those are expected to differ (strictly: one that starts to agree fails, so the list stays true);
every other query must give the embedded store's answer row for row.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from ckg.ontology.vocabulary import CKG

from .remote_stores import ckg, named_answers, remote_store, running_virtuoso, seeds_built_into

UNDEF_WITH_PATH = ("Virtuoso 7.2.5 answers a group holding a VALUES row of UNDEF, a FILTER on that variable and a "
                   "`*` property path with one row instead of all (every named query binds its parameters so)")
EXISTS_IN_BIND = ("Virtuoso 7.2.5 evaluates BIND (EXISTS { … } AS ?x) to 0 or 1 (integers, not booleans) and to 0 "
                  "where the pattern exists, so the build's cross-document step finds no contradicting pairs")
ORDER = ("Virtuoso 7.2.5 does not order language-tagged labels by their text under ORDER BY "
         "(the same rows)")
DIFFERS = {
    "timeline": UNDEF_WITH_PATH,
    "operations": UNDEF_WITH_PATH,
    "mediation": UNDEF_WITH_PATH,
    "contradictions": EXISTS_IN_BIND,
    "cq16-contested-claimants": EXISTS_IN_BIND,
    "cq17-cross-party-corroboration": EXISTS_IN_BIND,
    "cq02-figures-for-an-event": ORDER,
    "cq03-spread-per-count": ORDER,
    "cq11-events-on-a-day": ORDER,
}
"""Named queries Virtuoso answers otherwise, with why."""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[str]:
    yield from seeds_built_into(running_virtuoso(tmp_path_factory.mktemp("virtuoso")))


@pytest.fixture(scope="module")
def answers(virtuoso, seed_store) -> dict[str, tuple[str, str]]:
    return named_answers(virtuoso, seed_store)


def test_a_build_into_virtuoso_skips_unchanged_documents_the_second_time(virtuoso):
    with remote_store(virtuoso) as far:
        before = far.stamp()
        assert before is not None
        assert any(far.triples_in(graph) > 1000 for graph in far.graph_iris())
    again = ckg("build", "--quiet", "--store", virtuoso, "seeds")
    assert again.returncode == 0, again.stderr
    assert re.search(r"unchanged, skipped\s+1\b", again.stdout)
    with remote_store(virtuoso) as far:
        assert far.stamp() == before


def test_named_queries_answer_as_the_embedded_store(answers):
    differing = sorted(name for name, (here, there) in answers.items() if here != there)
    assert [name for name in differing if name not in DIFFERS] == []
    assert sum(here.count("\n") for name, (here, _) in answers.items() if name not in DIFFERS) > 50


@pytest.mark.parametrize("name", sorted(DIFFERS))
def test_what_virtuoso_answers_otherwise(answers, name):
    here, there = answers[name]
    if DIFFERS[name].endswith("(the same rows)"):
        assert here != there and sorted(here.splitlines()) == sorted(there.splitlines())
    else:
        assert here != there, f"{name} now agrees: take it out of DIFFERS"


def test_the_server_answers_from_virtuoso_as_from_the_embedded_store(virtuoso, live):
    import json

    import requests

    from .live import serving

    for base in serving(virtuoso, "--workers", "1"):
        mine = requests.get(base + "/api/queries/claims", timeout=60)
        theirs = requests.get(live + "/api/queries/claims", timeout=60)
        assert mine.status_code == theirs.status_code == 200, mine.text
        assert json.loads(mine.text.replace(base, "")) == json.loads(theirs.text.replace(live, ""))
        figures = (f"SELECT ?c ?min WHERE {{ ?c a <{CKG.QuantityClaim}> ; "
                   f"<{CKG.minValue}> ?min }} ORDER BY STR(?c) ?min")
        here = requests.get(base + "/sparql", params={"query": figures}, headers={"Accept": "text/csv"}, timeout=60)
        there = requests.get(live + "/sparql", params={"query": figures}, headers={"Accept": "text/csv"}, timeout=60)
        assert here.status_code == 200 and here.text == there.text and here.text.count("\n") > 10
        page = requests.get(base + "/documents", timeout=60)
        assert page.status_code == 200 and page.headers.get("ETag")
