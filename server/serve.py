"""Run the application under gunicorn, several workers sharing the store read-only."""
from __future__ import annotations

import socket
import subprocess
import sys
import time

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from ckg.graph.store import StoreError
from ckg.settings import Settings

from .app import create_app
from .http.bodies import ReadTimeout


REFRESH = """import sys
from ckg.graph import snapshots
from ckg.graph.store import StoreError
from ckg.settings import Settings
try:
    snapshots.refresh(sys.argv[1], int(sys.argv[2]))
except StoreError as error:
    sys.exit(str(error))
"""


FRONT_THREADS = 2
"""Threads of a worker beyond its query lanes: with every lane busy they still answer, so a
further query is told at once that the server is busy (503 with Retry-After) instead of
waiting unseen in gunicorn's queue."""


HEADERS_END = (b"\r\n\r\n", b"\n\n")
PEEK = 64 * 1024
"""Bytes of a request looked at to see whether its headers have all arrived (more than gunicorn
accepts in a request line and its fields together, so a longer head is gunicorn's to refuse)."""


class _Deadlined:
    """A client socket whose reads end at a deadline: one byte a second never runs out a timeout
    per read, so the whole request (its headers and its body) must arrive by then."""

    def __init__(self, sock: socket.socket, seconds: float) -> None:
        self._sock = sock
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.answered = False
        """A request was answered on it: the next one's deadline starts with its first byte."""

    def restart(self) -> None:
        self.deadline = time.monotonic() + self.seconds
        self.answered = False

    def late(self) -> bool:
        return time.monotonic() > self.deadline

    def waiting(self) -> bytes:
        """The bytes that have arrived and not been read, without reading them."""
        try:
            return self._sock.recv(PEEK, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return b""

    def recv(self, *args) -> bytes:
        return self._read(self._sock.recv, *args)

    def recv_into(self, *args) -> int:
        return self._read(self._sock.recv_into, *args)

    def _read(self, read, *args):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise ReadTimeout(self.seconds)
        self._sock.settimeout(remaining)
        try:
            return read(*args)
        except socket.timeout:
            raise ReadTimeout(self.seconds) from None
        finally:
            self._sock.settimeout(None)  # writes (a long answer) are not bounded by the read deadline

    def __getattr__(self, name: str):
        return getattr(self._sock, name)


def _head_complete(conn, sock: _Deadlined) -> bool:
    """Whether the request's headers have all arrived (in gunicorn's buffer or on the socket), or
    there is nothing more to wait for (the client closed, or sent more than a head may hold)."""
    buffered = conn.parser.unreader.buf.getvalue() if conn.parser is not None else b""
    waiting = sock.waiting()
    head = buffered + waiting
    return any(end in head for end in HEADERS_END) or len(waiting) >= PEEK or (not waiting and conn.data_ready
                                                                               and not buffered)


class DeadlineWorker(ThreadWorker):
    """gunicorn's threaded worker, safe from slow clients: a request is handed to a thread only once
    its headers have all arrived (until then it waits in the poller, as a kept-alive connection
    does), and the whole request, body included, must arrive within ``read_timeout`` seconds."""

    read_timeout = 10.0

    def handle(self, conn):
        from gunicorn.workers.gthread import _DEFER

        if not isinstance(conn.sock, _Deadlined):  # before the parser is made over the socket
            conn.sock = _Deadlined(conn.sock, self.read_timeout)
        sock = conn.sock
        if sock.answered:
            sock.restart()
        if not _head_complete(conn, sock):
            if sock.late():
                return False  # closed: it had its time
            conn.data_ready = False
            return _DEFER  # back to the poller until more arrives, holding no thread
        kept = super().handle(conn)
        sock.answered = bool(kept) and kept is not _DEFER
        return kept


class Server(BaseApplication):
    def __init__(self, settings: Settings, options: dict, threads: int) -> None:
        self.settings = settings
        self.options = options
        self.threads = threads
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(self.settings, self.threads)


def serve(settings: Settings, host: str, port: int, workers: int, threads: int = 4) -> None:
    store = settings.store
    # Serve the store as it is now, not an older snapshot. In a separate process: RocksDB
    # starts threads, and gunicorn's master must hold none when it forks the workers.
    refreshed = None if settings.remote else subprocess.run(  # a remote store has no snapshots
        [sys.executable, "-c", REFRESH, str(store), str(settings.snapshots_kept)], capture_output=True, text=True)
    if refreshed is not None and refreshed.returncode != 0:
        raise StoreError(refreshed.stderr.strip().splitlines()[-1] if refreshed.stderr.strip() else
                         f"could not publish a snapshot of {store}")
    # Threaded workers keep connections alive and serve several requests at once, each
    # waiting on a query process of its own; the worker's main loop keeps its heartbeat, so
    # gunicorn's timeout only catches a worker that is stuck, never a long download. Each
    # request must arrive within the read timeout, so slow clients cannot hold the threads.
    worker = type("Worker", (DeadlineWorker,), {"read_timeout": settings.read_timeout})
    options = {"bind": f"{host}:{port}", "workers": workers, "worker_class": worker, "threads": threads + FRONT_THREADS,
               "timeout": int(settings.query_timeout) + 30, "keepalive": 5, "accesslog": "-",
               "limit_request_line": 8190,  # room for long IRIs in /resource?iri=…
               # gunicorn's control socket is one path per user (~/.gunicorn/gunicorn.ctl): every
               # server would bind the same one and the first to stop would delete it for the rest.
               # Nothing here uses it, so no server opens one.
               "control_socket_disable": True}
    Server(settings, options, threads).run()
