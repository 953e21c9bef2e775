"""The curve of build and query cost against corpus size, beside a bulk load of the same quads into Oxigraph.

    python benchmarks/scale.py                                  # 1,000 and 10,000 articles
    python benchmarks/scale.py --sizes 50 --out /tmp/scale      # the smoke run: about a minute
    python benchmarks/scale.py --sizes 100000                   # long: hours on two cores
    python benchmarks/scale.py --paragraphs 2-4                 # fewer claims per article
    python benchmarks/scale.py --store /tmp/s1000               # only the query timings, on a built store

For each size: writes that many synthetic articles (benchmarks/corpus.py) into a scratch
folder, times ``ckg build`` of them (a subprocess; peak memory is the PSS of its whole
process tree, workers included), counts the quads, claims and the store folder's size,
exports the store as N-Quads (``ckg export``) and times ``pyoxigraph.Store.bulk_load`` of
that file into a fresh on-disk store: the fastest the store itself takes the same quads,
so build/bulk is what extraction and transactional writes cost above the store's limit.
Then it serves the store (``ckg serve``, one worker), makes the snapshot's kept answers
(graph/kept_answers.py; the time it took is printed) and times, through
``/api/queries/NAME``, each named query with each selective parameter it has (one
document, one claimant, one state, one week ..., values taken from the data) and the first
page (``limit=50``) of each listing: medians of ``--repeat`` runs. Each size gets a table;
then a table of ratios between consecutive sizes per query, flagged past 1.5×. seeds/ is
built once too, so its claims per article (real reporting) print beside the synthetic ones.

Results go to OUT/scale.json (sizes already there and not run again are kept) and the
curves to OUT/scale.svg (plain SVG, log-log).
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.build import tree_rss_mib  # noqa: E402
from benchmarks.corpus import write  # noqa: E402
from benchmarks.dumps import timed as timed_command  # noqa: E402
from benchmarks.endpoint import ckg_serving  # noqa: E402
from ckg.graph import queries, snapshots  # noqa: E402
from ckg.graph.store import Store  # noqa: E402
from ckg.ontology.vocabulary import SPARQL_PREFIXES  # noqa: E402

BIN = Path(sys.executable).parent
PAGE = 50
GROWTH_LIMIT = 1.5
CLAIM_PARAGRAPHS = (9, 12)
"""benchmarks/corpus.py's default: the corpus the curves and the ratio tables are drawn for."""
SOURCES = {
    "document": ("claims", "document"),
    "claimant": ("claims", "claimant"),
    "claim": ("claims", "claim"),
    "state": ("claims", "side"),
    "speaker": ("statements", "speaker"),
    "event": ("cq02-figures-for-an-event", "event"),
    "operation": ("cq12-parts-of-an-operation", "operation"),
    "post": ("officials", "post"),
}
"""A selective parameter → the listing and column whose first row gives it a value from the data."""
BULK_LOAD = ("import sys, pyoxigraph as ox; "
             "ox.Store(sys.argv[2]).bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)")


def folder_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def run_build(sources: list[Path], store: Path, jobs: int) -> tuple[float, float]:
    """(seconds, peak MiB of the process tree) of ``ckg build``."""
    command = [str(BIN / "ckg"), "build", "--store", str(store), "--jobs", str(jobs), "--quiet", *map(str, sources)]
    peak, done = [0.0], threading.Event()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], tree_rss_mib(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"ckg build failed ({process.returncode}): {errors.decode()[-800:]}")
    return seconds, peak[0]


def store_counts(store_path: Path) -> dict[str, int]:
    """Quads, documents and quantity claims of a built store (its published snapshot)."""
    with Store.open(snapshots.current(store_path) or store_path, read_only=True) as store:
        row = next(iter(store.query(SPARQL_PREFIXES + """SELECT (COUNT(DISTINCT ?claim) AS ?claims)
            (COUNT(DISTINCT ?document) AS ?documents)
            WHERE { ?claim a ckg:QuantityClaim ; ckg:reportedIn ?document }""")))
        return {"quads": store.quad_count(), "claims": int(row[0].value), "documents": int(row[1].value)}


