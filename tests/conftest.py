"""Shared test helpers: real files, real tools; a missing tool skips, or fails under CI.

The seed store is built once per run. Page and API content is asked of the application in
this process (``client``: Flask's test client over the real store, the real executor and
its query process); a live ``ckg serve`` (``live``) is for what needs one: browsers, HTTP
clients, concurrency, time limits, the W3C suites, process behaviour.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, why: str) -> None:
    """Skip when something the test needs is missing; under CI=true, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required for this test but missing under CI: {why}")
    pytest.skip(why)


def require_tool(name: str) -> str:
    """The path of an executable, or skip (fail under CI)."""
    path = shutil.which(name)
    require(path is not None, f"'{name}' is not installed")
    return path  # type: ignore[return-value]


@pytest.fixture(scope="session")
def java() -> str:
    return require_tool("java")


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> Path:
    """The store built from seeds/, once per run; tests only read it (writers build their own)."""
    from ckg.graph.build import build
    from ckg.graph.store import Store

    path = tmp_path_factory.mktemp("seed-store")
    with Store.open(path) as store:
        summary = build([ROOT / "seeds"], store)
    assert summary.failures == []
    return path


def in_process(store, **settings):
    """The application over a store, in this process (its queries still run in a child
    process), with these settings; stopped when the fixture that yields from it ends."""
    from ckg.server.app import create_app
    from ckg.settings import Settings

    application = create_app(Settings(store=store, **settings))
    yield application
    application.extensions["ckg.executor"].stop()


@pytest.fixture(scope="session")
def app(seed_store):
    yield from in_process(seed_store)


@pytest.fixture(scope="session")
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live(seed_store):
    """One `ckg serve` over the seed store, for every test that needs a real server."""
    from .live import serving

    yield from serving(seed_store)
