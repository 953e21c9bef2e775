"""Which serialisation a client gets: the ``format=`` parameter first, then ``Accept``."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept


@dataclass(frozen=True)
class Format:
    media_type: str
    names: tuple[str, ...]
    """Values of the ``format=`` parameter that pick this format."""
    oxigraph: object
    text: bool = True


RESULTS = [
    Format("application/sparql-results+json", ("json", "srj"), ox.QueryResultsFormat.JSON),
    Format("application/sparql-results+xml", ("xml", "srx"), ox.QueryResultsFormat.XML),
    Format("text/csv", ("csv",), ox.QueryResultsFormat.CSV),
    Format("text/tab-separated-values", ("tsv",), ox.QueryResultsFormat.TSV),
]
GRAPHS = [
    Format("text/turtle", ("ttl", "turtle"), ox.RdfFormat.TURTLE),
    Format("application/n-triples", ("nt", "ntriples"), ox.RdfFormat.N_TRIPLES),
    Format("application/ld+json", ("jsonld", "json"), ox.RdfFormat.JSON_LD),
    Format("application/rdf+xml", ("rdfxml", "xml", "rdf"), ox.RdfFormat.RDF_XML),
    Format("application/n-quads", ("nq", "nquads"), ox.RdfFormat.N_QUADS),
    Format("application/trig", ("trig",), ox.RdfFormat.TRIG),
]
ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
           "text/plain": "application/n-triples"}


class NotAcceptable(Exception):
    def __init__(self, offered: list[Format]) -> None:
        super().__init__("none of the formats in the Accept header can be produced; this response is available as "
                         + ", ".join(f.media_type for f in offered)
                         + " (or add format=" + "|".join(f.names[0] for f in offered) + ")")


def choose(offered: list[Format], accept: MIMEAccept, parameter: str | None) -> Format:
    """The format named by ``format=`` (a name or a media type), else the best ``Accept`` match."""
    if parameter:
        for fmt in offered:
            if parameter in fmt.names or parameter == fmt.media_type:
                return fmt
        raise NotAcceptable(offered)
    if not accept or not list(accept.values()):
        return offered[0]
    media = [f.media_type for f in offered]
    bare = ((value.split(";")[0].strip(), quality) for value, quality in accept)  # we always send UTF-8
    wanted = MIMEAccept([(ALIASES.get(value, value), quality) for value, quality in bare])
    best = wanted.best_match(media)
    if best is None:
        raise NotAcceptable(offered)
    return next(f for f in offered if f.media_type == best)


@lru_cache(maxsize=512)
def choose_for(offered: tuple[Format, ...], accept: tuple[tuple[str, float], ...], parameter: str | None) -> Format:
    """``choose`` for an Accept header carried as values; clients send the same few, so it is asked once each."""
    return choose(list(offered), MIMEAccept(list(accept)), parameter)
