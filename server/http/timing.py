"""``Server-Timing``: how many requests an answer sent to the query process, and how long they took.

A browser's developer tools show it beside the network's own times, and it tells a client
(and the tests) whether an answer ran anything: a 304 runs nothing.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response

from .responses import expose


def server_timing(requests: int, seconds: float) -> str:
    return f'query;dur={seconds * 1000:.1f};desc="{requests} run"'


def install(app: Flask, taken: Callable[[], tuple[int, float]]) -> None:
    """Report, on every answer, what its thread asked of the query process while making it
    (``taken`` reads and resets that thread's tally)."""

    @app.before_request
    def start() -> None:
        taken()

    @app.after_request
    def report(response: Response) -> Response:
        response.headers["Server-Timing"] = server_timing(*taken())
        return expose(response, "Server-Timing")
