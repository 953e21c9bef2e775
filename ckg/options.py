"""What the commands share: the settings (environment, then options) and the --store option."""
from __future__ import annotations

from pathlib import Path

import click

from ckg.settings import DEFAULTS, Settings


def settings_of(**options) -> Settings:
    """The settings from the CKG_* environment (read once per command line), with these options over them."""
    root = click.get_current_context().find_root()
    if not isinstance(root.obj, Settings):
        try:
            root.obj = Settings.from_environment()
        except ValueError as error:
            raise click.ClickException(str(error))
    return root.obj.with_options(**options)


def store_option(help_text: str = "The Oxigraph store folder."):
    return click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help=f"{help_text} [default: $CKG_STORE, else {DEFAULTS.store}]")
