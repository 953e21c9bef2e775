"""A claim comparison for people: the two claims side by side, the rule in words, the intervals.

Reconciliation (graph/reconcile.py) leaves one ``ckg:ClaimComparison`` per pair of linked
claims; this turns its row into what the comparison page shows and what its CSV holds.
"""
from __future__ import annotations

from ckg.ontology.vocabulary import CKG

from ..http.iri_paths import local_path
from .claims import interval
from .description import Term
from .labels import fallback_label, link, value_of

RELATIONS = {
    CKG.term("rule-disjoint-intervals"): "contradicts",
    CKG.term("rule-overlapping-intervals"): "corroborates",
    CKG.term("rule-denial-of-positive-figure"): "denies",
    CKG.term("rule-same-event-different-sides"): "corroborates",
}
"""What each rule makes of the first claim towards the second."""

CSV_COLUMNS = ("comparison", "rule", "side", "claim", "claimant", "stated", "min", "max", "sentence", "document")


def comparison_facts(row: dict[str, Term], labels: dict[str, str]) -> dict:
    """The rule (name, definition, what it concludes), what both claims are about and each side's interval."""
    rule = row["rule"].value
    sides = []
    for side in ("first", "second"):
        low, high = row.get(f"{side}Min"), row.get(f"{side}Max")
        sides.append({"claim": row[side].value, "min": low.number() if low else None,
                      "max": high.number() if high else None, "interval": interval(low, high)})
    return {
        "rule": {"iri": rule, "href": local_path(rule), "label": value_of(row.get("ruleLabel")) or fallback_label(rule),
                 "definition": value_of(row.get("ruleDefinition")) or ""},
        "relation": RELATIONS.get(rule, "is compared with"),
        "on": link(row["on"].value, labels) if "on" in row else None,
        "sides": sides,
    }


def _sentence(card: dict) -> str:
    return " ".join(" ".join(part for part in (e["before"], e["marked"] + e["figure"] + e["marked_after"], e["after"])
                             if part) for e in card["evidence"][:1])


def comparison_rows(iri: str, comparison: dict) -> list[dict]:
    """The comparison as a table: one row per side (CSV)."""
    rows = []
    for name, side in zip(("first", "second"), comparison["sides"]):
        card = comparison["cards"][name]
        rows.append({"comparison": iri, "rule": comparison["rule"]["label"], "side": name, "claim": side["claim"],
                     "claimant": (card.get("claimant") or {}).get("label", ""), "stated": card.get("stated") or "",
                     "min": "" if side["min"] is None else f"{side['min']:g}",
                     "max": "" if side["max"] is None else f"{side['max']:g}",
                     "sentence": _sentence(card),
                     "document": (card["evidence"][0]["document"] if card["evidence"] else "")})
    return rows
