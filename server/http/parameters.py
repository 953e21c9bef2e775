"""A page's query parameters: each known and given once, or a message for the person who asked."""
from __future__ import annotations

from collections.abc import Iterable


class BadParameter(ValueError):
    """What is wrong with the request's parameters, said for a person."""


def known_once(args, known: Iterable[str], takes: str) -> None:
    """Raise BadParameter for a parameter the page does not take, or one given twice.

    ``takes`` says what the page does take, for the message ('give one of variable=IRI, …')."""
    known = tuple(known)
    unknown = sorted(set(args) - set(known))
    if unknown:
        raise BadParameter(f"unknown parameter '{unknown[0]}': {takes}")
    for name in known:
        if len(args.getlist(name)) > 1:
            raise BadParameter(f"give the parameter '{name}' once, not {len(args.getlist(name))} times")
