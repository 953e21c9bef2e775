"""What the build reads: one document per file, no file out of the folder by a link, long documents."""
from __future__ import annotations

import os

from ckg.graph.build import build
from ckg.graph.store import Store
from ckg.ontology.vocabulary import is_document_graph

from .conftest import ROOT
from .test_build import run_ckg

SEED = ROOT / "seeds" / "2026-02-27-pakistan-afghanistan-open-war.txt"
ARTICLE = SEED.read_text(encoding="utf-8")


def document_graphs(path) -> set[str]:
    with Store.open(path, read_only=True) as store:
        return {row[0].value for row in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
                if is_document_graph(row[0].value)}


def test_files_that_differ_by_suffix_are_two_documents_and_a_reused_id_is_refused(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "x.txt").write_text(ARTICLE, encoding="utf-8")
    (inputs / "x.md").write_text("---\ntitle: Another\n---\nThe Taliban said 12 soldiers were killed.\n",
                                 encoding="utf-8")
    (inputs / "y.txt").write_text("The army said three posts were destroyed.\n", encoding="utf-8")
    (inputs / "records.jsonl").write_text('{"id": "r1", "text": "Ten people were killed."}\n'
                                          '{"id": "r1", "text": "Twenty people were killed."}\n', encoding="utf-8")
    with Store.open(tmp_path / "store") as store:
        first = build([inputs], store)
        again = build([inputs], store)
    assert first.built == 4 and len(first.failures) == 1
    assert "records.jsonl:2" in first.failures[0].path and "'r1' is already that of" in first.failures[0].message
    assert len(document_graphs(tmp_path / "store")) == 4
    assert again.built == 0 and again.skipped == 4  # neither x overwrites the other on a rebuild


def test_a_link_out_of_the_folder_is_skipped_unless_asked_for(tmp_path):
    inputs, elsewhere = tmp_path / "in", tmp_path / "elsewhere.txt"
    inputs.mkdir()
    (inputs / "a.txt").write_text("The Taliban said 12 soldiers were killed.\n", encoding="utf-8")
    elsewhere.write_text("The army said three posts were destroyed.\n", encoding="utf-8")
    os.symlink(elsewhere, inputs / "b.txt")
    os.symlink("/etc/hostname", inputs / "host.txt")
    os.symlink(inputs / "a.txt", inputs / "c.txt")  # inside the folder: read as usual
    with Store.open(tmp_path / "s1") as store:
        lines = build([inputs], store).lines()
    assert f"SKIPPED {inputs / 'b.txt'}: a symbolic link to {elsewhere}, outside {inputs}; not read " \
           "(--follow-symlinks reads it)" in lines
    assert any(line.startswith(f"SKIPPED {inputs / 'host.txt'}: a symbolic link to /etc/hostname") for line in lines)
    assert len(document_graphs(tmp_path / "s1")) == 2
    followed = run_ckg("build", "--quiet", "-j", "1", "--follow-symlinks", "--store", str(tmp_path / "s2"),
                       str(inputs))
    assert followed.returncode == 0 and "SKIPPED" not in followed.stdout
    assert len(document_graphs(tmp_path / "s2")) == 4  # a, b, c and host


def test_a_document_over_a_million_characters_is_built_with_its_spans_where_they_are(tmp_path):
    filler = "The river ran low and the fields were quiet that season.\n\n" * 18_000  # 1,044,000 characters
    text = filler + ARTICLE
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "long.txt").write_text(text, encoding="utf-8")
    (inputs / "huge.txt").write_text("word " * 4_000_001, encoding="utf-8")  # 20,000,005 characters
    (inputs / "short.txt").write_text(ARTICLE, encoding="utf-8")
    with Store.open(tmp_path / "store") as store:
        summary = build([inputs], store)
        rows = list(store.query("""
            PREFIX oa: <http://www.w3.org/ns/oa#>
            SELECT ?start ?end ?exact WHERE {
              ?span oa:hasSelector ?p, ?q . ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact
              FILTER (CONTAINS(STR(?span), "/doc/long-"))
            }"""))
    assert summary.built == 2
    assert [(f.path.endswith("huge.txt"), "20,000,005 characters, more than the 20,000,000" in f.message)
            for f in summary.failures] == [(True, True)]
    assert rows, "the long document yields spans"
    assert all(text[int(r[0].value):int(r[1].value)] == r[2].value for r in rows)
    assert min(int(r[0].value) for r in rows) > 1_000_000  # its statements are after the filler
