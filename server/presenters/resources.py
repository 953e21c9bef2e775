"""What every resource's page shows: its name, types, properties grouped, links in and out, its data.

Description in, a dict out; what the reasoner's closure added is kept apart (folded on the page).
"""
from __future__ import annotations

import pyoxigraph as ox

from ckg.graph import formats
from ckg.ontology.vocabulary import CKG, OA, OWL, SCHEMA, is_derived_graph

from ..http.iri_paths import data_path, local_path
from .claims import claim_label, claim_summary
from .description import Description, Term
from .labels import editor_link, label_of, link, render_value

HIDDEN = {OA.hasSelector, CKG.textSha256, SCHEMA.text}
"""Properties a page shows elsewhere (the reading view) or not at all."""


def _grouped(edges: dict[str, list[Term]], labels: dict[str, str], description: Description, subject: str | None,
             inferred: bool) -> list[dict]:
    groups = []
    for predicate in sorted(edges, key=lambda p: label_of(p, labels).lower()):
        if predicate in HIDDEN:
            continue
        values = []
        for value in edges[predicate]:
            key = (Term("uri", subject), predicate, value) if subject else (value, predicate, Term("uri", description.iri))
            only_derived = bool(description.graphs[key]) and all(is_derived_graph(g) for g in description.graphs[key])
            if only_derived == inferred:
                values.append(render_value(value, labels))
        if values:
            values = _collapsed(values)
            values.sort(key=lambda v: (v.get("label") or v.get("literal") or "").lower())
            groups.append({"predicate": link(predicate, labels), "values": values[:200], "more": max(0, len(values) - 200)})
    return groups


UNINFORMATIVE_TYPES = {OWL.NamedIndividual, OWL.Thing}


def _collapsed(values: list[dict]) -> list[dict]:
    """Links with the same name shown once, with how many there are ('Yerevan ×4': four spans naming it)."""
    seen: dict[str, dict] = {}
    kept = []
    for value in values:
        name = value.get("label")
        if name is None:
            kept.append(value)
        elif name in seen:
            seen[name]["times"] = seen[name].get("times", 1) + 1
        else:
            seen[name] = value
            kept.append(value)
    return kept


def most_specific(types: list[str], labels: dict[str, str]) -> list[dict]:
    return [link(t, labels) for t in sorted(set(types) - UNINFORMATIVE_TYPES, key=lambda t: label_of(t, labels))]


def data_links(iri: str) -> list[dict]:
    """Links to this page's data in every format a resource offers but the page itself."""
    base = data_path(iri)
    found = []
    for fmt in DATA_FORMATS:
        label = fmt.label + {"quads": " (with graphs)", "tables": " (this page)"}.get(fmt.kind, "")
        href = f"{base}&format={fmt.name}" if base.startswith("/resource?") else f"{base}.{fmt.suffix}"
        found.append({"label": label, "href": href})
    return found


DATA_FORMATS = sorted((f for f in formats.PAGE if f is not formats.HTML),
                      key=lambda f: (("triples", "quads", "tables").index(f.kind), f.name != "jsonld"))
"""JSON-LD first (the web's own), then the other triple formats, the quad formats, the page's JSON."""


def sparql_link(iri: str, query: str) -> str:
    """A link to the editor with the query that gives this page's data: the IRI is bound to ``?this``
    by a VALUES block at the top of every group that selects it, so the query reads as it runs here."""
    values = f"WHERE {{\n  VALUES ?this {{ {ox.NamedNode(iri)} }}"
    return editor_link(query.replace("WHERE {", values))


def resource_view(description: Description, kind: str, query: str) -> dict:
    """The parts every page shares: name, types, grouped properties, incoming links; ``kind`` is the
    page type, ``query`` the text of the query that describes the resource."""
    labels = description.labels
    iri = description.iri
    asserted = description.asserted_types(is_derived_graph)
    path = local_path(iri)
    label = label_of(iri, labels)
    if kind == "claim":
        summary = claim_summary(description, iri)
        label = claim_label(summary["claimant"] and summary["claimant"]["label"], summary["stated"], summary["type"],
                            summary["about"] and summary["about"]["label"])
    return {
        "iri": iri,
        "label": label,
        "types": most_specific(asserted, labels),
        "kind": kind,
        "properties": _grouped(description.out.get(iri, {}), labels, description, iri, inferred=False),
        "inferred": _grouped(description.out.get(iri, {}), labels, description, iri, inferred=True),
        "incoming": _grouped(description.inc.get(iri, {}), labels, description, None, inferred=False),
        "incoming_inferred": _grouped(description.inc.get(iri, {}), labels, description, None, inferred=True),
        "graphs": sorted({g.value for *_, g in description.quads if not is_derived_graph(g.value)}),
        "data_links": data_links(iri),
        "sparql": sparql_link(iri, query),
        "path": path,
    }
