"""A live `ckg serve` on a loopback port, for tests that talk HTTP to the real server."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests

from .conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serving(path: Path | str, *options: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `ckg serve` on a free loopback port (in ``env``, else this process's environment);
    yields its base URL, stops it afterwards."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ckg.cli", "serve", "--store", str(path), "--port", str(port),
                             *options], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(url + "/", timeout=1)
                break
            except (requests.ConnectionError, requests.Timeout):  # not up yet, or slow to answer its first request
                time.sleep(0.2)
        yield url
    finally:  # stopped however the test ends, and if it never started answering
        proc.terminate()
        proc.wait(timeout=20)
