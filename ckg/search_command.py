"""``ckg search``: the search page's hits on the command line, in the same order."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from .options import settings_of, store_option


def _filter(_ctx, _param, values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    from ckg.graph.facets import FACETS, FacetError, parse

    pairs = []
    for value in values:
        facet, equals, chosen = value.partition("=")
        if not equals or facet not in FACETS:
            raise click.BadParameter(f"{value!r} is not FACET=VALUE with FACET one of {', '.join(FACETS)}")
        pairs.append((facet, chosen))
    try:
        return parse(pairs)
    except FacetError as error:
        raise click.BadParameter(str(error)) from None


@click.command()
@click.argument("words")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="text: one hit a line; json: what /api/search answers; csv: the hits as /search.csv.")
@click.option("--limit", type=click.IntRange(1, 200), default=20, show_default=True, help="Most hits.")
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True, help="Hits to skip.")
@click.option("--filter", "-f", "filters", multiple=True, metavar="FACET=VALUE", callback=_filter,
              help="Only hits with this facet value (type=claim, kind=killed, side=IRI of a state, claimant=IRI, "
                   "channel=IRI, document=IRI, day=YYYY-MM-DD, week=YYYY-Www, month=YYYY-MM: the values the "
                   "json format's facets list); repeatable.")
@store_option()
def search(words: str, fmt: str, limit: int, offset: int, filters: tuple[tuple[str, str], ...],
           store_path: Path) -> None:
    """Search the newest snapshot of the store: claims, source spans, quotes, people,
    organisations, places and documents, best first (BM25).

    WORDS is FTS5 syntax: "a phrase", prefix*, AND, OR, NOT; case and accents do not matter.
    Gives the hits of /api/search in the same order. Exits 1 on a search it cannot read.
    """
    from ckg.graph import search as full_text
    from ckg.graph import search_index, snapshots
    from ckg.graph.store import StoreError
    from ckg.server.presenters.search import csv_rows, result_data

    settings = settings_of(store=store_path)
    store_path = settings.store
    if settings.remote:
        raise click.ClickException(f"search reads the full-text index of an embedded store's snapshot; the remote "
                                   f"store at {store_path} has none: build into a folder to search")
    if not (store_path / "CURRENT").exists():
        raise click.ClickException(f"no store at {store_path}: build one first with 'ckg build --store {store_path}'")
    try:
        with snapshots.reading_newest(store_path) as snapshot:
            if snapshot == store_path:
                raise click.ClickException(f"{store_path} has no published snapshot to search: run 'ckg build' on it")
            data = result_data(full_text.search(search_index.ensure(snapshot),
                                                full_text.Request(words, filters, limit, offset),
                                                exact_up_to=settings.search_exact_facets))
    except full_text.SearchError as error:
        raise click.ClickException(str(error))
    except StoreError as error:
        raise click.ClickException(str(error))
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        csv.writer(sys.stdout).writerows(csv_rows(data))
    else:
        click.echo(f"{data['total']:,} hits for {words}")
        for number, hit in enumerate(data["hits"], offset + 1):
            click.echo(f"{number:>3}. [{hit['type']}] {hit['title']}  {hit['href']}\n     {hit['snippet']}")
