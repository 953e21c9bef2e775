"""Requests run in a child process that can be killed: a time limit that really stops a query.

pyoxigraph has no way to cancel a running query, and a Python signal cannot interrupt
its Rust code. So each server worker sends its requests to a child process, which runs
them side by side in threads (pyoxigraph lets go of the GIL while it evaluates, and the
threads share one store handle and its caches: a quarter less CPU per query than a
process each). Worker and child are joined by one pipe per worker thread, a lane, with a
thread at each end: a request goes down its lane and its answer comes back on it, with no
thread in between to hand it on. A query past the time limit gets the child killed, its
CPU freed at once; the other queries that were running in it are sent again, with a fresh
time limit, to a new child, so the clients that asked them are still answered. Writes go
to a child of their own, one at a time, so killing a reader never interrupts a write; a
write past the limit is killed and rolled back. Children read the newest published
snapshot of the store (graph/snapshots.py) and write, one writer at a time, to the store; over
a remote store (graph/remote_store.py) they send each request to it, and a query past the limit
is abandoned there as here (the remote store's own time limit, if it has one, stops its work).
"""
from __future__ import annotations

import dataclasses
import multiprocessing as mp
import os
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO

from ckg.settings import DEFAULTS

from . import federation, shape
from .operations import Caps, GraphRead, GraphWrite, Outcome, Query, Update, text

CONTEXT = mp.get_context("spawn")  # RocksDB handles do not survive fork()
LANE_STACK = 64 * 1024 * 1024
"""Stack of each thread that runs requests in the child: Oxigraph parses and plans by
recursion, and a deep query within the limits must not overflow it (the memory is only
reserved; pages are used as the recursion reaches them)."""


class _Reader:
    """The read-only store of the newest snapshot, reopened when a newer one is published.

    The pointer's path is worked out once: reading it and taking the snapshot's reader lock is then
    all a request costs."""

    def __init__(self, store_path: str, snapshots_kept: int) -> None:
        from ckg.graph import snapshots

        self.store_path = store_path
        self.snapshots_kept = snapshots_kept
        self.pointer = str(snapshots.pointer_of(store_path))
        self.opened: str | None = None
        self.store = None
        self.lock = threading.Lock()

    @contextmanager
    def reading(self) -> Iterator:
        """The newest snapshot's store, kept from removal while the block runs (a newer one may
        be published meanwhile: a query in flight finishes on the one it started on)."""
        from ckg.graph.store import Store

        lock, name = self._hold()
        try:
            with self.lock:
                if name != self.opened:
                    self.store = Store.open(os.path.join(os.path.dirname(self.pointer), name), read_only=True)
                    self.opened = name
                store = self.store
            yield store
        finally:
            lock.close()

    def _hold(self) -> tuple[IO, str]:
        """The newest snapshot's reader lock and name (a name read just before its snapshot was
        removed is read again)."""
        from ckg.graph import snapshots
        from ckg.graph.store import StoreError

        for _ in range(3):
            name = self._newest()
            try:
                return snapshots.hold(Path(self.pointer).parent / name), name
            except StoreError:
                continue
        raise StoreError(f"no snapshot of {self.store_path} could be opened; try again")

    def _newest(self) -> str:
        from ckg.graph.store import StoreError

        try:
            with open(self.pointer, encoding="ascii") as pointer:
                return pointer.read().strip()
        except FileNotFoundError:
            raise StoreError(f"no snapshot of {self.store_path} has been published; restart 'ckg serve'") from None


class _RemoteReader:
    """A remote store (graph.remote_store), read as it is: it has no snapshots. Its writes record
    when they were made (``touch``), which names the answers read after them."""

    def __init__(self, remote) -> None:
        from ckg.graph.remote_store import RemoteStore

        self.store = RemoteStore(remote)

    @contextmanager
    def reading(self) -> Iterator:
        yield self.store

    @contextmanager
    def writing(self) -> Iterator:
        yield self.store
        self.store.touch()


