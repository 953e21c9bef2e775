"""Child processes that end with the process that started them.

A child blocked on a pipe its siblings also hold open, or busy with a query nobody waits
for any more, never learns that its parent was killed (``kill -9`` runs no clean-up), and
would live on as an orphan: a build's extraction workers, a server worker's query process.
A thread in the child watches its parent's pid and ends the child once the parent is gone.
A thread rather than the kernel's parent-death signal (``PR_SET_PDEATHSIG``): that signal
fires when the *thread* that started the child ends, and a server starts its query process
from whichever request thread needs it first.
"""
from __future__ import annotations

import os
import threading
import time

EVERY = 0.25
"""Seconds between looks at the parent."""


def die_with_parent(parent: int) -> None:
    """End this process soon after ``parent`` (its parent's pid when it started) ends."""
    if os.getppid() != parent:  # gone already, before the watcher could start
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="watch-parent", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:  # an orphan is adopted by init or a subreaper: the pid changes
        time.sleep(EVERY)
    os._exit(1)  # no clean-up: the parent that would have wanted the results is gone
