"""What each page shows, as plain data: descriptions and query rows in, dicts out.

Labels come from the data (rdfs:label, skos:prefLabel …); where the data has none, one is
derived from the IRI, so a page never shows a raw IRI as a name.
"""
from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import quote, unquote

import pyoxigraph as ox

from ckg.graph import formats
from ckg.ontology.vocabulary import CKG, OA, OWL, SCHEMA, is_derived_graph

from . import annotate, contested
from .descriptions import Description, Term, query_text
from .iri_paths import data_path, local_path

MINTED_TAIL = re.compile(r"-[0-9a-f]{10}$")
MINTED_PAREN = re.compile(r"\s*\((?:[a-z0-9]+-)+[0-9a-f]{10}\)")
"""'(slug-0123456789)' in a label: the minted name of an episode, not a name for people."""
MINTED_BARE = re.compile(r"\b((?:[a-z0-9]+-)+)[0-9a-f]{10}\b")
HIDDEN = {OA.hasSelector, CKG.textSha256, SCHEMA.text}
"""Properties a page shows elsewhere (the reading view) or not at all."""


def fallback_label(iri: str) -> str:
    """A name from the IRI itself: 'ckg#claimedBy' → 'claimed by', 'claim/two-killed-0123456789' → 'two killed'."""
    tail = re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
    tail = MINTED_TAIL.sub("", unquote(tail))
    if re.fullmatch(r"[A-Za-z]+", tail) and re.search(r"[a-z][A-Z]", tail):
        tail = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tail).lower()
    return tail.replace("-", " ").replace("_", " ").strip() or iri


def readable(label: str) -> str:
    """A label from the data without minted names: '(arm-aze-…-a26df25a99)' goes, 'shelling-tovuz-0123456789'
    becomes 'shelling tovuz'."""
    label = MINTED_PAREN.sub("", label)
    return MINTED_BARE.sub(lambda m: m.group(1).replace("-", " ").strip(), label)


def label_of(iri: str, labels: dict[str, str]) -> str:
    found = labels.get(iri)
    return readable(found) if found else fallback_label(iri)


def link(iri: str, labels: dict[str, str]) -> dict:
    return {"href": local_path(iri), "label": label_of(iri, labels), "iri": iri}


def render_value(value: Term, labels: dict[str, str]) -> dict:
    if value.is_iri:
        return link(value.value, labels)
    if value.kind == "bnode":
        return {"literal": "(blank node)"}
    return {"literal": value.value, "lang": value.lang,
            "datatype": fallback_label(value.datatype) if value.datatype and "#string" not in value.datatype else None}


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


def claim_label(claimant: str | None, stated: str | None, kind: str, about: str | None) -> str:
    """A claim's name for people: who, what figure (or what kind of claim), about what."""
    head = f"{claimant}: " if claimant else ""
    return f"{head}{stated or kind}" + (f" — {about}" if about else "")


def page_kind(all_types: set[str]) -> str:
    if CKG + "Claim" in all_types:
        return "claim"
    if CKG + "Document" in all_types:
        return "document"
    if CKG + "CommunicationEvent" in all_types:
        return "statement"
    if CKG + "Event" in all_types:
        return "event"
    if all_types & {CKG + "Agent", CKG + "Organization", CKG + "Person", CKG + "State"}:
        return "agent"
    if CKG + "CountVariable" in all_types:
        return "variable"
    return "resource"


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


def editor_link(text: str) -> str:
    """The query editor opened on this query (YASGUI reads ``?query=``; so does the plain form)."""
    return "/?query=" + quote(text, safe="")


def sparql_link(iri: str, query: str = "describe") -> str:
    """A link to the editor with the query that gives this page's data: the IRI is bound to ``?this``
    by a VALUES block at the top of every group that selects it, so the query reads as it runs here."""
    values = f"WHERE {{\n  VALUES ?this {{ {ox.NamedNode(iri)} }}"
    return editor_link(query_text(query).replace("WHERE {", values))


