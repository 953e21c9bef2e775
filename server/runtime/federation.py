"""SERVICE and LOAD make the server fetch a URL: refused unless the operator lists the endpoint.

Oxigraph fetches whatever a query's ``SERVICE <url>`` or an update's ``LOAD <url>`` names,
loopback and private addresses included. So before a query or update reaches the store its
tokens are read (strings, comments and IRIs as the SPARQL grammar has them), and each
endpoint it would fetch is resolved against the declared prefixes and base and looked up in
the operator's allow-list (``ckg serve --allow-service URL``). Nothing is fetched to decide,
so the refusal says nothing about which addresses or ports answer.

SPARQL's tokens are not context-free, and a check that reads them one way while Oxigraph
reads them another can be slipped: ``FILTER(?o<?o)SERVICE?x#>`` is a comparison followed by
a SERVICE to Oxigraph, but one IRI ``<?o)SERVICE?x#>`` to a reader that takes every ``<``
for the start of an IRI; and Oxigraph reads ``SERVICEex:x`` as ``SERVICE ex:x``. So every
reading is followed: a ``<`` where a comparison could stand (after an operand, inside
parentheses, or after another ``<``) is read both as an IRI and as an operator, and a word
that starts with a keyword both whole and as the keyword and the rest. The readings share
their tails, so the work stays proportional to the text (and is bounded: past the bound the
request is refused). A request is refused when any reading fetches an endpoint not allowed.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin

TOKEN = re.compile(r'''\s*(?:
    (?P<comment>\#[^\n]*)
   |(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
      |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
   |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
   |(?P<var>[?$]\w+)
   |(?P<name>[^\W\d][\w.-]*:(?:[\w.%:-]|LOCAL_ESCAPE)*|:(?:[\w.%:-]|LOCAL_ESCAPE)*|[^\W\d][\w-]*)
   |(?P<other>\S)
)'''.replace("LOCAL_ESCAPE", r"\\[_~.!$&'()*+,;=/?\#@%-]"), re.VERBOSE | re.UNICODE)
"""A prefixed name's local part may hold escapes (``ex:a\\'``, ``ex:b\\#``): read as part of the
name, their quote or hash never starts a string or a comment that would hide what follows."""

FETCHING = {"SERVICE", "LOAD"}
GLUED = ("SERVICE", "SILENT", "LOAD", "PREFIX")
"""Keywords Oxigraph reads even with no space before what follows them (``SERVICEex:x``)."""

STEPS_PER_CHARACTER = 1
"""How much reading a request may cost before it is refused as too intricate to check."""

ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
"""SPARQL reads codepoint escapes before it parses, so \\u0053ERVICE is SERVICE."""

Token = tuple[str, str, int]
"""Kind, text and offset of one token."""
State = tuple[int, str, str]
"""Where a reading stands: the offset, what the last token was ('operand', '<' or ''), and the
brackets open, innermost last."""


class TooIntricate(Exception):
    """The readings of a request could not all be followed within the bound."""


def _unescaped(text: str) -> str:
    def char(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
    return ESCAPE.sub(char, text)


def _last(kind: str, value: str) -> str:
    """What a token leaves behind for the next ``<``: an operand may be compared, a ``<`` may open ``<<``."""
    if kind in ("var", "iri", "name", "string") or value in (")", "}", "]") or value.isdigit():
        return "operand"
    return "<" if value == "<" else ""


def _brackets(open_: str, value: str) -> str:
    if value in "({[" and value:
        return open_ + value
    if value in ")}]" and value and open_:
        return open_[:-1]
    return open_


def _steps(text: str, state: State) -> list[tuple[Token | None, State]]:
    """Each way the token at ``state`` can be read, with where its reading goes on (None: a comment)."""
    pos, last, open_ = state
    match = TOKEN.match(text, pos)
    if match is None or match.lastgroup is None:
        return []
    kind, start, end = match.lastgroup, match.start(match.lastgroup), match.end()
    value = match.group(kind)
    if kind == "comment":
        return [(None, (end, last, open_))]
    steps: list[tuple[Token | None, State]] = [((kind, value, start), (end, _last(kind, value), _brackets(open_, value)))]
    if kind == "iri" and (last == "<" or (last == "operand" and open_.endswith("("))):
        steps.append((("other", "<", start), (start + 1, "<", open_)))  # a comparison, or the first '<' of '<<'
    if kind == "name":
        for keyword in GLUED:
            if len(value) > len(keyword) and value[:len(keyword)].upper() == keyword:
                steps.append((("name", keyword, start), (start + len(keyword), "", open_)))
    return steps


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) of each token along the plain reading (every ``<...>`` an IRI), comments left out."""
    text = _unescaped(text)
    return [(m.lastgroup, m.group(m.lastgroup)) for m in TOKEN.finditer(text)
            if m.lastgroup is not None and m.lastgroup != "comment"]


def _following(text: str, state: State, count: int) -> Iterator[list[Token]]:
    """The next ``count`` tokens (fewer at the end of the text) along every reading from ``state``."""
    if count == 0:
        yield []
        return
    steps = _steps(text, state)
    if not steps:
        yield []
        return
    for token, after in steps:
        for rest in _following(text, after, count - (token is not None)):
            yield ([token] if token is not None else []) + rest


