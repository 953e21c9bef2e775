"""The ``ckg`` command: the one entry point for analysts and operators."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ckg.ontology import files, reasoning, report, vocabulary
from ckg.settings import DEFAULTS

from .export_command import export
from .options import endpoint_options, location_of, settings_of, store_location_of, store_option
from .query_command import query
from .search_command import search


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="conflict-kg")
@click.pass_context
def main(ctx: click.Context) -> None:
    """ckg: a knowledge graph of conflict reporting.

    News articles go in; the graph records who claimed what, when, in what capacity,
    through which channel, and where the words stand in the source text.
    """


@main.command()
@click.option("--with", "extra", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Also reason over this RDF file (Turtle, RDF/XML, N-Triples); repeatable.")
@click.option("--hierarchy", is_flag=True, help="Print the inferred class hierarchy.")
@click.option("--store", "store_path", metavar="DIR|URL", default=None, callback=store_location_of,
              help="Also validate the built data in this store (a folder, or a remote store's query endpoint URL) "
                   "with the SHACL shapes (default: the build's store, when it exists).")
@endpoint_options
def check(extra: tuple[Path, ...], hierarchy: bool, store_path: Path | str | None, update_endpoint: str | None,
          graph_store: str | None) -> None:
    """Check the ontology, the knowledge base and the built data.

    HermiT reports consistency, the number of classes and individuals, and which
    individuals it classifies as officials and mediators; then the SHACL shapes check
    that every claim in the store has a claimant, a document and evidence, and every
    figure a kind and a lower bound. Exits 1 on an inconsistency or a violation.
    """
    paths = files.reasoned_files() + list(extra)
    click.echo("reasoning over: " + ", ".join(str(p) for p in paths))
    graph = reasoning.merge(paths)
    result = reasoning.reason(graph)
    click.echo(report.summary(result, report.labels_of(graph), show_hierarchy=hierarchy))
    ok = result.consistent
    settings = settings_of(store=store_path, update_endpoint=update_endpoint, graph_store=graph_store)
    if store_path is None and not settings.remote and not (Path(settings.store) / "CURRENT").exists():
        store_path = None
    else:
        store_path = settings.store
    if store_path is not None:
        from ckg.graph.store import StoreError
        from ckg.graph.stores import open_store
        from ckg.graph.validate import validate_store

        try:
            with open_store(location_of(store=store_path, update_endpoint=update_endpoint, graph_store=graph_store),
                            read_only=True) as store:
                validation = validate_store(store)
        except StoreError as error:
            raise click.ClickException(str(error))
        if validation.conforms:
            click.echo(f"SHACL: the data in {store_path} conforms")
        else:
            click.echo(f"SHACL: {validation.violations} violation(s) in {store_path}\n{validation.report}")
            ok = False
    sys.exit(0 if ok else 1)


def _base_iri(value: str | None) -> str | None:
    from ckg.graph.iris import check_base

    if value is None:
        return None
    try:
        return check_base(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--base-iri' / CKG_BASE_IRI")


def estimate_documents(sources: list[Path]) -> int:
    """How many documents a build will read (files, plus lines of JSON Lines), for the progress bar."""
    total = 0
    for source in sources:
        for path in ([source] if source.is_file() else [p for p in source.rglob("*") if p.is_file()]):
            if path.suffix.lower() == ".jsonl":
                with open(path, "rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            elif not path.name.startswith("."):
                total += 1
    return max(total, 1)


def _cluster(address: str | None):
    """A client of the Dask scheduler at ``address``, or None to extract in local processes."""
    if address is None:
        return None
    from ckg.graph.cluster import ClusterError, connect

    try:
        return connect(address)
    except ClusterError as error:
        raise click.ClickException(str(error))


@contextmanager
def _closing(cluster) -> Iterator[None]:
    """Close the cluster's client at the end; a cluster lost during the build is a one-line error
    (the documents written so far are whole, and the next build does the rest)."""
    from ckg.graph.cluster import ClusterError

    try:
        yield
    except ClusterError as error:
        raise click.ClickException(str(error))
    finally:
        if cluster is not None:
            cluster.close()


@contextmanager
def _store_errors() -> Iterator[None]:
    """A store that fails half-way (a remote one gone, refusing a write) is a one-line error; what was
    written before stands whole, and the next build does the rest."""
    from ckg.graph.store import StoreError

    try:
        yield
    except StoreError as error:
        raise click.ClickException(str(error))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@store_option("The store to build into.")
@endpoint_options
@click.option("--force", is_flag=True, help="Re-extract documents even when unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None,
              help="Processes that extract documents (default: the number of cores); the store is the same for any N.")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Extract on the workers of the Dask cluster this scheduler runs, instead of local processes "
                   "(--jobs is then unused); the store is the same. [default: $CKG_SCHEDULER, else local]")
@click.option("--base-iri", callback=lambda ctx, param, value: _base_iri(value),
              help="Mint IRIs under this absolute http(s) IRI ending in / or # "
                   f"[default: $CKG_BASE_IRI, else {vocabulary.ID_BASE}].")
@click.option("--follow-symlinks/--no-follow-symlinks", default=None,
              help="Read files of a folder that are symbolic links to places outside it; without it they are "
                   "skipped and the summary says so. [default: $CKG_FOLLOW_SYMLINKS, else no]")
def build(paths: tuple[Path, ...], store_path: Path | str | None, update_endpoint: str | None, graph_store: str | None,
          force: bool, quiet: bool, base_iri: str | None, jobs: int | None, follow_symlinks: bool | None,
          scheduler: str | None) -> None:
    """Build the graph from news articles (files or folders; default: seeds/).

    Formats: .txt (optional 'key: value' header or a 'date YYYY-MM-DD Place:' dateline),
    .md with YAML front matter, .html pages saved from news sites, .jsonl (one article a
    line: id, url, title, date, text). Each document becomes one named graph; re-running
    replaces it, and skips documents that have not changed. A document's id is its path in
    the folder without suffix, with it when two files differ only by suffix; a second
    document with an id already used is refused. Documents of up to
    $CKG_MAX_DOCUMENT_CHARS characters (default 20,000,000) are built, longer ones refused.
    A running 'ckg serve' picks up the result without a restart; each named listing's whole
    answer is then made in the background and kept with the snapshot (pages are slices of
    it; $CKG_KEPT_ANSWERS_TIMEOUT seconds at most each). Exits 2 when some failed.
    """
    from ckg.graph import iris, kept_answers, snapshots
    from ckg.graph.build import build as run_build
    from ckg.graph.store import StoreError
    from ckg.graph.stores import is_remote, open_store

    settings = settings_of(store=store_path, base_iri=base_iri, follow_symlinks=follow_symlinks, scheduler=scheduler,
                           update_endpoint=update_endpoint, graph_store=graph_store)
    where = location_of(store=store_path, update_endpoint=update_endpoint, graph_store=graph_store)
    reading = {"follow_symlinks": settings.follow_symlinks, "max_characters": settings.max_document_chars}
    sources = list(paths) or [Path("seeds")]
    iris.use_base(_base_iri(settings.base_iri))  # the extraction workers are forked: they inherit it
    jobs = jobs or os.cpu_count() or 1
    cluster = _cluster(settings.scheduler)  # before the store is opened: an unreachable one changes nothing
    try:
        store = open_store(where)
    except StoreError as error:
        if cluster is not None:
            cluster.close()
        raise click.ClickException(str(error))
    with store, _closing(cluster), _store_errors():
        if quiet or not sys.stderr.isatty():
            summary = run_build(sources, store, force=force, jobs=jobs, cluster=cluster, **reading)
        else:
            with click.progressbar(length=estimate_documents(sources), label="building", file=sys.stderr,
                                   show_pos=True, show_eta=True) as bar:
                summary = run_build(sources, store, force=force, jobs=jobs, cluster=cluster, **reading,
                                    progress=lambda done, path: bar.update(1))
        published = None
        if is_remote(where):
            if summary.changed or store.stamp() is None:
                store.touch()  # servers of the remote store name their answers by it
        else:
            published = snapshots.publish(store, optimize=True, keep=settings.snapshots_kept)  # a server switches to it
    if published is not None:
        kept_answers.in_background(published, settings.kept_answers_timeout)  # the listings' answers, made after
    click.echo("\n".join(summary.lines()))
    sys.exit(2 if summary.failures else 0)


@main.command()
@store_option("The store to serve (built with 'ckg build').")
@endpoint_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="gunicorn worker processes.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Queries each worker runs at once (its query lanes); it has two threads more, so a query "
                   "that finds every lane busy is told so at once.")
@click.option("--query-timeout", default=None, type=click.FloatRange(0.1, 3600),
              help="Seconds a query may run; past that it is stopped and the client told so (503). "
                   f"[default: $CKG_QUERY_TIMEOUT, else {DEFAULTS.query_timeout:g}]")
@click.option("--row-cap", default=None, type=click.IntRange(1),
              help="Most rows a SELECT returns; a cut result carries a 'Ckg-Truncated' header. "
                   f"[default: $CKG_ROW_CAP, else {DEFAULTS.row_cap}]")
@click.option("--byte-cap", default=None, type=click.IntRange(1024),
              help="Most bytes an answer holds: it is written up to here and cut to its last whole row or triple, "
                   "with a 'Ckg-Truncated' header. "
                   f"[default: $CKG_BYTE_CAP, else {DEFAULTS.byte_cap}]")
@click.option("--query-memory", "query_memory_mib", default=None, type=click.IntRange(64), metavar="MIB",
              help="Most memory a query process may hold, in MiB; past it the query is stopped and refused (422) "
                   "and the process restarted, other queries sent again. "
                   f"[default: $CKG_QUERY_MEMORY_MIB, else {DEFAULTS.query_memory_mib}]")
@click.option("--read-timeout", default=None, type=click.FloatRange(0.5, 3600),
              help="Seconds a client has to send a whole request, headers and body; a slower one is dropped "
                   f"(or told 408), so slow clients cannot hold the threads. [default: $CKG_READ_TIMEOUT, else "
                   f"{DEFAULTS.read_timeout:g}]")
@click.option("--queue-wait", default=None, type=click.FloatRange(0, 3600),
              help="Seconds a query waits for a free query lane when its worker's are all busy; then it gets 503 "
                   f"with Retry-After. [default: $CKG_QUEUE_WAIT, else {DEFAULTS.queue_wait:g}]")
@click.option("--update-token", default=None,
              help="Enable SPARQL Update and Graph Store writes for requests that send "
                   "'Authorization: Bearer <token>'. Without it the server is read-only. "
                   "Prefer the environment variable CKG_UPDATE_TOKEN: options show in the process list.")
@click.option("--allow-service", "allowed_services", multiple=True, metavar="URL",
              help="An endpoint that SERVICE in a query and LOAD in an update may fetch (repeatable; "
                   "also $CKG_ALLOW_SERVICE, space-separated). Without it the server fetches nothing.")
@click.option("--snapshots-kept", default=None, type=click.IntRange(1),
              help="Most snapshots of the store kept beside it, the newest included (every write publishes "
                   "one); an older one is removed once no query reads it, or an hour after it was replaced. "
                   f"[default: $CKG_SNAPSHOTS_KEPT, else {DEFAULTS.snapshots_kept}]")
def serve(store_path: Path | str | None, update_endpoint: str | None, graph_store: str | None, host: str, port: int, workers: int, threads: int, query_timeout: float | None,
          row_cap: int | None, byte_cap: int | None, query_memory_mib: int | None, read_timeout: float | None,
          queue_wait: float | None, update_token: str | None,
          allowed_services: tuple[str, ...], snapshots_kept: int | None) -> None:
    """Serve the store over HTTP: SPARQL 1.1 at /sparql, Graph Store at /store.

    Also: a page for every IRI the project mints (at its own path), downloads at /dump,
    the dataset's VoID description at /.well-known/void, the ontology at /ontology, the
    named queries as a web API at /api/queries (described at /api/openapi.json), full-text
    search at /search and /api/search.

    Runs under gunicorn (never Flask's development server). Workers read the newest
    snapshot of the store, so a 'ckg build' while serving is picked up without a restart.
    A remote store (--store URL) is read as it is, with no snapshots; search, downloads and
    the VoID statistics need an embedded store. Read-only unless an update token is given.
    """
    settings = settings_of(store=store_path, query_timeout=query_timeout, row_cap=row_cap, byte_cap=byte_cap,
                           query_memory_mib=query_memory_mib, read_timeout=read_timeout, queue_wait=queue_wait,
                           update_token=update_token,
                           allowed_services=allowed_services or None, snapshots_kept=snapshots_kept,
                           update_endpoint=update_endpoint, graph_store=graph_store)
    store_path = settings.store
    from ckg.graph.store import StoreError
    from ckg.graph.stores import require_built
    from ckg.server.serve import serve as run_server

    try:
        require_built(location_of(store=store_path, update_endpoint=update_endpoint, graph_store=graph_store))
    except StoreError as error:
        raise click.ClickException(str(error))

    mode = "updates enabled for bearers of the token" if settings.update_token else "read-only"
    click.echo(f"serving {store_path} on http://{host}:{port}/ (SPARQL endpoint: http://{host}:{port}/sparql, {mode})")
    try:
        run_server(settings, host, port, workers, threads)
    except StoreError as error:
        raise click.ClickException(str(error))


main.add_command(export)
main.add_command(query)
main.add_command(search)

if __name__ == "__main__":
    main()