def _handle(reader: _Reader | _RemoteReader, request, caps: Caps) -> Outcome:
    from ckg.graph import snapshots
    from ckg.graph.store import StoreError

    from . import operations

    try:
        if isinstance(request, (Update, GraphWrite)) and isinstance(reader, _RemoteReader):
            with reader.writing() as store:
                outcome = (operations.update if isinstance(request, Update) else operations.write_graph)(
                    store, request)
                if outcome.status >= 400:
                    raise _Refused(outcome)
            return outcome
        if isinstance(request, (Update, GraphWrite)):
            with snapshots.writing(reader.store_path, reader.snapshots_kept) as store:
                outcome = (operations.update if isinstance(request, Update) else operations.write_graph)(
                    store, request)
                if outcome.status >= 400:
                    raise _Refused(outcome)
            return outcome
        with reader.reading() as store:
            if isinstance(request, GraphRead):
                return operations.read_graph(store, request)
            return operations.query(store, request, caps)
    except _Refused as refused:
        return refused.outcome
    except StoreError as error:
        return text(503, str(error))


class _Refused(Exception):
    """A write that failed: leaving the ``writing`` block by an exception publishes nothing."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


def _serve_lane(reader: _Reader, connection, caps: Caps) -> None:
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = _handle(reader, request, caps)
        except Exception as error:  # the child must answer every request; the worker decides what next
            outcome = text(500, f"the request failed: {type(error).__name__}: {error}")
        try:  # the body as raw bytes, not pickled: half the copying for a large answer
            connection.send(dataclasses.replace(outcome, body=b""))
            connection.send_bytes(outcome.body)
        except OSError:  # the worker has gone
            return


def _child(store_path, connections: list, caps: Caps, snapshots_kept: int, parent: int) -> None:
    from ckg.graph.lifetime import die_with_parent

    die_with_parent(parent)  # a killed worker's queries are nobody's: end with it
    threading.stack_size(LANE_STACK)
    reader = _Reader(store_path, snapshots_kept) if isinstance(store_path, str) else _RemoteReader(store_path)
    lanes = [threading.Thread(target=_serve_lane, args=(reader, connection, caps), daemon=True)
             for connection in connections]
    for lane in lanes:
        lane.start()
    for lane in lanes:
        lane.join()


class _TooLong(Exception):
    pass


PAGE = os.sysconf("SC_PAGE_SIZE")
WATCH_EVERY = 0.02
"""Seconds between two looks at a query process's memory: a query doubling a string grows by
hundreds of MiB a second, so the limit is overshot by little."""


def resident_bytes(pid: int) -> int:
    """A process's resident memory (0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


class _Child:
    """One query process and its lanes; a lane not in use waits in ``free``. A thread of the
    worker watches its memory and kills it past ``memory_limit`` bytes: the pipe then closes
    under every request in flight, and ``out_of_memory`` says why."""

    def __init__(self, store_path: str, caps: Caps, lanes: int, snapshots_kept: int,
                 memory_limit: int | None = None) -> None:
        pairs = [CONTEXT.Pipe() for _ in range(lanes)]
        self.process = CONTEXT.Process(target=_child, args=(store_path, [theirs for _, theirs in pairs], caps,
                                                            snapshots_kept, os.getpid()), daemon=True)
        self.process.start()
        self.free: queue.SimpleQueue = queue.SimpleQueue()
        for mine, theirs in pairs:
            theirs.close()
            self.free.put(mine)
        self.killed = False
        self.stopped = False
        """Killed on purpose, for a request past the time limit: the others in it were innocent."""
        self.out_of_memory = False
        self.running: set[object] = set()
        self.running_when_killed: frozenset[object] = frozenset()
        self._counting = threading.Lock()
        if memory_limit is not None:
            threading.Thread(target=self._watch, args=(memory_limit,), daemon=True).start()

    def _watch(self, limit: int) -> None:
        """Kill the process once its resident memory passes ``limit``; end when it ends."""
        from multiprocessing.connection import wait

        while not self.killed and not wait([self.process.sentinel], WATCH_EVERY):
            if resident_bytes(self.process.pid) > limit:
                with self._counting:
                    self.running_when_killed = frozenset(self.running)
                    self.out_of_memory = True
                self.process.kill()
                return

    def memory_kill(self, ticket: object) -> str | None:
        """Whether the request with ``ticket`` was running when the process was killed for its memory:
        'alone' (then it is to blame), 'beside others', or None (not killed so, or not running then)."""
        if ticket not in self.running_when_killed:
            return None
        return "alone" if len(self.running_when_killed) == 1 else "beside others"

    def ask(self, request, timeout: float, ticket: object = None) -> Outcome | None:
        """The child's answer; None when the child died before answering; _TooLong past the limit.

        There are as many lanes as threads that ask, so waiting for a free one is not timed."""
        lane = self.free.get()
        if lane is None:  # the child was killed while this thread waited
            self.free.put(None)
            return None
        with self._counting:
            if self.out_of_memory:  # killed while this thread waited for a lane
                self.free.put(lane)
                return None
            self.running.add(ticket)
        try:
            lane.send(request)
            if not lane.poll(timeout):
                raise _TooLong
            outcome = dataclasses.replace(lane.recv(), body=lane.recv_bytes())
        except (EOFError, OSError):  # the child has died, or was killed for another request
            lane.close()
            return None
        except _TooLong:
            lane.close()
            raise
        finally:
            with self._counting:
                self.running.discard(ticket)
        if self.killed:
            lane.close()
        else:
            self.free.put(lane)
        return outcome

    def alive(self) -> bool:
        return not self.killed and self.process.is_alive()

    def kill(self, stopped: bool = False) -> None:
        """Stop the process; lanes in use are closed by the threads that hold them, and a
        thread still waiting for a lane is told the child is gone. ``stopped``: for a
        request past the time limit (not because the child died)."""
        self.stopped = self.stopped or stopped
        self.killed = True
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        while True:
            try:
                lane = self.free.get_nowait()
            except queue.Empty:
                break
            if lane is not None:
                lane.close()
        self.free.put(None)


