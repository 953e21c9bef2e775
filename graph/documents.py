"""Reading input documents into plain records, with a clear error per bad document.

Formats: plain text with an optional ``key: value`` header or a ``date YYYY-MM-DD Place:``
dateline; Markdown with YAML front matter; HTML pages saved from news sites (trafilatura
finds the article and its metadata); JSON Lines, one article a line. In each, a wire
dateline opening the text ('ISTANBUL, Oct 6 (Reuters) - ') fills in the place, outlet and
date the metadata lacks. Character offsets of everything extracted later refer to
``Document.text`` exactly.

A date given without a time is kept as local midnight with no offset
(``date_precision == "day"``): the extractor resolves it against the dateline's place.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml
from dateutil import parser as dateparser

TEXT, MARKDOWN, HTML, JSONL = ".txt", (".md", ".markdown"), (".html", ".htm"), ".jsonl"
KNOWN = (TEXT, *MARKDOWN, *HTML, JSONL)
MAX_CHARACTERS = 20_000_000
"""The longest document read, in characters (the setting max_document_chars); longer ones
are refused with a reason, since a document's graph is built and written in one piece."""
HEADER_KEYS = {"title", "headline", "date", "published", "updated", "source", "publisher", "url", "link", "place",
               "dateline", "author", "byline", "id", "language", "lang", "section", "tags", "category"}
"""Keys that make a first line a metadata header rather than prose that happens to hold a colon."""
HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z-]{0,19}):[ \t]+(\S.*)$")
DATELINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+([^:\n]{1,60}):")
WIRE_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z .'/-]{1,40}?)"
    r"(?:,\s+(?P<region>[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?=\s*[:—–(-]))?"
    r"(?:,\s+(?P<day>(?:[A-Z][a-z]+\.? \d{1,2}|\d{1,2} [A-Z][a-z]+)(?:,? \d{4})?))?"
    r"\s*(?:\((?P<source>[^()\n]{2,40})\))?\s*(?:--?|[:—–])\s")
"""A wire or press dateline opening the text: 'ISTANBUL, Oct 6 (Reuters) - ', 'GENEVA, 29 September
2023 – ', 'ERBIL (Kurdistan 24) – ', 'Goma, May 3: '. Its place is the first of 'MOSCOW/KYIV'."""


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    title: str | None
    date: datetime | None
    date_precision: str
    place: str | None
    source: str | None
    url: str | None
    path: str
    format: str
    sha256: str
    metadata: dict = field(default_factory=dict, hash=False, compare=False)
    notes: tuple[str, ...] = field(default=(), hash=False, compare=False)
    """What was wrong with the document's metadata and what was done instead (one line each)."""


class DocumentError(Exception):
    """One document could not be read; the message says why."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class FrontMatterLoader(yaml.SafeLoader):
    """YAML as front matter needs it: dates stay text (read by parse_date, so '2025-13-45'
    is a note, not a crash) and aliases are refused (a few hundred bytes of nested aliases
    expand to gigabytes)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases are not accepted in front matter",
                                              event.start_mark)
        return super().compose_node(parent, index)


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def parse_date(value: object, path: str) -> tuple[datetime | None, str]:
    """A datetime (aware when the source gave an offset) and its precision."""
    if value is None or value == "":
        return None, "none"
    if isinstance(value, datetime):
        return value, "datetime"
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), "day"
    text = str(value).strip()
    try:
        parsed = dateparser.parse(text, default=datetime(1, 1, 1))
    except (ValueError, OverflowError) as error:
        raise DocumentError(path, f"unparseable date {text!r}: {error}") from None
    if parsed.year == 1:
        raise DocumentError(path, f"unparseable date {text!r}: no year")
    has_time = bool(re.search(r"\d:\d", text))
    return parsed, "datetime" if has_time else "day"


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise DocumentError(str(path), "empty file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError(str(path), f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})") from None
    return text.removeprefix("\ufeff")


def dateline(text: str) -> dict[str, str]:
    """The place, date and source a dateline opening the text gives, as far as it gives them."""
    found = DATELINE.match(text)
    if found:
        return {"date": found.group(1), "place": found.group(2).strip()}
    wire = WIRE_DATELINE.match(text)
    if wire is None or not (wire["place"].isupper() or wire["day"] or wire["source"]):
        return {}
    place = wire["place"].split("/")[0].strip()
    fields = {"place": place.title() if place.isupper() else place}
    if wire["source"]:
        fields["source"] = wire["source"].strip()
    if wire["day"] and re.search(r"\d{4}", wire["day"]):
        fields["date"] = wire["day"]
    return fields


