"""Benchmark dumps: ``ckg export`` against ``oxigraph dump``, and a server worker during a download.

    python benchmarks/dumps.py [--articles 300] [--store DIR] [--formats nq,trig,jsonld]

Builds seeds/ plus synthetic articles (benchmarks/corpus.py) unless given a store, then
exports it in each format with ``ckg export`` and with the ``oxigraph`` command line (the
same Oxigraph version, on a copy of the same store) side by side: seconds, quads per
second, peak memory of the process (its resident high-water mark) and the
ratio ckg/oxigraph. Then it serves the store with one worker, downloads
``/dump/all.nq.gz`` twice (first: the file is made; second: sent from disk) and samples
the worker's resident memory meanwhile: it must stay flat, whatever the size of the store.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.endpoint import free_port, prepare_store  # noqa: E402
from ckg.graph import snapshots  # noqa: E402
from ckg.graph.store import Store  # noqa: E402

EXTENSIONS = {"nq": "nq", "trig": "trig", "ttl": "ttl", "nt": "nt", "jsonld": "jsonld", "rdfxml": "rdf"}


def timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak resident memory in MiB) of a command run to its end.

    The peak is the process's own high-water mark (VmHWM), read until it exits: ``wait4``'s
    ``ru_maxrss`` would count the benchmark's own memory, copied by the fork before exec.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, status_mib(process.pid, "VmHWM:"))
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {process.stderr.read().decode()[-500:]}")
    return seconds, peak


def status_mib(pid: int, field: str) -> float:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith(field)) / 1024
    except (FileNotFoundError, ProcessLookupError, StopIteration):
        return 0.0


def rss_mib(pid: int) -> float:
    return status_mib(pid, "VmRSS:")


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except FileNotFoundError:
        return []


def gunicorn_worker(master: int, seconds: float = 60) -> int:
    """The pid of the (one) gunicorn worker under ``ckg serve``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for child in children(master):
            with open(f"/proc/{child}/cmdline", "rb") as handle:
                if b"multiprocessing" not in handle.read():
                    return child
        time.sleep(0.2)
    raise SystemExit("the server started no worker")


def download_memory(store_path: Path) -> list[tuple[str, str, str, str]]:
    """Rows: the worker's memory before and at peak during two downloads of /dump/all.nq.gz."""
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "ckg"), "serve", "--store", str(store_path),
                               "--port", str(port), "--workers", "1", "--threads", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(url + "/dump.json", timeout=600)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start")
                time.sleep(0.5)
        worker = gunicorn_worker(server.pid)
        rows = []
        for attempt in ("first (made, then sent)", "again (sent from disk)"):
            before, peak, done = rss_mib(worker), [0.0], threading.Event()

            def sample() -> None:
                while not done.is_set():
                    peak[0] = max(peak[0], rss_mib(worker))
                    time.sleep(0.05)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            start, size = time.perf_counter(), 0
            with requests.get(url + "/dump/all.nq.gz", stream=True, timeout=3600) as response:
                response.raise_for_status()
                for chunk in response.iter_content(1 << 16):
                    size += len(chunk)
            seconds = time.perf_counter() - start
            done.set()
            sampler.join()
            rows.append((f"/dump/all.nq.gz, {attempt}", f"{seconds:.2f} s", f"{size / 2**20:,.1f} MiB gzip",
                         f"worker RSS {before:,.0f} → peak {peak[0]:,.0f} MiB"))
        return rows
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="synthetic articles to build (default 300)")
    parser.add_argument("--store", help="benchmark this store instead of building one")
    parser.add_argument("--formats", default="nq,trig,jsonld", help="comma-separated export formats")
    args = parser.parse_args()
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(oxigraph).exists():
        raise SystemExit("the oxigraph command is missing: pip install -e '.[bench]'")
    with tempfile.TemporaryDirectory(prefix="ckg-dumps-bench-") as scratch:
        scratch = Path(scratch)
        store_path = prepare_store(args, scratch)
        with Store.open(snapshots.current(store_path) or store_path, read_only=True) as store:
            quads = store.quad_count()
        peer_store = scratch / "oxigraph-copy"
        shutil.copytree(snapshots.current(store_path) or store_path, peer_store)
        rows = []
        for fmt in args.formats.split(","):
            extension = EXTENSIONS[fmt]
            ckg_out, peer_out = scratch / f"ckg.{extension}", scratch / f"oxigraph.{extension}"
            ours = timed([str(Path(sys.executable).parent / "ckg"), "export", "--store", str(store_path),
                          "--format", fmt, "-o", str(ckg_out)])
            peer = timed([oxigraph, "dump", "--location", str(peer_store), "--file", str(peer_out)])
            rows.append((fmt, ours, peer, ckg_out.stat().st_size, peer_out.stat().st_size))
            ckg_out.unlink()
            peer_out.unlink()
        print(f"\nstore: {quads:,} quads ({'given' if args.store else f'seeds/ + {args.articles} articles'})\n")
        print(f"{'format':<8}{'tool':<10}{'seconds':>9}{'quads/s':>12}{'peak MiB':>10}{'file MiB':>10}"
              f"{'ckg/oxigraph time':>19}{'memory':>8}")
        for fmt, ours, peer, ours_size, peer_size in rows:
            print(f"{fmt:<8}{'ckg':<10}{ours[0]:>9.2f}{quads / ours[0]:>12,.0f}{ours[1]:>10,.0f}"
                  f"{ours_size / 2**20:>10,.1f}{ours[0] / peer[0]:>18.2f}×{ours[1] / peer[1]:>7.2f}×")
            print(f"{'':<8}{'oxigraph':<10}{peer[0]:>9.2f}{quads / peer[0]:>12,.0f}{peer[1]:>10,.0f}"
                  f"{peer_size / 2**20:>10,.1f}")
        print()
        for row in download_memory(store_path):
            print("  ".join(row))


if __name__ == "__main__":
    main()
