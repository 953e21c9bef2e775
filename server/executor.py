"""Requests run in a child process that can be killed: a time limit that really stops a query.

pyoxigraph has no way to cancel a running query, and a Python signal cannot interrupt
its Rust code. So each server worker keeps a small pool of child processes, one per request
thread, started when first needed; a request past the limit gets its child killed (its CPU
is freed at once, an update in flight is rolled back) and a fresh child started for the
next request, while the worker's other requests go on in their own children. The child reads the newest published snapshot
of the store (graph/snapshots.py) and writes, one writer at a time, to the store itself.
"""
from __future__ import annotations

import multiprocessing as mp
import threading
from pathlib import Path

from .operations import GraphRead, GraphWrite, Outcome, Query, Update, text

CONTEXT = mp.get_context("spawn")  # RocksDB handles do not survive fork()


class _Reader:
    """The read-only store of the newest snapshot, reopened when a newer one is published."""

    def __init__(self, store_path: str) -> None:
        self.store_path = store_path
        self.opened: Path | None = None
        self.store = None

    def get(self):
        from graph import snapshots
        from graph.store import Store, StoreError

        latest = snapshots.current(self.store_path)
        if latest is None:
            raise StoreError(f"no snapshot of {self.store_path} has been published; restart 'ckg serve'")
        if latest != self.opened:
            self.store = Store.open(latest, read_only=True)
            self.opened = latest
        return self.store


def _handle(reader: _Reader, request, row_cap: int | None) -> Outcome:
    from graph import snapshots
    from graph.store import StoreError

    from . import operations

    try:
        if isinstance(request, (Update, GraphWrite)):
            with snapshots.writing(reader.store_path) as store:
                outcome = (operations.update if isinstance(request, Update) else operations.write_graph)(
                    store, request)
                if outcome.status >= 400:
                    raise _Refused(outcome)
            return outcome
        if isinstance(request, GraphRead):
            return operations.read_graph(reader.get(), request)
        return operations.query(reader.get(), request, row_cap)
    except _Refused as refused:
        return refused.outcome
    except StoreError as error:
        return text(503, str(error))


class _Refused(Exception):
    """A write that failed: leaving the ``writing`` block by an exception publishes nothing."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


def _child(store_path: str, connection, row_cap: int | None) -> None:
    reader = _Reader(store_path)
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        try:
            outcome = _handle(reader, request, row_cap)
        except Exception as error:  # the child must answer every request; the worker decides what next
            outcome = text(500, f"the request failed: {type(error).__name__}: {error}")
        connection.send(outcome)


class _Child:
    """One query process and the worker's end of its pipe."""

    def __init__(self, store_path: str, row_cap: int | None) -> None:
        self.connection, child = CONTEXT.Pipe()
        self.process = CONTEXT.Process(target=_child, args=(store_path, child, row_cap), daemon=True)
        self.process.start()
        child.close()

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.connection.close()


class Executor:
    """Runs requests in at most ``size`` children at once; more requests wait for a free one."""

    def __init__(self, store_path: Path | str, timeout: float, row_cap: int | None = None, size: int = 1) -> None:
        self.store_path = str(store_path)
        self.timeout = timeout
        self.row_cap = row_cap
        self._free = threading.Semaphore(size)
        self._idle: list[_Child] = []
        self._lock = threading.Lock()

    def run(self, query: str, defaults: list[str] = (), named: list[str] = (),
            accept: list[tuple[str, float]] = (), fmt_name: str | None = None,
            substitutions: dict | None = None, base_iri: str | None = None) -> Outcome:
        """Run one query within the time limit; ``substitutions`` binds variables (by name) to
        pyoxigraph terms before evaluation, so parameter values never enter the query text."""
        return self.submit(Query(query, tuple(defaults), tuple(named), tuple(accept), fmt_name,
                                 dict(substitutions or {}), base_iri))

    def submit(self, request: Query | Update | GraphRead | GraphWrite) -> Outcome:
        with self._free:
            child = self._take()
            try:
                outcome = self._ask(child, request)
            except BaseException:
                child.kill()
                raise
            if child.alive():
                with self._lock:
                    self._idle.append(child)
            return outcome

    def _take(self) -> _Child:
        with self._lock:
            while self._idle:
                child = self._idle.pop()
                if child.alive():
                    return child
                child.kill()
        return _Child(self.store_path, self.row_cap)

    def _ask(self, child: _Child, request) -> Outcome:
        try:
            child.connection.send(request)
        except OSError:  # the child died while idle (killed from outside): a fresh one answers
            child.kill()
            child.__init__(self.store_path, self.row_cap)
            child.connection.send(request)
        if child.connection.poll(self.timeout):
            try:
                return child.connection.recv()
            except EOFError:
                child.kill()
                return text(500, "the query process ended unexpectedly; it has been restarted")
        child.kill()
        what = "update" if isinstance(request, (Update, GraphWrite)) else "query"
        undone = "; nothing was changed" if what == "update" else ""
        return text(503, f"the {what} ran longer than the time limit of {self.timeout:g} s and was stopped{undone}; "
                         "narrow it (add LIMIT, more specific patterns) and try again")

    def stop(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for child in idle:
            child.kill()
