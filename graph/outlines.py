"""Country outlines for maps, from the ``countryinfo`` package's GeoJSON (Natural Earth derived).

The package ships them with its country records, so a map needs no network and no tiles.
Read once per process; each outline keeps its rings as (longitude, latitude) pairs and its
bounding box, so a map draws only the countries its frame shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Outline:
    code: str
    """ISO 3166 alpha-3, empty when the package gives none."""
    name: str
    rings: tuple[Ring, ...]
    """Outer rings and holes alike: drawn with the even-odd rule, a hole stays a hole."""
    bbox: tuple[float, float, float, float]
    """(west, south, east, north)."""

    def meets(self, west: float, south: float, east: float, north: float) -> bool:
        w, s, e, n = self.bbox
        return w <= east and e >= west and s <= north and n >= south


def _rings(geometry: dict) -> list[Ring]:
    """Every ring of a Polygon or MultiPolygon; any other geometry has none."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    return [tuple((float(p[0]), float(p[1])) for p in ring) for polygon in polygons for ring in polygon if ring]


def outline_of(code: str, name: str, collection: dict) -> Outline | None:
    """One country's outline from its GeoJSON (a FeatureCollection, a Feature or a bare geometry)."""
    if collection.get("type") == "FeatureCollection":
        geometries = [f.get("geometry") or {} for f in collection.get("features") or []]
    else:
        geometries = [collection.get("geometry") or {} if collection.get("type") == "Feature" else collection]
    rings = tuple(ring for geometry in geometries for ring in _rings(geometry))
    if not rings:
        return None
    longitudes = [p[0] for ring in rings for p in ring]
    latitudes = [p[1] for ring in rings for p in ring]
    return Outline(code, name, rings, (min(longitudes), min(latitudes), max(longitudes), max(latitudes)))


@cache
def countries() -> tuple[Outline, ...]:
    """Every country the package outlines, by name."""
    from countryinfo import all_countries

    found = []
    for country in all_countries():
        try:
            collection = country.geo_json()
            code = (country.iso() or {}).get("alpha3") or ""
            name = country.name() or code
        except (KeyError, ValueError, TypeError, AttributeError):
            continue  # a record without the fields: no outline rather than a wrong one
        outline = outline_of(code, name, collection or {})
        if outline is not None:
            found.append(outline)
    return tuple(sorted(found, key=lambda o: o.name))
