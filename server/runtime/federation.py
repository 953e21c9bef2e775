"""SERVICE and LOAD make the server fetch a URL: refused unless the operator lists the endpoint.

Oxigraph fetches whatever a query's ``SERVICE <url>`` or an update's ``LOAD <url>`` names,
loopback and private addresses included. So before a query or update reaches the store its
tokens are read (strings, comments and IRIs skipped as the SPARQL grammar has them), and
each endpoint it would fetch is resolved against the declared prefixes and base and looked
up in the operator's allow-list (``ckg serve --allow-service URL``). Nothing is fetched to
decide, so the refusal says nothing about which addresses or ports answer.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

TOKENS = re.compile(r'''
    (?P<skip>\#[^\n]*
      |"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
      |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
   |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
   |(?P<var>[?$]\w+)
   |(?P<name>[^\W\d][\w.-]*:(?:[\w.%:-]|LOCAL_ESCAPE)*|:(?:[\w.%:-]|LOCAL_ESCAPE)*|[^\W\d][\w-]*)
   |(?P<other>\S)
'''.replace("LOCAL_ESCAPE", r"\\[_~.!$&'()*+,;=/?\#@%-]"), re.VERBOSE | re.UNICODE)
"""A prefixed name's local part may hold escapes (``ex:a\\'``, ``ex:b\\#``): read as part of the
name, their quote or hash never starts a string or a comment that would hide what follows."""

FETCHING = {"SERVICE", "LOAD"}


ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
"""SPARQL reads codepoint escapes before it parses, so \\u0053ERVICE is SERVICE."""


def _unescaped(text: str) -> str:
    def char(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
    return ESCAPE.sub(char, text)


def _tokens(text: str) -> list[tuple[str, str]]:
    text = _unescaped(text)
    return [(match.lastgroup, match.group()) for match in TOKENS.finditer(text) if match.lastgroup != "skip"]


def endpoints(text: str, base_iri: str | None = None) -> list[tuple[str, str | None]]:
    """(keyword, absolute URL or None when it cannot be known before running) for each fetch."""
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    base = base_iri or ""
    found: list[tuple[str, str | None]] = []
    for i, (kind, value) in enumerate(tokens):
        word = value.upper() if kind == "name" else ""
        following = tokens[i + 1:i + 4]
        if word == "BASE" and following and following[0][0] == "iri":
            base = urljoin(base, following[0][1][1:-1])
        elif word == "PREFIX" and len(following) >= 2 and following[0][0] == "name" and following[1][0] == "iri":
            prefixes[following[0][1].rstrip(":")] = urljoin(base, following[1][1][1:-1])
        elif word in FETCHING:
            target = following[1] if following and following[0][1].upper() == "SILENT" and len(following) > 1 \
                else (following[0] if following else ("other", ""))
            found.append((word, _absolute(target, prefixes, base)))
    return found


def _absolute(token: tuple[str, str], prefixes: dict[str, str], base: str) -> str | None:
    kind, value = token
    if kind == "iri":
        return urljoin(base, value[1:-1])
    if kind == "name" and ":" in value:
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)  # ex:a\/b is <…a/b>
    return None


def refusal(text: str, allowed: tuple[str, ...], base_iri: str | None = None) -> str | None:
    """Why the request may not run (one line), or None when it fetches only allowed endpoints."""
    for keyword, url in endpoints(text, base_iri):
        if url is None:
            return (f"{keyword} needs an endpoint written as an IRI that this server allows; "
                    "a variable or an undeclared prefix is not accepted")
        if url not in allowed:
            listed = "it allows none" if not allowed else "it allows only " + ", ".join(f"<{a}>" for a in allowed)
            return (f"{keyword} <{url}> is not allowed: this server fetches no endpoint it has not been "
                    f"configured with ({listed}; see 'ckg serve --allow-service')")
    return None
