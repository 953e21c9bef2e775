"""Run the application under gunicorn, several workers sharing the store read-only."""
from __future__ import annotations

import subprocess
import sys

from gunicorn.app.base import BaseApplication

from ckg.graph.store import StoreError
from ckg.settings import Settings

from .app import create_app


REFRESH = """import sys
from ckg.graph import snapshots
from ckg.graph.store import StoreError
from ckg.settings import Settings
try:
    snapshots.refresh(sys.argv[1], int(sys.argv[2]))
except StoreError as error:
    sys.exit(str(error))
"""


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
    refreshed = subprocess.run([sys.executable, "-c", REFRESH, str(store), str(settings.snapshots_kept)], capture_output=True, text=True)
    if refreshed.returncode != 0:
        raise StoreError(refreshed.stderr.strip().splitlines()[-1] if refreshed.stderr.strip() else
                         f"could not publish a snapshot of {store}")
    # Threaded workers keep connections alive and serve several requests at once, each
    # waiting on a query process of its own; the worker's main loop keeps its heartbeat, so
    # gunicorn's timeout only catches a worker that is stuck, never a long download.
    options = {"bind": f"{host}:{port}", "workers": workers, "worker_class": "gthread", "threads": threads,
               "timeout": int(settings.query_timeout) + 30, "keepalive": 5, "accesslog": "-",
               "limit_request_line": 8190,  # room for long IRIs in /resource?iri=…
               # gunicorn's control socket is one path per user (~/.gunicorn/gunicorn.ctl): every
               # server would bind the same one and the first to stop would delete it for the rest.
               # Nothing here uses it, so no server opens one.
               "control_socket_disable": True}
    Server(settings, options, threads).run()
