"""The analysts' named queries: their ``#+`` headers, their parameters, and binding values to them.

A query file starts with comment lines in the style of grlc's decorators::

    #+ summary: one line
    #+ description: what one row is, what the columns mean
    #+ columns: a, b, c
    #+ param: document iri -- only what this document reports
    #+ param: kind string = killed -- the count kind's short name
    #+ param: verdict preferred|deprecated|disputed|none -- one of these words
    #+ answers: CQ1

A parameter ``x`` is the SPARQL variable ``?_x`` (grlc's convention), apart from the columns. A value is parsed by its declared type
into an RDF term and bound in a ``VALUES`` block placed first in the query's outermost
group, written from the term's own escaped serialisation: a value never becomes query
syntax. A parameter left out (and without a default) is ``UNDEF``, so queries test it with
``!BOUND(?_x) || …``. A page of an answer (``paged``) is the query with LIMIT and OFFSET
added to its outermost query: the engine slices it (and stops early when no ORDER BY holds it
back), rather than the whole answer being made, sent and cut.

A query may have a narrow form, ``narrow/NAME.rq`` beside it, whose header names the parameters
it is for (``#+ when: document, state``): the same columns and rows, written to start from the
value given rather than from the whole store, so that its cost follows the answer, not the
corpus. ``bind`` uses it when one of those parameters has a value. ``days`` among them stands for a
range of dates, ``from`` and ``to`` both given and at most graph.days.MAX_DAYS apart, when no other
parameter it is for has a value: the narrow form then sees ``?_day`` bound to each UTC day of the
range in turn (a node of the day index the build writes) and starts from those days.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ckg.ontology.vocabulary import XSD

from . import days

TYPES = ("iri", "string", "integer", "decimal", "date", "dateTime", "boolean")
"""Parameter types; ``date`` and ``dateTime`` both bind an ``xsd:dateTime`` (a date is its midnight UTC).
A type may also be a choice of words, ``a|b|c``: one of them, bound as a string."""


_HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^(\w+)\s+(\w+(?:\|\w+)*)(?:\s*=\s*(\S+)|\s+(required))?(?:\s+(?:--|—)\s*(.*))?$")
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class QueryError(ValueError):
    """A query that cannot be run as asked: unknown, bad header, missing or ill-typed parameter."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None = None
    required: bool = False
    description: str = ""

    @property
    def choices(self) -> tuple[str, ...]:
        """The words a parameter of a choice type (``a|b|c``) takes, bound as a string; () for other types."""
        return tuple(self.type.split("|")) if "|" in self.type else ()


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    summary: str = ""
    description: str = ""
    columns: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    answers: tuple[str, ...] = ()
    path: Path | None = field(default=None, compare=False)
    narrow: str = ""
    """The narrow form's text ('' when there is none), used when a parameter of ``narrow_when`` has a value."""
    narrow_when: tuple[str, ...] = ()

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        declared = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query '{self.name}' has no parameter '{name}' (its parameters: {declared})")


def parse(text: str, name: str = "query", path: Path | None = None) -> NamedQuery:
    """A query and what its header declares."""
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key != "param":
            fields[key] = value
            continue
        spec = _PARAM.match(value)
        if spec is None or (spec.group(2) not in TYPES and "|" not in spec.group(2)):
            raise QueryError(f"query '{name}': cannot read the parameter line '{value}'; write "
                             f"'#+ param: NAME TYPE [= DEFAULT | required] -- description' with TYPE one of "
                             + ", ".join(TYPES) + ", or a choice of words (a|b|c)")
        pname, ptype, default, required, description = spec.groups()
        parameter = Parameter(pname, ptype, default, bool(required), description or "")
        if parameter.default is not None:
            term(parameter, parameter.default)  # a bad default is the file's error, found when it is read
        parameters.append(parameter)
    columns = tuple(c.strip() for c in fields.get("columns", "").split(",") if c.strip())
    answers = tuple(a.strip() for a in fields.get("answers", "").split(",") if a.strip())
    return NamedQuery(name, text, fields.get("summary", ""), fields.get("description", ""), columns,
                      tuple(parameters), answers, path)


def with_narrow(query: NamedQuery, text: str) -> NamedQuery:
    """``query`` with the narrow form ``text``, whose ``#+ when:`` names parameters ``query`` declares."""
    when = next((m.group(2) for m in map(_HEADER.match, text.splitlines()) if m and m.group(1) == "when"), "")
    names = tuple(n.strip() for n in when.split(",") if n.strip())
    if not names:
        raise QueryError(f"query '{query.name}': its narrow form names no parameter; write '#+ when: NAME, ...'")
    for name in names:
        for parameter in RANGE if name == DAYS else (name,):
            query.parameter(parameter)
    return replace(query, narrow=text, narrow_when=names)


DAYS = "days"
"""In a narrow form's ``#+ when:``, a range of dates (the parameters ``RANGE``), started from its days."""
RANGE = ("from", "to")