def bulk_compare(store_path: Path, scratch: Path) -> dict[str, float]:
    """Export the store as N-Quads and bulk-load them into a fresh Oxigraph store."""
    dump, bulk = scratch / "dump.nq", scratch / "bulk-store"
    export_s, _ = timed_command([str(BIN / "ckg"), "export", "--store", str(store_path), "-o", str(dump)])
    bulk_s, bulk_peak = timed_command([sys.executable, "-c", BULK_LOAD, str(dump), str(bulk)])
    out = {"export_s": export_s, "dump_mib": dump.stat().st_size / 2**20, "bulk_s": bulk_s,
           "bulk_peak_mib": bulk_peak, "bulk_disk_mib": folder_mib(bulk)}
    dump.unlink()
    shutil.rmtree(bulk)
    return out


def first_value(session: requests.Session, base: str, query: str, column: str, given: dict) -> str | None:
    response = session.get(f"{base}/api/queries/{query}", params={**given, "limit": 1}, timeout=3600)
    rows = response.json().get("rows", []) if response.ok else []
    value = rows[0].get(column) if rows else None
    return str(value) if value not in (None, "") else None


def variants(session: requests.Session, base: str) -> list[tuple[str, str, dict[str, str]]]:
    """(label, query, parameters): each named query with each of its selective parameters, then
    the first page of each listing (a query with no required parameter)."""
    day_text = first_value(session, base, "claims", "date", {}) or "2026-01-01"
    day = dt.date.fromisoformat(day_text[:10])
    week = {"date": (day.isoformat(), (day + dt.timedelta(days=7)).isoformat()),
            "dateTime": (f"{day}T00:00:00Z", f"{day + dt.timedelta(days=7)}T00:00:00Z")}
    values = {name: first_value(session, base, query, column, {}) for name, (query, column) in SOURCES.items()}
    out: list[tuple[str, str, dict[str, str]]] = []
    pages: list[tuple[str, str, dict[str, str]]] = []
    for name, query in queries.catalogue().items():
        params = {p.name: p for p in query.parameters}
        required: dict[str, str] = {}
        if "at" in params and params["at"].required:
            required["at"] = f"{day}T12:00:00Z"
        chosen = [(p, {p: values[p]}) for p in params if p in SOURCES and values.get(p)]
        if "from" in params and "to" in params:
            start, end = week.get(params["from"].type, week["date"])
            chosen.append(("week", {"from": start, "to": end}))
        chosen = [(label, {**required, **given}) for label, given in chosen]
        if not chosen and required:
            chosen = [("at", required)]
        out += [(f"{name} ?{label}", name, given) for label, given in chosen]
        if not any(p.required for p in query.parameters):
            pages.append((f"{name} page 1", name, {"limit": str(PAGE)}))
    return out + pages


def time_query(session: requests.Session, base: str, query: str, given: dict, repeat: int,
               slow: float) -> dict:
    """Median ms of ``repeat`` calls (one only when a call takes over ``slow`` seconds) and the rows."""
    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = session.get(f"{base}/api/queries/{query}", params=given, timeout=3600)
        elapsed = time.perf_counter() - start
        if not response.ok:
            return {"ms": None, "rows": None, "error": f"{response.status_code}: {response.text[:200]}"}
        rows = len(response.json()["rows"])
        times.append(elapsed)
        if elapsed > slow:
            break
    return {"ms": statistics.median(times) * 1000, "rows": rows, "runs": len(times)}


def measure(articles: int, args, scratch: Path) -> dict:
    corpus = write(scratch / "corpus.jsonl", articles, claim_paragraphs=args.paragraphs)
    store = scratch / "store"
    print(f"[{articles:,}] building …", file=sys.stderr, flush=True)
    build_s, peak = run_build([corpus], store, args.jobs)
    corpus.unlink()
    result = {"articles": articles, "paragraphs": list(args.paragraphs), "jobs": args.jobs, "build_s": build_s,
              "articles_per_s": articles / build_s, "peak_mib": peak, "disk_mib": folder_mib(store),
              **store_counts(store)}
    result["claims_per_article"] = result["claims"] / articles
    print(f"[{articles:,}] export and bulk load …", file=sys.stderr, flush=True)
    result.update(bulk_compare(store, scratch))
    result["build_over_bulk"] = build_s / result["bulk_s"]
    result["queries"] = time_queries(store, args, f"{articles:,}")
    shutil.rmtree(store)
    return result


