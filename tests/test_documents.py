"""Reading documents: every format, and a clear error for every kind of bad input."""
from __future__ import annotations

import hashlib
import json

import pytest

from ckg.graph.documents import Document, DocumentError, read_documents, read_file

from .conftest import ROOT

SEED = ROOT / "seeds" / "2026-02-27-pakistan-afghanistan-open-war.txt"
BODY = "Ethiopia’s army said on Monday that 40 fighters were killed in clashes near Gondar.\n"
HTML = """<!doctype html><html><head><title>Clashes near Gondar | Horn Monitor</title>
<meta property="og:title" content="Ethiopian army reports heavy fighting near Gondar">
<meta property="og:site_name" content="Horn Monitor">
<meta property="article:published_time" content="2026-04-02T09:30:00+03:00"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><div class="ad">Subscribe now!</div>
<article><h1>Ethiopian army reports heavy fighting near Gondar</h1>
<p>Ethiopia’s army said on Monday that 40 fighters were killed in clashes near Gondar, the worst fighting in the region this year.</p>
<p>A spokesman for the regional militia denied the figure and said only four of its members had died.</p>
<p>The African Union called on both sides to exercise restraint and return to talks mediated by Kenya.</p>
</article><footer>© Horn Monitor. All rights reserved.</footer></body></html>"""


def test_the_seed_reads_with_its_dateline_and_exact_text():
    [doc] = read_file(SEED)
    raw = SEED.read_text(encoding="utf-8")
    assert doc.text == raw
    assert doc.date.isoformat() == "2026-02-27T00:00:00" and doc.date_precision == "day"
    assert doc.place == "Islamabad"
    assert doc.sha256 == hashlib.sha256(raw.encode()).hexdigest()


def test_text_header_is_metadata_and_the_rest_is_text(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(f"title: Clashes near Gondar\ndate: 2026-04-02\nsource: Horn Monitor\nplace: Addis Ababa\n\n{BODY}",
                    encoding="utf-8")
    [doc] = read_file(path)
    assert (doc.title, doc.source, doc.place, doc.text) == ("Clashes near Gondar", "Horn Monitor", "Addis Ababa", BODY)
    assert doc.text in path.read_text(encoding="utf-8")


def test_a_first_sentence_with_a_colon_is_not_a_header(tmp_path):
    path = tmp_path / "b.txt"
    text = "Warning: the army said 40 fighters were killed near Gondar on Monday.\n\nMore fighting followed."
    path.write_text(text, encoding="utf-8")
    [doc] = read_file(path)
    assert doc.text == text and doc.title is None


def test_markdown_front_matter(tmp_path):
    path = tmp_path / "c.md"
    path.write_text(f"---\ntitle: Gondar\ndate: 2026-04-02T09:30:00+03:00\nplace: Addis Ababa\nauthor: A. Writer\n---\n{BODY}",
                    encoding="utf-8")
    [doc] = read_file(path)
    assert doc.title == "Gondar" and doc.date.utcoffset().total_seconds() == 3 * 3600
    assert doc.date_precision == "datetime" and doc.metadata["author"] == "A. Writer" and doc.text == BODY


def test_html_main_text_and_metadata(tmp_path):
    path = tmp_path / "d.html"
    path.write_text(HTML, encoding="utf-8")
    [doc] = read_file(path)
    assert "40 fighters were killed" in doc.text and "Subscribe" not in doc.text and "All rights" not in doc.text
    assert doc.title and "Gondar" in doc.title
    assert doc.date is not None and doc.date.date().isoformat() == "2026-04-02"


def test_json_lines_good_and_bad_lines(tmp_path):
    path = tmp_path / "e.jsonl"
    good = {"id": "g1", "url": "https://news.example/g1", "title": "Gondar", "date": "2026-04-02", "text": BODY}
    path.write_text("\n".join([json.dumps(good), "{not json", json.dumps({"id": "g2"}), "",
                               json.dumps({**good, "id": "g3", "date": "the other day"})]), encoding="utf-8")
    items = list(read_documents([path]))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, DocumentError)]
    assert [d.id for d in docs] == ["g1", "g3"] and docs[0].url == "https://news.example/g1"
    messages = [e.message for e in errors]
    assert any("not valid JSON" in m for m in messages) and any("missing 'text'" in m for m in messages)
    assert docs[1].date is None and any("unparseable date 'the other day'" in n for n in docs[1].notes)
    assert [e.path.rsplit(":", 1)[1] for e in errors] == ["2", "3"]