def directory() -> Path:
    """The folder of named queries (the package ``ckg.queries``: queries/ in the source tree)."""
    import ckg.queries

    return Path(ckg.queries.__file__).resolve().parent


def catalogue(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query, by name (the file's stem): read again only when a file changed,
    so a server answers from memory and still sees an edited or added query."""
    folder = folder or directory()
    paths = sorted(folder.glob("*.rq")) + sorted((folder / NARROW).glob("*.rq"))
    return _read(tuple((path, path.stat().st_mtime_ns) for path in paths))


NARROW = "narrow"
"""The folder, beside the named queries, of their narrow forms (one file each, named as its query)."""


@lru_cache(maxsize=4)
def _read(stamped: tuple[tuple[Path, int], ...]) -> dict[str, NamedQuery]:
    found = {path.stem: parse(path.read_text(encoding="utf-8"), path.stem, path)
             for path, _ in stamped if path.parent.name != NARROW}
    for path, _ in stamped:
        if path.parent.name != NARROW:
            continue
        if path.stem not in found:
            raise QueryError(f"{path} is the narrow form of no query: name it as the query it narrows")
        found[path.stem] = with_narrow(found[path.stem], path.read_text(encoding="utf-8"))
    return found


def named(name: str, folder: Path | None = None) -> NamedQuery:
    found = catalogue(folder)
    if name not in found:
        raise QueryError(f"no query named '{name}'; the named queries are: " + ", ".join(found))
    return found[name]


def term(parameter: Parameter, value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term a parameter's text stands for, by its declared type."""
    kind = parameter.type
    if parameter.choices:
        if value not in parameter.choices:
            raise QueryError(f"parameter '{parameter.name}' must be one of {', '.join(parameter.choices)}; got {value!r}")
        return ox.Literal(value)
    try:
        if kind == "iri":
            if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value) or re.search(r"[<>\"{}|^`\\\s]", value):
                raise ValueError("not an absolute IRI")
            return ox.NamedNode(value)
        if kind == "string":
            return ox.Literal(value)
        if kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise ValueError("not an integer")
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
        if kind == "decimal":
            if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value.strip()):
                raise ValueError("not a decimal number")
            return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "decimal"))
        if kind == "boolean":
            if value.lower() not in ("true", "false", "1", "0"):
                raise ValueError("not true or false")
            return ox.Literal(str(value.lower() in ("true", "1")).lower(), datatype=ox.NamedNode(XSD + "boolean"))
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if kind == "date" and len(value.strip()) != 10:
            raise ValueError("not a date")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.timezone.utc)
        moment = moment.astimezone(dt.timezone.utc)
        return ox.Literal(moment.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=ox.NamedNode(XSD + "dateTime"))
    except (ValueError, OverflowError) as error:  # 9999-12-31T23:59:59-05:00 is past the last UTC year
        example = {"iri": "https://example.org/x", "integer": "12", "decimal": "0.7", "date": "2026-02-27",
                   "dateTime": "2026-02-27T07:00:00Z", "boolean": "true"}.get(kind, "text")
        raise QueryError(f"parameter '{parameter.name}' must be {'an' if kind[0] in 'aeiou' else 'a'} {kind} "
                         f"(e.g. {example}); got {value!r}: {error}") from None


def bindings(query: NamedQuery, values: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal | None]:
    """Every declared parameter's term: the given value, else the default, else None (UNDEF)."""
    for name in values:
        query.parameter(name)  # unknown names are an error, not silently ignored
    out: dict[str, ox.NamedNode | ox.Literal | None] = {}
    for parameter in query.parameters:
        given = values.get(parameter.name)
        if given is None or given == "":
            if parameter.required:
                raise QueryError(f"query '{query.name}' needs the parameter '{parameter.name}' ({parameter.type}): "
                                 f"{parameter.description}")
            given = parameter.default
        out[parameter.name] = None if given is None else term(parameter, given)
    return out


_WORD = re.compile(r"[A-Za-z_][\w.-]*(?::[\w.:%-]*)?")
"""A keyword, a prefixed name (one word with its prefix) or a variable's name."""


