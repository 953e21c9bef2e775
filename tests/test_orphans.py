"""A process killed with kill -9 leaves no child behind: a server worker's query process, a build's workers."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from .conftest import ROOT
from .live import serving

SEED = ROOT / "seeds" / "2026-02-27-pakistan-afghanistan-open-war.txt"


def children_of(pid: int) -> list[int]:
    """The processes started by any thread of ``pid``."""
    try:
        return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()]
    except OSError:
        return []


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def gone_within(pids: list[int], seconds: float) -> list[int]:
    """The pids still running after ``seconds`` (killed then, so no test leaves them behind)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(running(pid) for pid in pids):
        time.sleep(0.1)
    left = [pid for pid in pids if running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


def until(condition, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    return condition()


def ask(endpoint: str, query: str) -> None:
    """Ask and forget: the worker that would answer is killed under the request."""
    try:
        requests.post(endpoint + "/sparql", data={"query": query}, timeout=130)
    except requests.RequestException:
        pass


def test_a_killed_worker_takes_its_query_process_and_its_query_along(seed_store):
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { VALUES ?k { " + " ".join(map(str, range(5_000)))
            + " } ?a ?b ?c }")
    for endpoint in serving(seed_store, "--workers", "1", "--query-timeout", "120"):
        port = endpoint.rsplit(":", 1)[1]
        master = next(pid for pid in map(int, filter(str.isdigit, os.listdir("/proc")))
                      if f"--port {port}" in command(pid))
        asking = threading.Thread(target=ask, args=(endpoint, slow), daemon=True)
        asking.start()
        worker = until(lambda: children_of(master), 10)[0]
        query_process = until(lambda: [c for c in children_of(worker) if "spawn_main" in command(c)], 10)
        assert query_process, "the worker started its query process"
        time.sleep(0.5)  # the query is running in it
        os.kill(worker, signal.SIGKILL)
        assert gone_within(query_process, 3) == []


def test_a_killed_build_takes_its_workers_along(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    article = SEED.read_text(encoding="utf-8")
    for n in range(200):
        (inputs / f"a{n:03}.txt").write_text(article + f"\nCopy {n}.\n", encoding="utf-8")
    build = subprocess.Popen([sys.executable, "-m", "ckg.cli", "build", "--quiet", "-j", "2",
                              "--store", str(tmp_path / "store"), str(inputs)], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers = until(lambda: [c for c in children_of(build.pid) if running(c)] if len(children_of(build.pid)) >= 2
                        else [], 60)
        assert len(workers) >= 2, "the build started its workers"
        time.sleep(1)  # they are extracting
        os.kill(build.pid, signal.SIGKILL)
        build.wait(10)
        assert gone_within(workers, 3) == []
    finally:
        if build.poll() is None:
            build.kill()
