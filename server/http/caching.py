"""Validators for answers that change only when a new snapshot of the store is published.

Every reader answers from the newest published snapshot (graph/snapshots.py), or from a
remote store whose builds and writes record when they were made (graph/remote_store.py), and nothing
else a GET reads changes while the server runs, except the files made from the snapshot
(downloads), the ontology's file and the named queries' files. So an answer is named, before
its view runs, by the snapshot, those files, the server's settings and the request (path,
query string, ``Accept``, whether it may be gzipped, the host its links point to): that name
is its ``ETag``, and the last change of them all its ``Last-Modified``. A client or a proxy
that sends the tag back (``If-None-Match``, or ``If-Modified-Since`` without it) gets
``304 Not Modified`` at once, with no query run and no body. ``Cache-Control: public,
max-age=0, must-revalidate`` lets browsers and shared caches keep answers but ask again each
time, which costs one 304 while the snapshot stands, and never serves an answer of a
snapshot that was replaced.

The name is read before the view runs: should a snapshot be published while it runs, the
answer (of the newer snapshot) carries the older name, so the next request finds it stale
and is answered in full; never the reverse. ``Last-Modified`` has whole seconds: it is sent
only once its second has passed, so two snapshots published within one second are never
taken for one. Writes (POST, PUT, DELETE) are never answered 304 and carry no validators;
they publish a snapshot, which changes every name. Answers that carry validators of their
own (files sent from disk) keep them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from flask import Flask, Response, g, request
from werkzeug.http import is_resource_modified

from ckg.graph import snapshots, stores
from ckg.graph.queries import directory
from ckg.ontology import files
from ckg.settings import Settings

from .responses import expose

CACHE_CONTROL = "public, max-age=0, must-revalidate"
"""Keep the answer, but ask whether it still stands before each use."""
READS = ("GET", "HEAD")


@dataclass(frozen=True)
class Version:
    """What every answer of this moment is made from."""
    snapshot: str
    """The snapshot's name, its publication and its made files' last change, in nanoseconds."""
    sources: str
    """The ontology's and the named queries' files, and the server's settings."""
    changed: float
    """When the newest of them changed, in seconds."""


def version(where: stores.Location, settings_key: str) -> Version | None:
    """The version of the answers now, or None while no snapshot is published (a remote store: its
    stamp, one small query)."""
    published = stores.published(where)
    if published is None:
        return None
    name, when = published
    made = 0 if stores.is_remote(where) else _changed(snapshots.files_root(where) / name)  # a download made changes the listing of downloads
    stamps = [(p.name, _changed(p)) for p in (files.ONTOLOGY, *sorted(directory().glob("*.rq")))]
    newest = max([when, made, *(stamp for _, stamp in stamps)])
    return Version(f"{name}@{when}@{made}", f"{settings_key}|{stamps}", newest / 1e9)


def _changed(path: Path) -> int:
    """A file's or folder's last change in nanoseconds; 0 for one not there (yet, or any more)."""
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def entity_tag(current: Version, path: str, query: bytes, accept: str, gzipped: bool, host: str) -> str:
    """The answer's name: the same for a GET and a HEAD, another for any other request or version."""
    parts = (current.snapshot, current.sources, host, path, query.decode("latin-1"), " ".join(accept.split()),
             "gzip" if gzipped else "identity")
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def last_modified(current: Version, now: float) -> dt.datetime | None:
    """When the answers last changed, once that second has passed (else None: no date can tell it)."""
    if int(current.changed) >= int(now):
        return None
    return dt.datetime.fromtimestamp(int(current.changed), dt.timezone.utc)


def validators(tag: str, modified: dt.datetime | None) -> dict[str, str]:
    headers = {"ETag": f'"{tag}"', "Cache-Control": CACHE_CONTROL}
    if modified is not None:
        headers["Last-Modified"] = modified.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return headers


def settings_key(settings: Settings) -> str:
    """The settings an answer may depend on (whether updates are enabled, not the token itself; nor a
    remote store's password)."""
    return repr(replace(settings, update_token="set" if settings.update_token else None,
                        store_password="set" if settings.store_password else None))


def install(app: Flask, settings: Settings, now: Callable[[], float] = time.time) -> None:
    """Name every read's answer before it is made, answer 304 when the client holds it, and
    send the name with the answer otherwise."""
    where, key = stores.location(settings), settings_key(settings)

    @app.before_request
    def answer_if_unchanged() -> Response | None:
        if request.method not in READS:
            return None
        current = version(where, key)
        if current is None:
            return None
        tag = entity_tag(current, request.path, request.query_string, request.headers.get("Accept", ""),
                         "gzip" in request.headers.get("Accept-Encoding", ""), request.host_url)
        modified = last_modified(current, now())
        g.ckg_validators = validators(tag, modified)
        if not is_resource_modified(request.environ, etag=tag, last_modified=modified):
            return Response(status=304)
        return None

    @app.after_request
    def name_the_answer(response: Response) -> Response:
        named = g.pop("ckg_validators", None)
        if named is None or request.method not in READS:
            return response
        if response.status_code == 304:  # ours, or a file's own (then its validators stand)
            for name, value in named.items():
                response.headers.setdefault(name, value)
        elif response.status_code == 200 and "ETag" not in response.headers:
            response.headers.update(named)
        return expose(response, "ETag")
