"""The server's views, one module per concern, each a blueprint over views/base.py's ``BaseView``."""
from __future__ import annotations

from flask import Flask

from . import (api, downloads, editor, graph_store, listings, maps, ontology, resources, search, sparql, timelines,
               verdicts, void)
from .base import assets, register_filters

BLUEPRINTS = (editor.blueprint, sparql.blueprint, graph_store.blueprint, downloads.blueprint, void.blueprint,
              ontology.blueprint, listings.blueprint, search.blueprint, timelines.blueprint, maps.blueprint,
              verdicts.blueprint, resources.blueprint, api.blueprint, assets)
"""Every view of the server; a resource's path is anything none of the others takes."""


def register(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_filters(app)
