"""SPARQL endpoint throughput and latency: ckg beside its peers, same data, same query mix.

Starts ``ckg serve``, ``oxigraph serve`` (PyPI ``oxigraph``) and, where it can load the data,
``rdflib-endpoint`` (the Python peer) on loopback ports, drives each with 1, 4 and 16
concurrent clients per query, and prints requests/s, p50 and p99 latency, the CPU time the
server's processes spent per request, and the ratios ckg/oxigraph. Targets: ≥ 0.8×
Oxigraph's throughput on queries over 10 ms, p99 under 2×. CPU per request is what
throughput comes to when the cores are saturated, and it is not disturbed by other load on
the machine, which wall-clock rates are. Each server takes ``--rounds`` turns per line, in
alternating order, and each ratio is the median of the turns' ratios: on a machine whose
speed drifts, one long turn each can be off by a quarter either way. Clients ask for
uncompressed answers (the peers do not compress) unless ``--gzip``.

    python benchmarks/endpoint.py --articles 300          # seeds + a synthetic corpus
    python benchmarks/endpoint.py --store data/store      # an existing store
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import write  # noqa: E402
from ckg.graph import snapshots  # noqa: E402
from ckg.graph.build import build  # noqa: E402
from ckg.graph.store import Store  # noqa: E402
from ckg.ontology.vocabulary import SPARQL_PREFIXES  # noqa: E402

PREFIXES = SPARQL_PREFIXES
QUERIES = {
    "point lookup": PREFIXES + "SELECT ?p ?o WHERE { <{claim}> ?p ?o }",
    "join: claims": (ROOT / "queries" / "claims.rq").read_text(encoding="utf-8"),
    "join: contradictions": (ROOT / "queries" / "contradictions.rq").read_text(encoding="utf-8"),
    "aggregate": PREFIXES + """SELECT ?kind (COUNT(?claim) AS ?claims) (SUM(?min) AS ?total) WHERE {
  ?claim a ckg:QuantityClaim ; ckg:minValue ?min ; ckg:aboutVariable/ckg:countOf/skos:notation ?kind }
GROUP BY ?kind ORDER BY DESC(?claims)""",
    "text filter": PREFIXES + """SELECT ?s ?label WHERE { ?s rdfs:label ?label
  FILTER(CONTAINS(LCASE(STR(?label)), "minist")) } LIMIT 500""",
}
ACCEPT = {"Accept": "application/sparql-results+json", "Accept-Encoding": "identity"}
TICK = os.sysconf("SC_CLK_TCK")


START_SECONDS = 600
"""How long a server over a large store may take to start (it opens the store's snapshot; on a
loaded machine, over a minute for 1,000 articles)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            requests.get(url, params={"query": "ASK {}"}, headers=ACCEPT, timeout=5)
            return True
        except requests.RequestException:
            time.sleep(0.5)
    return False


