"""What the commands share: the settings (environment, then options) and the --store option."""
from __future__ import annotations

from pathlib import Path

import click

from ckg.settings import DEFAULTS, Settings, store_location


def settings_of(**options) -> Settings:
    """The settings from the CKG_* environment (read once per command line), with these options over them."""
    root = click.get_current_context().find_root()
    if not isinstance(root.obj, Settings):
        try:
            root.obj = Settings.from_environment()
        except ValueError as error:
            raise click.ClickException(str(error))
    return root.obj.with_options(**options)


def store_location_of(_ctx, _param, value: str | None) -> Path | str | None:
    """A --store value: a URL (http:// or https://) stays text, anything else is a folder."""
    return None if value is None else store_location(value)


STORE_HELP = ("A folder (an embedded Oxigraph store), or the query endpoint URL of a remote SPARQL 1.1 store "
              "(http:// or https://; see --update-endpoint, --graph-store).")


def store_option(help_text: str = "The store."):
    return click.option("--store", "store_path", metavar="DIR|URL", default=None, callback=store_location_of,
                        help=f"{help_text} {STORE_HELP} [default: $CKG_STORE, else {DEFAULTS.store}]")


def endpoint_options(command):
    """--update-endpoint and --graph-store: where a remote store takes writes, when not where its query
    endpoint implies."""
    command = click.option("--graph-store", default=None, metavar="URL",
                           help="A remote store's Graph Store Protocol endpoint [default: $CKG_GRAPH_STORE, else "
                                "/store beside Oxigraph server's /query, /sparql-graph-crud beside Virtuoso's "
                                "/sparql].")(command)
    return click.option("--update-endpoint", default=None, metavar="URL",
                        help="A remote store's SPARQL Update endpoint [default: $CKG_UPDATE_ENDPOINT, else "
                             "/update beside Oxigraph server's /query, Virtuoso's /sparql itself].")(command)


def location_of(**options):
    """The store the command line and environment name (graph.stores.location), or a one-line error."""
    from ckg.graph.stores import location
    from ckg.graph.store import StoreError

    try:
        return location(settings_of(**options))
    except StoreError as error:
        raise click.ClickException(str(error))