def _readings(text: str) -> Iterator[tuple[Token, State]]:
    """Every token of every reading once, with the state after it; TooIntricate past the bound."""
    budget = STEPS_PER_CHARACTER * len(text) + 10_000
    seen: set[State] = set()
    pending: list[State] = [(0, "", "")]
    while pending:
        state = pending.pop()
        while state not in seen:
            seen.add(state)
            if len(seen) > budget:
                raise TooIntricate
            steps = _steps(text, state)
            if not steps:
                break
            for token, after in steps[1:]:
                if token is not None:
                    yield token, after
                pending.append(after)
            token, state = steps[0]
            if token is not None:
                yield token, state


def _fetch(keyword: str, tokens: list[Token]) -> Token | None | bool:
    """The endpoint a SERVICE or LOAD followed by ``tokens`` fetches (None: a variable); False when
    the grammar cannot read them as a fetch at all."""
    if tokens and tokens[0][0] == "name" and tokens[0][1].upper() == "SILENT":
        tokens = tokens[1:]
    if not tokens or tokens[0][0] not in ("iri", "var", "name"):
        return False
    target, after = tokens[0], tokens[1:2]
    if keyword == "SERVICE" and not (after and after[0][1] == "{"):
        return False  # SERVICE SILENT? VarOrIri GroupGraphPattern
    if keyword == "LOAD" and after and not (after[0][1] == ";" or after[0][1].upper().startswith("INTO")):
        return False  # LOAD SILENT? iri (INTO GRAPH iri)? and then ';' or the end
    return None if target[0] == "var" else target


def _read(text: str) -> tuple[list[tuple[str, int, Token | None]], dict[str, set[str]], list[str]]:
    """The fetches (keyword, offset, endpoint token), the prefixes declared (name: raw IRIs) and
    the bases declared (raw IRIs), over every reading."""
    fetches: dict[tuple[str, int, Token | None], None] = {}
    prefixes: dict[str, set[str]] = {}
    bases: list[str] = []
    for (kind, value, start), after in _readings(text):
        word = value.upper() if kind == "name" else ""
        if word == "BASE":
            bases += [t[0][1][1:-1] for t in _following(text, after, 1) if t and t[0][0] == "iri"]
        elif word == "PREFIX":
            for name, iri in (t for t in _following(text, after, 2) if len(t) == 2):
                if name[0] == "name" and name[1].endswith(":") and iri[0] == "iri":
                    prefixes.setdefault(name[1][:-1], set()).add(iri[1][1:-1])
        elif word in FETCHING:
            for tokens in _following(text, after, 3):
                target = _fetch(word, tokens)
                if target is not False:
                    fetches[(word, start, target)] = None
    return sorted(fetches, key=lambda fetch: fetch[1]), prefixes, bases


def _bases(initial: str, declared: list[str], most: int = 64) -> set[str]:
    """Every base a reading can have: BASE resolves against the base before it."""
    bases = {initial}
    for _ in range(len(declared)):
        grown = bases | {urljoin(base, raw) for base in bases for raw in declared}
        if grown == bases:
            break
        bases = grown
        if len(bases) > most:
            raise TooIntricate
    return bases


def _absolute(token: Token, prefixes: dict[str, set[str]], bases: set[str]) -> set[str] | None:
    """The URLs an endpoint can stand for, or None when it cannot be known before running."""
    kind, value, _ = token
    if kind == "iri":
        return {urljoin(base, value[1:-1]) for base in bases}
    if kind == "name" and ":" in value:
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            local = re.sub(r"\\(.)", r"\1", local)  # ex:a\/b is <…a/b>
            return {urljoin(base, raw) + local for raw in prefixes[prefix] for base in bases}
    return None


def endpoints(text: str, base_iri: str | None = None) -> list[tuple[str, str | None]]:
    """(keyword, absolute URL or None when it cannot be known before running) for each fetch
    of any reading; TooIntricate when the readings cannot all be followed."""
    text = _unescaped(text)
    fetches, prefixes, declared = _read(text)
    bases = _bases(base_iri or "", declared)
    found: list[tuple[str, str | None]] = []
    for keyword, _, target in fetches:
        urls = None if target is None else _absolute(target, prefixes, bases)
        found += [(keyword, None)] if urls is None else [(keyword, url) for url in sorted(urls)]
    return list(dict.fromkeys(found))


def refusal(text: str, allowed: tuple[str, ...], base_iri: str | None = None) -> str | None:
    """Why the request may not run (one line), or None when it fetches only allowed endpoints."""
    try:
        found = endpoints(text, base_iri)
    except TooIntricate:
        return ("the request is too intricate to check for SERVICE and LOAD, which this server refuses "
                "unless it allows the endpoint; simplify it (spaces around '<' comparisons help)")
    for keyword, url in found:
        if url is None:
            return (f"{keyword} needs an endpoint written as an IRI that this server allows; "
                    "a variable or an undeclared prefix is not accepted")
        if url not in allowed:
            listed = "it allows none" if not allowed else "it allows only " + ", ".join(f"<{a}>" for a in allowed)
            return (f"{keyword} <{url}> is not allowed: this server fetches no endpoint it has not been "
                    f"configured with ({listed}; see 'ckg serve --allow-service')")
    return None