def time_queries(store: Path, args, tag: str) -> dict:
    """Serve a built store and time each named query with each selective parameter, and each first page."""
    print(f"[{tag}] queries …", file=sys.stderr, flush=True)
    timings = {}
    with ckg_serving(store, "--query-timeout", str(args.query_timeout)) as base, requests.Session() as session:
        snapshot = snapshots.current(store)
        print(f"[{tag}] making the listings' kept answers …", file=sys.stderr, flush=True)
        started = time.perf_counter()  # before any query asks: first pages are read from them
        subprocess.run([sys.executable, "-m", "ckg.graph.kept_answers", str(snapshot)], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"[{tag}] kept answers made in {time.perf_counter() - started:,.1f} s", file=sys.stderr, flush=True)
        for label, query, given in variants(session, base):
            timings[label] = {"query": query, "params": given,
                              **time_query(session, base, query, given, args.repeat, args.slow)}
            shown = "error" if timings[label]["ms"] is None else f"{timings[label]['ms']:,.0f} ms"
            print(f"[{tag}]   {label}: {shown}", file=sys.stderr, flush=True)
    return timings


def seeds_density(scratch: Path, jobs: int) -> float | None:
    """Claims per article in seeds/ (real reporting), to set beside the synthetic corpus's."""
    if not (ROOT / "seeds").is_dir():
        return None
    store = scratch / "seeds-store"
    run_build([ROOT / "seeds"], store, jobs)
    counts = store_counts(store)
    shutil.rmtree(store)
    return counts["claims"] / max(counts["documents"], 1)


def size_table(run: dict) -> str:
    lines = [f"\n{run['articles']:,} articles ({run['paragraphs'][0]}–{run['paragraphs'][1]} claim paragraphs each, "
             f"{run['jobs']} jobs)",
             f"  build {run['build_s']:,.1f} s, {run['articles_per_s']:,.1f} articles/s; {run['quads']:,} quads; "
             f"{run['claims']:,} claims ({run['claims_per_article']:.1f} per article); "
             f"store folder {run['disk_mib']:,.0f} MiB; peak memory {run['peak_mib']:,.0f} MiB",
             f"  bulk load of the same N-Quads ({run['dump_mib']:,.0f} MiB, exported in {run['export_s']:,.1f} s): "
             f"{run['bulk_s']:,.1f} s, {run['quads'] / run['bulk_s']:,.0f} quads/s, "
             f"peak {run['bulk_peak_mib']:,.0f} MiB, "
             f"{run['bulk_disk_mib']:,.0f} MiB on disk; build/bulk {run['build_over_bulk']:,.1f}×",
             f"  {'query':48} {'rows':>8} {'ms':>10}"]
    for label, timing in run["queries"].items():
        ms = "error" if timing["ms"] is None else f"{timing['ms']:,.1f}"
        rows = "" if timing["rows"] is None else f"{timing['rows']:,}"
        lines.append(f"  {label:48} {rows:>8} {ms:>10}")
    return "\n".join(lines)


def ratios(small: dict, large: dict) -> list[tuple[str, float | None]]:
    out = []
    for label, timing in large["queries"].items():
        before = small["queries"].get(label, {}).get("ms")
        out.append((label, timing["ms"] / before if timing["ms"] and before else None))
    return out


def ratio_table(small: dict, large: dict) -> str:
    rows = ratios(small, large)
    lines = [f"\nquery time at {large['articles']:,} / at {small['articles']:,} articles "
             f"(limit {GROWTH_LIMIT}×; build {large['build_s'] / small['build_s']:.1f}×, "
             f"quads {large['quads'] / small['quads']:.1f}×)",
             f"  {'query':48} {'ratio':>8}"]
    lines += [f"  {label:48} {'n/a':>8}" if ratio is None else
              f"  {label:48} {ratio:>7.2f}×{'  OVER' if ratio > GROWTH_LIMIT else ''}" for label, ratio in rows]
    measured = [r for _, r in rows if r is not None]
    over = sum(r > GROWTH_LIMIT for r in measured)
    lines.append(f"  {len(measured) - over} of {len(measured)} within {GROWTH_LIMIT}×; {over} over")
    return "\n".join(lines)


COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf"]


