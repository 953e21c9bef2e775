"""Slow clients and slow queries cannot take the server from everyone else (a live server of one
worker with two query lanes, over a small store)."""
from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .live import serving
from .test_query_memory import CHEAP, SELECT, TRIPLES, small_store  # noqa: F401 (a fixture)

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
"""Far past the time limit on any store."""

@pytest.fixture(scope="module")
def server(small_store):  # noqa: F811
    yield from serving(small_store, "--workers", "1", "--threads", "2", "--read-timeout", "3",
                       "--query-timeout", "6", "--queue-wait", "1")


def slowloris(url: str, sockets: int, stop: threading.Event) -> threading.Thread:
    """``sockets`` connections that send a request's head one byte every half second until ``stop``
    (at most 20 s)."""
    port = int(url.rsplit(":", 1)[1])
    head = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200

    def dribble() -> None:
        connections = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(sockets)]
        for byte in head[:40]:
            if stop.wait(0.5):
                break
            for connection in connections:
                try:
                    connection.send(bytes([byte]))
                except OSError:
                    pass  # the server dropped it
        for connection in connections:
            connection.close()

    thread = threading.Thread(target=dribble, daemon=True)
    thread.start()
    return thread


def test_slow_clients_do_not_keep_others_waiting(server):
    stop = threading.Event()
    dribbling = slowloris(server, 10, stop)
    try:
        time.sleep(1.5)  # every slow client has sent its first bytes
        began = time.monotonic()
        answer = requests.post(server + "/sparql", data={"query": CHEAP}, headers=SELECT, timeout=8)
        waited = time.monotonic() - began
    finally:
        stop.set()
        dribbling.join(10)
    assert answer.status_code == 200 and answer.json()["results"]["bindings"][0]["n"]["value"] == str(TRIPLES)
    assert waited < 5, waited  # answered within a few seconds, while the slow clients still hold their sockets


def test_a_query_finding_every_lane_busy_is_told_to_come_back(server):
    with ThreadPoolExecutor(2) as pool:
        slow = [pool.submit(requests.post, server + "/sparql", data={"query": HEAVY}, headers=SELECT, timeout=30)
                for _ in range(2)]
        time.sleep(1.5)  # both lanes are running a slow query
        began = time.monotonic()
        further = requests.post(server + "/sparql", data={"query": CHEAP}, headers=SELECT, timeout=10)
        waited = time.monotonic() - began
        description = requests.get(server + "/sparql", headers={"Accept": "text/turtle"}, timeout=10)
        answers = [s.result() for s in slow]
    assert further.status_code == 503 and int(further.headers["Retry-After"]) >= 1, further.text
    assert "busy" in further.text and waited < 5
    assert description.status_code == 200 and "sd:Service" in description.text  # no query: still answered
    assert [a.status_code for a in answers] == [503, 503] and all("time limit" in a.text for a in answers)
    after = requests.post(server + "/sparql", data={"query": CHEAP}, headers=SELECT, timeout=10)
    assert after.status_code == 200
