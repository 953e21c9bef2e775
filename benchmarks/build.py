"""Benchmark ``ckg build`` on a synthetic corpus: throughput, memory, rebuild.

    python benchmarks/build.py [--articles 10000] [--sample 300] [--jobs N] [--scheduler tcp://HOST:PORT]
    python benchmarks/build.py --store http://127.0.0.1:7878/query --articles 200

Prints a table: extraction alone on one core (articles/s, words/s, CPU time of this
process), the whole build with ``--jobs`` worker processes (articles/s, words/s,
triples/s, and how long the derived facts took), the peak memory of the whole process
tree (parent and workers) after 10 %, 50 % and 100 % of the corpus (it must not grow with
the corpus), and a rebuild of the unchanged corpus (everything skipped). With ``--scheduler``
the build extracts on that Dask cluster's workers instead (its memory is then the parent's
alone: the workers are not its children). The target for extraction is 100 articles of
~800 words per second per core.

With ``--store URL`` (the query endpoint of an empty remote SPARQL 1.1 store, e.g. a fresh
``oxigraph serve``; ``--update-endpoint`` and ``--graph-store`` where it names them otherwise)
it builds the same corpus into that store and into a fresh embedded store, one after the
other with the same lexicon and jobs, and prints articles/s of each, the ratio, and the
unchanged rebuild of each.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import write  # noqa: E402
from ckg.graph.build import build  # noqa: E402
from ckg.graph.cluster import connect  # noqa: E402
from ckg.graph.documents import Document, read_documents  # noqa: E402
from ckg.graph.extract import extract  # noqa: E402
from ckg.graph.lexicon import load_lexicon  # noqa: E402
from ckg.graph.parallel import Extractor  # noqa: E402
from ckg.graph.store import Store  # noqa: E402
from ckg.graph.stores import location, open_store  # noqa: E402
from ckg.ontology.vocabulary import META_GRAPH  # noqa: E402
from ckg.settings import Settings  # noqa: E402

TARGET_ARTICLES_PER_SECOND = 100


def tree_rss_mib(pid: int | None = None) -> float:
    """Memory of a process and all its descendants (Linux /proc): proportional set size, so
    pages that forked workers share with their parent are counted once, not once each."""
    pid = pid or os.getpid()
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            rss = next((int(line.split()[1]) for line in handle if line.startswith("Pss:")), 0) / 1024
        children: list[int] = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                children += [int(c) for c in handle.read().split()]
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return rss + sum(tree_rss_mib(child) for child in children)


class PeakMemory:
    """Samples the process tree's memory in the background; ``peak`` is the highest seen."""

    def __init__(self, every: float = 0.2) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            self.peak = max(self.peak, tree_rss_mib())

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=300, help="articles for the extraction-only measure")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes for the build")
    parser.add_argument("--scheduler", help="build on this Dask cluster's workers (tcp://HOST:PORT) instead")
    parser.add_argument("--store", help="compare with a build into this empty remote store (its query endpoint URL)")
    parser.add_argument("--update-endpoint", help="the remote store's update endpoint, if not the one its URL implies")
    parser.add_argument("--graph-store", help="the remote store's graph store endpoint, if not the one its URL implies")
    parser.add_argument("--remote-first", action="store_true", help="build into the remote store first (to alternate)")
    args = parser.parse_args()
    if args.store:
        return compare_remote(args)
    cluster = connect(args.scheduler) if args.scheduler else None
    workers = f"Dask, {sum(cluster.nthreads().values())} worker threads" if cluster else f"{args.jobs} jobs"
    with tempfile.TemporaryDirectory(prefix="ckg-bench-") as scratch:
        corpus = write(Path(scratch) / "corpus.jsonl", args.articles)
        extractor = Extractor(load_lexicon())
        sample = [d for d in islice(read_documents([corpus]), args.sample) if isinstance(d, Document)]
        words = sum(len(d.text.split()) for d in sample)
        began, cpu = time.perf_counter(), time.process_time()
        for document in sample:
            extract(extractor.ctx, document)
        extraction, extraction_cpu = time.perf_counter() - began, time.process_time() - cpu
        cpu = time.process_time()
        for document in sample:
            extractor.quads(document)
        with_quads_cpu = time.process_time() - cpu
        corpus_words = sum(len(d.text.split()) for d in read_documents([corpus]) if isinstance(d, Document))
        del extractor

        memory: list[tuple[int, float]] = []
        marks = {max(1, args.articles // 10), max(1, args.articles // 2), args.articles}
        with Store.open(Path(scratch) / "store") as store, PeakMemory() as peak:
            def progress(done: int, _path: str) -> None:
                if done in marks:
                    memory.append((done, max(peak.peak, tree_rss_mib())))
                    print(f"{done:,} articles read, peak {memory[-1][1]:,.0f} MiB, "
                          f"{time.perf_counter() - began:,.0f} s", file=sys.stderr, flush=True)

            began = time.perf_counter()
            summary = build([corpus], store, progress=progress, jobs=args.jobs, cluster=cluster)
            full = time.perf_counter() - began
            memory.append((args.articles, peak.peak))
            began = time.perf_counter()
            again = build([corpus], store, jobs=args.jobs, cluster=cluster)
            rebuild = time.perf_counter() - began
    if cluster is not None:
        cluster.close()

    rate, cpu_rate = len(sample) / extraction, len(sample) / extraction_cpu
    rows = [
        ("extraction, 1 core", f"{rate:,.1f} articles/s", f"{words / extraction:,.0f} words/s",
         f"CPU time: {cpu_rate:,.1f} articles/s, {cpu_rate / TARGET_ARTICLES_PER_SECOND:.2f}× target"),
        ("  with quads and closure, 1 core", "", "",
         f"CPU time: {len(sample) / with_quads_cpu:,.1f} articles/s"),
        ("mean article", f"{words / len(sample):,.0f} words", "", ""),
        (f"full build, {workers}", f"{summary.built / full:,.1f} articles/s", f"{corpus_words / full:,.0f} words/s",
         f"{summary.triples / full:,.0f} triples/s; {summary.triples:,} triples in {full:,.0f} s"),
        ("  of which derived facts", f"{summary.derived_seconds:,.1f} s", "",
         f"{summary.contradictions:,} contradicting pairs"),
        ("rebuild, unchanged", f"{rebuild:,.1f} s", f"{again.skipped:,} skipped", f"{again.built} rebuilt"),
    ] + [(f"peak memory (process tree) at {n:,} articles", f"{mib:,.0f} MiB", "", "") for n, mib in memory[:-1]] \
      + [("peak memory (process tree), whole build", f"{memory[-1][1]:,.0f} MiB", "", "")]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>20}  {'rate':>18}  note")
    for name, value, rate_text, note in rows:
        print(f"{name:<{width}}  {value:>20}  {rate_text:>18}  {note}")


def compare_remote(args: argparse.Namespace) -> None:
    """Build the corpus into the remote store and into an embedded one; print each one's rate and the ratio."""
    where = location(Settings(store=args.store, update_endpoint=args.update_endpoint, graph_store=args.graph_store))
    lexicon = load_lexicon()
    rows = []
    with tempfile.TemporaryDirectory(prefix="ckg-bench-") as scratch:
        corpus = write(Path(scratch) / "corpus.jsonl", args.articles)
        timed: dict[str, tuple[float, float, int]] = {}
        stores = [("embedded (Oxigraph, on disk)", lambda: Store.open(Path(scratch) / "store")),
                  (f"remote ({args.store})", lambda: open_store(where))]
        for name, opened in reversed(stores) if args.remote_first else stores:
            with opened() as store:
                if name.startswith("remote") and store.has_graph(META_GRAPH):
                    sys.exit(f"{args.store} holds a ckg build already: give an empty store (a fresh 'oxigraph serve')")
                began = time.perf_counter()
                summary = build([corpus], store, jobs=args.jobs, lexicon=lexicon)
                full = time.perf_counter() - began
                began = time.perf_counter()
                again = build([corpus], store, jobs=args.jobs, lexicon=lexicon)
                timed[name] = (full, time.perf_counter() - began, summary.triples)
                assert again.skipped == args.articles
        embedded = timed[stores[0][0]][0]
        for name, (full, rebuild, triples) in sorted(timed.items(), key=lambda item: item[0] != stores[0][0]):
            rows.append((name, f"{args.articles / full:,.2f}", f"{full:,.1f}", f"{triples:,}", f"{rebuild:,.1f}",
                         f"{full / embedded:.2f}×"))
    header = ("store", "articles/s", "build s", "quads", "rebuild s", "time / embedded")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(w) if i == 0 else str(cell).rjust(w) for i, (cell, w) in
                        enumerate(zip(row, widths))))


if __name__ == "__main__":
    main()
