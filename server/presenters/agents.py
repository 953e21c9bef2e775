"""A person, organisation or state: what it did in the reporting, section by section."""
from __future__ import annotations

from collections import defaultdict

from ckg.ontology.vocabulary import CKG

from ..http.iri_paths import local_path
from .labels import fallback_label, label_of, link, readable


def agent_sections(rows: list[dict], labels: dict[str, str]) -> dict[str, list[dict]]:
    """Posts, statements, claims, denials, its claims others denied, claims on its behalf and events."""
    items: dict[tuple[str, str], dict] = {}
    for row in rows:
        item, section = row["item"].value, row["section"].value
        entry = items.setdefault((section, item), {"section": section, "link": link(item, labels), "types": set(),
                                                   "roles": set()})
        if "type" in row and row["type"].value.startswith(CKG):
            entry["types"].add(row["type"].value)
        if "role" in row:
            entry["roles"].add(label_of(row["role"].value, labels))
        for key in ("stated", "when"):
            if key in row:
                entry[key] = row[key].value
        if "about" in row:
            entry["about"] = {"href": local_path(row["about"].value),
                              "label": readable(row["aboutLabel"].value) if "aboutLabel" in row
                              else fallback_label(row["about"].value)}
        if "document" in row:
            entry["document"] = link(row["document"].value, labels)
    sections: dict[str, list[dict]] = defaultdict(list)
    for entry in items.values():
        types = sorted(entry.pop("types"))
        entry["type"] = label_of(types[0], labels) if types else ""
        entry["roles"] = sorted(entry["roles"])
        section = entry["section"]
        if section == "claim" and CKG + "Denial" in types:
            section = "denial"
        if section in ("claim", "denial", "behalf", "denied"):
            entry["link"]["label"] = entry.get("stated") or entry["type"] or "claim"
            entry["stated"] = None
        sections[section].append(entry)
    for entries in sections.values():
        entries.sort(key=lambda e: (e.get("when") or "", e["link"]["label"].lower()))
    return dict(sections)
