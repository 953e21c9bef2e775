"""Generated hostile input, for longer than the tests run it: counts of answers by class per surface.

Starts ``ckg serve`` (one worker, update token set, time limit ``--query-timeout``) over the
small store of ``tests/fuzzing.py`` on a loopback port and sends ``--examples`` generated
examples per surface (queries, updates, graph-store bodies, HTTP requests); the documents
surface builds generated folders into a store of its own, in this process. Prints one row per
surface: examples, answers by class, property violations (a 5xx other than the time-limit or
busy 503, a 4xx without a message, no answer), query processes that ended (killed at the time
or memory limit, or dead), the peak resident memory of a query process and whether the last
one was back under the memory limit, seconds. For documents, 2xx counts documents built, 4xx
documents refused with their line, 5xx builds that crashed or broke the summary's contract.

    nice -n 10 python benchmarks/fuzz.py                    # 2,000 examples per surface
    nice -n 10 python benchmarks/fuzz.py --examples 20000 --surface queries
"""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import hypothesis
import requests
from hypothesis import HealthCheck, Phase, given, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.endpoint import free_port  # noqa: E402
from tests import fuzzing  # noqa: E402

SURFACES = ("queries", "updates", "graph-store", "http", "documents")
PROBE_EVERY = 25
"""Examples between two probes (``ASK {}``) of the query process."""
MIB = 2 ** 20


@dataclass
class Tally:
    surface: str
    examples: int = 0
    classes: Counter = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)
    dead_probes: int = 0
    """Probes (ASK {}) that were not answered 200."""
    ended: int | None = None
    """Query processes that ended: killed at the time or memory limit, or died."""
    seconds: float = 0.0


class Watcher:
    """Samples the server's query processes from /proc: their peak resident memory, and how many ended."""

    def __init__(self, server_pid: int, every: float = 0.05) -> None:
        self.server_pid, self.every = server_pid, every
        self.peak = 0
        self.seen: set[int] = set()
        self.ended = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def query_processes(self) -> list[int]:
        """The spawned children of the server's workers (the query processes), not the resource tracker."""
        found, frontier = [], [self.server_pid]
        while frontier:
            pid = frontier.pop()
            for child in _children(pid):
                frontier.append(child)
                command = _cmdline(child)
                if "multiprocessing" in command and "resource_tracker" not in command:
                    found.append(child)
        return found

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            current = set(self.query_processes())
            self.ended += len(self.seen - current)
            self.seen = current
            self.peak = max([self.peak, *(_resident(pid) for pid in current)])

    def reset(self) -> None:
        self.peak, self.ended = 0, 0

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)


def _children(pid: int) -> list[int]:
    """Children of every thread of ``pid``: a worker starts its query process from a request thread."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _resident(pid: int) -> int:
    """VmRSS in bytes (0 once the process has gone)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def answer_class(answer: fuzzing.Answer) -> str:
    return f"{answer.status // 100}xx"


def run_server_surface(name: str, strategy, send, url: str, examples: int, seed: int | None) -> Tally:
    """Send ``examples`` generated examples of one surface; count classes and violations, never stop."""
    tally = Tally(name)
    session = requests.Session()

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              derandomize=seed is None, suppress_health_check=list(HealthCheck))
    @given(call=strategy)
    def one(call) -> None:
        tally.examples += 1
        try:
            answer = send(session, url, call)
        except requests.RequestException as error:
            tally.classes["no answer"] += 1
            tally.violations.append(f"no answer ({type(error).__name__}) to {call!r:.300}")
            time.sleep(1)
            return
        tally.classes[answer_class(answer)] += 1
        problem = fuzzing.verdict(answer)
        if problem is not None:
            tally.violations.append(f"{problem} for {call!r:.300}")
        if tally.examples % PROBE_EVERY == 0 and not _probe(session, url):
            tally.dead_probes += 1

    if seed is not None:
        one = hypothesis.seed(seed)(one)
    began = time.monotonic()
    one()
    tally.seconds = time.monotonic() - began
    if not _probe(session, url):
        tally.dead_probes += 1
    return tally


def _probe(session: requests.Session, url: str) -> bool:
    try:
        return fuzzing.still_answering(session, url)
    except requests.RequestException:
        return False


