"""WSGI entry point for any server: ``gunicorn ckg.server.wsgi:app`` (settings from the CKG_* environment)."""
from __future__ import annotations

from ckg.settings import Settings

from .app import create_app

app = create_app(Settings.from_environment())
