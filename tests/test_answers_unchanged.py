"""The named queries answer on the seed and the development set as recorded in tests/data/answers.json.

A refactor, a move of files or a faster path must leave every answer as it was; a change that
means to alter answers rewrites the file (``python -m tests.answers --write``), so the diff
shows, row by row, what the change did to what the graph says.
"""
from __future__ import annotations

import json

import pytest

from . import answers


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    store = tmp_path_factory.mktemp("answers") / "store"
    answers.build_inputs(store)
    return answers.answers(store)


def test_every_named_query_is_asked(found):
    from ckg.graph import queries

    asked = {name.split(" ")[0] for name in found}
    assert asked == set(queries.catalogue()), set(queries.catalogue()) ^ asked
    assert len(found["claims"]) > 100 and any(n.startswith("cq09-evidence claim=") for n in found)


def test_the_answers_are_as_recorded(found):
    recorded = json.loads(answers.FILE.read_text(encoding="utf-8"))
    changed = answers.differences(recorded, found)
    assert not changed, "answers changed (rewrite with `python -m tests.answers --write` if meant):\n" + "\n".join(changed)
