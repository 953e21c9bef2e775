"""Read-only snapshots of a live store, so the server never reads a store someone writes.

Oxigraph (RocksDB) leaves a read-only open undefined while another process writes the same
folder. So readers open *snapshots*: RocksDB checkpoints made with ``Store.backup``, which
hard-links the immutable table files (milliseconds, little disk). Whoever writes — a build
or an update through the server — publishes a new snapshot; readers switch to the newest
before each query. Snapshots live beside the store in ``<store>.snapshots/``.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .store import Store, StoreError

POINTER = "CURRENT"
GRACE_SECONDS = 3600.0
"""How long a superseded snapshot is kept for readers still running a query on it."""


def root_of(store_path: Path | str) -> Path:
    store_path = Path(store_path).resolve()
    return store_path.with_name(store_path.name + ".snapshots")


def pointer_of(store_path: Path | str) -> Path:
    """The file naming the newest snapshot; publishing replaces it whole."""
    return root_of(store_path) / POINTER


def current(store_path: Path | str) -> Path | None:
    """The newest published snapshot of a store, or None when none was published."""
    pointer = pointer_of(store_path)
    try:
        name = pointer.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return pointer.parent / name


def readable(store_path: Path | str) -> Path:
    """What a one-off reader opens: the newest snapshot, else (none published) the store itself.

    A store may be written by a build while it is read; its snapshots never are."""
    latest = current(store_path)
    return latest if latest is not None and (latest / "CURRENT").exists() else Path(store_path)


def publish(store: Store, grace: float = GRACE_SECONDS, optimize: bool = False) -> Path:
    """Checkpoint a store opened for writing and make the checkpoint the current snapshot.

    ``optimize`` compacts the store first (measured: joins run 3× faster on a compacted
    seed store); worth it after a build, too slow for every small update of a big store.
    """
    if optimize:
        store.oxigraph.optimize()
    root = root_of(store.path)
    root.mkdir(exist_ok=True)
    numbers = _numbers(root)
    # With no snapshot left (a new store, or one deleted and rebuilt), numbers start from the
    # clock: a server still running never meets a new snapshot under an old one's name.
    target = root / f"{(max(numbers) + 1 if numbers else int(time.time())):08d}"
    store.oxigraph.backup(str(target))
    pointer = root / f".{POINTER}.{os.getpid()}"
    pointer.write_text(target.name + "\n", encoding="ascii")
    os.replace(pointer, root / POINTER)  # readers see the old name or the new, never a half-written file
    _collect(root, target, grace)
    return target


def _numbers(root: Path) -> list[int]:
    return [int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit()]


def _collect(root: Path, newest: Path, grace: float) -> None:
    """Remove snapshots superseded longer than ``grace`` ago (no query still runs on them)."""
    now = time.time()
    ordered = sorted((p for p in root.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))
    for older, successor in zip(ordered, ordered[1:]):
        if older != newest and now - successor.stat().st_mtime > grace:
            shutil.rmtree(older, ignore_errors=True)
    for leftover in root.glob("*.tmp"):  # a checkpoint interrupted half-way
        if now - leftover.stat().st_mtime > grace:
            shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def writing(store_path: Path | str) -> Iterator[Store]:
    """Open the store for one write, one writer at a time, and publish a snapshot after it.

    Raises StoreError when another process (a build) holds the store. An exception inside
    the block publishes nothing: a failed update changes nothing readers see.
    """
    root = root_of(store_path)
    root.mkdir(exist_ok=True)
    with open(root / "write.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the process dies, too
        with Store.open(store_path) as store:
            yield store
            publish(store)


def refresh(store_path: Path | str) -> Path:
    """Publish a snapshot of the store as it is now; while a build holds the store, the last one."""
    try:
        with Store.open(store_path) as store:
            return publish(store, optimize=True)
    except StoreError:
        existing = current(store_path)
        if existing is not None and existing.is_dir():
            return existing
        raise
