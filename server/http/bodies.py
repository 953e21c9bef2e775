"""Request bodies of undeclared length (``Transfer-Encoding: chunked``) counted like declared ones.

Werkzeug refuses a declared ``Content-Length`` over the limit, but a chunked body it reads
through a stream that simply stops at the limit: ``get_data()`` and form parsing then see
the first megabyte as if it were the whole body, and a cut update or graph is stored as if
it had been sent so. So a chunked body is read here first, in bounded pieces, up to one
byte past the limit: over it, the request is refused (413) before anything runs; under it,
the body is handed on whole with its length declared, as if the client had sent one.
"""
from __future__ import annotations

import errno
import io

from werkzeug.exceptions import RequestEntityTooLarge

PIECE = 64 * 1024
"""Bytes read at a time, so an endless body never costs more than the limit in memory."""


def undeclared(environ: dict) -> bool:
    """True for a request with a body whose length the client did not declare."""
    return not environ.get("CONTENT_LENGTH") and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()


def read_bounded(stream, limit: int) -> bytes:
    """The stream's bytes up to ``limit + 1``: one more than allowed is enough to know it is too large."""
    pieces: list[bytes] = []
    total = 0
    while total <= limit:
        piece = stream.read(min(PIECE, limit + 1 - total))
        if not piece:
            break
        pieces.append(piece)
        total += len(piece)
    return b"".join(pieces)


def declare_length(environ: dict, limit: int) -> None:
    """Read an undeclared body whole into the environ with its length; RequestEntityTooLarge past ``limit``."""
    if not undeclared(environ):
        return
    body = read_bounded(environ["wsgi.input"], limit)
    if len(body) > limit:
        raise RequestEntityTooLarge()
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))


def discard(stream, limit: int) -> None:
    """Read what is left of a body the application did not read (a write refused for its token, a
    405), up to ``limit`` bytes. gunicorn itself drains only 64 KiB of it and then closes the
    connection, after an answer that promised keep-alive: the client's next request on it, or the
    rest of a body it was still sending, then meets a closed socket instead of an answer."""
    total = 0
    try:
        while total <= limit:
            piece = stream.read(PIECE)
            if not piece:
                return
            total += len(piece)
    except (OSError, ValueError):  # the client went, or ran out its read deadline: gunicorn closes
        return


def draining(wsgi_app, limit: int):
    """``wsgi_app`` that leaves no body unread behind its answer (see ``discard``)."""

    def app(environ: dict, start_response):
        body = environ.get("wsgi.input")  # before declare_length swaps it for the bytes it read
        result = wsgi_app(environ, start_response)
        if body is not None:
            discard(body, limit)
        return result

    return app


class ReadTimeout(OSError):
    """A client that did not send its request in time. Its errno is ENOTCONN so that gunicorn
    drops the connection quietly, as for a client that has gone."""

    def __init__(self, seconds: float) -> None:
        super().__init__(errno.ENOTCONN, f"the request did not arrive within {seconds:g} s")
