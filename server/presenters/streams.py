"""A whole kept answer (graph/kept_answers.py) written out a batch of rows at a time.

A listing's whole answer can hold tens of thousands of rows; read from its kept answer, it is
sent as it is read, never held whole: SPARQL results JSON and the API's rows as JSON written
row by row, CSV and TSV by Oxigraph a batch at a time (the header once).
"""
from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox

from ckg.graph import formats
from ckg.graph.kept_answers import Kept

STREAMED = ("srj", "json", "csv", "tsv")
"""The formats a whole kept answer is streamed in; the others are made from it in memory."""


def streamed(kept: Kept, fmt: formats.Format, head: dict) -> Iterator[bytes]:
    """The answer in ``fmt`` (one of STREAMED), in pieces; ``head`` opens the API's JSON (query and
    parameters), before its columns and rows."""
    if fmt.name == "srj":
        yield json.dumps({"head": {"vars": list(kept.columns)}})[:-1].encode("utf-8") + b', "results": {"bindings": ['
        first = True
        for batch in kept.batches():
            yield (("" if first else ",") + ",".join(batch)).encode("utf-8")
            first = False
        yield b"]}}"
    elif fmt.name == "json":
        opening = json.dumps({**head, "columns": list(kept.columns), "rows": []}, ensure_ascii=False)
        yield opening[:-2].encode("utf-8")
        first = True
        for batch in kept.batches():
            rows = (json.loads(text) for text in batch)
            cells = (json.dumps({c: row[c]["value"] if c in row else None for c in kept.columns}, ensure_ascii=False)
                     for row in rows)
            yield (("" if first else ", ") + ", ".join(cells)).encode("utf-8")
            first = False
        yield b'], "truncated": false}'
    else:
        first = True
        for batch in kept.batches():
            body = f'{{"head": {{"vars": {json.dumps(list(kept.columns))}}}, "results": {{"bindings": [{",".join(batch)}]}}}}'
            solutions = ox.parse_query_results(body.encode("utf-8"), format=ox.QueryResultsFormat.JSON)
            text = solutions.serialize(format=fmt.oxigraph)
            yield text if first else text[text.index(b"\n") + 1:]
            first = False
        if first:  # no rows: the header alone
            empty = {"head": {"vars": list(kept.columns)}, "results": {"bindings": []}}
            yield ox.parse_query_results(json.dumps(empty).encode("utf-8"),
                                         format=ox.QueryResultsFormat.JSON).serialize(format=fmt.oxigraph)
