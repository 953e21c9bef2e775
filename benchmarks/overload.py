"""Cheap queries under overload: slow queries and slow clients beside them.

Starts ``ckg serve`` (default settings: 2 workers × 4 query lanes, 30 s time limit unless
``--query-timeout``) on a loopback port over a store, then runs 16 clients for ``--seconds``:
``--heavy`` of them (4) send queries past the time limit one after another, ``--slowloris``
of them (2) each hold sockets that send a request's head a byte a second, and the rest send a
cheap query in a loop. Prints the cheap queries' count, p50 and p99 latency, and the count of
5xx answers by kind (cheap, heavy). Targets: cheap p99 well under the time limit, no cheap
query answered 5xx but for the busy 503.

    python benchmarks/overload.py                          # a small synthetic store
    python benchmarks/overload.py --store data/store --seconds 60
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.endpoint import free_port, percentile, wait_for  # noqa: E402

CHEAP = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } "
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ACCEPT = {"Accept": "application/sparql-results+json"}


def small_store(path: Path, triples: int) -> Path:
    """A store of ``triples`` triples, enough that HEAVY runs past any time limit."""
    import pyoxigraph as ox

    from ckg.graph.store import Store

    with Store.open(path) as store:
        store.put_graph("https://bench.example/g", [
            (ox.NamedNode(f"https://bench.example/s{i}"), ox.NamedNode("https://bench.example/p"), ox.Literal(f"v{i}"))
            for i in range(triples)])
    return path


def cheap_client(url: str, until: float, latencies: list[float], statuses: Counter) -> None:
    with requests.Session() as session:
        while time.monotonic() < until:
            began = time.monotonic()
            try:
                status = session.post(url + "/sparql", data={"query": CHEAP}, headers=ACCEPT, timeout=120).status_code
            except requests.RequestException:
                status = 0
            latencies.append(time.monotonic() - began)
            statuses[status] += 1


def heavy_client(url: str, until: float, statuses: Counter) -> None:
    with requests.Session() as session:
        while time.monotonic() < until:
            try:
                status = session.post(url + "/sparql", data={"query": HEAVY}, headers=ACCEPT, timeout=120).status_code
            except requests.RequestException:
                status = 0
            statuses[status] += 1
            if status == 503:
                time.sleep(0.5)  # as a client told Retry-After would, briefly


def slowloris_client(url: str, until: float, sockets: int = 5) -> None:
    """Holds ``sockets`` connections sending a head a byte a second; reopens those the server drops."""
    port = int(url.rsplit(":", 1)[1])
    head = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4096
    held: list[tuple[socket.socket, int]] = []
    while time.monotonic() < until:
        while len(held) < sockets:
            held.append((socket.create_connection(("127.0.0.1", port), timeout=5), 0))
        kept = []
        for connection, sent in held:
            try:
                connection.send(head[sent:sent + 1])
                kept.append((connection, sent + 1))
            except OSError:
                connection.close()
        held = kept
        time.sleep(1)
    for connection, _ in held:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: a small synthetic one)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--heavy", type=int, default=4)
    parser.add_argument("--slowloris", type=int, default=2)
    parser.add_argument("--query-timeout", type=float, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ckg-overload-") as scratch:
        store = args.store or small_store(Path(scratch) / "store", 3000)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "ckg.cli", "serve", "--store", str(store), "--port", str(port),
                                   "--query-timeout", str(args.query_timeout)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            if not wait_for(url, server, 60):
                sys.exit("the server did not start")
            until = time.monotonic() + args.seconds
            latencies: list[float] = []
            cheap, heavy = Counter(), Counter()
            threads = ([threading.Thread(target=heavy_client, args=(url, until, heavy)) for _ in range(args.heavy)]
                       + [threading.Thread(target=slowloris_client, args=(url, until)) for _ in range(args.slowloris)]
                       + [threading.Thread(target=cheap_client, args=(url, until, latencies, cheap))
                          for _ in range(args.clients - args.heavy - args.slowloris)])
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(30)
    print(f"{args.clients} clients for {args.seconds:g} s: {args.heavy} past the {args.query_timeout:g} s time limit, "
          f"{args.slowloris} slowloris (5 sockets each), {args.clients - args.heavy - args.slowloris} cheap")
    print(f"cheap: {len(latencies)} queries, p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"p99 {percentile(latencies, 99) * 1000:.0f} ms, statuses {dict(sorted(cheap.items()))}")
    print(f"heavy: statuses {dict(sorted(heavy.items()))}")
    print(f"5xx: cheap {sum(n for s, n in cheap.items() if s >= 500)}, heavy {sum(n for s, n in heavy.items() if s >= 500)}")


if __name__ == "__main__":
    main()
