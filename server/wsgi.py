"""WSGI entry point for any server: ``gunicorn server.wsgi:app`` (store from ``CKG_STORE``)."""
from __future__ import annotations

import os

from .app import create_app

app = create_app(os.environ.get("CKG_STORE", "data/store"))
