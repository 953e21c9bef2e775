"""The reference knowledge base: generated from libraries, complete, reproducible."""
from __future__ import annotations

import subprocess
import sys

import pycountry
import pytest
import rdflib
from rdflib.namespace import RDF, RDFS, SKOS

from ckg.ontology import files, kbgen, vocabulary

from .conftest import ROOT

CKG = rdflib.Namespace(vocabulary.NAMESPACE)


@pytest.fixture(scope="module")
def kb() -> rdflib.Graph:
    return rdflib.Graph().parse(files.KNOWLEDGE_BASE, format="turtle")


def test_every_iso_state_is_there_with_code_and_label(kb):
    for country in pycountry.countries:
        state = kbgen.state_iri(country.alpha_3)
        assert (state, RDF.type, CKG.State) in kb, country.name
        assert str(kb.value(state, CKG.isoCode)) == country.alpha_3
        assert kb.value(state, RDFS.label) is not None


@pytest.mark.parametrize("alpha3", ["FRA", "JPN", "KEN", "BRA", "UKR"])
def test_capital_demonym_offset_and_containment(kb, alpha3):
    state = kbgen.state_iri(alpha3)
    capital = kb.value(state, CKG.capital)
    assert capital is not None
    assert (capital, CKG.locatedIn, state) in kb
    assert (capital, CKG.metonymFor, state) in kb
    assert kb.value(state, CKG.demonym) is not None
    assert str(kb.value(state, CKG.utcOffset))[0] in "+-"


def test_common_and_official_names_are_aliases(kb):
    state = kbgen.state_iri("RUS")
    names = {str(o) for o in kb.objects(state, RDFS.label)} | {str(o) for o in kb.objects(state, SKOS.altLabel)}
    assert {"Russia", "Russian Federation"} <= names
    folded = {str(o) for o in kb.objects(kbgen.state_iri("CIV"), SKOS.altLabel)}
    assert any(n.isascii() for n in folded), folded


def test_provinces_lie_in_their_state(kb):
    provinces = list(kb.subjects(RDF.type, CKG.Province))
    assert len(provinces) > 1000
    for province in provinces[:200]:
        state = kb.value(province, CKG.locatedIn)
        assert (state, RDF.type, CKG.State) in kb


def test_geometries_are_kept_apart_and_longitude_first():
    geo = rdflib.Graph().parse(files.GEOMETRY, format="turtle")
    kb_text = files.KNOWLEDGE_BASE.read_text(encoding="utf-8")
    assert "wktLiteral" not in kb_text
    capital = rdflib.Graph().parse(files.KNOWLEDGE_BASE).value(kbgen.state_iri("JPN"), CKG.capital)
    wkt = next(geo.objects(rdflib.URIRef(str(capital) + "/geometry"), rdflib.URIRef("http://www.opengis.net/ont/geosparql#asWKT")))
    lon, lat = map(float, str(wkt)[len("POINT("):-1].split())
    assert 135 < lon < 145 and 30 < lat < 40  # Tokyo


def test_committed_files_match_a_fresh_generation():
    result = subprocess.run([sys.executable, "-m", "ckg.ontology.kbgen", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