def refuse_lone_surrogates(path: str, **values: object) -> None:
    """JSON and YAML can spell half a surrogate pair ('\\ud800'), and a file name that is not UTF-8
    reads as one: no character, and nothing can write it as UTF-8. Refuse the document here rather
    than let the build fail where its id, text or metadata is hashed or stored."""
    for name, value in values.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            code = ord(text[error.start])
            why = ("the file's name is not UTF-8" if 0xDC80 <= code <= 0xDCFF and name == "id"
                   else f"its {name} holds \\u{code:04x}, half of a surrogate pair and no character")
            raise DocumentError(path, why) from None


def make(doc_id: str, text: str, meta: dict, path: str, fmt: str) -> Document:
    refuse_lone_surrogates(path, id=doc_id, text=text, metadata=meta)
    if not text.strip():
        raise DocumentError(path, "no article text found")
    meta = {str(k).lower(): v for k, v in meta.items() if v is not None}
    for key, value in dateline(text).items():
        if not meta.get(key):
            meta[key] = value
    when, precision, notes = _date_or_note(meta.pop("date", None) or meta.pop("published", None), path)
    known = {k: meta.pop(k, None) for k in ("title", "place", "source", "url", "id")}
    return Document(
        id=doc_id, text=text, title=_str(known["title"]), date=when, date_precision=precision,
        place=_str(known["place"]), source=_str(known["source"]), url=_str(known["url"]), path=path, format=fmt,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), metadata={k: str(v) for k, v in meta.items()},
        notes=notes,
    )


def _date_or_note(value: object, path: str) -> tuple[datetime | None, str, tuple[str, ...]]:
    """A damaged date never costs the document: the date a fuzzy reading finds in it
    ('2026-02-27 (updated)'), else none at all, with a note that says so."""
    try:
        when, precision = parse_date(value, path)
        return when, precision, ()
    except DocumentError as error:
        text = str(value).strip()
        try:
            fuzzy = dateparser.parse(text, default=datetime(1, 1, 1), fuzzy=True)
        except (ValueError, OverflowError):
            fuzzy = None
        if fuzzy is not None and fuzzy.year > 1 and re.search(r"\d{4}", text):
            precision = "datetime" if re.search(r"\d:\d", text) else "day"
            return fuzzy, precision, (f"date {text!r} read as {fuzzy.date().isoformat()}",)
        return None, "none", (f"{error.message}: built undated",)


def _str(value: object) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value).strip()


def read_text(path: Path, doc_id: str) -> Document:
    raw = _decode(path)
    lines = raw.split("\n")
    meta: dict = {}
    text = raw
    first = HEADER_LINE.match(lines[0]) if lines else None
    if first and first.group(1).lower() in HEADER_KEYS and "" in lines:
        blank = lines.index("")
        header = lines[:blank]
        if all(HEADER_LINE.match(line) for line in header):
            meta = {HEADER_LINE.match(line).group(1): HEADER_LINE.match(line).group(2).strip() for line in header}
            text = "\n".join(lines[blank + 1:])
    return make(doc_id, text, meta, str(path), "text")


def read_markdown(path: Path, doc_id: str) -> Document:
    raw = _decode(path)
    meta: dict = {}
    text = raw
    if raw.startswith("---"):
        end = raw.find("\n---", 3)
        if end < 0:
            raise DocumentError(str(path), "front matter opened with '---' but never closed")
        try:
            meta = yaml.load(raw[3:end], Loader=FrontMatterLoader) or {}
        except yaml.YAMLError as error:
            raise DocumentError(str(path), f"front matter is not valid YAML: {error}") from None
        if not isinstance(meta, dict):
            raise DocumentError(str(path), "front matter must be a mapping of keys to values")
        text = raw[end + 4:].lstrip("\n")
    return make(doc_id, text, meta, str(path), "markdown")


def read_html(path: Path, doc_id: str) -> Document:
    import trafilatura

    raw = _decode(path)
    text = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_precision=True) or ""
    metadata = trafilatura.extract_metadata(raw)
    meta: dict = {}
    if metadata is not None:
        meta = {"title": metadata.title, "date": metadata.date, "source": metadata.sitename, "url": metadata.url}
    return make(doc_id, text, meta, str(path), "html")


def read_jsonl(path: Path) -> Iterator[Document | DocumentError]:
    """One document a line, streamed: a corpus of any size is never held in memory."""
    if path.stat().st_size == 0:
        raise DocumentError(str(path), "empty file")
    with open(path, "rb") as handle:
        for number, raw_line in enumerate(handle, start=1):
            where = f"{path}:{number}"
            try:
                line = raw_line.decode("utf-8").removeprefix("\ufeff")
            except UnicodeDecodeError as error:
                yield DocumentError(where, f"not UTF-8 (byte 0x{raw_line[error.start]:02x} at column {error.start + 1})")
                continue
            if line.strip():
                yield _jsonl_document(line, where)


