"""The ontology at /ontology and at its own IRI: the OWL file by negotiation, pyLODE's
documentation for a browser (asked of the application in this process), every term's hash
IRI landing on its section in a real browser."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import rdflib
from rdflib.compare import isomorphic

from ckg.ontology import files, vocabulary

from .conftest import ROOT
from .rdf_checks import RDFLIB_NAMES, rapper_count
from .test_editor_browser import browser, offline_page  # noqa: F401  (fixture)

ARTIFACTS = ROOT / "test-artifacts" / "pages"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FORMATS = {"text/turtle": ("ttl", "ttl"), "application/rdf+xml": ("owl", "rdfxml"),
           "application/n-triples": ("nt", "nt"), "application/ld+json": ("jsonld", "jsonld")}
IRI_PATH = urlsplit(vocabulary.ONTOLOGY_IRI).path
TERM_TYPES = (rdflib.OWL.Class, rdflib.OWL.ObjectProperty, rdflib.OWL.DatatypeProperty, rdflib.OWL.AnnotationProperty,
              rdflib.RDF.Property)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(files.ONTOLOGY, format="turtle")


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id"]


def ids_of(html: str) -> list[str]:
    parser = Ids()
    parser.feed(html)
    return parser.ids


@pytest.mark.parametrize("path", ["/ontology", IRI_PATH, IRI_PATH + "/0.1.0"])
@pytest.mark.parametrize("media_type", list(FORMATS))
def test_the_owl_file_by_accept_and_by_suffix(client, ontology, tmp_path, path, media_type):
    suffix, fmt = FORMATS[media_type]
    by_accept = client.get(path, headers={"Accept": media_type})
    by_suffix = client.get(f"{path}.{suffix}")
    for response in (by_accept, by_suffix):
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(media_type)
        assert "Accept" in response.headers["Vary"]
        assert isomorphic(rdflib.Graph().parse(data=response.data, format=RDFLIB_NAMES[fmt]), ontology)
    if fmt != "jsonld":  # raptor reads no JSON-LD
        out = tmp_path / f"ckg.{suffix}"
        out.write_bytes(by_accept.data)
        assert rapper_count(out, fmt) == len(ontology)


def test_turtle_is_the_file_itself_and_rdf_suffix_is_rdf_xml(client):
    assert client.get("/ontology.ttl").data == files.ONTOLOGY.read_bytes()
    rdf = client.get("/ontology.rdf")
    assert rdf.headers["Content-Type"].startswith("application/rdf+xml") and b"<rdf:RDF" in rdf.data


def test_every_class_and_property_has_an_anchor_in_the_documentation(client, ontology):
    page = client.get("/ontology", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "Accept" in page.headers["Vary"]
    ids = ids_of(page.text)
    terms = {str(s)[len(vocabulary.NAMESPACE):] for kind in TERM_TYPES for s in ontology.subjects(rdflib.RDF.type, kind)
             if str(s).startswith(vocabulary.NAMESPACE)}
    assert len(terms) > 100
    missing = sorted(t for t in terms if ids.count(t) != 1)
    assert missing == [], f"terms without exactly one anchor: {missing[:20]}"
    title = ontology.value(rdflib.URIRef(vocabulary.ONTOLOGY_IRI), rdflib.DCTERMS.title)
    assert f"<title>{title}</title>" in page.text
    same = client.get(IRI_PATH, headers={"Accept": BROWSER_ACCEPT})
    assert same.text == page.text, "the ontology IRI shows the same documentation"


@pytest.mark.parametrize("ask, status, says", [(".xyz", 404, "available as .ttl"), ("", 406, "text/turtle")])
def test_what_the_ontology_is_not_available_as(client, ask, status, says):
    response = client.get("/ontology" + ask, headers={"Accept": "image/png"})
    assert response.status_code == status and says in response.text


def test_a_term_iri_opens_its_section_in_a_browser(browser, live, ontology):  # noqa: F811
    term = rdflib.URIRef(vocabulary.NAMESPACE + "Airstrike")
    assert (term, rdflib.RDF.type, rdflib.OWL.Class) in ontology
    label = str(ontology.value(term, rdflib.RDFS.label))
    page, outside = offline_page(browser, live)
    local = urlsplit(str(term))
    page.goto(f"{live}{local.path}#{local.fragment}")
    section = page.locator(f"[id='{local.fragment}']")
    section.wait_for()
    assert section.is_visible() and label.lower() in section.inner_text().lower()
    assert section.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= -2 && r.top < innerHeight }"), \
        "the browser scrolled to the term's section"
    assert str(term) in section.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ontology-term.png"))
    page.goto(live + "/ontology")
    assert page.locator("#Airstrike").is_visible() and page.title() == str(
        ontology.value(rdflib.URIRef(vocabulary.ONTOLOGY_IRI), rdflib.DCTERMS.title))
    page.screenshot(path=str(ARTIFACTS / "ontology.png"))
    assert outside == [], f"the page asked hosts other than the server: {outside}"
    page.close()
