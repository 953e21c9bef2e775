"""Which store a location names, opened: the one place a folder or a URL becomes a store.

A location is a folder (an embedded Oxigraph store, read through its snapshots) or a
``Remote`` (a SPARQL 1.1 store's endpoints, read as it is).
"""
from __future__ import annotations

from pathlib import Path

from ckg.settings import Settings

from . import snapshots
from .remote_store import Remote, RemoteStore, endpoints
from .store import Store, StoreError

Location = Path | Remote


def location(settings: Settings) -> Location:
    """The store the settings name: the folder, or the remote store's endpoints (StoreError when
    they cannot be told)."""
    if not settings.remote:
        return Path(settings.store)
    query = str(settings.store)
    update, graph_store = endpoints(query, settings.update_endpoint, settings.graph_store)
    return Remote(query, update, graph_store, settings.store_user, settings.store_password, settings.store_timeout)


def is_remote(where: Location) -> bool:
    return isinstance(where, Remote)


def open_store(where: Location, read_only: bool = False) -> Store | RemoteStore:
    """The store at ``where``; StoreError that says what is wrong (no store, in use, unreachable)."""
    if isinstance(where, Remote):
        return RemoteStore.open(where, read_only=read_only)
    return Store.open(where, read_only=read_only)


def require_built(where: Location) -> None:
    """StoreError unless there is a built store at ``where``: a folder with a store, or a remote store
    a build has written to."""
    if isinstance(where, Remote):
        with RemoteStore.open(where, read_only=True) as store:
            if store.stamp() is None:
                raise StoreError(f"the store at {where.query} holds no ckg build: build one first with "
                                 f"'ckg build --store {where.query}'")
        return
    if not (where / "CURRENT").exists():
        raise StoreError(f"no store at {where}: build one first with 'ckg build --store {where}'")


def published(where: Location) -> tuple[str, int] | None:
    """What readers of the store see now, named: the newest snapshot's name and publication time (ns),
    or a remote store's stamp (graph.remote_store) twice; None when nothing names it yet."""
    if isinstance(where, Remote):
        stamp = RemoteStore(where).stamp()
        return None if stamp is None else (stamp, int(stamp) if stamp.isdigit() else 0)
    return snapshots.published(where)
