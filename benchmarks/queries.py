"""The named queries through ``/api/queries/NAME`` beside the same SPARQL through ``/sparql``.

Builds seeds/ plus N synthetic articles (benchmarks/corpus.py), starts one ``ckg serve``,
and times each named query both ways on it, one client at a time: the API binds the
parameters, runs the query through the same executor and re-shapes the answer as JSON
rows; ``/sparql`` gets the bound text and answers SPARQL JSON. The ratio api/sparql is the
API's overhead. Beside them: the first page (``limit=--page``, LIMIT added to the query)
against the whole listing, and a repeated call answered 304 from its ETag. Queries with
required parameters get values taken from the data.

    python benchmarks/queries.py --articles 200
    python benchmarks/queries.py --store data/store --repeat 10
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.endpoint import free_port, prepare_store, wait_for  # noqa: E402
from ckg.graph import queries  # noqa: E402


def sample_values(base: str) -> dict[str, dict[str, str]]:
    """Values for the queries' required parameters, found in the data."""
    claims = requests.get(base + "/api/queries/claims", timeout=600).json()["rows"]
    claim = claims[0]["claim"] if claims else "https://example.org/none"
    day = (claims[0]["date"] or "2026-01-01T00:00:00Z")[:10] if claims else "2026-01-01"
    return {"cq06-post-holder-at": {"at": f"{day}T12:00:00Z"}, "cq09-evidence": {"claim": claim},
            "cq11-events-on-a-day": {"from": f"{day}T00:00:00Z", "to": f"{day}T23:59:59Z"}}


def timed(call, repeat: int) -> tuple[float, int]:
    """Median seconds of ``repeat`` calls (after one unmeasured), and the rows of the last."""
    rows = call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        rows = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="serve this built store (default: build one)")
    parser.add_argument("--articles", type=int, default=200, help="synthetic articles to build (without --store)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query each way")
    parser.add_argument("--only", default="", help="comma-separated query names (default: all)")
    parser.add_argument("--page", type=int, default=20, help="rows of the first page timed beside the whole listing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ckg-bench-queries-") as scratch:
        store_path = prepare_store(args, Path(scratch))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, "-m", "ckg.cli", "serve", "--store", str(store_path),
                                   "--port", str(port), "--workers", "1", "--query-timeout", "600"],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not wait_for(base + "/sparql", server, 120):
                sys.exit("ckg serve did not start")
            report(base, args)
        finally:
            server.terminate()
            server.wait(30)


def report(base: str, args) -> None:
    values = sample_values(base)
    names = [n for n in queries.catalogue() if not args.only or n in args.only.split(",")]
    session = requests.Session()
    print(f"{'query':36} {'rows':>7} {'api ms':>9} {'sparql ms':>10} {'api/sparql':>11} {'page ms':>9} "
          f"{'page/api':>9} {'304 ms':>7}")
    ratios, slow, pages = [], [], []
    for name in names:
        query = queries.named(name)
        given = values.get(name, {})
        text = queries.bind(query, given)

        def api():
            response = session.get(f"{base}/api/queries/{name}", params=given, timeout=600)
            response.raise_for_status()
            return len(response.json()["rows"])

        def sparql():
            response = session.post(base + "/sparql", data={"query": text}, timeout=600,
                                    headers={"Accept": "application/sparql-results+json"})
            response.raise_for_status()
            return len(response.json()["results"]["bindings"])

        def first_page():
            response = session.get(f"{base}/api/queries/{name}", params={**given, "limit": args.page}, timeout=600)
            response.raise_for_status()
            return len(response.json()["rows"])

        tag = session.get(f"{base}/api/queries/{name}", params=given, timeout=600).headers["ETag"]

        def revalidated():
            response = session.get(f"{base}/api/queries/{name}", params=given, timeout=600,
                                   headers={"If-None-Match": tag})
            assert response.status_code == 304, f"{name}: {response.status_code} to a repeated call"
            return 0

        api_s, rows = timed(api, args.repeat)
        sparql_s, sparql_rows = timed(sparql, args.repeat)
        page_s, page_rows = timed(first_page, args.repeat)
        held_s, _ = timed(revalidated, args.repeat)
        assert rows == sparql_rows, f"{name}: {rows} rows through the API, {sparql_rows} through /sparql"
        assert page_rows == min(rows, args.page), f"{name}: a first page of {page_rows} rows"
        ratios.append(api_s / sparql_s)
        if rows > args.page:
            pages.append(page_s / api_s)
        if max(api_s, sparql_s) > 1.0:
            slow.append(name)
        print(f"{name:36} {rows:>7,} {api_s * 1000:>9.1f} {sparql_s * 1000:>10.1f} {api_s / sparql_s:>10.2f}× "
              f"{page_s * 1000:>9.1f} {page_s / api_s:>8.2f}× {held_s * 1000:>7.1f}")
    print(f"\nmedian api/sparql: {statistics.median(ratios):.2f}× over {len(ratios)} queries"
          + (f"; over 1 s: {', '.join(slow)}" if slow else "; every query under 1 s"))
    if pages:
        print(f"median first page of {args.page} / whole listing: {statistics.median(pages):.2f}× over the "
              f"{len(pages)} queries with more rows than a page")


if __name__ == "__main__":
    main()
