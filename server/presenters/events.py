"""Events and statements: when, where, who took part in which role, who reports them."""
from __future__ import annotations

from collections import defaultdict

from ckg.ontology.vocabulary import CKG

from ..http.iri_paths import local_path
from .description import Description
from .labels import fallback_label, label_of, link, readable, value_of


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
        "quote": value_of(get("quote")),
    }


def time_bounds(description: Description, subject: str) -> dict:
    get = lambda p: value_of(description.value(CKG + p, subject))  # noqa: E731
    precision = description.value(CKG + "timePrecision", subject)
    return {"earliest_begin": get("earliestBegin"), "latest_begin": get("latestBegin"),
            "earliest_end": get("earliestEnd"), "latest_end": get("latestEnd"),
            "words": get("timeExpression"),
            "precision": label_of(precision.value, description.labels) if precision else None}


def event_claims(rows: list[dict], labels: dict[str, str]) -> list[dict]:
    claims: dict[str, dict] = {}
    for row in rows:
        claim = row["claim"].value
        entry = claims.setdefault(claim, {"href": local_path(claim), "type": "", "stated": None, "variable": None,
                                          "claimant": {"href": local_path(row["claimant"].value),
                                                       "label": value_of(row.get("claimantLabel"))
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
