"""Read-only snapshots of a live store, so the server never reads a store someone writes.

Oxigraph (RocksDB) leaves a read-only open undefined while another process writes the same
folder. So readers open *snapshots*: RocksDB checkpoints made with ``Store.backup``, which
hard-links the immutable table files (milliseconds, little disk). Whoever writes — a build
or an update through the server — publishes a new snapshot; readers switch to the newest
before each query. Snapshots live beside the store in ``<store>.snapshots/``.

Every write publishes one, so superseded snapshots are removed by count (at most
``Settings.snapshots_kept``, the newest included) and by age (an hour after they were
replaced), but never while a reader uses one: a reader holds a shared lock on the
snapshot's ``.<name>.readers`` file while it reads (a query, a dump), and a snapshot is
removed only by whoever takes that lock exclusively. A handle left open on a removed
snapshot is harmless: its next query reads the newest snapshot instead.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ckg.settings import DEFAULTS

from . import search_index
from .store import Store, StoreError

POINTER = "CURRENT"
GRACE_SECONDS = 3600.0
"""How long a superseded snapshot is kept for readers still running a query on it."""


def root_of(store_path: Path | str) -> Path:
    store_path = Path(store_path).resolve()
    return store_path.with_name(store_path.name + ".snapshots")


def files_root(store_path: Path | str) -> Path:
    """Where files made from each snapshot (dumps, statistics) are kept, one folder per snapshot
    (server/runtime/publication.py makes them)."""
    store_path = Path(store_path).resolve()
    return store_path.with_name(store_path.name + ".dumps")


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


def published(store_path: Path | str) -> tuple[str, int] | None:
    """The newest snapshot's name and when it was published (the pointer's mtime, in ns), or None.

    Together they name what every reader sees until the next publication, so answers made from
    one snapshot can be told apart from those of the next without opening the store."""
    pointer = pointer_of(store_path)
    try:
        with open(pointer, encoding="ascii") as opened:
            return opened.read().strip(), os.fstat(opened.fileno()).st_mtime_ns
    except FileNotFoundError:
        return None


def readable(store_path: Path | str) -> Path:
    """What a one-off reader opens: the newest snapshot, else (none published) the store itself.

    A store may be written by a build while it is read; its snapshots never are."""
    latest = current(store_path)
    return latest if latest is not None and (latest / "CURRENT").exists() else Path(store_path)


def readers_of(snapshot: Path) -> Path:
    """The lock file a snapshot's readers share (beside it: the checkpoint holds RocksDB's files only)."""
    return snapshot.parent / f".{snapshot.name}.readers"


def hold(snapshot: Path) -> IO:
    """A shared lock on the snapshot, held until the file returned is closed; StoreError when it is gone."""
    lock = open(readers_of(snapshot), "a")
    fcntl.flock(lock, fcntl.LOCK_SH)  # waits while a collector removes it
    if not (snapshot / "CURRENT").exists():  # removed before the lock was had: its name is stale
        lock.close()
        raise StoreError(f"the snapshot {snapshot} was removed; read the newest one")
    return lock


@contextmanager
def in_use(snapshot: Path) -> Iterator[Path]:
    """Keep a snapshot from removal while it is read (a query, an export, the statistics)."""
    lock = hold(snapshot)
    try:
        yield snapshot
    finally:
        lock.close()


@contextmanager
def reading_newest(store_path: Path | str) -> Iterator[Path]:
    """What a one-off reader opens (``readable``), kept from removal while the block runs."""
    for _ in range(3):  # a name read just before its snapshot was removed: read the pointer again
        path = readable(store_path)
        if path == Path(store_path):
            yield path
            return
        try:
            lock = hold(path)
        except StoreError:
            continue
        try:
            yield path
        finally:
            lock.close()
        return
    raise StoreError(f"no snapshot of {store_path} could be opened; try again")


def publish(store: Store, grace: float = GRACE_SECONDS, optimize: bool = False,
            keep: int = DEFAULTS.snapshots_kept, index_now: bool = True) -> Path:
    """Checkpoint a store opened for writing and make the checkpoint the current snapshot.

    ``optimize`` compacts the store first (measured: joins run 3× faster on a compacted
    seed store); worth it after a build, too slow for every small update of a big store.
    ``index_now`` makes the search index before readers see the snapshot (a build); otherwise
    (a write through the server, bounded by its time limit) a process of its own makes it after.
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
    if index_now:
        _index_for_search(store, target)
    pointer = root / f".{POINTER}.{os.getpid()}"
    pointer.write_text(target.name + "\n", encoding="ascii")
    os.replace(pointer, root / POINTER)  # readers see the old name or the new, never a half-written file
    if not index_now:
        search_index.in_background(target)
    _collect(root, target, grace, keep)
    return target


def _index_for_search(store: Store, snapshot: Path) -> None:
    """The snapshot's full-text index, made before readers can see the snapshot; a failure costs
    no write: the first search of the snapshot makes it then (search_index.ensure)."""
    try:
        search_index.build(store, snapshot)
    except Exception:  # noqa: BLE001 -- the write stands whatever the index's trouble
        search_index.log.exception("could not index snapshot %s for search; the first search will", snapshot)


def _numbers(root: Path) -> list[int]:
    return [int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit()]


def _collect(root: Path, newest: Path, grace: float, keep: int) -> None:
    """Remove the snapshots past the newest ``keep`` and those superseded longer than ``grace``
    ago, each only when no reader holds it."""
    now = time.time()
    ordered = sorted((p for p in root.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))
    surplus = len(ordered) - max(keep, 1)
    for index, (older, successor) in enumerate(zip(ordered, ordered[1:])):
        if older != newest and (index < surplus or now - successor.stat().st_mtime > grace):
            _remove_unread(older)
    for leftover in root.glob("*.tmp"):  # a checkpoint interrupted half-way
        if now - leftover.stat().st_mtime > grace:
            shutil.rmtree(leftover, ignore_errors=True)


def _remove_unread(snapshot: Path) -> bool:
    """Remove a snapshot unless a reader holds it; True when it was removed."""
    with open(readers_of(snapshot), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # in use: a later publication tries again
        shutil.rmtree(snapshot, ignore_errors=True)
        readers_of(snapshot).unlink(missing_ok=True)
    return True


@contextmanager
def writing(store_path: Path | str, keep: int = DEFAULTS.snapshots_kept) -> Iterator[Store]:
    """Open the store for one write, one writer at a time, and publish a snapshot after it.

    Raises StoreError when another process (a build) holds the store. An exception inside
    the block publishes nothing: a failed update changes nothing readers see. The snapshot's
    search index is made after, in a process of its own (a search meanwhile waits for it).
    """
    root = root_of(store_path)
    root.mkdir(exist_ok=True)
    with open(root / "write.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the process dies, too
        with Store.open(store_path) as store:
            yield store
            publish(store, keep=keep, index_now=False)


def refresh(store_path: Path | str, keep: int = DEFAULTS.snapshots_kept) -> Path:
    """Publish a snapshot of the store as it is now; while a build holds the store, the last one."""
    try:
        with Store.open(store_path) as store:
            return publish(store, optimize=True, keep=keep)
    except StoreError:
        existing = current(store_path)
        if existing is not None and existing.is_dir():
            return existing
        raise