def _log_scale(values: list[float], low: float, high: float):
    lo = math.floor(math.log10(min(values)))
    hi = max(math.ceil(math.log10(max(values))), lo + 1)
    return lo, hi, lambda v: low + (math.log10(v) - lo) / (hi - lo) * (high - low)


def panel(title: str, ylabel: str, series: dict[str, list[tuple[float, float]]], left: float, width: float = 420,
          height: float = 300, top: float = 40) -> str:
    """One log-log chart: axes, a decade grid, one line (or dot) per series, labelled at its right end."""
    points = [p for line in series.values() for p in line]
    if not points:
        return ""
    x0, x1, fx = _log_scale([p[0] for p in points], left + 60, left + width - 230)
    y0, y1, fy = _log_scale([p[1] for p in points], top + height - 40, top + 20)
    out = [f'<text x="{left + 60}" y="{top + 10}" font-weight="bold">{html.escape(title)}</text>',
           f'<text x="{left + 12}" y="{top + height / 2}" transform="rotate(-90 {left + 12} {top + height / 2})" '
           f'text-anchor="middle">{html.escape(ylabel)}</text>',
           f'<text x="{(fx(10 ** x0) + fx(10 ** x1)) / 2}" y="{top + height - 5}" text-anchor="middle">articles</text>']
    for e in range(x0, x1 + 1):
        x = fx(10 ** e)
        out.append(f'<line x1="{x}" y1="{fy(10 ** y0)}" x2="{x}" y2="{fy(10 ** y1)}" stroke="#ddd"/>'
                   f'<text x="{x}" y="{fy(10 ** y0) + 15}" text-anchor="middle">{10 ** e:,}</text>')
    for e in range(y0, y1 + 1):
        y = fy(10 ** e)
        out.append(f'<line x1="{fx(10 ** x0)}" y1="{y}" x2="{fx(10 ** x1)}" y2="{y}" stroke="#ddd"/>'
                   f'<text x="{fx(10 ** x0) - 5}" y="{y + 4}" text-anchor="end">{10 ** e:g}</text>')
    # Labels in a column at the right, in the order of the lines' right ends, each joined to its end.
    ends = sorted(series, key=lambda name: fy(max(series[name])[1]))
    step = min(12.0, (height - 40) / max(len(ends), 1))
    label_x = fx(10 ** x1) + 40
    for i, (name, line) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        coords = " ".join(f"{fx(x):.1f},{fy(y):.1f}" for x, y in sorted(line))
        if len(line) > 1:
            out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
        out += [f'<circle cx="{fx(x):.1f}" cy="{fy(y):.1f}" r="2.5" fill="{colour}"/>' for x, y in line]
        x, y = max(line)
        label_y = top + 20 + ends.index(name) * step
        out.append(f'<polyline points="{fx(x) + 3:.1f},{fy(y):.1f} {label_x - 3:.1f},{label_y:.1f}" fill="none" '
                   f'stroke="{colour}" stroke-width="0.5"/>'
                   f'<text x="{label_x:.1f}" y="{label_y + 3:.1f}" fill="{colour}" font-size="9">'
                   f'{html.escape(name)}</text>')
    return "\n".join(out)


def svg(runs: list[dict]) -> str:
    """Build seconds (ckg, bulk load) and query milliseconds against articles, log-log."""
    build: dict[str, list[tuple[float, float]]] = {}
    query: dict[str, list[tuple[float, float]]] = {}
    for run in runs:
        low, high = run["paragraphs"]
        tag = "" if (low, high) == CLAIM_PARAGRAPHS else f" ({low}–{high} claim paragraphs)"
        build.setdefault("ckg build" + tag, []).append((run["articles"], run["build_s"]))
        build.setdefault("bulk load" + tag, []).append((run["articles"], run["bulk_s"]))
        if tag:
            continue
        for label, timing in run["queries"].items():
            if timing["ms"]:
                query.setdefault(label, []).append((run["articles"], timing["ms"]))
    height = max(340, 60 + 11 * len(query))
    body = panel("Build time", "seconds", build, 0, width=480) + panel(
        "Named queries and first pages", "milliseconds", query, 500, width=700, height=height)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="{height + 50}" font-family="sans-serif" '
            f'font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n{body}\n</svg>\n')


