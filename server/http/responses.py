"""Plain-text answers and the headers every view may add: nothing here knows a view."""
from __future__ import annotations

from flask import Response


def problem(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error a person can read, in plain text (SPARQL clients show the body)."""
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain", headers=headers)


def expose(response: Response, *names: str) -> Response:
    """Let scripts of other origins read these headers too (CORS), beside those already exposed."""
    shown = [n.strip() for n in response.headers.get("Access-Control-Expose-Headers", "").split(",") if n.strip()]
    wanted = [n for n in names if n in response.headers and n not in shown]
    if wanted:
        response.headers["Access-Control-Expose-Headers"] = ", ".join(shown + wanted)
    return response


def truncation_headers(truncated: str | None) -> dict[str, str]:
    """What tells a client its answer was cut, and by which cap (nothing when it was not)."""
    if truncated is None:
        return {}
    return {"Ckg-Truncated": f"results cut at {truncated}",
            "Access-Control-Expose-Headers": "Ckg-Truncated"}