def resource_view(description: Description) -> dict:
    """The parts every page shares: name, types, grouped properties, incoming links."""
    labels = description.labels
    iri = description.iri
    asserted = description.asserted_types(is_derived_graph)
    path = local_path(iri)
    label = label_of(iri, labels)
    if page_kind(set(description.types())) == "claim":
        summary = claim_summary(description, iri)
        label = claim_label(summary["claimant"] and summary["claimant"]["label"], summary["stated"], summary["type"],
                            summary["about"] and summary["about"]["label"])
    return {
        "iri": iri,
        "label": label,
        "types": most_specific(asserted, labels),
        "kind": page_kind(set(description.types())),
        "properties": _grouped(description.out.get(iri, {}), labels, description, iri, inferred=False),
        "inferred": _grouped(description.out.get(iri, {}), labels, description, iri, inferred=True),
        "incoming": _grouped(description.inc.get(iri, {}), labels, description, None, inferred=False),
        "incoming_inferred": _grouped(description.inc.get(iri, {}), labels, description, None, inferred=True),
        "graphs": sorted({g.value for *_, g in description.quads if not is_derived_graph(g.value)}),
        "data_links": data_links(iri),
        "sparql": sparql_link(iri),
        "path": path,
    }


def _value(term: Term | None) -> str | None:
    return term.value if term is not None else None


def evidence(rows: list[dict], texts: dict[str, str], figure: str | None = None) -> list[dict]:
    """Each evidence span in its sentence: the words before, the span (marked), the words after;
    within the span, the figure as worded is picked out."""
    found = []
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        document = row["document"].value
        text = texts.get(document)
        if text is not None:
            before, marked, after = annotate.sentence_around(text, start, end)
        else:
            before, marked, after = "", _value(row.get("exact")) or "", ""
        at = marked.lower().find(figure.lower()) if figure else -1
        parts = (marked[:at], marked[at:at + len(figure)], marked[at + len(figure):]) if at >= 0 else (marked, "", "")
        found.append({"before": before, "marked": parts[0], "figure": parts[1], "marked_after": parts[2], "after": after,
                      "span": row["span"].value,
                      "href": local_path(row["span"].value), "document": document})
    return found


def interval(low: Term | None, high: Term | None) -> str:
    if low is None:
        return ""
    lo = f"{low.number():g}" if low.number() is not None else low.value
    if high is None:
        return f"[{lo}, ∞)"
    hi = f"{high.number():g}" if high.number() is not None else high.value
    return f"{lo}" if lo == hi else f"[{lo}, {hi}]"


def claim_summary(description: Description, claim: str) -> dict:
    """One claim as a card: who, the figure as worded and its interval (the page adds the sentences)."""
    labels = description.labels
    get = lambda p: description.value(CKG + p, claim)  # noqa: E731
    claimant = get("claimedBy")
    side = get("claimedOnBehalfOf")
    about = get("aboutVariable") or get("aboutEvent")
    types = [t for t in description.types(claim) if t.startswith(CKG) and t != CKG + "Claim"]
    return {
        "iri": claim, "href": local_path(claim),
        "type": label_of(types[0], labels) if types else "claim",
        "claimant": link(claimant.value, labels) if claimant else None,
        "side": link(side.value, labels) if side else None,
        "stated": _value(get("statedValue")),
        "interval": interval(get("minValue"), get("maxValue")),
        "about": link(about.value, labels) if about else None,
        "evidence": [],
    }


def statement_facts(statement: Description | None) -> dict:
    """When, through which channel, in what post and on whose behalf a statement was made."""
    if statement is None:
        return {}
    labels = statement.labels
    get = lambda p: statement.value(CKG + p)  # noqa: E731
    linked = lambda t: link(t.value, labels) if t is not None and t.is_iri else None  # noqa: E731
    return {
        "statement": link(statement.iri, labels),
        "speaker": linked(get("speaker")),
        "post": linked(get("speakerPost")),
        "on_behalf_of": linked(get("onBehalfOf")),
        "channel": linked(get("channel")),
        "time": time_bounds(statement, statement.iri),
        "quote": _value(get("quote")),
    }


def time_bounds(description: Description, subject: str) -> dict:
    get = lambda p: _value(description.value(CKG + p, subject))  # noqa: E731
    precision = description.value(CKG + "timePrecision", subject)
    return {"earliest_begin": get("earliestBegin"), "latest_begin": get("latestBegin"),
            "earliest_end": get("earliestEnd"), "latest_end": get("latestEnd"),
            "words": get("timeExpression"),
            "precision": label_of(precision.value, description.labels) if precision else None}


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


