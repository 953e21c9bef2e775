"""Which format a client gets, from what a resource offers: one negotiator for every view.

What was asked by name wins (``format=`` or a file suffix, resolved by the caller with
graph.formats), else the ``Accept`` header's best match among the offer's media types,
else the offer's first format when the client says nothing. Media types a format is also
known by (``application/json`` for SPARQL JSON results, ``text/plain`` for N-Triples) count
only when no format of the offer is sent as that type.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from werkzeug.datastructures import MIMEAccept

from ckg.graph.formats import HTML, LISTING, Format, by_suffix, find


class NotAcceptable(Exception):
    def __init__(self, offer: Sequence[Format], by_name: bool = True) -> None:
        hint = " (or add format=" + "|".join(f.name for f in offer) + ")" if by_name else ""
        super().__init__("none of the formats in the Accept header can be produced; this response is available as "
                         + ", ".join(f.media_type for f in offer) + hint)
        self.offer = tuple(offer)


def candidates(offer: Sequence[Format]) -> list[tuple[str, Format]]:
    """Each media type the offer answers to, with its format, in the offer's order (a format's
    other media types right after its own, as if the client had written its own)."""
    sent = {f.media_type for f in offer}
    return [(media, f) for f in offer for media in f.media_types if media == f.media_type or media not in sent]


def negotiate(offer: Sequence[Format], accept: Iterable[tuple[str, float]], asked: str | None = None,
              otherwise: Format | None = None) -> Format:
    """The format to answer in. ``asked``: a ``format=`` value (name, other name or media type);
    ``otherwise``: what to send when nothing in ``Accept`` fits (else NotAcceptable)."""
    if asked:
        found = find(asked, offer)
        if found is None:
            raise NotAcceptable(offer)
        return found
    values = [(value.split(";")[0].strip(), quality) for value, quality in accept]  # we always send UTF-8
    if not values:
        return offer[0]
    pairs = candidates(offer)
    best = MIMEAccept(values).best_match([media for media, _ in pairs])
    if best is None:
        if otherwise is not None:
            return otherwise
        raise NotAcceptable(offer)
    return next(f for media, f in pairs if media == best)


@lru_cache(maxsize=512)
def negotiate_once(offer: tuple[Format, ...], accept: tuple[tuple[str, float], ...], asked: str | None) -> Format:
    """``negotiate`` for an Accept header carried as values: clients send the same few, so each is worked out once."""
    return negotiate(offer, accept, asked)


def for_listing(suffix: str | None, accept: Iterable[tuple[str, float]], offer: Sequence[Format] = LISTING,
                asked: str | None = None) -> Format | None:
    """A listing's page or its data: by suffix (None when it names neither), else by ``format=``
    (NotAcceptable when the offer has no such format), else by ``Accept``, falling back to its page."""
    if suffix is not None:
        return by_suffix(suffix, offer)
    return negotiate(offer, accept, asked, otherwise=HTML)