def run_documents(examples: int, scratch: Path) -> Tally:
    """Build ``examples`` generated folders, each with a good document beside the generated ones."""
    from ckg.graph import iris
    from ckg.graph.build import build
    from ckg.graph.lexicon import load_lexicon
    from ckg.graph.store import Store

    tally = Tally("documents")
    lexicon = load_lexicon()
    began = time.monotonic()
    with Store.open(scratch / "build-store") as store:

        @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate], derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(files=fuzzing.documents)
        def one(files) -> None:
            tally.examples += 1
            folder = scratch / "docs" / f"in{tally.examples}"
            control = f"control-{tally.examples}.txt"
            fuzzing.write_folder(folder, [*files, fuzzing.DocumentFile(control, fuzzing.ARTICLE.encode())])
            try:
                summary = build([folder], store, jobs=1, lexicon=lexicon)
            except Exception as error:  # a crash is what this counts
                tally.classes["5xx"] += 1
                tally.violations.append(f"the build crashed: {type(error).__name__}: {error} on {files!r:.300}")
                return
            problems = fuzzing.build_problems(summary, folder, files, control)
            if not store.has_graph(iris.document_graph(control.removesuffix(".txt"))):
                problems.append("the good document was not stored")
            tally.classes["2xx"] += summary.built
            tally.classes["4xx"] += len(summary.failures)
            if problems:
                tally.classes["5xx"] += 1
                tally.violations += [f"{p} on {files!r:.300}" for p in problems]

        one()
    tally.seconds = time.monotonic() - began
    return tally


def start_server(store: Path, timeout: float, memory_mib: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "ckg.cli", "serve", "--store", str(store), "--port", str(port),
                                "--workers", "1", "--update-token", fuzzing.TOKEN, "--query-timeout", str(timeout),
                                "--query-memory", str(memory_mib)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _probe(requests.Session(), url):
                return process, url
        except requests.RequestException:
            pass
        time.sleep(0.3)
    process.kill()
    raise SystemExit("the server did not start")


SENDERS = {
    "queries": (fuzzing.query_calls, fuzzing.send_sparql),
    "updates": (fuzzing.update_calls, lambda s, u, c: fuzzing.send_sparql(s, u, c, update=True)),
    "graph-store": (fuzzing.graph_store_calls, fuzzing.send_graph_store),
    "http": (fuzzing.http_calls, fuzzing.send_http),
}


def header(memory_mib: int) -> str:
    return ("| surface | examples | 2xx | 4xx | 5xx | violations | query processes ended | failed probes | "
            f"peak RSS of a query process | back under {memory_mib:,} MiB | seconds |\n" + "|" + "---|" * 11)


def row(tally: Tally, peak: int, under: bool | None) -> str:
    five = tally.classes["5xx"] + tally.classes["no answer"]
    return (f"| {tally.surface} | {tally.examples:,} | {tally.classes['2xx']:,} | {tally.classes['4xx']:,} | "
            f"{five:,} | {len(tally.violations):,} | {'–' if tally.ended is None else tally.ended} | "
            f"{tally.dead_probes} | {'–' if not peak else f'{peak / MIB:,.0f} MiB'} | "
            f"{'–' if under is None else 'yes' if under else 'NO'} | {tally.seconds:,.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per surface")
    parser.add_argument("--surface", action="append", choices=SURFACES, help="only this surface (repeatable)")
    parser.add_argument("--query-timeout", type=float, default=2.0)
    parser.add_argument("--query-memory", type=int, default=1024, help="the query process's memory limit, MiB")
    parser.add_argument("--seed", type=int, help="other examples than the derandomised ones")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server on the way out
    surfaces = args.surface or list(SURFACES)
    tallies: list[Tally] = []
    print(header(args.query_memory), flush=True)  # then a row as each surface ends: a long run shows as it goes
    with tempfile.TemporaryDirectory(prefix="ckg-fuzz-") as scratch:
        scratch_path = Path(scratch)
        server_surfaces = [s for s in surfaces if s in SENDERS]
        if server_surfaces:
            tallies += run_on_server(server_surfaces, scratch_path, args)
        if "documents" in surfaces:
            tallies.append(run_documents(args.examples, scratch_path))
            print(row(tallies[-1], 0, None), flush=True)
    for tally in tallies:
        for violation in tally.violations[:20]:
            print(f"{tally.surface}: {violation}")


def run_on_server(surfaces: list[str], scratch: Path, args) -> list[Tally]:
    """Each server surface in turn against one server, with its query processes watched."""
    process, url = start_server(fuzzing.small_store(scratch / "store"), args.query_timeout, args.query_memory)
    watcher = Watcher(process.pid)
    tallies = []
    try:
        for name in surfaces:
            watcher.reset()
            strategy, send = SENDERS[name]
            tally = run_server_surface(name, strategy, send, url, args.examples, args.seed)
            time.sleep(watcher.every * 4)
            now = max([0, *(_resident(p) for p in watcher.query_processes())])
            tally.ended = watcher.ended
            tallies.append(tally)
            print(row(tally, watcher.peak, now < args.query_memory * MIB), flush=True)
    finally:
        watcher.stop()
        process.terminate()
        process.wait(30)
    return tallies


if __name__ == "__main__":
    main()
