"""The search index of the snapshot being read: made at publication, or now when missing.

A snapshot published before search existed (an older store) has no index: the first search
makes it, once, under a lock, in a child process (graph/search_index.ensure), and the log
says so. The snapshot is held while it is searched, so it is not collected meanwhile.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ckg.graph import search_index, snapshots

from .publication import snapshot_of


@contextmanager
def current_index(store_path: Path) -> Iterator[Path]:
    snapshot = snapshot_of(store_path)
    with snapshots.in_use(snapshot):
        yield search_index.ensure(snapshot)
