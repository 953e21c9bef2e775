"""``ckg export``: the store as one RDF file, streamed."""
from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path

import click

from ckg.graph.export import FORMATS

from .options import location_of, store_option


@click.command()
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="nq", show_default=True,
              help=", ".join(f"{f.name} ({f.label})" for f in FORMATS.values()) + ".")
@click.option("--graph", "graph_iri", default=None, metavar="IRI",
              help="Export this named graph alone (default: the whole store).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (gzip-compressed when it ends in .gz; default: standard output).")
@click.option("--verdicts", is_flag=True,
              help="Export the analysts' verdicts instead, as schema.org ClaimReview JSON-LD, and the source ratings as Reviews (--format is ignored).")
@store_option()
def export(fmt: str, graph_iri: str | None, output: Path | None, store_path: Path | str | None, verdicts: bool) -> None:
    """Export the store, or one named graph, as RDF.

    N-Quads and TriG keep every triple's graph. Turtle, N-Triples, JSON-LD and RDF/XML
    have no graphs: without --graph they hold the merge of all graphs (the union that
    queries see; a triple stated in several graphs is repeated, the same RDF graph).
    Reads the newest snapshot the build or the server published, else the store itself
    (a remote store: its graphs, one request each through the Graph Store Protocol); streams, so memory stays flat whatever the store's size. With --verdicts, writes every
    verdict as a ClaimReview (JSON-LD, the schema.org context inline).
    """
    from ckg.graph import snapshots
    from ckg.graph.export import ExportError, export_format, export_to_path
    from ckg.graph.store import StoreError
    from ckg.graph.stores import is_remote, open_store

    where = location_of(store=store_path)
    if not is_remote(where) and not (where / "CURRENT").exists():
        raise click.ClickException(f"no store at {where}: build one first with 'ckg build --store {where}'")
    try:
        with ExitStack() as held:
            path = where if is_remote(where) else held.enter_context(snapshots.reading_newest(where))
            store = held.enter_context(open_store(path, read_only=True))
            if verdicts:
                if graph_iri is not None:
                    raise click.ClickException("--verdicts exports the verdicts graph's reviews; give no --graph with it")
                _write_reviews(store, output)
            elif output is None:
                store.dump(sys.stdout.buffer, fmt, graph_iri)
            else:
                export_to_path(store if is_remote(where) else store.oxigraph, output, export_format(fmt), graph_iri)
    except (ExportError, StoreError) as error:
        raise click.ClickException(str(error))
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}")


def _write_reviews(store, output: Path | None) -> None:
    """The verdicts as ClaimReview JSON-LD, with the source ratings as Reviews, to ``output`` or standard output."""
    import gzip
    import json

    from ckg.graph.source_ratings import RATINGS, with_ratings
    from ckg.graph.verdicts import REVIEWS, claim_reviews

    def rows_of(query: str) -> list[dict[str, str]]:
        results = store.query(query)
        names = [variable.value for variable in results.variables]
        return [{name: solution[name].value for name in names if solution[name] is not None} for solution in results]

    document = with_ratings(claim_reviews(rows_of(REVIEWS)), rows_of(RATINGS))
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if output is None:
        sys.stdout.write(text)
    elif output.suffix == ".gz":
        with gzip.open(output, "wt", encoding="utf-8") as out:
            out.write(text)
    else:
        output.write_text(text, encoding="utf-8")
