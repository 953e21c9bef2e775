"""Verdicts: what setting one costs, and what the ``verdict`` filter costs the listing queries.

Starts ``ckg serve`` with an update token on a loopback port over a store (built from seeds/
and a synthetic corpus unless ``--store`` is given; the store is written to: verdicts are
set on it), marks ``--verdicts`` claims (a third each preferred, deprecated, disputed)
through ``POST /verdicts``, then times ``claims`` and ``contradictions`` through
``/api/queries`` without a parameter and with each ``verdict=``, ``/contested`` and
``/verdicts.jsonld``; then rates ``--ratings`` claimants' reliability (A–F in turn) through
``POST /ratings`` and times ``/claims`` and ``/contested`` with and without the
``reliability`` facet and a rated source's page; and prints medians and p95s.

    python benchmarks/verdicts.py --articles 100 --verdicts 60 --ratings 12 --repeat 5
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.endpoint import ckg_serving, percentile, prepare_store  # noqa: E402
from ckg.server.http.iri_paths import local_path  # noqa: E402

TOKEN = "benchmark-token"
VALUES = ("preferred", "deprecated", "disputed")


def timed(repeat: int, get) -> tuple[list[float], requests.Response]:
    times, response = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        response = get()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 201), response.text[:200]
    return times, response


def line(what: str, rows: int | str, times: list[float]) -> None:
    print(f"{what:<36} {rows:>7} {statistics.median(times):>10.1f} {percentile(times, 95):>8.1f}")


def report(base: str, verdicts: int, ratings: int, repeat: int) -> None:
    session = requests.Session()
    claims = session.get(base + "/api/queries/claims", params={"format": "json"}, timeout=600).json()["rows"]
    chosen = [row["claim"] for row in claims[:: max(1, len(claims) // max(verdicts, 1))]][:verdicts]
    print(f"{'request':<36} {'rows':>7} {'median ms':>10} {'p95 ms':>8}")
    posted = []
    for i, claim in enumerate(chosen):
        start = time.perf_counter()
        answer = session.post(base + "/verdicts", data={"claim": claim, "verdict": VALUES[i % 3], "analyst": "Bench",
                                                        "credibility": str(i % 6 + 1), "reliability": "ABCDEF"[i % 6]},
                              headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}, timeout=120)
        posted.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 201, answer.text
    if posted:
        line("POST /verdicts (one verdict)", len(posted), posted)
    for query in ("claims", "contradictions"):
        for value in (None, *VALUES, "none"):
            params = {"format": "json", **({"verdict": value} if value else {})}
            times, answer = timed(repeat, lambda: session.get(base + f"/api/queries/{query}", params=params,
                                                              timeout=600))
            line(f"{query}{'' if value is None else ' verdict=' + value}", len(answer.json()["rows"]), times)
    times, _ = timed(repeat, lambda: session.get(base + "/contested", headers={"Accept": "text/html"}, timeout=600))
    line("/contested (first page)", "-", times)
    times, answer = timed(repeat, lambda: session.get(base + "/verdicts.jsonld", timeout=600))
    line("/verdicts.jsonld", len(answer.json()["@graph"]), times)
    rate(session, base, sorted({row["claimant"] for row in claims if row.get("claimant")})[:ratings], repeat)


def rate(session: requests.Session, base: str, sources: list[str], repeat: int) -> None:
    """Rate ``sources`` (A–F in turn), then time the listings with and without the reliability facet."""
    posted = []
    for i, source in enumerate(sources):
        start = time.perf_counter()
        answer = session.post(base + "/ratings", data={"source": source, "reliability": "ABCDEF"[i % 6],
                                                       "analyst": "Bench", "reason": "benchmark"},
                              headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}, timeout=120)
        posted.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 201, answer.text
    if not posted:
        return
    line("POST /ratings (one rating)", len(posted), posted)
    for path in ("/claims.json", "/contested.json"):
        for value in (None, "A", "none"):
            params = {"reliability": value} if value else {}
            times, answer = timed(repeat, lambda: session.get(base + path, params=params, timeout=600))
            line(f"{path}{'' if value is None else ' reliability=' + value}", answer.json().get("total", "-"), times)
    source_page = local_path(sources[0])
    times, _ = timed(repeat, lambda: session.get(base + source_page, headers={"Accept": "text/html"}, timeout=600))
    line("a rated source's page", "-", times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="serve this built store, setting verdicts on it (default: build one)")
    parser.add_argument("--articles", type=int, default=100, help="synthetic articles to build (without --store)")
    parser.add_argument("--verdicts", type=int, default=60, help="claims to mark")
    parser.add_argument("--ratings", type=int, default=12, help="claimants whose reliability to rate")
    parser.add_argument("--repeat", type=int, default=5, help="requests per measured line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ckg-verdicts-bench-") as scratch:
        store_path = prepare_store(args, Path(scratch))
        with ckg_serving(store_path, "--query-timeout", "120", "--update-token", TOKEN) as base:
            report(base, args.verdicts, args.ratings, args.repeat)


if __name__ == "__main__":
    main()
