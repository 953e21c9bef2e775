"""The ``ckg`` command: the one entry point for analysts and operators."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ontology import files, reasoning, report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="conflict-kg")
def main() -> None:
    """ckg: a knowledge graph of conflict reporting.

    News articles go in; the graph records who claimed what, when, in what capacity,
    through which channel, and where the words stand in the source text.
    """


@main.command()
@click.option("--with", "extra", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Also reason over this RDF file (Turtle, RDF/XML, N-Triples); repeatable.")
@click.option("--hierarchy", is_flag=True, help="Print the inferred class hierarchy.")
def check(extra: tuple[Path, ...], hierarchy: bool) -> None:
    """Check the ontology and knowledge base with the HermiT reasoner.

    Reports consistency, the number of classes and individuals, and which individuals
    the reasoner classifies as officials and mediators. Exits 1 on an inconsistency.
    """
    paths = files.reasoned_files() + list(extra)
    click.echo("reasoning over: " + ", ".join(str(p) for p in paths))
    graph = reasoning.merge(paths)
    result = reasoning.reason(graph)
    click.echo(report.summary(result, report.labels_of(graph), show_hierarchy=hierarchy))
    sys.exit(0 if result.consistent else 1)


if __name__ == "__main__":
    main()
