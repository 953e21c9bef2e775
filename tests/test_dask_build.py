"""Builds on a real Dask cluster (a scheduler and two worker processes on loopback): the store a
local build makes, failures reported alike, a killed worker's task done by the other, and an
unreachable scheduler refused before the store is touched."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import distributed
import pytest

from ckg.graph.cluster import TASK_CHARACTERS, TASK_DOCUMENTS, batches, worker_extractor
from ckg.graph.documents import Document

from .conftest import ROOT
from .live import free_port
from .test_parallel_build import SOURCES, quads_of

WAIT = 90
"""Seconds any one wait may take: the cluster to start, a build to finish."""


def start(*args: str, scratch: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *args], cwd=scratch, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, "DASK_CONFIG": str(scratch)})


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen
    workers: list[subprocess.Popen]


@pytest.fixture
def cluster(tmp_path) -> Iterator[Cluster]:
    """A running scheduler with two workers, one process and one thread each, stopped after the test."""
    address, scratch = f"tcp://127.0.0.1:{free_port()}", tmp_path / "dask"
    scratch.mkdir()
    processes = [start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                       "--no-dashboard", scratch=scratch)]
    try:
        with distributed.Client(address, timeout=WAIT, set_as_default=False) as client:
            for _ in range(2):
                processes.append(start("distributed.cli.dask_worker", address, "--nworkers", "1", "--nthreads", "1",
                                       "--no-nanny", "--no-dashboard", "--local-directory", str(scratch),
                                       scratch=scratch))
            client.wait_for_workers(2, timeout=WAIT)
        yield Cluster(address, processes[0], processes[1:])
    finally:
        for process in reversed(processes):
            stop(process)


def run_build(store: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ckg.cli", "build", "-q", "--store", str(store), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=WAIT * 4)


def failed_lines(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if line.startswith("FAILED"))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    """The seeds and the other conflicts' articles, and one file that cannot be read."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "broken.txt").write_bytes(b"title: broken\n\nYerevan\xff said nothing.\n")
    return [str(source) for source in SOURCES] + [str(folder)]


@pytest.fixture(scope="module")
def local(tmp_path_factory, inputs) -> tuple[Path, subprocess.CompletedProcess]:
    store = tmp_path_factory.mktemp("local") / "store"
    return store, run_build(store, "-j", "1", *inputs)


def test_a_cluster_build_writes_the_store_a_local_build_writes(cluster, local, inputs, tmp_path):
    store, local_run = local
    result = run_build(tmp_path / "store", "--scheduler", cluster.address, *inputs)
    assert (result.returncode, local_run.returncode) == (2, 2), result.stdout + result.stderr
    assert failed_lines(result.stdout) == failed_lines(local_run.stdout) != []
    assert "not UTF-8" in result.stdout
    expected = quads_of(store)
    assert len(expected) > 50_000 and quads_of(tmp_path / "store") == expected
    with distributed.Client(cluster.address, timeout=WAIT, set_as_default=False) as client:
        loads = client.run(lambda: worker_extractor.cache_info())  # per worker: (hits, misses, …)
    assert sum(info.hits + info.misses for info in loads.values()) >= 2  # the tasks ran on the workers
    assert all(info.misses <= 1 for info in loads.values())  # each built its extractor once, not per task


def busy_worker(cluster: Cluster, build: subprocess.Popen) -> subprocess.Popen:
    """The process of a worker running an extraction task of ``build``, once one does."""
    with distributed.Client(cluster.address, timeout=WAIT, set_as_default=False) as client:
        pids = client.run(os.getpid)
        deadline = time.monotonic() + WAIT
        busy: list[str] = []
        while not busy and time.monotonic() < deadline and build.poll() is None:
            busy = [worker for worker, tasks in client.processing().items()
                    if any("extract_batch" in str(task) for task in tasks)]
            time.sleep(0.05)
    assert busy, "no extraction task was seen running"
    return next(w for w in cluster.workers if w.pid == pids[busy[0]])


