"""Servers side by side: each is its own, and stopping one leaves the others and the user's home alone."""
from __future__ import annotations

import os

import requests

from .live import serving
from .test_updates import count, scratch_store


def test_stopping_one_server_leaves_another_alone_and_nothing_in_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "XDG_RUNTIME_DIR"} | {"HOME": str(home)}
    first_store, second_store = scratch_store(tmp_path / "first"), scratch_store(tmp_path / "second")
    first, second = serving(first_store, "--workers", "1", env=env), serving(second_store, "--workers", "1", env=env)
    first_url, second_url = next(first), next(second)
    try:
        assert count(first_url, "https://test.example/g/base") == count(second_url, "https://test.example/g/base") == 300
        assert list(home.iterdir()) == []  # no control socket, nothing else: a server writes nothing there
        first.close()  # stops the first server
        try:
            requests.get(first_url + "/sparql", timeout=2)
            raise AssertionError("the first server still answers")
        except requests.ConnectionError:
            pass
        assert count(second_url, "https://test.example/g/base") == 300
        assert list(home.iterdir()) == []
    finally:
        first.close()
        second.close()
