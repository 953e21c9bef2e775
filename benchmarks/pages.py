"""Latency of the linked-data pages: each kind of page as HTML and as Turtle, beside the
endpoint's own ``DESCRIBE`` of the same IRI (the least a dereference can cost).

Starts ``ckg serve`` on a loopback port, picks a claim, a person, a state, an event and a
document from the store, requests each one ``--repeat`` times in a row, and prints the
median and p95 latency and the ratio to ``DESCRIBE``. Then the listings, ``/contested`` and
``/documents`` (first page, HTML), without a facet, with one (the most frequent side) and with
two (that side and its most frequent month), beside the whole listing without facets, after
the first request of the snapshot, which makes every item's facet values (timed apart).

    python benchmarks/pages.py --articles 300          # seeds + a synthetic corpus
    python benchmarks/pages.py --store data/store      # an existing store
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.endpoint import ckg_serving, percentile, prepare_store  # noqa: E402
from ckg.ontology.vocabulary import ID_BASE, SPARQL_PREFIXES  # noqa: E402

SAMPLES = {
    "claim": "SELECT ?x WHERE { ?x ckg:contradicts ?y } ORDER BY ?x LIMIT 1",
    "person": "SELECT ?x WHERE { ?c ckg:claimedBy ?x . ?x a ckg:Person } GROUP BY ?x ORDER BY DESC(COUNT(?c)) LIMIT 1",
    "state": "SELECT ?x WHERE { ?c ckg:claimedOnBehalfOf ?x } GROUP BY ?x ORDER BY DESC(COUNT(?c)) LIMIT 1",
    "event": "SELECT ?x WHERE { ?c ckg:aboutEvent ?x } GROUP BY ?x ORDER BY DESC(COUNT(?c)) LIMIT 1",
    "document": "SELECT ?x WHERE { ?x a ckg:NewsArticle } ORDER BY ?x LIMIT 1",
}


def sample(base: str, query: str) -> str | None:
    response = requests.get(base + "/sparql", params={"query": SPARQL_PREFIXES + query},
                            headers={"Accept": "application/sparql-results+json"}, timeout=120)
    rows = response.json()["results"]["bindings"]
    return rows[0]["x"]["value"] if rows else None


def timed(repeat: int, get) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = get()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.text[:200]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="serve this built store (default: build one)")
    parser.add_argument("--articles", type=int, default=100, help="synthetic articles to build (without --store)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per page and format")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ckg-pages-bench-") as scratch:
        store_path = prepare_store(args, Path(scratch))
        with ckg_serving(store_path, "--query-timeout", "120") as base:
            report(base, args.repeat)
            print()
            listings(base, args.repeat)


def report(base: str, repeat: int) -> None:
    session = requests.Session()
    print(f"{'page':<10} {'format':<9} {'median ms':>10} {'p95 ms':>8} {'× DESCRIBE':>11}")
    for kind, query in SAMPLES.items():
        iri = sample(base, query)
        if iri is None:
            print(f"{kind:<10} (none in this store)")
            continue
        path = urlsplit(iri).path if iri.startswith(urlsplit(ID_BASE)._replace(path="/").geturl()) else "/resource?iri=" + iri
        describe = timed(repeat, lambda: session.get(base + "/sparql", params={"query": f"DESCRIBE <{iri}>"},
                                                     headers={"Accept": "text/turtle"}, timeout=120))
        floor = statistics.median(describe)
        print(f"{kind:<10} {'DESCRIBE':<9} {floor:>10.1f} {percentile(describe, 95):>8.1f} {1:>11.2f}")
        for fmt, accept in (("HTML", "text/html"), ("Turtle", "text/turtle")):
            times = timed(repeat, lambda: session.get(base + path, headers={"Accept": accept}, timeout=120))
            median = statistics.median(times)
            print(f"{kind:<10} {fmt:<9} {median:>10.1f} {percentile(times, 95):>8.1f} {median / floor:>11.2f}")



def narrowing(base: str, path: str) -> tuple[float, list[tuple[str, dict]]]:
    """The first request's time (the facets' values made for the snapshot), and the parameters
    each row of the listings' table asks with: none, one side, that side and a month."""
    start = time.perf_counter()
    facets = requests.get(f"{base}{path}.json", timeout=600).json()["facets"]
    first = (time.perf_counter() - start) * 1000
    rows = [("no facet", {}), ("whole listing", {"limit": "10000"})]
    if facets["side"]["values"]:
        side = {"side": facets["side"]["values"][0]["value"]}
        rows.append(("side", side))
        narrowed = requests.get(f"{base}{path}.json", params=side, timeout=600).json()["facets"]
        month = max(narrowed["month"]["values"], key=lambda v: v["count"], default=None)
        if month is not None:
            rows.append(("side + month", {**side, "month": month["value"]}))
    return first, rows


def listings(base: str, repeat: int) -> None:
    session = requests.Session()
    print(f"{'listing':<11} {'asked':<14} {'items':>6} {'median ms':>10} {'p95 ms':>8}")
    for path in ("/contested", "/documents"):
        first, rows = narrowing(base, path)
        print(f"{path:<11} {'first (JSON)':<14} {'':>6} {first:>10.1f} {'':>8}")
        for name, params in rows:
            total = session.get(f"{base}{path}.json", params=params, timeout=600).json()["total"]
            times = timed(repeat, lambda: session.get(base + path, params=params, headers={"Accept": "text/html"},
                                                      timeout=600))
            print(f"{path:<11} {name:<14} {total:>6} {statistics.median(times):>10.1f} {percentile(times, 95):>8.1f}")


if __name__ == "__main__":
    main()
