"""Plain-text answers and the headers every view may add: nothing here knows a view."""
from __future__ import annotations

from flask import Response


def problem(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error a person can read, in plain text (SPARQL clients show the body)."""
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain", headers=headers)


def truncation_headers(truncated: str | None) -> dict[str, str]:
    """What tells a client its answer was cut, and by which cap (nothing when it was not)."""
    if truncated is None:
        return {}
    return {"Ckg-Truncated": f"results cut at {truncated}",
            "Access-Control-Expose-Headers": "Ckg-Truncated"}
