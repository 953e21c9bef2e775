"""The protocol's ``using-graph-uri`` / ``using-named-graph-uri`` for SPARQL Update.

pyoxigraph's update call takes no dataset, so the parameters become ``USING`` /
``USING NAMED`` clauses of each ``DELETE/INSERT … WHERE`` operation, which is what the
SPARQL 1.1 Protocol (2.2.3) says they mean. The graph IRIs are validated before they are
written into the text. A request with both the parameters and its own ``USING`` or
``WITH`` is an error, as the protocol requires.
"""
from __future__ import annotations

import re

import pyoxigraph as ox

_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*(:[^\s{}();,.]*)?")
_STRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'',
                     re.S)

_SHORT_FORM = re.compile(r"\s*(DATA|WHERE)\b", re.I)


class DatasetConflict(ValueError):
    pass


def _top_level_words(update: str) -> list[tuple[str, int]]:
    """Keywords outside braces, with their offsets, and ``;`` separators (strings, IRIs and comments skipped)."""
    words: list[tuple[str, int]] = []
    depth, i, n = 0, 0, len(update)
    while i < n:
        c = update[i]
        if c == "#":
            end = update.find("\n", i)
            i = n if end < 0 else end
        elif c in "\"'":
            match = _STRING.match(update, i)
            i = match.end() if match else i + 1
        elif c == "<":
            match = _IRI.match(update, i)
            i = match.end() if match else i + 1
        elif c in "?$":
            match = _WORD.match(update, i + 1)
            i = match.end() if match else i + 1
        elif c == "{":
            depth += 1
            i += 1
        elif c == "}":
            depth -= 1
            i += 1
        elif c == ";" and depth == 0:
            words.append((";", i))
            i += 1
        elif c.isalpha() or c == "_":
            match = _WORD.match(update, i)
            if depth == 0 and not match.group(1):
                words.append((match.group(0).upper(), i))
            i = match.end()
        else:
            i += 1
    return words


def _operations(words: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    operations: list[list[tuple[str, int]]] = [[]]
    for word in words:
        if word[0] == ";":
            operations.append([])
        else:
            operations[-1].append(word)
    return [op for op in operations if op]


def with_dataset(update: str, using: list[str], using_named: list[str]) -> str:
    """The update with the protocol's dataset written into each DELETE/INSERT … WHERE operation."""
    if not using and not using_named:
        return update
    for iri in [*using, *using_named]:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise ValueError(f"'{iri}' is not an absolute IRI (using-graph-uri / using-named-graph-uri)") from None
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    insertions: list[int] = []
    for operation in _operations(_top_level_words(update)):
        body = [(w, offset) for w, offset in operation if w not in ("PREFIX", "BASE")]
        keywords = [w for w, _ in body]
        if not keywords or keywords[0] not in ("WITH", "DELETE", "INSERT"):
            continue
        if keywords[0] != "WITH" and _SHORT_FORM.match(update, body[0][1] + len(keywords[0])):
            continue  # INSERT DATA, DELETE DATA, DELETE WHERE take no dataset
        if "WITH" in keywords or "USING" in keywords:
            raise DatasetConflict("the request gives using-graph-uri/using-named-graph-uri and the update has its "
                                  "own USING or WITH clause; use one or the other")
        where = [offset for word, offset in operation if word == "WHERE"]
        if where:
            insertions.append(where[-1])
    for offset in sorted(insertions, reverse=True):
        update = update[:offset] + clause + update[offset:]
    return update
