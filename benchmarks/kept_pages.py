"""First pages of the named listings before and after the answers kept per snapshot, at each size.

For each store given (built already, e.g. ``ckg build --store /tmp/s1000 corpus.jsonl``) it
starts ``ckg serve`` (one worker; it publishes a snapshot), then per listing (a named query with
no required parameter):

- before: the first page as it was run before the answers were kept, the query with LIMIT and
  OFFSET (what ``/api/queries/NAME?limit=N`` sends the query process) POSTed to ``/sparql``, one
  call (stopped at ``--before-timeout`` seconds, printed "> N");
- making: ``python -m ckg.graph.kept_answers SNAPSHOT`` run once, its wall time, and each
  answer's own seconds and rows (kept in its file);
- after: ``GET /api/queries/NAME?limit=N``, a slice of the kept answer, median of ``--repeat``.

Then one table of every listing at every size, with the ratio of the after times of the last
size to the first (flagged past 1.5×), and the results as JSON to ``--out``.

    python benchmarks/kept_pages.py --store /tmp/s1000 --store /tmp/s2000
    python benchmarks/kept_pages.py --store /tmp/s1000 --no-before     # only making and after
    python benchmarks/kept_pages.py --store /tmp/s1000 --no-after      # only before
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.endpoint import ckg_serving  # noqa: E402
from ckg.graph import kept_answers, queries, snapshots  # noqa: E402

GROWTH_LIMIT = 1.5


def before(base: str, query: queries.NamedQuery, page: int) -> float | None:
    """Seconds of the first page as the query process ran it before (None: stopped by the time limit)."""
    text = queries.paged(queries.bind(query, {}), queries.Page(page), extra=1)
    started = time.perf_counter()
    response = requests.post(base + "/sparql", data={"query": text},
                             headers={"Accept": "application/sparql-results+json"}, timeout=7200)
    elapsed = time.perf_counter() - started
    return elapsed if response.status_code == 200 else None


def after(base: str, name: str, page: int, repeat: int) -> tuple[float, int]:
    """Median seconds of the first page through the API, and its rows."""
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = requests.get(f"{base}/api/queries/{name}", params={"limit": page}, timeout=600)
        times.append(time.perf_counter() - started)
        if not response.ok:
            print(f"  {name}: {response.status_code} {response.text[:200]}", file=sys.stderr, flush=True)
            return None, 0
        rows = len(response.json()["rows"])
    return statistics.median(times), rows


def measure(store: Path, args) -> dict:
    listed = kept_answers.listings()
    out: dict = {"store": str(store), "listings": {}}
    with ckg_serving(store, "--query-timeout", str(args.before_timeout)) as base:
        snapshot = snapshots.current(store)
        assert snapshot is not None
        for query in listed:
            seconds = before(base, query, args.page) if args.before else None
            out["listings"][query.name] = {"before_s": seconds}
            if args.before:
                shown = "stopped" if seconds is None else f"{seconds * 1000:,.0f} ms"
                print(f"[{store.name}] before {query.name}: {shown}", file=sys.stderr, flush=True)
        if not args.after:
            return out
        print(f"[{store.name}] making the kept answers of {snapshot.name} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ckg.graph.kept_answers", str(snapshot)], check=True, stdout=sys.stderr)
        while kept_answers.missing(snapshot):  # a process the server started may be at it
            time.sleep(1)
        out["making_s"] = time.perf_counter() - started
        for query in listed:
            found = kept_answers.kept(snapshot, query)
            seconds, rows = after(base, query.name, args.page, args.repeat)
            out["listings"][query.name] |= {"after_s": seconds, "rows": rows,
                                            "kept_rows": None if found is None else found.total,
                                            "kept_s": None if found is None else found.seconds}
            print(f"[{store.name}] after {query.name}: {ms(seconds, args.before_timeout)} ms", file=sys.stderr, flush=True)
    return out


def ms(value: float | None, stopped: float) -> str:
    return f"> {stopped * 1000:,.0f} (stopped)" if value is None else f"{value * 1000:,.1f}"


def table(runs: list[dict], args) -> str:
    names = list(runs[0]["listings"])
    head = ["listing"]
    for run in runs:
        tag = Path(run["store"]).name
        head += [f"kept rows {tag}", f"making s {tag}", f"before ms {tag}", f"after ms {tag}"]
    if len(runs) > 1:
        head.append("after: last / first")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" + "---:|" * (len(head) - 1)]
    for name in names:
        cells = [f"`{name}`"]
        for run in runs:
            row = run["listings"][name]
            cells += ["" if row["kept_rows"] is None else f"{row['kept_rows']:,}",
                      "" if row["kept_s"] is None else f"{row['kept_s']:,.1f}",
                      ms(row["before_s"], args.before_timeout) if args.before else "", ms(row["after_s"], args.before_timeout)]
        if len(runs) > 1:
            first, last = runs[0]["listings"][name]["after_s"], runs[-1]["listings"][name]["after_s"]
            ratio = last / first if first and last else None
            cells.append("" if ratio is None else f"{ratio:.2f}×" + (" **over**" if ratio > GROWTH_LIMIT else ""))
        lines.append("| " + " | ".join(cells) + " |")
    totals = ", ".join(f"{Path(r['store']).name}: {r['making_s']:,.0f} s" for r in runs)
    return "\n".join(lines) + f"\n\nmaking every kept answer of a snapshot (wall time): {totals}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, action="append", required=True,
                        help="a built store (repeatable: the smallest first, for the ratio)")
    parser.add_argument("--page", type=int, default=50, help="rows of a first page (default 50)")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls of each first page after (median; default 5)")
    parser.add_argument("--before-timeout", type=float, default=60.0,
                        help="the server's query time limit, which stops a first page timed before (default 60 s)")
    parser.add_argument("--no-before", dest="before", action="store_false", help="time only the making and after")
    parser.add_argument("--no-after", dest="after", action="store_false",
                        help="time only the first pages before (no kept answers are made)")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = parser.parse_args()
    for store in args.store:
        if not (store / "CURRENT").exists():
            parser.error(f"--store {store}: no store there (build one with ckg build --store {store} …)")
    runs = [measure(store, args) for store in args.store]
    if args.after:
        print(table(runs, args))
    else:
        for run in runs:
            for name, row in run["listings"].items():
                print(f"{Path(run['store']).name} {name}: before {ms(row['before_s'], args.before_timeout)} ms")
    if args.out:
        args.out.write_text(json.dumps({"page": args.page, "runs": runs}, indent=1) + "\n")


if __name__ == "__main__":
    main()
