"""Extraction on the workers of a Dask cluster; the parent still reads documents and writes the store.

Documents go out in small batches (one task each), at most a few tasks per worker thread
at a time, and each batch's quads are handed to the writer as soon as it completes, in
whatever order batches finish: the writer replaces each document's graphs whole, so the
store is the one a local build makes. A worker process builds its extractor once, with its
first task, and keeps it (the lexicon and spaCy take seconds to load). A task whose worker
dies is run again on another by the scheduler; a task that raises is retried; a batch whose
workers keep dying is split, so that only the document that kills them fails. Only the
parent imports Dask, and only for a cluster build.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING

from . import iris
from .documents import Document
from .lexicon import Lexicon, load_lexicon
from .parallel import Extracted, Extractor, software_version

if TYPE_CHECKING:
    from distributed import Client, Future

TASK_DOCUMENTS = 8
"""Documents per task: enough to make a task's overhead small, few enough to spread a small build."""
TASK_CHARACTERS = 1_000_000
"""A task also ends at this many characters, so that long documents travel a few at a time."""
IN_FLIGHT = 2
"""Tasks per worker thread sent ahead: workers never wait for the writer, memory stays flat."""
RETRIES = 2
"""Times a task that raised is run again (the extractor itself reports a document's errors)."""
CONNECT_SECONDS = 10.0
"""How long to wait for the scheduler to answer and for a worker to join it."""


class ClusterError(Exception):
    """The cluster cannot be used: unreachable, without workers, lost, or unable to run the extraction."""


def connect(address: str, timeout: float = CONNECT_SECONDS) -> Client:
    """A client of the scheduler at ``address`` that has at least one worker, or ClusterError.

    The scheduler is asked once over a bare connection first: a client that cannot connect
    leaves a half-made object behind that complains when the interpreter exits. The client's
    own log (tracebacks while it gives up on a lost scheduler) is kept out of the build's
    output, whose one-line error says what happened."""
    from distributed import Client

    logging.getLogger("distributed.client").setLevel(logging.CRITICAL)
    try:
        asyncio.run(_probe(address, timeout))
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, ValueError, TimeoutError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no workers (none joined in {timeout:g} s)") from None
    return client


async def _probe(address: str, timeout: float) -> None:
    from distributed.comm import connect as open_comm

    comm = await open_comm(address, timeout=timeout)
    await comm.close()


_EXTRACTING = threading.Lock()


@cache
def worker_extractor() -> Extractor:
    """This worker process's extractor, built by its first task and kept for the others."""
    return Extractor(load_lexicon())


def extract_batch(documents: list[Document], base: str, expected: tuple[str, str]) -> list[Extracted]:
    """Each document's result (runs on a worker). ``expected`` is the build's lexicon digest and
    software version: a worker whose differ would write other graphs than the build fingerprints.

    One task extracts at a time per process: the GIL would allow no more, and the extractor's
    spaCy pipeline is not shared across threads."""
    with _EXTRACTING:
        extractor = worker_extractor()
        found = (extractor.ctx.lexicon.digest, extractor.version)
        if found != expected:
            error = (f"extraction failed: the Dask worker has another ontology or ckg (lexicon {found[0][:12]}, "
                     f"version {found[1]}) than this build (lexicon {expected[0][:12]}, version {expected[1]}); "
                     "install the same ckg on every worker")
            return [Extracted(error=error) for _ in documents]
        iris.use_base(base)
        return [extractor(document) for document in documents]


def batches(documents: Iterable[Document]) -> Iterator[list[Document]]:
    """Consecutive documents, ``TASK_DOCUMENTS`` or ``TASK_CHARACTERS`` at a time."""
    batch: list[Document] = []
    characters = 0
    for document in documents:
        batch.append(document)
        characters += len(document.text)
        if len(batch) >= TASK_DOCUMENTS or characters >= TASK_CHARACTERS:
            yield batch
            batch, characters = [], 0
    if batch:
        yield batch


def extracted(documents: Iterable[Document], client: Client, lexicon: Lexicon) -> Iterator[tuple[Document, Extracted]]:
    """Each document with its result, as the cluster's tasks complete."""
    from distributed import as_completed

    expected = (lexicon.digest, software_version())
    base = iris.base()
    address = client.scheduler.address
    sent: dict[Future, list[Document]] = {}
    with _calls_to(address):
        running = as_completed(loop=client.loop)
        slots = IN_FLIGHT * max(1, sum(client.nthreads().values()))

    def send(batch: list[Document]) -> None:
        with _calls_to(address):
            future = client.submit(extract_batch, batch, base, expected, retries=RETRIES, pure=False)
            sent[future] = batch
            running.add(future)

    todo = batches(documents)
    for batch in islice(todo, slots):
        send(batch)
    try:
        while sent:
            with _calls_to(address):
                future = next(running)
                batch = sent.pop(future)
                results = _results(future, batch)
            if results is None:  # the workers running it kept dying: each document on its own
                for document in batch:
                    send([document])
                continue
            following = next(todo, None)
            if following is not None:
                send(following)
            yield from zip(batch, results)
    finally:
        with suppress(Exception):  # a lost cluster has nothing left to cancel
            client.cancel(list(sent))


@contextmanager
def _calls_to(address: str) -> Iterator[None]:
    """Whatever goes wrong in a call to the cluster, as one ClusterError naming it."""
    try:
        yield
    except ClusterError:
        raise
    except Exception as error:
        raise ClusterError(f"the Dask cluster at {address} could not finish the extraction: "
                           f"{type(error).__name__}: {' '.join(str(error).split())}") from None


def _results(future: Future, batch: list[Document]) -> list[Extracted] | None:
    """A task's results; None when a batch of several should be sent again one document at a time."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as error:
        if len(batch) > 1:
            return None
        return [Extracted(error=f"extraction failed: every Dask worker that ran it died ({error})")]