def cluster_build(store: Path, cluster: Cluster, inputs: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ckg.cli", "build", "-q", "--store", str(store), "--scheduler",
                             cluster.address, *inputs], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def finish(build: subprocess.Popen) -> tuple[str, str]:
    try:
        return build.communicate(timeout=WAIT * 4)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait(timeout=20)


def test_a_worker_killed_during_a_task_is_replaced_by_the_other_and_the_store_is_whole(cluster, local, inputs,
                                                                                      tmp_path):
    store, _ = local
    build = cluster_build(tmp_path / "store", cluster, inputs)
    try:
        victim = busy_worker(cluster, build)
        victim.kill()
        victim.wait(timeout=20)
    finally:
        output, errors = finish(build)
    assert build.returncode == 2 and re.search(r"^ +built +9$", output, re.MULTILINE), output + errors
    assert quads_of(tmp_path / "store") == quads_of(store)


def test_a_scheduler_lost_during_the_build_is_a_clear_error_and_the_next_build_finishes(cluster, local, inputs,
                                                                                        tmp_path):
    store, _ = local
    build = cluster_build(tmp_path / "store", cluster, inputs)
    try:
        busy_worker(cluster, build)
        cluster.scheduler.kill()
        cluster.scheduler.wait(timeout=20)
    finally:
        output, errors = finish(build)
    assert build.returncode == 1, output + errors
    assert errors.strip().splitlines() == [errors.strip()]  # one line, no traceback
    assert errors.startswith(f"Error: the Dask cluster at {cluster.address} could not finish the extraction: ")
    again = run_build(tmp_path / "store", "-j", "1", *inputs)
    assert again.returncode == 2 and re.search(r"^ +built +9$", again.stdout, re.MULTILINE), again.stdout
    assert quads_of(tmp_path / "store") == quads_of(store)


def test_documents_travel_in_tasks_of_a_few_or_of_a_million_characters():
    def document(number: int, length: int) -> Document:
        return Document(id=str(number), text="x" * length, title=None, date=None, date_precision="day", place=None,
                        source=None, url=None, path=f"{number}.txt", format="txt", sha256="")

    sizes = [len(batch) for batch in batches(document(n, 100) for n in range(TASK_DOCUMENTS * 2 + 3))]
    assert sizes == [TASK_DOCUMENTS, TASK_DOCUMENTS, 3]
    long = [document(n, TASK_CHARACTERS // 2) for n in range(5)]
    assert [[d.id for d in batch] for batch in batches(long)] == [["0", "1"], ["2", "3"], ["4"]]


def test_an_unreachable_scheduler_is_a_clear_error_and_the_store_is_unchanged(local, tmp_path):
    store, _ = local
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    snapshots = sorted(p.name for p in copy.parent.iterdir())
    before = quads_of(copy)
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    began = time.monotonic()
    result = run_build(copy, "--force", "--scheduler", address, str(SOURCES[0]))
    assert result.returncode == 1
    assert f"cannot reach the Dask scheduler at {address}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and time.monotonic() - began < WAIT
    assert sorted(p.name for p in copy.parent.iterdir()) == snapshots
    assert quads_of(copy) == before
    never = run_build(tmp_path / "never", "--scheduler", address, str(SOURCES[0]))
    assert never.returncode == 1 and not (tmp_path / "never").exists()


def test_a_scheduler_without_workers_is_a_clear_error_and_no_store_is_made(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    scheduler = start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                      "--no-dashboard", scratch=tmp_path)
    try:
        with distributed.Client(address, timeout=WAIT, set_as_default=False):
            pass  # it answers
        result = run_build(tmp_path / "store", "--scheduler", address, str(SOURCES[0]))
    finally:
        stop(scheduler)
    assert result.returncode == 1 and f"the Dask scheduler at {address} has no workers" in result.stderr, result.stderr
    assert not (tmp_path / "store").exists()


def test_a_scheduler_address_that_is_not_one_is_refused(tmp_path):
    result = run_build(tmp_path / "store", "--scheduler", "http://127.0.0.1:8786", str(SOURCES[0]))
    assert result.returncode == 1 and "unknown address scheme 'http'" in result.stderr, result.stderr
    assert not (tmp_path / "store").exists()

