"""Pages of the named listings read from the answers kept per snapshot (graph/kept_answers.py).

A named query asked with no parameter is answered from the newest snapshot's kept answer when
there is one: a page is a slice of its rows, no query runs. When the snapshot has none yet, its
first asking starts the process that makes them (once per snapshot and worker) and the query
runs as it is asked meanwhile: a request never waits for the kept answers.
"""
from __future__ import annotations

import threading
from pathlib import Path

from ckg.graph import kept_answers, queries, snapshots
from ckg.settings import Settings

_started: set[tuple[str, str]] = set()
_lock = threading.Lock()


def kept(settings: Settings, query: queries.NamedQuery, values: dict[str, str],
         page: queries.Page) -> kept_answers.Kept | None:
    """The kept answer that answers ``query`` with ``values`` and ``page``, or None: a parameter is
    given, the answer is not made yet, or the whole answer is asked and would pass the row cap or
    half the byte cap (then the query process runs it, and cuts it as it cuts any answer)."""
    if not kept_answers.unasked(values):
        return None
    snapshot = snapshots.current(settings.store)
    if snapshot is None or not snapshot.is_dir():
        return None
    found = kept_answers.kept(snapshot, query)
    if found is None:
        start(snapshot, query, settings.kept_answers_timeout)
        return None
    if page.whole and (found.total > settings.row_cap or found.bytes > settings.byte_cap // 2):
        return None
    return found


def start(snapshot: Path, query: queries.NamedQuery, timeout: float) -> None:
    """Start making the snapshot's kept answers, unless this worker already has for this text."""
    key = (str(snapshot), kept_answers.digest(kept_answers.text_of(query)))
    with _lock:
        if key in _started:
            return
        _started.add(key)
    kept_answers.in_background(snapshot, timeout)
