"""Every setting ckg reads, with its default and its environment variable, in one place.

Built once (from the environment, then the command line's options over it) and passed on;
no module reads the environment at import time.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    store: Path | str = Path("data/store")
    """The Oxigraph store folder, or the query endpoint (an http:// or https:// URL) of a remote
    SPARQL 1.1 store (CKG_STORE)."""
    update_endpoint: str | None = None
    """A remote store's SPARQL Update endpoint; None for the one its query endpoint implies: Oxigraph
    server's /update beside /query, Virtuoso's /sparql itself (CKG_UPDATE_ENDPOINT)."""
    graph_store: str | None = None
    """A remote store's Graph Store Protocol endpoint; None for the one its query endpoint implies:
    Oxigraph server's /store beside /query, Virtuoso's /sparql-graph-crud beside /sparql (CKG_GRAPH_STORE)."""
    store_user: str | None = None
    """User name for a remote store that asks for one (HTTP digest or basic authentication, as
    Virtuoso's /sparql-auth and /sparql-graph-crud-auth do) (CKG_STORE_USER)."""
    store_password: str | None = None
    """That user's password (CKG_STORE_PASSWORD; an environment variable, never an option: options
    show in the process list)."""
    store_timeout: float = 120.0
    """Seconds one request to a remote store may take before ckg gives up on it (CKG_STORE_TIMEOUT)."""
    query_timeout: float = 30.0
    """Seconds a query or update may run before its process is stopped (CKG_QUERY_TIMEOUT)."""
    row_cap: int = 100_000
    """Most rows a SELECT returns (CKG_ROW_CAP)."""
    byte_cap: int = 64 * 2**20
    """Most bytes an answer of /sparql holds: it is written up to here and cut to its last whole row or
    triple, so a large answer costs no more memory than this (CKG_BYTE_CAP)."""
    query_memory_mib: int = 1024
    """Most resident memory of a query process, in MiB: past it the process is killed, the query
    refused (422) and the process restarted (CKG_QUERY_MEMORY_MIB)."""
    read_timeout: float = 10.0
    """Seconds a client has to send a whole request, headers and body: a client sending a byte a
    second (slowloris) holds a thread no longer (CKG_READ_TIMEOUT)."""
    queue_wait: float = 2.0
    """Seconds a query waits for one of its worker's query lanes when all are busy; then it is
    refused with 503 and Retry-After (CKG_QUEUE_WAIT)."""
    max_request_bytes: int = 1_000_000
    """Largest request body the server reads (CKG_MAX_REQUEST_BYTES)."""
    max_query_depth: int = 64
    """Deepest nesting of brackets a query or update may have; deeper is refused before it runs,
    since parsing recurses once per level (CKG_MAX_QUERY_DEPTH)."""
    max_query_operators: int = 1_000
    """Most UNION, OPTIONAL, MINUS, path and expression operators a query or update may chain
    (CKG_MAX_QUERY_OPERATORS)."""
    update_token: str | None = None
    """Bearer token that enables writes; none means read-only (CKG_UPDATE_TOKEN)."""
    allowed_services: tuple[str, ...] = ()
    """Endpoints SERVICE and LOAD may fetch (CKG_ALLOW_SERVICE, space-separated)."""
    base_iri: str | None = None
    """Base of minted IRIs; None for the ontology's own (CKG_BASE_IRI)."""
    editor_assets: Path | None = None
    """The query editor's built files; None for node_modules/ beside the source tree (CKG_YASGUI_DIR)."""
    snapshots_kept: int = 8
    """Most snapshots kept beside the store, the newest included: every write publishes one, so
    older ones go as soon as no reader uses them, as well as an hour after they were replaced
    (CKG_SNAPSHOTS_KEPT)."""
    follow_symlinks: bool = False
    """Read files of an input folder that are symbolic links to places outside it (CKG_FOLLOW_SYMLINKS)."""
    max_document_chars: int = 20_000_000
    """Longest document the build reads, in characters; longer ones are refused (CKG_MAX_DOCUMENT_CHARS)."""
    search_exact_facets: int = 2_000
    """Most hits whose facets a search counts one by one; past it, it counts the best this many and
    says so (``facets_exact`` false), since counting a hundred thousand takes seconds
    (CKG_SEARCH_EXACT_FACETS)."""
    scheduler: str | None = None
    """The Dask scheduler whose workers extract the build's documents (tcp://HOST:PORT); None for
    local processes (CKG_SCHEDULER)."""

    kept_answers_timeout: float = 3600.0
    """Seconds the query of one named listing may run while its whole answer is made to be kept
    for the snapshot (graph/kept_answers.py); past it, that listing is run as it is asked
    (CKG_KEPT_ANSWERS_TIMEOUT)."""

    ENVIRONMENT = {"store": "CKG_STORE", "update_endpoint": "CKG_UPDATE_ENDPOINT", "graph_store": "CKG_GRAPH_STORE",
                   "store_user": "CKG_STORE_USER", "store_password": "CKG_STORE_PASSWORD",
                   "store_timeout": "CKG_STORE_TIMEOUT", "query_timeout": "CKG_QUERY_TIMEOUT", "row_cap": "CKG_ROW_CAP",
                   "byte_cap": "CKG_BYTE_CAP", "query_memory_mib": "CKG_QUERY_MEMORY_MIB",
                   "max_request_bytes": "CKG_MAX_REQUEST_BYTES", "max_query_depth": "CKG_MAX_QUERY_DEPTH",
                   "max_query_operators": "CKG_MAX_QUERY_OPERATORS", "read_timeout": "CKG_READ_TIMEOUT",
                   "queue_wait": "CKG_QUEUE_WAIT", "update_token": "CKG_UPDATE_TOKEN",
                   "allowed_services": "CKG_ALLOW_SERVICE", "base_iri": "CKG_BASE_IRI",
                   "editor_assets": "CKG_YASGUI_DIR", "snapshots_kept": "CKG_SNAPSHOTS_KEPT",
                   "follow_symlinks": "CKG_FOLLOW_SYMLINKS", "max_document_chars": "CKG_MAX_DOCUMENT_CHARS",
                   "scheduler": "CKG_SCHEDULER", "search_exact_facets": "CKG_SEARCH_EXACT_FACETS",
                   "kept_answers_timeout": "CKG_KEPT_ANSWERS_TIMEOUT"}

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The defaults, overridden by whichever CKG_* variables are set (ValueError names a bad one)."""
        environ = os.environ if environ is None else environ
        values = {}
        for field in fields(cls):
            name = cls.ENVIRONMENT[field.name]
            raw = environ.get(name, "").strip()
            if not raw:
                continue
            try:
                values[field.name] = _parse(field.name, raw)
            except ValueError:
                raise ValueError(f"{name}={raw!r} is not a valid value for {field.name.replace('_', ' ')}") from None
        return cls(**values)

    @property
    def remote(self) -> bool:
        """Whether the store is a remote one, named by its query endpoint's URL."""
        return is_url(self.store)

    @staticmethod
    def names_remote(store: Path | str) -> bool:
        """Whether a store argument names a remote store (``is_url``), for code handed the store alone."""
        return is_url(store)

    def with_options(self, **options) -> Settings:
        """These settings with the command line's options over them (an option left as None keeps the setting)."""
        return replace(self, **{key: value for key, value in options.items() if value is not None})


def is_url(store: Path | str) -> bool:
    """A store argument that starts with http:// or https:// names a remote store; anything else a folder."""
    return isinstance(store, str) and store.lower().startswith(("http://", "https://"))


def store_location(raw: str) -> Path | str:
    """A --store value or CKG_STORE as given: a URL stays text, a folder becomes a path."""
    return raw if is_url(raw) else Path(raw)


def _parse(name: str, raw: str):
    default = getattr(Settings, name)
    if name == "store":
        return store_location(raw)
    if name == "editor_assets":
        return Path(raw)
    if name == "allowed_services":
        return tuple(raw.split())
    if isinstance(default, bool):
        return _flag(raw)
    if default is None:
        return raw
    return type(default)(raw)


def _flag(raw: str) -> bool:
    """A yes/no variable: 'false' must not be read as a non-empty, hence true, string."""
    value = raw.lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(raw)


DEFAULTS = Settings()