def _jsonl_document(line: str, where: str) -> Document | DocumentError:
    """One JSON Lines record as a document, or the error that says what is wrong with it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return DocumentError(where, f"not valid JSON ({error.msg} at column {error.colno})")
    if not isinstance(record, dict):
        return DocumentError(where, "each line must be a JSON object")
    missing = [k for k in ("id", "text") if not record.get(k)]
    if missing:
        return DocumentError(where, "missing " + " and ".join(f"'{k}'" for k in missing))
    text = str(record.pop("text"))
    meta = dict(record)
    try:
        return make(str(record["id"]), text, meta, where, "jsonl")
    except DocumentError as error:
        return error


def read_file(path: Path, root: Path | None = None, doc_id: str | None = None,
              max_characters: int = MAX_CHARACTERS) -> list[Document | DocumentError]:
    """The documents of one file (several for JSON Lines); raises for an unreadable file.

    ``doc_id`` overrides the id the file's name gives (read_documents passes one when two
    files of a folder share a name)."""
    suffix = path.suffix.lower()
    if doc_id is None:
        relative = path.relative_to(root) if root and path.is_relative_to(root) else Path(path.name)
        doc_id = str(relative.with_suffix("")).replace("\\", "/")
    if suffix != JSONL and path.stat().st_size > 4 * max_characters:  # UTF-8: at most 4 bytes a character
        raise DocumentError(str(path), too_long(path.stat().st_size, max_characters, "bytes"))
    if suffix == JSONL:
        return list(read_jsonl(path))  # read_documents streams it instead
    if suffix == TEXT:
        return [read_text(path, doc_id)]
    if suffix in MARKDOWN:
        return [read_markdown(path, doc_id)]
    if suffix in HTML:
        return [read_html(path, doc_id)]
    raise DocumentError(str(path), f"unknown format '{suffix or path.name}' (expected {', '.join(KNOWN)})")


def too_long(size: int, limit: int, unit: str = "characters") -> str:
    return (f"{size:,} {unit}, more than the {limit:,} characters a document may have "
            "(CKG_MAX_DOCUMENT_CHARS); split it into several files")


@dataclass(frozen=True)
class Skipped:
    """A file left unread on purpose, with why (a symbolic link out of the input folder)."""
    path: str
    reason: str


def document_ids(files: list[Path], root: Path) -> dict[Path, str]:
    """Each file's document id: its path under the folder without its suffix ('a/x' for
    'a/x.txt'), or with its suffix ('a/x.txt', 'a/x.md') when another file of the folder
    has the same path but another suffix, so that no two files share one document.
    JSON Lines files are left out: their records carry their own ids."""
    stems: dict[str, list[Path]] = {}
    for path in files:
        if path.suffix.lower() != JSONL:
            stems.setdefault(str(path.relative_to(root).with_suffix("")).replace("\\", "/"), []).append(path)
    ids = {}
    for stem, paths in stems.items():
        for path in paths:
            ids[path] = stem if len(paths) == 1 else str(path.relative_to(root)).replace("\\", "/")
    return ids


def outside(path: Path, root: Path) -> str | None:
    """Where a file of the folder really is, when a symbolic link takes it out of the folder."""
    real = path.resolve()
    return None if real.is_relative_to(root.resolve()) else str(real)


def read_documents(paths: Iterable[Path], *, follow_symlinks: bool = False,
                   max_characters: int = MAX_CHARACTERS) -> Iterator[Document | DocumentError | Skipped]:
    """Every document under the given files and folders, in a stable order; errors are yielded.

    A file of a folder that is a symbolic link to somewhere outside the folder is skipped
    unless ``follow_symlinks``: a link to /etc/... would otherwise publish that file. A file
    named on the command line is read wherever it is. A document over ``max_characters`` is
    refused."""
    for given in paths:
        given = Path(given)
        if given.is_dir():
            files = sorted(p for p in given.rglob("*") if p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(given).parts))
            root, ids = given, document_ids(files, given)
        else:
            files, root, ids = [given], None, {}
        for path in files:
            target = outside(path, root) if root is not None and not follow_symlinks else None
            if target is not None:
                yield Skipped(str(path), f"a symbolic link to {target}, outside {root}; not read "
                                         "(--follow-symlinks reads it)")
                continue
            try:
                found = read_jsonl(path) if path.suffix.lower() == JSONL else read_file(
                    path, root, ids.get(path), max_characters)
                for item in found:
                    if isinstance(item, Document) and len(item.text) > max_characters:
                        item = DocumentError(item.path, too_long(len(item.text), max_characters))
                    yield item
            except DocumentError as error:
                yield error
            except OSError as error:
                yield DocumentError(str(path), f"cannot read: {error.strerror or error}")
