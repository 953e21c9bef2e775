"""The map: events and claimed figures at their places, drawn on the server as SVG.

Data in, geometry out. An equirectangular projection (its standard parallel at the middle of
the frame, so a degree of longitude keeps its length there) fitted to the marks' extent with a
margin; country outlines (graph/outlines.py) drawn where the frame shows them; one mark per
place, an events circle and a claims diamond whose areas grow with their counts. A mark's
precision is the place's: a city's is filled, a region's is pale and dashed, a country's hollow
(a point standing for a whole country says little about where).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ckg.graph import geojson
from ckg.graph.outlines import Outline

from ..http.iri_paths import local_path
from .description import Term
from .labels import fallback_label, value_of

WIDTH, HEIGHT = 900, 520
MARGIN = 24
"""Pixels kept clear at the frame's edges."""
MIN_RADIUS, MAX_RADIUS = 5.0, 22.0
WORLD = (-180.0, -58.0, 180.0, 84.0)
"""The frame when no mark has a place with coordinates: the inhabited world."""
CSV_COLUMNS = ("place", "label", "precision", "longitude", "latitude", "events", "claims")


@dataclass
class Mark:
    place: str
    label: str
    href: str
    precision: str
    longitude: float | None
    latitude: float | None
    events: int
    claims: int
    x: float = 0.0
    y: float = 0.0
    event_radius: float = 0.0
    claim_radius: float = 0.0

    @property
    def located(self) -> bool:
        return self.longitude is not None and self.latitude is not None

    @property
    def diamond(self) -> str:
        """The claims mark: a square on its corner, as wide as a circle of its radius."""
        r = self.claim_radius
        return f"M{self.x:.1f},{self.y - r:.1f} L{self.x + r:.1f},{self.y:.1f} L{self.x:.1f},{self.y + r:.1f} " \
               f"L{self.x - r:.1f},{self.y:.1f} Z"

    @property
    def text(self) -> str:
        parts = [f"{self.events} event{'s' if self.events != 1 else ''}",
                 f"{self.claims} claimed figure{'s' if self.claims != 1 else ''}"]
        return f"{self.label} ({self.precision}): " + ", ".join(parts)

    def row(self) -> dict:
        return {"place": self.place, "label": self.label, "precision": self.precision, "longitude": self.longitude,
                "latitude": self.latitude, "events": self.events, "claims": self.claims}


@dataclass
class Frame:
    """Where the map looks and how a degree becomes pixels."""
    centre: tuple[float, float]
    scale: float
    """Pixels per degree of latitude."""
    stretch: float
    """cos(standard parallel): a degree of longitude's length against a degree of latitude's."""

    def project(self, longitude: float, latitude: float) -> tuple[float, float]:
        return (WIDTH / 2 + (longitude - self.centre[0]) * self.stretch * self.scale,
                HEIGHT / 2 - (latitude - self.centre[1]) * self.scale)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of what the frame shows."""
        half_lon = WIDTH / 2 / (self.stretch * self.scale)
        half_lat = HEIGHT / 2 / self.scale
        return (self.centre[0] - half_lon, self.centre[1] - half_lat,
                self.centre[0] + half_lon, self.centre[1] + half_lat)


@dataclass
class LegendSize:
    count: int
    radius: float


@dataclass
class MapView:
    marks: list[Mark] = field(default_factory=list)
    unlocated: list[Mark] = field(default_factory=list)
    outlines: list[dict] = field(default_factory=list)
    """Each country the frame shows: its name and its SVG path."""
    extent: tuple[float, float, float, float] = WORLD
    sizes: list[LegendSize] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def events(self) -> int:
        return sum(m.events for m in self.marks)

    @property
    def claims(self) -> int:
        return sum(m.claims for m in self.marks)


def marks_of(rows: list[dict[str, Term]]) -> list[Mark]:
    """One mark per place of the map query's rows."""
    marks = []
    for row in rows:
        place = row["place"].value
        found = geojson.point(value_of(row.get("point")) or "")
        marks.append(Mark(place=place, label=value_of(row.get("label")) or fallback_label(place),
                          href=local_path(place),
                          precision=geojson.precision_of((value_of(row.get("classes")) or "").split()),
                          longitude=found[0] if found else None, latitude=found[1] if found else None,
                          events=int(row["events"].number() or 0), claims=int(row["claims"].number() or 0)))
    return marks


def fit(points: list[tuple[float, float]]) -> Frame:
    """The frame that shows every point with a margin of a sixth of their spread (at least three degrees)."""
    west, south, east, north = WORLD
    if points:
        longitudes, latitudes = [p[0] for p in points], [p[1] for p in points]
        pad = max(3.0, (max(longitudes) - min(longitudes)) / 6, (max(latitudes) - min(latitudes)) / 6)
        west, east = max(-180.0, min(longitudes) - pad), min(180.0, max(longitudes) + pad)
        south, north = max(-85.0, min(latitudes) - pad), min(85.0, max(latitudes) + pad)
    centre = ((west + east) / 2, (south + north) / 2)
    stretch = max(0.2, math.cos(math.radians(centre[1])))
    scale = min((WIDTH - 2 * MARGIN) / ((east - west) * stretch), (HEIGHT - 2 * MARGIN) / (north - south))
    return Frame(centre, scale, stretch)


def outline_path(outline: Outline, frame: Frame) -> str:
    """The outline's rings as one SVG path, in the frame's pixels."""
    parts = []
    for ring in outline.rings:
        points = [frame.project(lon, lat) for lon, lat in ring]
        parts.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points) + " Z")
    return " ".join(parts)


def radius(count: int, largest: int) -> float:
    """A mark's radius: its area grows with the count; none for none."""
    if count <= 0:
        return 0.0
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(count / max(largest, 1)), 1)


def legend_sizes(largest: int) -> list[LegendSize]:
    counts = sorted({1, max(1, largest // 2), largest} - {0})
    return [LegendSize(c, radius(c, largest)) for c in counts]


def lay_out(marks: list[Mark], outlines: tuple[Outline, ...]) -> MapView:
    """The map: the frame fitted to the located marks, the outlines it shows, each mark placed and sized."""
    located = [m for m in marks if m.located]
    frame = fit([(m.longitude, m.latitude) for m in located])
    largest = max((max(m.events, m.claims) for m in located), default=1)
    for mark in located:
        mark.x, mark.y = (round(v, 1) for v in frame.project(mark.longitude, mark.latitude))
        mark.event_radius, mark.claim_radius = radius(mark.events, largest), radius(mark.claims, largest)
    shown = [{"name": o.name, "code": o.code, "d": outline_path(o, frame)} for o in outlines if o.meets(*frame.extent)]
    # the biggest marks first, so a small one on top of a big one stays clickable
    located.sort(key=lambda m: (-max(m.event_radius, m.claim_radius), m.label))
    return MapView(marks=located, unlocated=[m for m in marks if not m.located], outlines=shown,
                   extent=tuple(round(v, 4) for v in frame.extent), sizes=legend_sizes(largest))


def features(view: MapView, members: dict) -> dict:
    """The marks as GeoJSON Point features (the unlocated counted, as a query's GeoJSON answer does)."""
    found = [geojson.feature(geojson.Location(m.place, m.label, m.longitude, m.latitude, m.precision),
                             {"place": m.place, "label": m.label, "events": m.events, "claims": m.claims})
             for m in view.marks]
    return {"type": "FeatureCollection", **members, "features": found, "unlocated": len(view.unlocated),
            "unlocatedPlaces": [m.label for m in view.unlocated]}