def event_claims(rows: list[dict], labels: dict[str, str]) -> list[dict]:
    claims: dict[str, dict] = {}
    for row in rows:
        claim = row["claim"].value
        entry = claims.setdefault(claim, {"href": local_path(claim), "type": "", "stated": None, "variable": None,
                                          "claimant": {"href": local_path(row["claimant"].value),
                                                       "label": _value(row.get("claimantLabel"))
                                                       or fallback_label(row["claimant"].value)},
                                          "document": None})
        if "type" in row and row["type"].value.startswith(CKG):
            entry["type"] = label_of(row["type"].value, labels)
        if "stated" in row:
            entry["stated"] = row["stated"].value
        if "variableLabel" in row:
            entry["variable"] = readable(row["variableLabel"].value)
        if "document" in row:
            entry["document"] = link(row["document"].value, labels)
    return list(claims.values())


def event_facts(description: Description, claims: list[dict]) -> dict:
    """Where, who took part (in which roles), and who reports it."""
    iri, labels = description.iri, description.labels
    participants = [t.value for t in description.values(CKG + "hasParticipant") if t.is_iri]
    roles: dict[str, list[str]] = defaultdict(list)
    for predicate, objects in description.out.get(iri, {}).items():
        if predicate == CKG + "hasParticipant":
            continue
        for obj in objects:
            if obj.value in participants:
                roles[obj.value].append(label_of(predicate, labels))
    reporters = {c["claimant"]["href"]: c["claimant"] for c in claims}
    documents = {c["document"]["href"]: c["document"] for c in claims if c.get("document")}
    return {"places": [link(t.value, labels) for t in description.values(CKG + "tookPlaceAt") if t.is_iri],
            "actors": [{"link": link(p, labels), "roles": sorted(set(roles.get(p, [])))} for p in participants],
            "reported_by": sorted(reporters.values(), key=lambda r: r["label"]),
            "documents": list(documents.values())}


def reading_view(text: str, rows: list[dict]) -> list[annotate.Segment]:
    """The document's text with every span marked, linked to what it names or evidences."""
    things: dict[str, list[tuple[str, str]]] = defaultdict(list)
    bounds: dict[str, tuple[int, int]] = {}
    for row in rows:
        span = row["span"].value
        bounds[span] = (int(row["start"].value), int(row["end"].value))
        if "thing" in row:
            thing = row["thing"].value
            label = readable(row["thingLabel"].value) if "thingLabel" in row else fallback_label(thing)
            if (thing, label) not in things[span]:
                things[span].append((thing, label))
    spans = []
    for span, (start, end) in bounds.items():
        named = sorted(things.get(span, []), key=lambda t: (CKG not in t[0] and "/claim/" in t[0], t[1]))
        spans.append(annotate.Span(start, end, span.partition("#")[2] or span,
                                   href=local_path(named[0][0]) if named else local_path(span),
                                   title=", ".join(label for _, label in named)))
    return annotate.segments(text, spans)


def contested_charts(rows: list[dict]) -> list[contested.Chart]:
    charts: dict[str, contested.Chart] = {}
    colours: dict[str, int] = {}
    for row in rows:
        variable = row["variable"].value
        chart = charts.get(variable)
        if chart is None:
            label = readable(_value(row.get("variableLabel")) or fallback_label(variable))
            chart = charts[variable] = contested.Chart(variable, label, local_path(variable))
            if "event" in row:
                chart.event = _value(row.get("eventLabel")) or fallback_label(row["event"].value)
                chart.event_href = local_path(row["event"].value)
        low = row["min"].number() or 0.0
        high = row["max"].number() if "max" in row else None
        claimant = row["claimant"].value
        chart.bars.append(contested.Bar(
            claim=row["claim"].value, claimant=_value(row.get("claimantLabel")) or fallback_label(claimant),
            side=_value(row.get("sideLabel")) or "", stated=_value(row.get("stated")) or "", low=low, high=high,
            href=local_path(row["claim"].value), claimant_href=local_path(claimant),
            colour=colours.setdefault(_value(row.get("side")) or claimant, len(colours) % 6)))
    return [contested.lay_out(chart) for chart in charts.values()]
