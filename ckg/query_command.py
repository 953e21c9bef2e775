"""``ckg query``: run a named query, a .rq file or SPARQL text on a store or an endpoint."""
from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import click

from ckg.graph import formats, geojson, kept_answers, queries

from .options import location_of, store_location_of

OFFER = (*formats.RESULTS, *formats.GRAPH, formats.GEOJSON)
"""What a query's answer can be written as; ``--format`` names one (``json`` is SPARQL results JSON)."""
CHOICES = ("table", "csv", "tsv", "json", "ttl", "geojson")
"""``--format`` values: a table on the terminal, or a format of the registry."""
MADE_FROM_JSON = ("table", "geojson")
"""Outputs ckg makes from the SPARQL JSON results it asks for."""


def output_format(name: str) -> formats.Format:
    """The registry's format for a ``--format`` value (a table and GeoJSON are made from SPARQL JSON)."""
    return formats.find("json" if name in MADE_FROM_JSON else name, OFFER)


def as_geojson(body: bytes, select, members: dict) -> bytes:
    """SPARQL JSON results as GeoJSON, the places located by ``select`` (a query's text to its JSON results)."""
    try:
        collection = geojson.answer_as_geojson(json.loads(body), select, members)
    except geojson.NoPlaceColumn as error:
        raise click.ClickException(str(error))
    return (json.dumps(collection, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        name, equals, given = value.partition("=")
        if not equals or not name.strip():
            raise click.BadParameter(f"write parameters as key=value, not {value!r}", param_hint="'--param'")
        out[name.strip()] = given
    return out


def _from_store(where, text: str, fmt: str) -> bytes:
    """The answer of a store folder (its newest published snapshot) or a remote store, in ``fmt``."""
    from ckg.graph import snapshots
    from ckg.graph.store import StoreError
    from ckg.graph.stores import is_remote, open_store

    with ExitStack() as held:
        try:
            opened = where if is_remote(where) else held.enter_context(snapshots.reading_newest(where))
            store = held.enter_context(open_store(opened, read_only=True))
            results = store.query(text)
        except StoreError as error:
            raise click.ClickException(str(error))
        except SyntaxError as error:
            raise click.ClickException(f"the query is not valid SPARQL: {error}")
        except (ValueError, OSError) as error:
            raise click.ClickException(f"the query could not be run: {error}")
        return _serialized(results, fmt)


def _serialized(results, fmt: str) -> bytes:
    from ckg.graph.remote_store import gives_graph

    wanted = output_format(fmt)
    if gives_graph(results):
        if fmt not in ("ttl", "table"):
            raise click.ClickException(f"a CONSTRUCT or DESCRIBE query gives a graph: use --format ttl, not {fmt}")
        return results.serialize(format=formats.FORMATS["ttl"].oxigraph)
    if wanted.kind != "results":
        raise click.ClickException("a SELECT or ASK query gives results, not a graph: use table, csv, tsv, json "
                                   "or geojson")
    return results.serialize(format=wanted.oxigraph)


def _from_kept(store_path: Path, named: queries.NamedQuery, limit: int | None, offset: int,
               fmt: str) -> bytes | None:
    """The page of a named query asked with no parameter, from the answer kept for the newest
    snapshot (graph/kept_answers.py); None when there is none."""
    from ckg.graph import snapshots

    with snapshots.reading_newest(store_path) as snapshot:
        found = kept_answers.kept(snapshot, named) if snapshot != Path(store_path) else None
        if found is None:
            return None
        data = found.results(offset, limit)
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    if output_format(fmt) is formats.FORMATS["srj"]:
        return body
    import pyoxigraph as ox

    return _serialized(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON), fmt)


def _from_endpoint(endpoint: str, text: str, fmt: str) -> bytes:
    accept = output_format(fmt).media_type
    if fmt == "table":
        accept += f", {formats.FORMATS['ttl'].media_type};q=0.5"
    request = urllib.request.Request(endpoint, data=text.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/sparql-query; charset=utf-8",
                                              "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise click.ClickException(f"{endpoint} answered {error.code}: {error.read().decode('utf-8', 'replace').strip()}")
    except (urllib.error.URLError, OSError) as error:
        raise click.ClickException(f"cannot reach {endpoint}: {getattr(error, 'reason', error)}")


def table(body: bytes, title: str | None = None) -> None:
    """SPARQL JSON results (or a graph) as a table on the terminal."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    try:
        data = json.loads(body)
    except ValueError:
        console.print(body.decode("utf-8"), markup=False, highlight=False)  # a graph: its Turtle
        return
    if "boolean" in data:
        console.print("yes" if data["boolean"] else "no")
        return
    columns = data["head"]["vars"]
    rows = data["results"]["bindings"]
    shown = Table(*columns, title=title, show_lines=False, highlight=False)
    for row in rows:
        shown.add_row(*[row[c]["value"] if c in row else "" for c in columns])
    console.print(shown)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim")


@click.command("query")
@click.argument("what", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query (see its '#+ param:' lines); repeatable.")
@click.option("--store", "store_path", metavar="DIR|URL", default=None, callback=store_location_of,
              help="Query this Oxigraph store folder, as of its newest published snapshot, or the remote SPARQL "
                   "1.1 store whose query endpoint this http(s) URL is (default: the build's, env CKG_STORE).")
@click.option("--endpoint", default=None, metavar="URL",
              help="Query this SPARQL endpoint instead of a store (e.g. http://127.0.0.1:5000/sparql).")
@click.option("--limit", type=click.IntRange(1, queries.MAX_OFFSET), default=None,
              help="At most this many rows, added to the query as its LIMIT.")
@click.option("--offset", type=click.IntRange(0, queries.MAX_OFFSET), default=0, show_default=True,
              help="Skip this many rows first (the query's OFFSET): with --limit, one page of the answer.")
@click.option("--format", "-f", "fmt", type=click.Choice(CHOICES), default=None,
              help="Output: table (the default on a terminal), csv (the default otherwise), tsv, json "
                   "(SPARQL results JSON), ttl (for CONSTRUCT/DESCRIBE), geojson (rows with a place column as "
                   "Point features; rows whose place has no coordinates are left out and counted in 'unlocated').")
def query(what: str | None, params: tuple[str, ...], store_path: Path | str | None, endpoint: str | None,
          limit: int | None, offset: int, fmt: str | None) -> None:
    """Run a query: a named one (claims, statements, officials, operations, mediation,
    contradictions, timeline, cq01…), a .rq file, or SPARQL text.

    \b
      ckg query claims --param kind=killed --param state=Pakistan
      ckg query queries/timeline.rq -p from=2026-02-26 --format csv
      ckg query claims --limit 20 --offset 40
      ckg query operations -p type=airstrike --format geojson > airstrikes.geojson
      ckg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --endpoint http://127.0.0.1:5000/sparql

    Parameter values are bound as typed RDF terms (a VALUES block of escaped
    terms), never as query syntax. A named query asked with no parameter on a
    store is read from the answer kept for its snapshot once that is made
    (after 'ckg build'), so a page costs a slice, not the whole listing.
    With no WHAT, lists the named queries and their parameters.
    """
    if what is None:
        for found in queries.catalogue().values():
            click.echo(f"{found.name}: {found.summary}")
            for p in found.parameters:
                extra = " (required)" if p.required else (f" (default {p.default})" if p.default else "")
                click.echo(f"    {p.name} [{p.type}]{extra}: {p.description}")
        return
    if store_path is not None and endpoint is not None:
        raise click.UsageError("give --store or --endpoint, not both")
    try:
        named = queries.resolve(what)
        text = queries.paged(queries.bind(named, _params(params)), queries.Page(limit, offset))
    except queries.QueryError as error:
        raise click.ClickException(str(error))
    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    if endpoint is not None:
        def run(text: str, fmt: str) -> bytes:
            return _from_endpoint(endpoint, text, fmt)
    else:
        where = location_of(store=store_path)
        if isinstance(where, Path) and not (where / "CURRENT").exists():
            raise click.ClickException(f"no store at {where}: build one with 'ckg build --store {where}' "
                                       "or give --store DIR or --endpoint URL")

        def run(text: str, fmt: str) -> bytes:
            return _from_store(where, text, fmt)
    kept = None  # a named query asked with no parameter: its page from the answer kept for the snapshot
    if endpoint is None and isinstance(where, Path) and queries.NAME.match(what) \
            and kept_answers.unasked(_params(params)):
        kept = _from_kept(where, named, limit, offset, fmt)
    answered = kept if kept is not None else run(text, fmt)
    if fmt == "geojson":
        body = as_geojson(answered, lambda lookup: json.loads(run(lookup, "json")),
                          {"query": named.name, "parameters": _params(params)})
    else:
        body = answered
    if fmt == "table":
        table(body, named.summary or None)
    else:
        stream = click.get_binary_stream("stdout")
        stream.write(body)
        stream.flush()
