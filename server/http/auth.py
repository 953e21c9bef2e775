"""Writes need the update token: none configured means the server is read-only."""
from __future__ import annotations

import hmac

from flask import Response, current_app, request

from .responses import problem

CONFIG_KEY = "CKG_UPDATE_TOKEN"


def refuse_write(form_token: str | None = None) -> Response | None:
    """None when the request may write; else the 403 or 401 that says why not.

    ``form_token``: the token as an HTML form of the server's own pages posts it (they run no
    script, so they cannot set a header); a header, when there is one, wins."""
    token = current_app.config.get(CONFIG_KEY)
    if not token:
        return problem(403, "this endpoint is read-only: SPARQL Update and Graph Store writes are disabled "
                            "(start 'ckg serve' with --update-token, or CKG_UPDATE_TOKEN, to enable them)")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not request.headers.get("Authorization") and form_token:
        scheme, given = "bearer", form_token
    if scheme.lower() != "bearer" or not given.strip():
        return problem(401, "writing needs the update token: send 'Authorization: Bearer <token>'",
                       {"WWW-Authenticate": 'Bearer realm="ckg"'})
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        return problem(403, "the update token is wrong")
    return None
