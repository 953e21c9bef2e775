"""Files made once per snapshot of the store: dump files and the dataset's statistics.

A dump of a large store takes minutes and the statistics scan every quad, so each is made
once per published snapshot, by a child process (the server worker's memory stays flat
and no query time limit applies), and kept beside the store in ``<store>.dumps/<snapshot>/``.
Workers that ask for the same file at once wait for the one that makes it (a file lock);
a newer snapshot gets files of its own, and those of snapshots that are gone are removed.
"""
from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

from ckg.graph import iris, snapshots
from ckg.graph.store import StoreError
from ckg.settings import Settings


def snapshot_of(store_path: Path) -> Path:
    if Settings.names_remote(store_path):
        raise StoreError(f"downloads, the dataset's statistics and search are made from snapshots of an embedded "
                         f"store; the remote store at {store_path} has none: query it at /sparql or /api/queries, "
                         "or export it with 'ckg export --store URL'")
    latest = snapshots.current(store_path)
    if latest is None or not latest.is_dir():
        raise StoreError(f"no snapshot of {store_path} has been published; restart 'ckg serve'")
    return latest


def folder(store_path: Path) -> Path:
    """Where the files of the current snapshot live (created on demand)."""
    latest = snapshot_of(store_path)
    root = snapshots.files_root(store_path)
    here = root / latest.name
    if not here.is_dir():
        here.mkdir(parents=True, exist_ok=True)
        for older in root.iterdir():  # files of snapshots that were collected
            if older.is_dir() and older.name != latest.name and not (latest.parent / older.name).is_dir():
                shutil.rmtree(older, ignore_errors=True)
    return here


def made(store_path: Path, name: str, command: list[str], snapshot: Path) -> Path:
    """The file ``name`` of the current snapshot, made by running ``command`` (which writes
    it whole or not at all, reading ``snapshot``, kept from removal meanwhile) when it does not exist yet."""
    here = folder(store_path)
    target = here / name
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(here / f".{name.replace('/', '_')}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.is_file():
            with snapshots.in_use(snapshot):
                done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0 or not target.is_file():
                raise StoreError(f"could not make {name}: {done.stderr.strip()[-500:] or 'no output'}")
    return target


def dump_file(store_path: Path, name: str, fmt: str, graph_iri: str | None) -> Path:
    """A gzip-compressed dump of the current snapshot (or one of its graphs)."""
    target = folder(store_path) / name
    snapshot = snapshot_of(store_path)
    command = [sys.executable, "-m", "ckg.cli", "export", "--store", str(snapshot), "--format", fmt, "-o", str(target)]
    return made(store_path, name, command + (["--graph", graph_iri] if graph_iri else []), snapshot)


def statistics(store_path: Path) -> dict:
    """The numbers of graph/statistics.py for the current snapshot."""
    name = "statistics.json"
    target = folder(store_path) / name
    snapshot = snapshot_of(store_path)
    command = [sys.executable, "-m", "ckg.graph.statistics", str(snapshot), str(target), iris.base()]
    path = made(store_path, name, command, snapshot)
    return _parsed(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _parsed(path: Path, _mtime: int) -> dict:
    """A statistics file, parsed once per version (callers only read the dict)."""
    return json.loads(path.read_text(encoding="utf-8"))