def sizes_of(text: str) -> list[int]:
    try:
        sizes = [int(s.replace("_", "")) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes are whole numbers separated by commas, e.g. 1000,10000; got {text!r}")
    if not sizes or min(sizes) < 2:
        raise argparse.ArgumentTypeError(f"each size must be at least 2 articles; got {text!r}")
    return sizes


def range_of(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    try:
        pair = (int(low), int(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"paragraphs are LOW-HIGH, e.g. 9-12; got {text!r}")
    if not 0 <= pair[0] <= pair[1] <= 100:
        raise argparse.ArgumentTypeError(f"paragraphs must be 0 ≤ LOW ≤ HIGH ≤ 100; got {text!r}")
    return pair


def report(runs: list[dict], paragraphs: tuple[int, int]) -> None:
    """The ratio tables between consecutive sizes of the corpus of ``paragraphs``."""
    same = sorted((r for r in runs if tuple(r["paragraphs"]) == tuple(paragraphs)), key=lambda r: r["articles"])
    for small, large in zip(same, same[1:]):
        print(ratio_table(small, large))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="100000 is allowed but long: hours on two cores, ~20 GiB of disk.")
    parser.add_argument("--sizes", type=sizes_of, default=[1000, 10000], help="articles per run (default 1000,10000)")
    parser.add_argument("--jobs", type=int, default=2, help="ckg build --jobs (default 2)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results",
                        help="folder for scale.json and scale.svg (default benchmarks/results)")
    parser.add_argument("--paragraphs", type=range_of, default=CLAIM_PARAGRAPHS,
                        help="claim paragraphs per synthetic article, LOW-HIGH (default 9-12, two figures each)")
    parser.add_argument("--repeat", type=int, default=3, help="timed calls of each query (median; default 3)")
    parser.add_argument("--slow", type=float, default=20.0,
                        help="a call slower than this many seconds is not repeated (default 20)")
    parser.add_argument("--query-timeout", type=float, default=600.0, help="the server's query timeout in seconds")
    parser.add_argument("--store", type=Path, action="append", default=[],
                        help="time only the queries, on this store already built (repeatable; nothing is written "
                             "to OUT): for trying a query's rewrite without building again")
    parser.add_argument("--redraw", action="store_true",
                        help="measure nothing: print the tables and draw the SVG from OUT/scale.json")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    results_file = args.out / "scale.json"
    saved = json.loads(results_file.read_text()) if results_file.exists() else {"runs": []}
    kept = saved["runs"]
    if args.store:
        for store in args.store:
            if not store.is_dir():
                parser.error(f"--store {store}: no such folder (build one with ckg build --store {store} …)")
            print(f"\n{store}\n  {'query':48} {'rows':>8} {'ms':>10}")
            for label, timing in time_queries(store, args, store.name).items():
                ms = "error" if timing["ms"] is None else f"{timing['ms']:,.1f}"
                rows = "" if timing["rows"] is None else f"{timing['rows']:,}"
                print(f"  {label:48} {rows:>8} {ms:>10}", flush=True)
        return
    if args.redraw:
        for run in kept:
            print(size_table(run))
        report(kept, args.paragraphs)
        (args.out / "scale.svg").write_text(svg(kept), encoding="utf-8")
        return
    with tempfile.TemporaryDirectory(prefix="ckg-scale-") as scratch_text:
        scratch = Path(scratch_text)
        seeds = seeds_density(scratch, args.jobs)
        if seeds is not None:
            print(f"seeds/: {seeds:.1f} claims per article (real reporting)")
        runs = []
        for articles in args.sizes:
            run = measure(articles, args, scratch)
            runs.append(run)
            print(size_table(run), flush=True)
    done = {(r["articles"], tuple(r["paragraphs"])) for r in runs}
    merged = sorted([r for r in kept if (r["articles"], tuple(r["paragraphs"])) not in done] + runs,
                    key=lambda r: (r["paragraphs"], r["articles"]))
    report(merged, args.paragraphs)
    results_file.write_text(json.dumps({"seeds_claims_per_article": seeds, "runs": merged}, indent=1) + "\n")
    (args.out / "scale.svg").write_text(svg(merged), encoding="utf-8")
    print(f"\nwrote {results_file} and {args.out / 'scale.svg'}")


if __name__ == "__main__":
    main()
