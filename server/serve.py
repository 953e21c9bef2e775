"""Run the application under gunicorn, several workers sharing the store read-only."""
from __future__ import annotations

from pathlib import Path

from gunicorn.app.base import BaseApplication

from .app import create_app


class Server(BaseApplication):
    def __init__(self, store: Path, options: dict) -> None:
        self.store = store
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(self.store)


def serve(store: Path, host: str, port: int, workers: int, timeout: int) -> None:
    Server(store, {"bind": f"{host}:{port}", "workers": workers, "timeout": timeout,
                   "accesslog": "-", "worker_class": "sync"}).run()
