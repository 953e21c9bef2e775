"""Full-text search: how long the index of a snapshot takes to make, how large it is, and how
fast searches are, against the target of < 200 ms at 10,000 articles.

Builds seeds/ + N synthetic articles (benchmarks/corpus.py) unless given a store, indexes
its newest snapshot again (timed, into a scratch file), then runs a set of searches (words,
phrases, prefixes, boolean, with and without facets) ``--repeat`` times each, in this
process against the index file and over HTTP through ``/api/search`` of a live ``ckg serve``,
and prints a table with p50/p95 per search.

    python benchmarks/search.py                      # seeds + 1,000 synthetic articles
    python benchmarks/search.py --articles 10000     # the target's size
    python benchmarks/search.py --store data/store   # an existing store
    python benchmarks/search.py --articles 10000 --keep /tmp/s10k   # keep the built store for --store
    python benchmarks/search.py --store /tmp/s10k --no-reindex      # its own index, not made again
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.endpoint import ckg_serving, percentile, prepare_store  # noqa: E402
from ckg.graph import search as full_text  # noqa: E402
from ckg.graph import search_index, snapshots  # noqa: E402
from ckg.graph.store import Store  # noqa: E402

TARGET_MS = 200.0
SEARCHES = [
    ("common word", "soldiers", ()),
    ("two words", "killed civilians", ()),
    ("phrase", '"at least"', ()),
    ("phrase, rare", '"had hoped for peace"', ()),
    ("prefix", "civil*", ()),
    ("boolean", "airstrikes OR shelling NOT drone", ()),
    ("name", "{person}", ()),
    ("word + 2 facets", "soldiers", (("type", "claim"), ("kind", "killed"))),
    ("word + side", "killed", (("side", "{side}"),)),
    ("word + month", "minister", (("month", "{month}"),)),
]


def index_again(snapshot: Path, scratch: Path) -> tuple[float, int, int]:
    """Seconds to index the snapshot, the entries, and the file's bytes."""
    started = time.perf_counter()
    with Store.open(snapshot, read_only=True) as store:
        found, titles = search_index.entries(store)
    target = scratch / "search.sqlite"
    search_index.write(target, found, titles)
    return time.perf_counter() - started, len(found), target.stat().st_size


def samples(index: Path) -> dict[str, str]:
    """A person's name, a side and a month that the index holds (for the searches that need one)."""
    with sqlite3.connect(f"file:{index}?mode=ro", uri=True) as db:
        person = db.execute("SELECT title FROM entry WHERE type = 'person' ORDER BY weight DESC LIMIT 1").fetchone()
        most = ("SELECT v.value FROM facet f JOIN facet_value v ON v.id = f.value WHERE v.facet = ? "
                "GROUP BY v.id ORDER BY COUNT(*) DESC LIMIT 1")
        side = db.execute(most, ["side"]).fetchone()
        month = db.execute(most, ["month"]).fetchone()
    return {"person": f'"{person[0]}"' if person else "minister", "side": side[0] if side else "",
            "month": month[0] if month else ""}


def timed(repeat: int, run) -> tuple[list[float], int]:
    times, total = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        total = run()
        times.append((time.perf_counter() - started) * 1000)
    return times, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="use this built store (default: build one)")
    parser.add_argument("--articles", type=int, default=1000, help="synthetic articles to build (without --store)")
    parser.add_argument("--repeat", type=int, default=10, help="runs of each search")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="extraction processes for the build (ckg build --jobs)")
    parser.add_argument("--keep", help="build the store into this folder and keep it (for --store next time)")
    parser.add_argument("--no-reindex", action="store_true",
                        help="search the snapshot's own index without timing a second one (minutes at 10,000 articles)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ckg-search-bench-") as scratch:
        started = time.perf_counter()
        store_path = prepare_store(args, Path(scratch))
        if not args.store:
            print(f"built the store in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        snapshot = snapshots.current(store_path) or snapshots.refresh(store_path)
        index = search_index.ensure(snapshot)
        store_mib = sum(p.stat().st_size for p in Path(snapshot).iterdir() if p.is_file()) / 2**20
        if args.no_reindex:
            entries = sqlite3.connect(f"file:{index}?mode=ro", uri=True).execute("SELECT COUNT(*) FROM entry").fetchone()[0]
            print(f"index: {entries:,} entries, {index.stat().st_size / 2**20:.1f} MiB (store: {store_mib:.0f} MiB)")
        else:
            seconds, entries, size = index_again(snapshot, Path(scratch))
            print(f"index: {entries:,} entries in {seconds:.1f} s, {size / 2**20:.1f} MiB (store: {store_mib:.0f} MiB)")
        values = samples(index)
        with ckg_serving(store_path) as base:
            report(index, base, values, args.repeat)


def report(index: Path, base: str, values: dict[str, str], repeat: int) -> None:
    session = requests.Session()
    print(f"{'search':<18} {'hits':>8} {'p50 ms':>8} {'p95 ms':>8} {'HTTP p50':>9} {'HTTP p95':>9}")
    everything, over_http = [], []
    for name, words, filters in SEARCHES:
        words = words.format(**values)
        filters = tuple((facet, value.format(**values)) for facet, value in filters)
        request = full_text.Request(words, filters)
        local, total = timed(repeat, lambda: full_text.search(index, request).total)

        def asked() -> int:
            answer = session.get(base + "/api/search", params=[("q", words), *filters], timeout=60)
            assert answer.status_code == 200, answer.text[:200]
            return answer.json()["total"]

        remote, _ = timed(repeat, asked)
        everything += local
        over_http += remote
        print(f"{name:<18} {total:>8,} {percentile(local, 50):>8.1f} {percentile(local, 95):>8.1f} "
              f"{percentile(remote, 50):>9.1f} {percentile(remote, 95):>9.1f}")
    worst = percentile(over_http, 95)
    print(f"{'all':<18} {'':>8} {percentile(everything, 50):>8.1f} {percentile(everything, 95):>8.1f} "
          f"{percentile(over_http, 50):>9.1f} {worst:>9.1f}   target < {TARGET_MS:.0f} ms at 10,000 articles: "
          f"{'met' if worst < TARGET_MS else 'NOT met'} at this size")


if __name__ == "__main__":
    main()
