"""Remote SPARQL 1.1 stores started by the tests on loopback ports, and what they answer."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests

from .conftest import ROOT, require
from .live import free_port

BLANK = re.compile(r"_:[0-9A-Za-z]+")


def oxigraph_command() -> str:
    """The `oxigraph` command of this environment (the test extras install it), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    require(found is not None, "the 'oxigraph' command (PyPI package oxigraph, in the test extras) is not installed")
    return found  # type: ignore[return-value]


def running_oxigraph(folder: Path) -> Iterator[str]:
    """`oxigraph serve` over ``folder`` on a free loopback port: yields its query endpoint, stops it after."""
    port = free_port()
    process = subprocess.Popen([oxigraph_command(), "serve", "--location", str(folder), "--bind",
                                f"127.0.0.1:{port}", "--timeout-s", "20"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(endpoint, params={"query": "ASK {}"}, timeout=1)
                break
            except requests.ConnectionError:
                assert process.poll() is None and time.monotonic() < deadline, "oxigraph serve did not start"
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=20)


def ckg(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ckg.cli", *arguments], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)


VIRTUOSO_INI = """[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""
"""A Virtuoso on loopback ports, its files in one folder, no answer cut at 10,000 rows."""
VIRTUOSO_WRITERS = ('GRANT SPARQL_UPDATE TO "SPARQL"; '
                    "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")
"""What lets the anonymous SPARQL user write through /sparql and /sparql-graph-crud."""


def seeds_built_into(endpoints: Iterator[str]) -> Iterator[str]:
    """Each running store's endpoint once `ckg build --store URL seeds` has built the one seed into it."""
    for endpoint in endpoints:
        built = ckg("build", "--quiet", "--store", endpoint, "seeds")
        assert built.returncode == 0, built.stderr
        assert re.search(r"built\s+1\b", built.stdout)
        yield endpoint


def running_virtuoso(folder: Path) -> Iterator[str]:
    """`virtuoso-t` over a fresh database in ``folder`` on free loopback ports, opened to writes by the
    SPARQL user: yields its query endpoint (/sparql), stops it after."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    require(server is not None and isql is not None,
            "Virtuoso Open Source (Debian package virtuoso-opensource: virtuoso-t, isql-vt) is not installed")
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port))
    process = subprocess.Popen([server, "+foreground", "+configfile", str(folder / "virtuoso.ini")], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{http_port}/sparql"
    try:
        deadline = time.monotonic() + 120  # a new database takes ~20 s to set up
        while True:
            try:
                if requests.get(endpoint, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "virtuoso-t did not start"
            time.sleep(0.5)
        granted = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={VIRTUOSO_WRITERS}"],
                                 capture_output=True, text=True, timeout=60)
        assert granted.returncode == 0, granted.stdout + granted.stderr
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=60)


def remote_store(endpoint: str):
    from ckg.graph.stores import location, open_store
    from ckg.settings import Settings

    return open_store(location(Settings(store=endpoint)), read_only=True)


def csv_answer(store, text: str) -> str:
    from ckg.graph import formats

    return store.query(text).serialize(format=formats.FORMATS["csv"].oxigraph).decode("utf-8")


def named_answers(endpoint: str, embedded_path: Path) -> dict[str, tuple[str, str]]:
    """Every named query's CSV answer from the embedded store's newest snapshot and from the remote
    store, by name; required parameters take values from the embedded store's own claims."""
    from ckg.graph import queries, snapshots
    from ckg.graph.store import Store

    with snapshots.reading_newest(embedded_path) as path, Store.open(path, read_only=True) as embedded, \
            remote_store(endpoint) as far:
        claims = list(csv.DictReader(io.StringIO(csv_answer(embedded, queries.bind(queries.named("claims"), {})))))
        assert claims, "the seeds give claims"
        dates = sorted(row["date"] for row in claims if row["date"])
        values = {"claim": claims[0]["claim"], "at": dates[-1], "from": dates[0], "to": dates[-1]}
        answers = {}
        for named in queries.catalogue().values():
            text = queries.bind(named, {p.name: values[p.name] for p in named.parameters if p.required})
            answers[named.name] = (csv_answer(embedded, text), csv_answer(far, text))
        return answers
