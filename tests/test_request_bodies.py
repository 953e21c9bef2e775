"""Bodies of undeclared length (``Transfer-Encoding: chunked``) on a live gunicorn server: counted
like declared ones, refused whole past the body limit, stored whole under it."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from ckg.settings import DEFAULTS

from .live import serving
from .test_updates import AUTH, TOKEN, count, scratch_store

LIMIT = DEFAULTS.max_request_bytes


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from serving(scratch_store(tmp_path_factory.mktemp("bodies")), "--update-token", TOKEN, "--workers", "1")


def triples(n: int, tag: str) -> list[bytes]:
    return [f'<https://test.example/{tag}/{i}> <https://test.example/p> "{i:08d}" .\n'.encode() for i in range(n)]


def chunked(lines: list[bytes], per_chunk: int = 500) -> Iterator[bytes]:
    """A generator body: requests sends it chunked, with no Content-Length."""
    for start in range(0, len(lines), per_chunk):
        yield b"".join(lines[start:start + per_chunk])


def put_chunked(server: str, graph: str, lines: list[bytes]) -> requests.Response:
    return requests.put(server + "/store", params={"graph": graph}, data=chunked(lines), timeout=60,
                        headers={**AUTH, "Content-Type": "application/n-triples"})


def test_a_chunked_graph_is_stored_whole_or_refused_whole(server):
    over = triples(15_000, "big")
    assert sum(map(len, over)) > LIMIT
    response = put_chunked(server, "https://test.example/g/big", over)
    assert response.status_code == 413 and f"{LIMIT:,} bytes" in response.text
    assert count(server, "https://test.example/g/big") == 0
    under = triples(13_500, "whole")
    assert LIMIT * 0.9 < sum(map(len, under)) <= LIMIT
    response = put_chunked(server, "https://test.example/g/whole", under)
    assert response.status_code == 201, response.text
    assert count(server, "https://test.example/g/whole") == 13_500


def insert(graph: str, padding: int) -> bytes:
    """One INSERT DATA, padded with a comment to about ``padding`` bytes."""
    return (f"INSERT DATA {{ GRAPH <{graph}> {{ <https://test.example/s> <https://test.example/p> 1 }} }} ;\n"
            f"#{'x' * padding}\n").encode()


def test_a_chunked_update_is_applied_whole_or_refused_whole(server):
    over = [insert("https://test.example/g/first", 600_000), insert("https://test.example/g/second", 600_000)]
    response = requests.post(server + "/sparql", data=iter(over), timeout=60,
                             headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert response.status_code == 413
    assert count(server, "https://test.example/g/first") == count(server, "https://test.example/g/second") == 0
    under = [insert("https://test.example/g/first", 400_000), insert("https://test.example/g/second", 400_000)]
    response = requests.post(server + "/sparql", data=iter(under), timeout=60,
                             headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert response.status_code == 204, response.text
    assert count(server, "https://test.example/g/first") == count(server, "https://test.example/g/second") == 1
