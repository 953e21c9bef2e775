"""Benchmark ``ckg build`` on a synthetic corpus: throughput, memory, rebuild.

    python benchmarks/build.py [--articles 10000] [--sample 300]

Prints a table: extraction alone on one core (articles/s, words/s), the whole build
(articles/s, triples/s), peak memory after 10 %, 50 % and 100 % of the corpus (it must
not grow with the corpus), and a rebuild of the unchanged corpus (everything skipped).
The target for extraction is 100 articles of ~800 words per second per core.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import write  # noqa: E402
from graph import conventions  # noqa: E402
from graph.build import build  # noqa: E402
from graph.documents import Document, read_documents  # noqa: E402
from graph.extract import Context, extract  # noqa: E402
from graph.lexicon import load_lexicon  # noqa: E402
from graph.matching import Matcher  # noqa: E402
from graph.store import Store  # noqa: E402

TARGET_ARTICLES_PER_SECOND = 100


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=300, help="articles for the extraction-only measure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ckg-bench-") as scratch:
        corpus = write(Path(scratch) / "corpus.jsonl", args.articles)
        lexicon = load_lexicon()
        ctx = Context(lexicon, Matcher(lexicon), conventions.load_conventions(lexicon.graph))
        sample = [d for d in islice(read_documents([corpus]), args.sample) if isinstance(d, Document)]
        words = sum(len(d.text.split()) for d in sample)
        began = time.perf_counter()
        for document in sample:
            extract(ctx, document)
        extraction = time.perf_counter() - began

        memory: list[tuple[int, float]] = []
        marks = {max(1, args.articles // 10), max(1, args.articles // 2), args.articles}

        def progress(done: int, _path: str) -> None:
            if done in marks:
                memory.append((done, peak_mib()))

        with Store.open(Path(scratch) / "store") as store:
            began = time.perf_counter()
            summary = build([corpus], store, progress=progress)
            full = time.perf_counter() - began
            began = time.perf_counter()
            again = build([corpus], store)
            rebuild = time.perf_counter() - began

    rate = len(sample) / extraction
    rows = [
        ("extraction, 1 core", f"{rate:,.1f} articles/s", f"{words / extraction:,.0f} words/s",
         f"{rate / TARGET_ARTICLES_PER_SECOND:.2f}× target"),
        ("mean article", f"{words / len(sample):,.0f} words", "", ""),
        ("full build", f"{summary.built / full:,.1f} articles/s", f"{summary.triples / full:,.0f} triples/s",
         f"{summary.triples:,} triples"),
        ("rebuild, unchanged", f"{rebuild:,.1f} s", f"{again.skipped:,} skipped", f"{again.built} rebuilt"),
    ] + [(f"peak memory at {n:,} articles", f"{mib:,.0f} MiB", "", "") for n, mib in memory]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>20}  {'rate':>18}  note")
    for name, value, rate_text, note in rows:
        print(f"{name:<{width}}  {value:>20}  {rate_text:>18}  {note}")


if __name__ == "__main__":
    main()
