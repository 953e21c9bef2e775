"""Responses shared by the server's blueprints."""
from __future__ import annotations

from flask import Response

from .operations import Outcome


def problem(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error a person can read, in plain text (SPARQL clients show the body)."""
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain", headers=headers)


def from_outcome(outcome: Outcome) -> Response:
    response = Response(outcome.body, status=outcome.status, content_type=f"{outcome.media_type}; charset=utf-8")
    if outcome.status == 204:
        del response.headers["Content-Type"]
    for name, value in outcome.headers:
        response.headers[name] = value
    response.headers.update(truncation_headers(outcome.truncated))
    return response


def truncation_headers(truncated: int | None) -> dict[str, str]:
    """What tells a client its SELECT result was cut at the row cap (nothing when it was not)."""
    if truncated is None:
        return {}
    return {"Ckg-Truncated": f"results cut at the row cap of {truncated:,} rows",
            "Access-Control-Expose-Headers": "Ckg-Truncated"}
