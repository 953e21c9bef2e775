"""Listings by class (/people, /organisations, /places, /claims): rows in, what each row shows out.

Every item has its IRI, the path it is shown at and a label (from the data, else from its IRI);
the other fields are its listing's own columns, which its CSV gives in order.
"""
from __future__ import annotations

from ..http.iri_paths import local_path
from .labels import fallback_label, value_of

AGENT_COLUMNS = ("iri", "label", "claims", "documents")
"""/people and /organisations as a table: one row per agent."""
PLACE_COLUMNS = ("iri", "label", "state", "state_label", "documents")
"""/places as a table: one row per place."""
CLAIM_COLUMNS = ("iri", "label", "claimant", "claimant_label", "side", "side_label", "kind", "stated", "min", "max",
                 "date", "document", "reliability")
"""/claims as a table: one row per claim."""


def _count(row: dict, name: str) -> int:
    return int(row[name].value) if name in row else 0


def _named(row: dict) -> dict:
    iri = row["item"].value
    return {"iri": iri, "href": local_path(iri), "label": value_of(row.get("label")) or fallback_label(iri)}


def agent_list(rows: list[dict]) -> list[dict]:
    """People or organisations with how many claims each made and how many documents mention each."""
    return [_named(row) | {"claims": _count(row, "claims"), "documents": _count(row, "documents")} for row in rows]


def place_list(rows: list[dict]) -> list[dict]:
    """Places with the state each lies in and how many documents name each."""
    return [_named(row) | {"state": value_of(row.get("state")), "state_label": value_of(row.get("stateLabel")),
                           "documents": _count(row, "documents")} for row in rows]


def claim_list(rows: list[dict]) -> list[dict]:
    """Claims with who made them, for which side, the count kind, the figure as worded and its
    interval, their date, the document that reports them (with the paths to show each at) and the
    claimant's reliability as an analyst rated it."""
    listed = []
    for row in rows:
        claimant, document = value_of(row.get("claimant")), value_of(row.get("document"))
        listed.append(_named(row) | {
            "claimant": claimant, "claimant_href": local_path(claimant) if claimant else None,
            "claimant_label": value_of(row.get("claimantLabel")) or (fallback_label(claimant) if claimant else None),
            "side": value_of(row.get("side")), "side_label": value_of(row.get("sideLabel")),
            "kind": value_of(row.get("kind")), "stated": value_of(row.get("stated")),
            "min": value_of(row.get("min")), "max": value_of(row.get("max")), "date": value_of(row.get("date")),
            "document": document, "document_href": local_path(document) if document else None,
            "reliability": value_of(row.get("reliability"))})
    return listed
