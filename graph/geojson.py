"""Query answers whose rows carry a place, as GeoJSON (RFC 7946): one Point feature per row.

A row's place is its ``place`` column (or the first column whose name ends in ``Place``):
an IRI, or a label as the named queries give it. Its coordinates are the place's
GeoSPARQL point in the graph (``geo:hasGeometry/geo:asWKT``, from the reference knowledge
base or the gazetteer); a label names the place that events took place at, else any place
of that name, the finest first. The row's columns become the feature's properties, with
the place's IRI (``placeIri``) and precision (``precision``: city, region, country or place)
beside them. Rows whose place has no coordinates, or that have no place, are left out and
counted in the foreign member ``unlocated`` (their places listed in ``unlocatedPlaces``).

Everything here takes SPARQL JSON results and returns data; running the lookup query is the
caller's (the server's executor, the command line's store or endpoint).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from ckg.ontology.vocabulary import CKG, with_prefixes

PRECISION = {CKG + "City": "city", CKG + "BorderCrossing": "city", CKG + "Province": "region",
             CKG + "Border": "region", CKG + "State": "country"}
"""How exactly a place of each class is located: a point in a city, or one standing for a region or a country."""
FINEST_FIRST = ("city", "region", "country", "place")
WKT_POINT = re.compile(r"POINT\s*\(\s*([-+]?[0-9.]+(?:[eE][-+]?\d+)?)\s+([-+]?[0-9.]+(?:[eE][-+]?\d+)?)\s*\)",
                       re.IGNORECASE)

LOOKUP = """SELECT ?key ?place ?label ?class ?wkt ?used WHERE {
  { VALUES ?place { %(iris)s } BIND (?place AS ?key) }
  UNION
  { VALUES (?key ?named) { %(labels)s } ?place rdfs:label ?named }
  OPTIONAL { ?place rdfs:label ?label }
  OPTIONAL { ?place a ?class VALUES ?class { %(classes)s } }
  OPTIONAL { ?place geo:hasGeometry/geo:asWKT ?wkt }
  BIND (EXISTS { ?event ckg:tookPlaceAt ?place } AS ?used)
}"""
"""Every place a value may name: the IRI itself, or the places with that label (plain or in English)."""


class NoPlaceColumn(ValueError):
    """The answer has no column that holds a place."""


@dataclass(frozen=True)
class Location:
    iri: str
    label: str
    longitude: float
    latitude: float
    precision: str


def place_column(columns: Iterable[str]) -> str | None:
    """The column that holds a row's place: ``place``, else the first whose name ends in ``Place``."""
    columns = list(columns)
    if "place" in columns:
        return "place"
    return next((c for c in columns if c.endswith("Place")), None)


def point(wkt: str) -> tuple[float, float] | None:
    """(longitude, latitude) of a WKT point (GeoSPARQL's default order), None for any other geometry."""
    found = WKT_POINT.search(wkt or "")
    if found is None:
        return None
    longitude, latitude = float(found.group(1)), float(found.group(2))
    return (longitude, latitude) if -180 <= longitude <= 180 and -90 <= latitude <= 90 else None


def precision_of(classes: Iterable[str]) -> str:
    """The finest precision among a place's classes; 'place' when none says."""
    found = {PRECISION[c] for c in classes if c in PRECISION}
    return next((p for p in FINEST_FIRST if p in found), "place")


def _key(binding: dict | None) -> tuple[str, str] | None:
    """A place value as (term type, value): an IRI and a label of the same text are different values."""
    if not binding:
        return None
    return ("uri" if binding["type"] == "uri" else "literal", binding["value"])


def places_in(results: dict, column: str) -> list[tuple[str, str]]:
    """The distinct place values of an answer's rows, in order of first appearance."""
    keys = (_key(row.get(column)) for row in results["results"]["bindings"])
    return list(dict.fromkeys(k for k in keys if k is not None))


def lookup_query(keys: list[tuple[str, str]]) -> str | None:
    """The query that finds where each value is, or None when there are none. Values are written as
    escaped RDF terms (a value that is not a valid IRI is looked up as a label)."""
    iris, labels = [], []
    for kind, value in keys:
        if kind == "uri":
            try:
                iris.append(str(ox.NamedNode(value)))
                continue
            except (ValueError, SyntaxError):
                pass
        text = str(ox.Literal(value))
        labels += [f"({text} {text})", f"({text} {ox.Literal(value, language='en')})"]
    if not iris and not labels:
        return None
    classes = " ".join(f"<{c}>" for c in PRECISION)
    return with_prefixes(LOOKUP % {"iris": " ".join(iris), "labels": " ".join(labels), "classes": classes})


def located(lookup: dict) -> dict[tuple[str, str], Location]:
    """Where each looked-up value is: among the places it may name, one with coordinates, preferring a
    place that events took place at, then the finest, then the first IRI (so the answer is stable)."""
    candidates: dict[tuple[str, str], dict[str, dict]] = {}
    for row in lookup["results"]["bindings"]:
        key = _key(row["key"])
        place = candidates.setdefault(key, {}).setdefault(row["place"]["value"], {
            "label": "", "classes": set(), "point": None, "used": False})
        if "label" in row and (not place["label"] or row["label"].get("xml:lang") == "en"):
            place["label"] = row["label"]["value"]
        if "class" in row:
            place["classes"].add(row["class"]["value"])
        if "wkt" in row and place["point"] is None:
            place["point"] = point(row["wkt"]["value"])
        place["used"] = place["used"] or row.get("used", {}).get("value") == "true"
    found = {}
    for key, places in candidates.items():
        ranked = sorted(((iri, p) for iri, p in places.items() if p["point"] is not None),
                        key=lambda item: (not item[1]["used"], FINEST_FIRST.index(precision_of(item[1]["classes"])),
                                          item[0]))
        if ranked:
            iri, best = ranked[0]
            found[key] = Location(iri, best["label"] or key[1], *best["point"], precision_of(best["classes"]))
    return found


def feature(location: Location, properties: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [location.longitude, location.latitude]},
            "properties": {**properties, "placeIri": location.iri, "precision": location.precision}}


def feature_collection(results: dict, column: str, where: dict[tuple[str, str], Location],
                       members: dict | None = None) -> dict:
    """The rows as Point features at their places; the rest counted in ``unlocated``."""
    columns = results["head"]["vars"]
    features, unlocated, missing = [], 0, []
    for row in results["results"]["bindings"]:
        key = _key(row.get(column))
        location = where.get(key) if key is not None else None
        if location is None:
            unlocated += 1
            if key is not None and key[1] not in missing:
                missing.append(key[1])
            continue
        features.append(feature(location, {c: row[c]["value"] if c in row else None for c in columns}))
    return {"type": "FeatureCollection", **(members or {}), "features": features,
            "unlocated": unlocated, "unlocatedPlaces": missing}


def answer_as_geojson(results: dict, select: Callable[[str], dict], members: dict | None = None) -> dict:
    """An answer (SPARQL JSON results) as a FeatureCollection; ``select`` runs the lookup query and
    returns its SPARQL JSON results. NoPlaceColumn when no column holds a place."""
    if "boolean" in results:
        raise NoPlaceColumn("a yes-or-no answer has no rows to place")
    column = place_column(results["head"]["vars"])
    if column is None:
        raise NoPlaceColumn("GeoJSON needs rows that carry a place (a column named 'place' or ending in 'Place'); "
                            f"this answer's columns are {', '.join(results['head']['vars']) or 'none'}")
    text = lookup_query(places_in(results, column))
    where = located(select(text)) if text is not None else {}
    return feature_collection(results, column, where, members)
