"""The analysts' queries in queries/: they run on the seed graph and answer with their contract columns."""
from __future__ import annotations

import re

import pytest

from .conftest import ROOT
from .test_seed_graph import store  # noqa: F401  (the seed graph, built once)

QUERIES = ROOT / "queries"


def run(store, name: str) -> tuple[list[str], list[dict]]:
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    declared = [c.strip() for c in re.search(r"^#\+ columns: (.+)$", text, re.M).group(1).split(",")]
    results = store.query(text)
    variables = [v.value for v in results.variables]
    rows = [{v: (s[v].value if s[v] is not None else None) for v in variables} for s in results]
    assert variables == declared
    return variables, rows


def test_claims(store):  # noqa: F811
    _, rows = run(store, "claims")
    by = {(r["claimantLabel"], r["kind"], r["stated"]): r for r in rows}
    tarar = by[("Attaullah Tarar", "killed", "two")]
    assert (tarar["side"], tarar["min"], tarar["max"]) == ("Pakistan", "2", "2")
    assert "two Pakistani soldiers were killed" in tarar["quote"]
    zaidi = by[("Mosharraf Ali Zaidi", "killed", "at least 133")]
    assert zaidi["max"] is None and zaidi["group"] == "Armed Forces of Afghanistan"


def test_statements(store):  # noqa: F811
    _, rows = run(store, "statements")
    mao = [r for r in rows if r["speakerLabel"] == "Mao Ning" and r["channel"] == "media briefing"]
    assert mao and mao[0]["onBehalfOf"] == "China" and "Foreign Ministry of China" in mao[0]["post"]


def test_officials(store):  # noqa: F811
    _, rows = run(store, "officials")
    assert {"name": "Attaullah Tarar", "post": "Information Minister of Pakistan"}.items() <= next(
        r for r in rows if r["name"] == "Attaullah Tarar").items()
    assert any(r["name"] == "Maria Zakharova" and r["state"] == "Russia" for r in rows)


def test_contradictions(store):  # noqa: F811
    _, rows = run(store, "contradictions")
    pairs = {frozenset((r["statedA"], r["statedB"])) for r in rows}
    assert len(rows) == 4 and frozenset(("55", "two")) in pairs and frozenset(("eight", "at least 133")) in pairs
