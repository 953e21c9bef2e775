"""Headers that keep pages inert: text from articles is shown, never run.

Pages made here carry a policy that allows no script but the server's own files (the search
box's completion, static_pages/complete.js), and no inline script at all; the query editor's
is the same but for styles, which YASGUI sets inline as it draws; the ontology's documentation
(pyLODE's HTML) needs its inline styles; the API's pages carry none.
"""
from __future__ import annotations

from flask import Response

PAGE_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; connect-src 'self'; "
               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
EDITOR_POLICY = PAGE_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
DOCUMENTATION_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
                        "frame-ancestors 'none'")


def secured(response: Response, policy: str = PAGE_POLICY) -> Response:
    """An HTML answer with the no-inline-script policy, no sniffing and same-origin referrers."""
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
    return response


def documentation(response: Response) -> Response:
    """The ontology's documentation: its inline styles allowed, nothing else."""
    response.headers["Content-Security-Policy"] = DOCUMENTATION_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