@contextlib.contextmanager
def ckg_serving(store_path: Path, *options: str) -> Iterator[str]:
    """`ckg serve` on a free loopback port, one worker, for as long as the block runs: its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(Path(sys.executable).parent / "ckg"), "serve", "--store", str(store_path),
                               "--port", str(port), "--workers", "1", *options],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_for(base + "/sparql", server, START_SECONDS):
            sys.exit(f"ckg serve did not start within {START_SECONDS} s")
        yield base
    finally:
        server.terminate()
        server.wait(30)


def prepare_store(args, scratch: Path) -> Path:
    """The store of ``--store``, else seeds/ + ``--articles`` built (in ``--jobs`` processes, into ``--keep``
    when given, so a second run can pass it as ``--store``)."""
    if args.store:
        return Path(args.store)
    store_path = Path(getattr(args, "keep", None) or scratch / "store")
    corpus = write(scratch / "corpus.jsonl", args.articles)
    jobs = getattr(args, "jobs", None) or 1
    print(f"building seeds/ + {args.articles} synthetic articles ({jobs} jobs) …", file=sys.stderr)
    with Store.open(store_path) as store:
        build([ROOT / "seeds", corpus], store, jobs=jobs)
        snapshots.publish(store, optimize=True)
    return store_path


def start_servers(store_path: Path, scratch: Path, peers: list[str], workers: int,
                  threads: int) -> dict[str, tuple]:
    """name → (endpoint URL, process); the peers get an N-Quads dump of the same store."""
    dump = scratch / "dump.nq"
    with Store.open(snapshots.refresh(store_path), read_only=True) as store, open(dump, "wb") as out:
        store.dump(out, "nq")
    servers: dict[str, tuple] = {}
    bin_dir = Path(sys.executable).parent
    if "ckg" in peers:
        port = free_port()
        servers["ckg"] = (f"http://127.0.0.1:{port}/sparql", subprocess.Popen(
            [str(bin_dir / "ckg"), "serve", "--store", str(store_path), "--port", str(port), "--workers", str(workers),
             "--threads", str(threads), "--query-timeout", "120"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    oxigraph = shutil.which("oxigraph") or str(bin_dir / "oxigraph")
    if "oxigraph" in peers and Path(oxigraph).exists():
        location, port = scratch / "oxigraph", free_port()
        subprocess.run([oxigraph, "load", "--location", str(location), "--file", str(dump)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers["oxigraph"] = (f"http://127.0.0.1:{port}/query", subprocess.Popen(
            [oxigraph, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    rdflib_endpoint = bin_dir / "rdflib-endpoint"
    if "rdflib-endpoint" in peers and rdflib_endpoint.exists():
        port = free_port()
        servers["rdflib-endpoint"] = (f"http://127.0.0.1:{port}/", subprocess.Popen(
            [str(rdflib_endpoint), "serve", str(dump), "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    ready = {}
    for name, (url, process) in servers.items():
        if wait_for(url, process, 600):
            ready[name] = (url, process)
        else:
            print(f"{name} did not start; left out", file=sys.stderr)
            process.kill()
    return ready


def drive(url: str, query: str, clients: int, seconds: float) -> tuple[float, list[float], int]:
    """(requests/s, latencies in s, errors) with ``clients`` threads asking as fast as answered."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        session = requests.Session()
        while time.monotonic() < stop:
            began = time.perf_counter()
            response = session.post(url, data={"query": query}, headers=ACCEPT, timeout=300)
            took = time.perf_counter() - began
            with lock:
                if response.status_code == 200:
                    latencies.append(took)
                else:
                    errors += 1

    began = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()
    return len(latencies) / (time.monotonic() - began), latencies, errors


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and all its descendants, living or reaped."""
    total, frontier = 0.0, [pid]
    while frontier:
        current = frontier.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15]) / TICK
            for task in Path(f"/proc/{current}/task").iterdir():
                frontier += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def rows_of(url: str, query: str) -> int:
    response = requests.post(url, data={"query": query}, headers=ACCEPT, timeout=300)
    response.raise_for_status()
    return len(response.json()["results"]["bindings"])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="serve this built store (default: build one)")
    parser.add_argument("--articles", type=int, default=300, help="synthetic articles to build (without --store)")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per turn of one server")
    parser.add_argument("--rounds", type=int, default=5, help="turns per server, query and concurrency")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of unmeasured load before each query")
    parser.add_argument("--clients", default="1,4,16", help="concurrency levels")
    parser.add_argument("--workers", type=int, default=2, help="ckg serve workers")
    parser.add_argument("--threads", type=int, default=4, help="ckg serve threads per worker")
    parser.add_argument("--peers", default="ckg,oxigraph,rdflib-endpoint")
    parser.add_argument("--queries", default=",".join(QUERIES), help="which of the query mix to run")
    parser.add_argument("--gzip", action="store_true", help="clients accept gzip (only ckg compresses)")
    args = parser.parse_args()
    if args.gzip:
        ACCEPT["Accept-Encoding"] = "gzip"
    levels = [int(c) for c in args.clients.split(",")]
    with tempfile.TemporaryDirectory(prefix="ckg-endpoint-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        store_path = prepare_store(args, scratch)
        servers = start_servers(store_path, scratch, args.peers.split(","), args.workers, args.threads)
        try:
            first = next(iter(servers.values()))[0]
            claim = requests.post(first, data={"query": PREFIXES + "SELECT ?c WHERE { ?c a ckg:QuantityClaim } LIMIT 1"},
                                  headers=ACCEPT, timeout=60).json()["results"]["bindings"][0]["c"]["value"]
            queries = {name: QUERIES[name].replace("{claim}", claim) for name in args.queries.split(",")}
            report(servers, queries, levels, args.seconds, args.warmup, args.rounds)
        finally:
            for _, process in servers.values():
                process.terminate()
                process.wait(30)


def report(servers: dict, queries: dict[str, str], levels: list[int], seconds: float, warmup: float,
           rounds: int) -> None:
    """One line per query and concurrency; each server is measured in ``rounds`` turns, the
    order reversed every other turn, so that a machine whose speed drifts (a shared VM)
    weighs on both alike. Rates and CPU are medians over the turns; the ratios are medians
    of each turn's ratio; latencies are pooled."""
    names = list(servers)
    compare = {"ckg", "oxigraph"} <= set(names)
    print(f"{'query':<21} {'rows':>6} {'clients':>3}  " + "  ".join(
        f"{n[:15] + ' req/s':>21} {'p50 ms':>8} {'p99 ms':>8} {'cpu ms':>7}" for n in names)
        + ("   ckg/oxigraph: req/s   p99  cpu capacity" if compare else ""))
    for name, query in queries.items():
        counts = {server: rows_of(url, query) for server, (url, _) in servers.items()}
        if len(set(counts.values())) > 1:
            print(f"  warning: the servers disagree on {name}: {counts}", file=sys.stderr)
        for url, _ in servers.values():  # every server's processes, caches and pools warmed alike
            drive(url, query, max(levels), warmup)
        for clients in levels:
            turns: dict[str, list[tuple[float, float]]] = {server: [] for server in names}
            latencies: dict[str, list[float]] = {server: [] for server in names}
            errors = dict.fromkeys(names, 0)
            for turn in range(rounds):
                for server in (names if turn % 2 == 0 else names[::-1]):
                    if server == "rdflib-endpoint" and clients > 4:
                        continue
                    url, process = servers[server]
                    before = cpu_seconds(process.pid)
                    rate, taken, failed = drive(url, query, clients, seconds)
                    cpu = (cpu_seconds(process.pid) - before) / max(len(taken) + failed, 1)
                    turns[server].append((rate, cpu))
                    latencies[server] += taken
                    errors[server] += failed
            cells = []
            for server in names:
                if not turns[server]:
                    cells.append(f"{'-':>21} {'-':>8} {'-':>8} {'-':>7}")
                    continue
                rate = statistics.median(r for r, _ in turns[server])
                cpu = statistics.median(c for _, c in turns[server])
                cells.append(f"{rate:>21,.1f} {percentile(latencies[server], 50) * 1000:>8.1f} "
                             f"{percentile(latencies[server], 99) * 1000:>8.1f} {cpu * 1000:>7.1f}"
                             + (f" ({errors[server]} errors)" if errors[server] else ""))
            line = f"{name:<21} {counts.get('ckg', next(iter(counts.values()))):>6} {clients:>3}  " + "  ".join(cells)
            if compare:
                paired = list(zip(turns["ckg"], turns["oxigraph"]))
                rates = statistics.median(c[0] / o[0] for c, o in paired)
                capacity = statistics.median(o[1] / c[1] if c[1] else float("nan") for c, o in paired)
                p99 = percentile(latencies["ckg"], 99) / percentile(latencies["oxigraph"], 99)
                line += f"   {rates:>16.2f}× {p99:>5.2f}× {capacity:>12.2f}×"
            print(line, flush=True)


if __name__ == "__main__":
    main()
