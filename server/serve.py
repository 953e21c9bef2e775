"""Run the application under gunicorn, several workers sharing the store read-only."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gunicorn.app.base import BaseApplication

from graph.store import StoreError

from .app import create_app


REFRESH = """import sys
from graph import snapshots
from graph.store import StoreError
try:
    snapshots.refresh(sys.argv[1])
except StoreError as error:
    sys.exit(str(error))
"""


class Server(BaseApplication):
    def __init__(self, store: Path, options: dict, query_timeout: float, row_cap: int,
                 update_token: str | None, threads: int, allowed_services: tuple[str, ...] = ()) -> None:
        self.store = store
        self.allowed_services = allowed_services
        self.options = options
        self.query_timeout = query_timeout
        self.row_cap = row_cap
        self.update_token = update_token
        self.threads = threads
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(self.store, self.query_timeout, self.row_cap, self.update_token or "", self.threads,
                          self.allowed_services)


def serve(store: Path, host: str, port: int, workers: int, query_timeout: float, row_cap: int,
          update_token: str | None = None, threads: int = 4, allowed_services: tuple[str, ...] = ()) -> None:
    # Serve the store as it is now, not an older snapshot. In a separate process: RocksDB
    # starts threads, and gunicorn's master must hold none when it forks the workers.
    refreshed = subprocess.run([sys.executable, "-c", REFRESH, str(store)], capture_output=True, text=True)
    if refreshed.returncode != 0:
        raise StoreError(refreshed.stderr.strip().splitlines()[-1] if refreshed.stderr.strip() else
                         f"could not publish a snapshot of {store}")
    # Threaded workers keep connections alive and serve several requests at once, each
    # waiting on a query process of its own; the worker's main loop keeps its heartbeat, so
    # gunicorn's timeout only catches a worker that is stuck, never a long download.
    options = {"bind": f"{host}:{port}", "workers": workers, "worker_class": "gthread", "threads": threads,
               "timeout": int(query_timeout) + 30, "keepalive": 5, "accesslog": "-",
               "limit_request_line": 8190}  # room for long IRIs in /resource?iri=…
    Server(store, options, query_timeout, row_cap, update_token, threads, allowed_services).run()
