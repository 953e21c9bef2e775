"""How deep a query nests and how many operators it chains, read before it runs.

Oxigraph parses and plans a query by recursion, so a 20 KB query of nested brackets, a
long chain of UNION or OPTIONAL, or a property path of thousands of steps overflows the
query process's stack and kills it. Counting brackets and operators over the query's
tokens (strings, comments and IRIs skipped, as federation.py reads them) costs a few
milliseconds; a query past a limit is refused with a 400 that names the limit.
"""
from __future__ import annotations

from .federation import tokens

OPENING, CLOSING = set("({["), set(")}]")
KEYWORDS = {"UNION", "OPTIONAL", "MINUS"}
"""Words that chain the query's graph patterns."""
SYMBOLS = set("/|+-*&")
"""Path and expression operators that chain ('&&' counts twice, a number's sign once: the
limit is loose). '^' is left out: it is also every typed literal's '^^'."""


def shape(text: str) -> tuple[int, int]:
    """(deepest nesting of brackets, number of chaining keywords and operators)."""
    depth = deepest = operators = 0
    for kind, token in tokens(text):
        if kind == "other":
            if token in OPENING:
                depth += 1
                deepest = max(deepest, depth)
            elif token in CLOSING:
                depth = max(depth - 1, 0)
            elif token in SYMBOLS:
                operators += 1
        elif kind == "name" and token.upper() in KEYWORDS:
            operators += 1
    return deepest, operators


def refusal(text: str, what: str, max_depth: int, max_operators: int) -> str | None:
    """Why the query (or update) is refused, or None when it is within both limits."""
    depth, operators = shape(text)
    if depth > max_depth:
        return (f"the {what} nests brackets {depth:,} deep, more than the limit of {max_depth:,} "
                "(CKG_MAX_QUERY_DEPTH); flatten it")
    if operators > max_operators:
        return (f"the {what} chains {operators:,} operators (UNION, OPTIONAL, MINUS, path and expression "
                f"operators), more than the limit of {max_operators:,} (CKG_MAX_QUERY_OPERATORS); "
                "split it into several queries")
    return None
