"""Each named listing's whole answer, made once per snapshot and kept in it, so a page is a slice.

Every named query sorts, so the engine makes its whole answer before the first row of a page:
the first page of a big listing costs the whole listing. A snapshot never changes, so the answer
of each named query asked with no parameter (``queries.bind(query, {})``) stands for the
snapshot's life. It is made once, after the snapshot is published, by a process of its own (one
child per query, stopped past ``Settings.kept_answers_timeout``), and kept in the snapshot's
folder, ``<snapshot>/answers/<name>.sqlite``: one table of the rows in the query's order, each
row's SPARQL JSON binding, keyed by its number. A page is then a range of keys, read in time
that follows the page, not the store; a new snapshot has a folder (and answers) of its own.

A file is written beside its place and renamed into it whole, and records the digest of the
text it answers: a query file edited since is not answered from an older text. A query past
the time limit leaves ``<name>.failed`` and is run as it is asked, as one whose answer is not
made yet is.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ckg.settings import DEFAULTS

from . import queries

log = logging.getLogger(__name__)

FOLDER = "answers"
LOCK = ".making.lock"
BATCH = 2_000
"""Rows written per statement while an answer is kept."""


def folder_of(snapshot: Path | str) -> Path:
    return Path(snapshot) / FOLDER


def path_of(snapshot: Path | str, name: str) -> Path:
    if not queries.NAME.match(name):
        raise queries.QueryError(f"'{name}' is not a named query's name")
    return folder_of(snapshot) / f"{name}.sqlite"


def listings(catalogue: dict[str, queries.NamedQuery] | None = None) -> list[queries.NamedQuery]:
    """The named queries that can be asked with no parameter: those whose answers are kept."""
    found = queries.catalogue() if catalogue is None else catalogue
    return [query for query in found.values() if not any(p.required for p in query.parameters)]


def text_of(query: queries.NamedQuery) -> str:
    """The text whose answer is kept: the query with no parameter given (its defaults bound)."""
    return queries.bind(query, {})


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unasked(values: dict[str, str]) -> bool:
    """Whether request parameters give no value: the query is asked as its kept answer answers it."""
    return all(value in (None, "") for value in values.values())


def binding(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    """A term as a SPARQL 1.1 JSON results binding, as Oxigraph writes it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def solutions(store, text: str) -> tuple[list[str], Iterator[str]]:
    """The query's columns and its rows, each its JSON binding's text, as the engine gives them."""
    answer = store.query(text)
    if not isinstance(answer, ox.QuerySolutions):
        raise queries.QueryError("only a SELECT query's answer can be kept")
    columns = [variable.value for variable in answer.variables]

    def rows() -> Iterator[str]:
        for solution in answer:
            yield json.dumps({name: binding(solution[name]) for name in columns if solution[name] is not None},
                             ensure_ascii=False, separators=(",", ":"))
    return columns, rows()


def write(target: Path, answered: str, columns: list[str], rows: Iterable[str], started: float) -> int:
    """The rows into ``target`` (written beside it, renamed into place whole); how many there were."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("CREATE TABLE row (n INTEGER PRIMARY KEY, binding TEXT NOT NULL)")
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        total, size, batch = 0, 0, []
        for row in rows:
            batch.append((total, row))
            total += 1
            size += len(row)
            if len(batch) >= BATCH:
                db.executemany("INSERT INTO row VALUES (?, ?)", batch)
                batch = []
        db.executemany("INSERT INTO row VALUES (?, ?)", batch)
        meta = {"digest": answered, "columns": json.dumps(columns), "total": str(total), "bytes": str(size),
                "seconds": f"{time.monotonic() - started:.3f}"}
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.commit()
    finally:
        db.close()
    os.replace(partial, target)
    return total


def make(store, snapshot: Path | str, query: queries.NamedQuery) -> int:
    """Keep the answer of ``query`` asked with no parameter, from ``store`` (the snapshot's); its rows."""
    started = time.monotonic()
    text = text_of(query)
    target = path_of(snapshot, query.name)
    target.parent.mkdir(exist_ok=True)
    columns, rows = solutions(store, text)
    return write(target, digest(text), columns, rows, started)


@dataclass(frozen=True)
class Kept:
    """A kept answer: its columns, rows, their JSON's size, and how long it took to make."""
    path: Path
    columns: tuple[str, ...]
    total: int
    bytes: int
    seconds: float

    def rows(self, offset: int = 0, limit: int | None = None) -> list[dict]:
        """The JSON bindings of rows ``offset`` to ``offset + limit`` (all from ``offset`` when None)."""
        with _opened(self.path) as db:
            found = db.execute("SELECT binding FROM row WHERE n >= ? ORDER BY n LIMIT ?",
                               (offset, -1 if limit is None else limit))
            return [json.loads(text) for (text,) in found]

    def batches(self, size: int = BATCH) -> Iterator[list[str]]:
        """Every row's JSON binding as its text, in order, ``size`` at a time: a whole answer
        streamed without holding it."""
        with _opened(self.path) as db:
            found = db.execute("SELECT binding FROM row ORDER BY n")
            while batch := found.fetchmany(size):
                yield [text for (text,) in batch]

    def results(self, offset: int = 0, limit: int | None = None) -> dict:
        """SPARQL JSON results of those rows."""
        return {"head": {"vars": list(self.columns)}, "results": {"bindings": self.rows(offset, limit)}}


class _opened:
    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, *_) -> None:
        self.db.close()