def _syntax(text: str) -> Iterator[tuple[int, str]]:
    """Each brace and keyword-like word that is SPARQL syntax (not in a comment, string or IRI,
    nor a variable's name), with its index."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            if i < 0:
                break
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote) - 1
        elif c == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:]):
            i = text.index(">", i)
        elif c in "{}":
            yield i, c
        elif c in "?$" or c.isalpha() or c == "_":
            word = _WORD.match(text, i + (c in "?$"))
            end = word.end() if word else i + 1
            if c not in "?$":
                yield i, text[i:end]
            i = end - 1
        i += 1


def _outer_brace(text: str) -> int:
    """Index of the first '{' that is SPARQL syntax (not in a comment, string or IRI)."""
    for at, token in _syntax(text):
        if token == "{":
            return at
    raise QueryError("the query has no '{ … }' group to bind its parameters in")


def among(text: str, variable: str, terms: list[ox.NamedNode | ox.Literal]) -> str:
    """The query with ``?variable`` bound to each of ``terms`` in turn: a VALUES block of their
    escaped forms, placed first in its outer group, as ``bind`` does for one value."""
    if not re.fullmatch(r"[A-Za-z_]\w*", variable):
        raise QueryError(f"'{variable}' is not a variable's name")
    at = _outer_brace(text) + 1
    return f"{text[:at]}\n  VALUES ?{variable} {{ {' '.join(str(t) for t in terms)} }}{text[at:]}"


MAX_LIMIT = 10_000
"""The most rows one page may ask for."""
MAX_OFFSET = 1_000_000_000
"""The furthest a page may start: past any listing, short of what SPARQL engines count in."""
_MODIFIERS = {"LIMIT", "OFFSET", "VALUES"}


@dataclass(frozen=True)
class Page:
    """A slice of a listing: at most ``limit`` rows (None: all of them) from row ``offset``."""
    limit: int | None = None
    offset: int = 0

    @property
    def whole(self) -> bool:
        return self.limit is None and self.offset == 0


def _count(name: str, value: str | None, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    if not re.fullmatch(r"[0-9]{1,12}", value.strip()) or not low <= int(value) <= high:
        raise QueryError(f"'{name}' must be a whole number from {low:,} to {high:,}; got {value[:40]!r}")
    return int(value)


def page_of(limit: str | None, offset: str | None) -> Page:
    """A page from its request parameters; QueryError that says which value is wrong and why."""
    return Page(_count("limit", limit, 1, MAX_LIMIT), _count("offset", offset, 0, MAX_OFFSET) or 0)


def paged(text: str, page: Page, extra: int = 0) -> str:
    """The query answering only ``page`` (``extra`` rows more, to learn whether a next page
    has any): LIMIT and OFFSET added to its outermost query, so that it stops early instead of
    being cut after the whole answer is made. The numbers are integers, never text from a request."""
    if page.whole:
        return text
    closed, depth, trailing = False, 0, set()
    for _, token in _syntax(text):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            closed = closed or depth == 0
        elif depth == 0 and closed and token.upper() in _MODIFIERS:
            trailing.add(token.upper())
    if not closed:
        raise QueryError("the query has no '{ … }' group to page")
    if trailing:
        raise QueryError("the query ends with its own " + " and ".join(sorted(trailing))
                         + ": page it by editing those, or drop them to page it with limit/offset")
    limit = "" if page.limit is None else f"LIMIT {page.limit + extra} "
    return f"{text.rstrip()}\n{limit}OFFSET {page.offset}\n"


def range_days(terms: dict[str, ox.NamedNode | ox.Literal | None]) -> list[ox.NamedNode] | None:
    """The day index's nodes for the range of dates bound to ``from`` and ``to``; None when either
    is missing or the range is empty or too long to start from."""
    bounds = [terms.get(name) for name in RANGE]
    if not all(isinstance(bound, ox.Literal) for bound in bounds):
        return None
    start, end = (dt.datetime.fromisoformat(bound.value.replace("Z", "+00:00")) for bound in bounds)
    return days.within(start, end)


def bind(query: NamedQuery, values: dict[str, str]) -> str:
    """The query's text (its narrow form's when a parameter it is for has a value) with its
    parameters bound in a VALUES block of escaped RDF terms: one row, or one per day of a range."""
    terms = bindings(query, values)
    if not terms:
        return query.text
    given = any(terms.get(name) is not None for name in query.narrow_when if name != DAYS)
    day_nodes = range_days(terms) if DAYS in query.narrow_when and not given else None
    text = query.narrow if given or day_nodes else query.text
    head = " ".join(f"?_{name}" for name in terms)
    row = " ".join("UNDEF" if t is None else str(t) for t in terms.values())
    rows = [row]
    if text is query.narrow and DAYS in query.narrow_when:
        head += " ?_day"
        rows = [f"{row} {node}" for node in day_nodes] if day_nodes else [f"{row} UNDEF"]
    at = _outer_brace(text) + 1
    block = " ".join(f"({r})" for r in rows)
    return f"{text[:at]}\n  VALUES ({head}) {{ {block} }}{text[at:]}"


def resolve(spec: str, folder: Path | None = None) -> NamedQuery:
    """A query named, in a file, or written out: ``claims``, ``my.rq``, ``'SELECT …'``."""
    if NAME.match(spec):
        return named(spec, folder)
    path = Path(spec)
    if spec.endswith(".rq") or (len(spec) < 4096 and "\n" not in spec and path.is_file()):
        if not path.is_file():
            raise QueryError(f"no query file at {spec}")
        return parse(path.read_text(encoding="utf-8"), path.stem, path)
    return parse(spec, "query")