@pytest.mark.parametrize("name, content, message", [
    ("bad.txt", b"caf\xe9 au lait", "not UTF-8 (byte 0xe9 at offset 3)"),
    ("empty.txt", b"   \n", "empty file"),
    ("header-only.txt", b"title: Nothing here\n\n", "no article text found"),
    ("report.docx", b"PK\x03\x04", "unknown format '.docx'"),
    ("open.md", b"---\ntitle: x\nno end", "never closed"),
])
def test_bad_documents_get_a_clear_error_and_the_rest_goes_on(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "zz-good.txt").write_text(BODY, encoding="utf-8")
    items = list(read_documents([tmp_path]))
    errors = [i for i in items if isinstance(i, DocumentError)]
    assert len(errors) == 1 and message in str(errors[0]) and name in errors[0].path
    assert [i.id for i in items if isinstance(i, Document)] == ["zz-good"]


def test_folders_are_read_recursively_in_a_stable_order(tmp_path):
    for rel in ("b/two.txt", "a/one.txt", ".hidden/x.txt", "c.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(BODY, encoding="utf-8")
    first = [d.id for d in read_documents([tmp_path])]
    assert first == ["a/one", "b/two", "c"] == [d.id for d in read_documents([tmp_path])]


@pytest.mark.parametrize("header, date, note", [
    (b"date: unknown", None, "unparseable date 'unknown'"),
    (b"date: next week-ish", None, "built undated"),
    (b"date: 2025-13-45", None, "built undated"),
    (b"date: 2026-02-27 (updated with the army's figures)", "2026-02-27", "read as 2026-02-27"),
])
def test_a_damaged_date_never_costs_the_document(tmp_path, header, date, note):
    (tmp_path / "a.txt").write_bytes(b"title: X\n" + header + b"\n\n" + BODY.encode())
    [doc] = list(read_documents([tmp_path]))
    assert isinstance(doc, Document), doc
    assert (doc.date.date().isoformat() if doc.date else None) == date
    assert len(doc.notes) == 1 and note in doc.notes[0]


def test_a_build_says_in_one_line_which_documents_lost_their_date(tmp_path):
    from ckg.graph.build import build
    from ckg.graph.store import Store

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text("---\ntitle: X\ndate: 2025-13-45\n---\n" + BODY, encoding="utf-8")
    with Store.open(tmp_path / "store") as store:
        summary = build([tmp_path / "in"], store)
    assert summary.built == 1 and summary.failures == []
    assert [line for line in summary.lines() if line.startswith("NOTE")] == [
        f"NOTE {tmp_path / 'in' / 'a.md'}: unparseable date '2025-13-45': month must be in 1..12: 2025-13-45: built undated"]


def test_front_matter_aliases_are_refused_before_they_expand(tmp_path):
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\ntitle: *c\n---\n"
    (tmp_path / "bomb.md").write_text(bomb + BODY, encoding="utf-8")
    [error] = list(read_documents([tmp_path]))
    assert isinstance(error, DocumentError) and "aliases are not accepted" in error.message


@pytest.mark.parametrize("opening, place, source, day", [
    ("ADDIS ABABA, March 4 (Reuters) - The army said", "Addis Ababa", "Reuters", None),
    ("HARGEISA/NAIROBI, 3 April 2026 – Officials said", "Hargeisa", None, "2026-04-03"),
    ("JUBA (Radio Tamazuj) -- The army said", "Juba", "Radio Tamazuj", None),
    ("Goma, May 3, 2026: fighting resumed", "Goma", None, "2026-05-03"),
])
def test_a_wire_dateline_gives_the_place_source_and_a_date_with_a_year(tmp_path, opening, place, source, day):
    path = tmp_path / "wire.txt"
    path.write_text(opening + " that 40 fighters were killed.\n", encoding="utf-8")
    [doc] = read_file(path)
    assert (doc.place, doc.source) == (place, source)
    assert (doc.date.date().isoformat() if doc.date else None) == day
    assert doc.text.startswith(opening)  # the dateline stays in the text: offsets are the file's


def test_prose_that_opens_with_a_capitalised_word_is_no_dateline(tmp_path):
    path = tmp_path / "prose.txt"
    path.write_text("Russian forces hit the station - twice - on Saturday, the governor said.\n", encoding="utf-8")
    [doc] = read_file(path)
    assert (doc.place, doc.source) == (None, None)
