"""`ckg export`: every format parses with rapper and holds exactly what the store holds."""
from __future__ import annotations

import gzip
import subprocess
import sys

import pytest
import rdflib
from rdflib.compare import isomorphic

from ckg.ontology.vocabulary import DERIVED_GRAPH

from .conftest import ROOT
from .rdf_checks import RDFLIB_NAMES, rapper_count, same_dataset, size, store_dataset, store_graph

DERIVED = DERIVED_GRAPH


def ckg_export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ckg.cli", "export", *args], cwd=ROOT, capture_output=True,
                          timeout=600)


@pytest.fixture(scope="module")
def whole(seed_store):
    return store_dataset(seed_store)


@pytest.fixture(scope="module")
def merged(seed_store):
    return store_graph(seed_store)


@pytest.mark.parametrize("fmt", ["nq", "trig"])
def test_quad_formats_hold_every_graph_of_the_store(seed_store, whole, tmp_path, fmt):
    out = tmp_path / f"all.{fmt}"
    done = ckg_export("--store", str(seed_store), "--format", fmt, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert rapper_count(out, fmt) == size(whole)
    exported = rdflib.Dataset().parse(out, format=RDFLIB_NAMES[fmt])
    assert size(exported) == size(whole) and same_dataset(exported, whole)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "rdfxml"])
def test_triple_formats_hold_the_merge_of_all_graphs(seed_store, merged, tmp_path, fmt):
    out = tmp_path / f"all.{fmt}.gz"
    done = ckg_export("--store", str(seed_store), "--format", fmt, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:2] == b"\x1f\x8b", "a name ending in .gz gets gzip"
    plain = tmp_path / f"all.{fmt}"
    plain.write_bytes(gzip.decompress(out.read_bytes()))
    if fmt != "jsonld":  # raptor reads no JSON-LD
        assert rapper_count(plain, fmt) >= len(merged)
    exported = rdflib.Graph().parse(plain, format=RDFLIB_NAMES[fmt])
    assert len(exported) == len(merged) and isomorphic(exported, merged)


@pytest.mark.parametrize("fmt", ["ttl", "nq"])
def test_one_graph_alone(seed_store, tmp_path, fmt):
    done = ckg_export("--store", str(seed_store), "--format", fmt, "--graph", DERIVED)
    assert done.returncode == 0, done.stderr.decode()
    out = tmp_path / f"derived.{fmt}"
    out.write_bytes(done.stdout)
    expected = store_graph(seed_store, DERIVED)
    assert 0 < rapper_count(out, fmt) == len(expected)
    if fmt == "nq":
        dataset = rdflib.Dataset().parse(out, format="nquads")
        assert {str(g) for _, _, _, g in dataset.quads((None, None, None, None))} == {DERIVED}
        exported = dataset.graph(rdflib.URIRef(DERIVED))
    else:
        exported = rdflib.Graph().parse(out, format="turtle")
    assert isomorphic(exported, expected)


def test_bad_requests_say_what_is_wrong_and_write_nothing(seed_store, tmp_path):
    out = tmp_path / "x.nq"
    unknown_format = ckg_export("--store", str(seed_store), "--format", "csv", "-o", str(out))
    assert unknown_format.returncode == 2 and b"'csv' is not one of" in unknown_format.stderr
    unknown_graph = ckg_export("--store", str(seed_store), "--graph", "https://example.org/no-such-graph", "-o",
                               str(out))
    assert unknown_graph.returncode == 1 and b"no graph <https://example.org/no-such-graph>" in unknown_graph.stderr
    bad_iri = ckg_export("--store", str(seed_store), "--graph", "not an iri")
    assert bad_iri.returncode == 1 and b"not a valid IRI" in bad_iri.stderr
    missing = ckg_export("--store", str(tmp_path / "nothing-here"))
    assert missing.returncode == 1 and b"no store at" in missing.stderr and b"ckg build" in missing.stderr
    assert list(tmp_path.iterdir()) == [], "a failed export leaves no file behind"
