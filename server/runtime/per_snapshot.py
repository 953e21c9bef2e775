"""Values that change only when a new snapshot is published, made once per snapshot in a worker.

A listing's facets need every item's values, a query over the whole store; the answer stands
until the next snapshot, so the worker keeps it under the snapshot's name and publication
time (read before the query runs: a snapshot published meanwhile makes the next request ask
again, never the reverse) and forgets the oldest when more than a few are kept.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from ckg.graph import stores

T = TypeVar("T")
KEPT = 8
"""Values kept at most (each listing's, for the newest snapshot or two)."""

_kept: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()


def once(where: stores.Location, name: str, make: Callable[[], T]) -> T:
    """``make()``'s value for the newest snapshot of the store (a remote store: its stamp), made at its
    first asking."""
    key = (str(where), name, stores.published(where))
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]  # type: ignore[return-value]
    value = make()
    if key[2] is not None:
        with _lock:
            _kept[key] = value
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    return value