def kept(snapshot: Path | str, query: queries.NamedQuery) -> Kept | None:
    """The snapshot's kept answer of ``query`` with no parameter, or None: not made (yet), failed,
    or made from another text of the query."""
    try:
        target = path_of(snapshot, query.name)
        with _opened(target) as db:
            meta = dict(db.execute("SELECT key, value FROM meta"))
    except (sqlite3.Error, queries.QueryError):
        return None  # no file yet (or one of another layout): the query runs as it is asked
    if meta.get("digest") != digest(text_of(query)):
        return None
    return Kept(target, tuple(json.loads(meta["columns"])), int(meta["total"]), int(meta["bytes"]),
                float(meta["seconds"]))


def missing(snapshot: Path | str, catalogue: dict[str, queries.NamedQuery] | None = None) -> list[str]:
    """The listings whose answers the snapshot does not keep yet and that have not failed."""
    return [query.name for query in listings(catalogue)
            if kept(snapshot, query) is None and not path_of(snapshot, query.name).with_suffix(".failed").exists()]


def in_background(snapshot: Path | str, timeout: float = DEFAULTS.kept_answers_timeout) -> None:
    """Make the snapshot's kept answers in a process of its own (one at a time: a second one finds
    the first at work and ends)."""
    subprocess.Popen([sys.executable, "-m", "ckg.graph.kept_answers", str(snapshot), "--timeout", str(timeout)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)


def make_all(snapshot: Path, timeout: float) -> dict[str, float | str]:
    """Every missing answer of the snapshot, made by one child process, killed when a query runs
    past ``timeout`` seconds (that one is marked failed and a new child goes on with the rest): the
    seconds each took, or why it was not kept. Returns at once when another process is at it."""
    folder = folder_of(snapshot)
    folder.mkdir(exist_ok=True)
    report: dict[str, float | str] = {}
    with open(folder / LOCK, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return report  # another process makes them
        for _ in listings():  # each round makes one answer at least, or ends
            names = missing(snapshot) if snapshot.is_dir() else []
            made = _child(snapshot, names, timeout) if names else {}
            report |= made
            if not made:
                break  # all made, or the child could not open the snapshot
    return report


def _child(snapshot: Path, names: list[str], timeout: float) -> dict[str, float | str]:
    """Run one child that makes ``names`` in turn, saying when it starts and ends each; kill it when
    one takes longer than ``timeout`` seconds, and mark that one failed."""
    command = [sys.executable, "-m", "ckg.graph.kept_answers", str(snapshot), "--only", ",".join(names)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    report: dict[str, float | str] = {}
    current: list = [None, time.monotonic()]

    def follow() -> None:
        for line in child.stdout:  # "start NAME" / "done NAME SECONDS"
            said = line.split()
            if said[:1] == ["start"]:
                current[:] = [said[1], time.monotonic()]
            elif said[:1] == ["done"]:
                report[said[1]] = float(said[2])
                current[0] = None

    reader = threading.Thread(target=follow, daemon=True)
    reader.start()
    while child.poll() is None:
        name, since = current
        if name is not None and time.monotonic() - since > timeout:
            child.kill()
            child.wait()
            if kept(snapshot, queries.named(name)) is not None:  # it ended just before it was stopped
                report[name] = time.monotonic() - since
                break
            why = f"not made within {timeout:g} s (CKG_KEPT_ANSWERS_TIMEOUT)"
            report[name] = why
            _failed(snapshot, name, why)
            break
        time.sleep(min(0.2, max(timeout / 4, 0.01)))
    reader.join(timeout=5)
    errors = child.stderr.read().strip() if child.stderr else ""
    name = current[0]
    if child.returncode not in (0, -9) and name is not None and name not in report:
        why = errors[-500:] or f"exit status {child.returncode}"
        report[name] = why
        _failed(snapshot, name, why)
    return report


def _failed(snapshot: Path, name: str, why: str) -> None:
    if snapshot.is_dir():
        path_of(snapshot, name).with_suffix(".failed").write_text(why + "\n", encoding="utf-8")
        log.warning("the answer of %s was not kept for %s: %s", name, snapshot, why)


def main(argv: list[str]) -> int:
    """``python -m ckg.graph.kept_answers SNAPSHOT [--timeout S]``: keep the snapshot's answers
    (in a child, killed past the time limit of one query); with ``--only A,B`` make those, here."""
    import argparse

    from . import snapshots
    from .store import Store

    parser = argparse.ArgumentParser(prog="python -m ckg.graph.kept_answers", description=main.__doc__)
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--timeout", type=float, default=DEFAULTS.kept_answers_timeout)
    parser.add_argument("--only", default=None, help="make these (comma-separated) here, in turn")
    args = parser.parse_args(argv)
    with snapshots.in_use(args.snapshot):
        if args.only is None:
            os.nice(10)  # background work: the server's queries come first
            for name, outcome in make_all(args.snapshot, args.timeout).items():
                shown = f"{outcome:.1f} s" if isinstance(outcome, float) else outcome
                print(f"{name}: {shown}", flush=True)
            return 0
        with Store.open(args.snapshot, read_only=True) as store:
            for name in args.only.split(","):
                started = time.monotonic()
                print(f"start {name}", flush=True)
                make(store, args.snapshot, queries.named(name))
                print(f"done {name} {time.monotonic() - started:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