class Tally(threading.local):
    """What this thread has asked of the query and write processes since it last read the tally:
    how many requests, and how long they took."""

    def __init__(self) -> None:
        self.requests = 0
        self.seconds = 0.0

    def taken(self) -> tuple[int, float]:
        """The requests and seconds since the last reading, counting again from nothing."""
        counted = (self.requests, self.seconds)
        self.requests, self.seconds = 0, 0.0
        return counted


class Executor:
    """One child for queries and one for writes per worker, each started when first needed.

    When the query child dies on its own (a query it could not survive), every query that was
    in it is run again alone, one at a time, in a child of its own: the query that kills that
    one too is answered 500 and not run again, and the others are answered as usual."""

    RETRIES = 2
    """How often a query is sent again when its child was killed for another query's sake."""

    def __init__(self, store_path, timeout: float, row_cap: int | None = None, threads: int = 1,
                 allowed_services: tuple[str, ...] = (), snapshots_kept: int = DEFAULTS.snapshots_kept,
                 limits: tuple[int, int] = (DEFAULTS.max_query_depth, DEFAULTS.max_query_operators),
                 byte_cap: int | None = DEFAULTS.byte_cap,
                 memory_mib: int | None = DEFAULTS.query_memory_mib,
                 queue_wait: float | None = None) -> None:
        self.store_path = str(store_path) if isinstance(store_path, (str, Path)) else store_path
        """A store folder, or a remote store's endpoints (graph.remote_store.Remote)."""
        self.caps = Caps(row_cap, byte_cap)
        self.memory_mib = memory_mib
        self.queue_wait = queue_wait
        self._lanes = threading.BoundedSemaphore(threads)
        self.snapshots_kept = snapshots_kept
        self.allowed_services = tuple(allowed_services)
        self.timeout = timeout
        self.threads = threads
        self.limits = limits
        """Deepest nesting and most operators a query or update may have (shape.py)."""
        self._children: dict[str, _Child | None] = {"read": None, "write": None, "alone": None}
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._one_at_a_time = threading.Lock()
        self._suspects = threading.Lock()
        self.tally = Tally()
        """Each serving thread's requests to the children: what Server-Timing reports."""

    def run(self, query: str, defaults: list[str] = (), named: list[str] = (),
            accept: list[tuple[str, float]] = (), fmt_name: str | None = None,
            substitutions: dict | None = None, base_iri: str | None = None) -> Outcome:
        """Run one query within the time limit; ``substitutions`` binds variables (by name) to
        pyoxigraph terms before evaluation, so parameter values never enter the query text."""
        accept = tuple((str(value), float(quality)) for value, quality in accept)  # hashable: see negotiate_once
        return self.submit(Query(query, tuple(defaults), tuple(named), accept, fmt_name,
                                 dict(substitutions or {}), base_iri))

    def submit(self, request: Query | Update | GraphRead | GraphWrite) -> Outcome:
        if isinstance(request, (Query, Update)):
            what = "update" if isinstance(request, Update) else "query"
            refused = (shape.refusal(request.text, what, *self.limits)
                       or federation.refusal(request.text, self.allowed_services, request.base_iri))
            if refused is not None:
                return text(400, refused)
        started = time.perf_counter()
        try:
            if isinstance(request, (Update, GraphWrite)):
                with self._writing:
                    return self._attempt("write", request, retries=0)
            if not self._lanes.acquire(timeout=self.queue_wait):
                return self._busy()
            try:
                return self._attempt("read", request, retries=self.RETRIES)
            finally:
                self._lanes.release()
        finally:
            self.tally.requests += 1
            self.tally.seconds += time.perf_counter() - started

    def _attempt(self, role: str, request, retries: int) -> Outcome:
        """The child's answer; a request in flight when its child was killed for another's sake is sent
        again. When a child passes the memory limit, the request that was alone in it is to blame;
        with others beside it, each is sent again as a suspect, one suspect at a time, so the one
        that passes the limit again alone is refused and the others are answered. A child that died
        on its own (a stack overflow) is tried once more with the request alone."""
        suspect, ticket = False, object()
        for attempt in range(retries + 1):
            with self._suspects if suspect else nullcontext():
                child = self._child(role)
                try:
                    outcome = child.ask(request, self.timeout, ticket)
                except _TooLong:
                    self._kill(role, child, stopped=True)
                    return self._too_long(request)
            if outcome is not None:
                return outcome
            died = not child.stopped  # on its own: this request may be the one that killed it
            self._kill(role, child)  # it died under this request, or was killed for another's
            killed = child.memory_kill(ticket)
            if killed is not None:
                if suspect or killed == "alone" or attempt == retries:
                    return self._too_large(request)
                suspect = True
            elif died and role == "read":
                return self._alone(request)
        return text(500, "the query process ended unexpectedly; it has been restarted")

    def _alone(self, request) -> Outcome:
        """A query whose child died under it, run again with no other query beside it."""
        with self._one_at_a_time:
            child, ticket = self._child("alone"), object()
            try:
                outcome = child.ask(request, self.timeout, ticket)
            except _TooLong:
                self._kill("alone", child, stopped=True)
                return self._too_long(request)
            if outcome is not None:
                return outcome
            self._kill("alone", child)
            if child.memory_kill(ticket) is not None:
                return self._too_large(request)
        return text(500, "the query ended its query process (it ran out of stack or memory) and was not run "
                         "again; simplify it. Other queries were not affected")

    def _child(self, role: str) -> _Child:
        with self._lock:
            child = self._children[role]
            if child is None or not child.alive():
                limit = None if self.memory_mib is None else self.memory_mib * 2**20
                child = self._children[role] = _Child(self.store_path, self.caps,
                                                      self.threads if role == "read" else 1, self.snapshots_kept,
                                                      limit)
            return child

    def _kill(self, role: str, child: _Child, stopped: bool = False) -> None:
        with self._lock:
            if self._children[role] is child:
                self._children[role] = None
        child.kill(stopped)

    def _too_long(self, request) -> Outcome:
        what = "update" if isinstance(request, (Update, GraphWrite)) else "query"
        undone = "; nothing was changed" if what == "update" else ""
        return text(503, f"the {what} ran longer than the time limit of {self.timeout:g} s and was stopped{undone}; "
                         "narrow it (add LIMIT, more specific patterns) and try again")

    def _busy(self) -> Outcome:
        """Every lane of this worker is running a query: say so now rather than after a wait as long as theirs."""
        retry = max(1, round(min(self.timeout, 30) / 4))
        return text(503, f"the server is busy: all its query lanes have been running longer queries for "
                         f"{self.queue_wait:g} s; try again in {retry} s", headers=(("Retry-After", str(retry)),))

    def _too_large(self, request) -> Outcome:
        what = "update" if isinstance(request, (Update, GraphWrite)) else "query"
        undone = "; nothing was changed" if what == "update" else ""
        return text(422, f"the {what} needed more than {self.memory_mib:,} MiB of memory and was stopped{undone}; "
                         "narrow it (add LIMIT, shorter values, fewer joins) and try again")

    def stop(self) -> None:
        with self._lock:
            children = list(self._children.values())
            self._children = {"read": None, "write": None, "alone": None}
        for child in children:
            if child is not None:
                child.kill()
