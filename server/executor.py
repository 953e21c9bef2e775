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
    truncated: int | None = None
    """The row cap, when it cut the results."""


def cap_rows(body: bytes, media_type: str, cap: int) -> tuple[bytes, bool]:
    """Keep the first ``cap`` solutions of a serialised SELECT result; True if any were cut."""
    import csv
    import io
    import json
    import xml.etree.ElementTree as ET

    if media_type.endswith("+json"):
        data = json.loads(body)
        rows = data.get("results", {}).get("bindings")
        if rows is None or len(rows) <= cap:
            return body, False
        data["results"]["bindings"] = rows[:cap]
        return json.dumps(data).encode(), True
    if media_type.endswith("+xml"):
        namespace = "{http://www.w3.org/2005/sparql-results#}"
        root = ET.fromstring(body)
        results = root.find(f"{namespace}results")
        if results is None or len(results) <= cap:
            return body, False
        for extra in list(results)[cap:]:
            results.remove(extra)
        ET.register_namespace("", namespace.strip("{}"))
        return ET.tostring(root, encoding="utf-8", xml_declaration=True), True
    if media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        if len(rows) - 1 <= cap:
            return body, False
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(rows[:cap + 1])
        return out.getvalue().encode(), True
    lines = body.decode("utf-8").splitlines(keepends=True)  # TSV escapes newlines inside terms
    if len(lines) - 1 <= cap:
        return body, False
    return "".join(lines[:cap + 1]).encode(), True


def _child(store_path: str, connection, row_cap: int | None) -> None:
    import pyoxigraph as ox
    from werkzeug.datastructures import MIMEAccept

    from graph.store import Store

    from .negotiation import GRAPHS, RESULTS, NotAcceptable, choose

    store = Store.open(store_path, read_only=True)
    while True:
        try:
            query, defaults, named, accept, fmt_name, substitutions = connection.recv()
        except EOFError:
            return
        kwargs = {}
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(name): term for name, term in substitutions.items()}
        if defaults:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in defaults]
        if named:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named]
        try:
            results = store.query(query, **kwargs)
            offered = GRAPHS if isinstance(results, ox.QueryTriples) else RESULTS
            fmt = choose(offered, MIMEAccept(accept), fmt_name)
            body = results.serialize(format=fmt.oxigraph)
            cut = False
            if row_cap is not None and isinstance(results, ox.QuerySolutions):
                body, cut = cap_rows(body, fmt.media_type, row_cap)
            outcome = Outcome(200, fmt.media_type, body, row_cap if cut else None)
        except SyntaxError as error:
            outcome = Outcome(400, "text/plain", f"the query is not valid SPARQL: {error}\n".encode())
        except NotAcceptable as error:
            outcome = Outcome(406, "text/plain", f"{error}\n".encode())
        except (ValueError, OSError) as error:
            outcome = Outcome(400, "text/plain", f"the query could not be run: {error}\n".encode())
        connection.send(outcome)


class Executor:
    def __init__(self, store_path: Path | str, timeout: float, row_cap: int | None = None) -> None:
        self.store_path = str(store_path)
        self.timeout = timeout
        self.row_cap = row_cap
        self.process = None
        self.connection = None

    def _start(self) -> None:
        parent, child = CONTEXT.Pipe()
        self.process = CONTEXT.Process(target=_child, args=(self.store_path, child, self.row_cap), daemon=True)
        self.process.start()
        self.connection = parent

    def run(self, query: str, defaults: list[str] = (), named: list[str] = (),
            accept: list[tuple[str, float]] = (), fmt_name: str | None = None,
            substitutions: dict | None = None) -> Outcome:
        """Run one query within the time limit; ``substitutions`` binds variables (by name) to
        pyoxigraph terms before evaluation, so parameter values never enter the query text."""
        if self.process is None or not self.process.is_alive():
            self._start()
        self.connection.send((query, list(defaults), list(named), list(accept), fmt_name, substitutions))
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
