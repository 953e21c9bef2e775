"""Queries run in a child process that can be killed: a time limit that really stops a query.

pyoxigraph has no way to cancel a running query, and a Python signal cannot interrupt
its Rust code. So each server worker keeps one child process holding the store
read-only; a query past the limit gets the child killed (its CPU is freed at once) and
a fresh child started for the next request.
"""
from __future__ import annotations

import multiprocessing as mp
from dataclasses import dataclass
from pathlib import Path

CONTEXT = mp.get_context("spawn")  # RocksDB handles do not survive fork()


@dataclass(frozen=True)
class Outcome:
    status: int
    media_type: str
    body: bytes


def _child(store_path: str, connection) -> None:
    import pyoxigraph as ox
    from werkzeug.datastructures import MIMEAccept

    from graph.store import Store

    from .negotiation import GRAPHS, RESULTS, NotAcceptable, choose

    store = Store.open(store_path, read_only=True)
    while True:
        try:
            query, defaults, named, accept, fmt_name = connection.recv()
        except EOFError:
            return
        kwargs = {}
        if defaults:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in defaults]
        if named:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named]
        try:
            results = store.query(query, **kwargs)
            offered = GRAPHS if isinstance(results, ox.QueryTriples) else RESULTS
            fmt = choose(offered, MIMEAccept(accept), fmt_name)
            outcome = Outcome(200, fmt.media_type, results.serialize(format=fmt.oxigraph))
        except SyntaxError as error:
            outcome = Outcome(400, "text/plain", f"the query is not valid SPARQL: {error}\n".encode())
        except NotAcceptable as error:
            outcome = Outcome(406, "text/plain", f"{error}\n".encode())
        except (ValueError, OSError) as error:
            outcome = Outcome(400, "text/plain", f"the query could not be run: {error}\n".encode())
        connection.send(outcome)


class Executor:
    def __init__(self, store_path: Path | str, timeout: float) -> None:
        self.store_path = str(store_path)
        self.timeout = timeout
        self.process = None
        self.connection = None

    def _start(self) -> None:
        parent, child = CONTEXT.Pipe()
        self.process = CONTEXT.Process(target=_child, args=(self.store_path, child), daemon=True)
        self.process.start()
        self.connection = parent

    def run(self, query: str, defaults: list[str], named: list[str], accept: list[tuple[str, float]],
            fmt_name: str | None) -> Outcome:
        if self.process is None or not self.process.is_alive():
            self._start()
        self.connection.send((query, defaults, named, accept, fmt_name))
        if self.connection.poll(self.timeout):
            try:
                return self.connection.recv()
            except EOFError:
                self.stop()
                return Outcome(500, "text/plain", b"the query process ended unexpectedly; it has been restarted\n")
        self.stop()
        return Outcome(503, "text/plain",
                       f"the query ran longer than the time limit of {self.timeout:g} s and was stopped; "
                       "narrow it (add LIMIT, more specific patterns) and try again\n".encode())

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.process = None
        self.connection = None
