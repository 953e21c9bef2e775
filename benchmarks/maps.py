"""Latency of the map and of GeoJSON answers: ``/map`` as a page, JSON and GeoJSON, and the
``operations`` query as rows beside the same rows as GeoJSON (what locating the places adds).

Starts ``ckg serve`` on a loopback port and requests each ``--repeat`` times in a row; prints
the median and p95 latency, the answer's size, and the ratio to the first line of its group.

    python benchmarks/maps.py --articles 300          # seeds + a synthetic corpus
    python benchmarks/maps.py --store data/store      # an existing store
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.endpoint import ckg_serving, percentile, prepare_store  # noqa: E402
from benchmarks.pages import timed  # noqa: E402

GROUPS = {
    "map": [("page", "/map", "text/html"), ("JSON", "/map.json", None), ("GeoJSON", "/map.geojson", None),
            ("page, one kind", "/map?kind=killed", "text/html")],
    "operations": [("rows (JSON)", "/api/queries/operations", None),
                   ("GeoJSON", "/api/queries/operations?format=geojson", None)],
}


def report(base: str, repeat: int) -> None:
    session = requests.Session()
    print(f"{'what':<12} {'answer':<16} {'median ms':>10} {'p95 ms':>8} {'KiB':>8} {'× first':>8}")
    for group, asks in GROUPS.items():
        first = None
        for name, path, accept in asks:
            headers = {"Accept": accept} if accept else {}
            size = len(session.get(base + path, headers=headers, timeout=120).content)
            times = timed(repeat, lambda: session.get(base + path, headers=headers, timeout=120))
            median = statistics.median(times)
            first = first or median
            print(f"{group:<12} {name:<16} {median:>10.1f} {percentile(times, 95):>8.1f} {size / 1024:>8.1f} "
                  f"{median / first:>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="serve this built store (default: build one)")
    parser.add_argument("--articles", type=int, default=100, help="synthetic articles to build (without --store)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per answer")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ckg-maps-bench-") as scratch:
        store_path = prepare_store(args, Path(scratch))
        with ckg_serving(store_path, "--query-timeout", "120") as base:
            report(base, args.repeat)


if __name__ == "__main__":
    main()
