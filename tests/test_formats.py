"""One format registry and one negotiator: what each offer answers to, by name, suffix and Accept."""
from __future__ import annotations

import pytest

from ckg.graph import formats
from ckg.graph.formats import FORMATS, find
from ckg.server.http.negotiation import NotAcceptable, for_listing, negotiate

SPARQL = formats.RESULTS
API = (formats.JSON, *formats.RESULTS, formats.HTML, formats.GEOJSON)


def test_every_row_is_complete_and_a_suffix_names_one_format():
    for fmt in FORMATS.values():
        assert fmt.kind in formats.KINDS and fmt.suffixes and "/" in fmt.media_type and fmt.label
        assert (fmt.oxigraph is None) == (fmt.kind == "tables")
    for offer in (formats.PAGE, formats.EXPORT, formats.RESULTS, formats.LISTING):
        suffixes = formats.suffixes(offer)
        assert len(set(suffixes)) == len(suffixes), "a suffix asks for one format of an offer"
    assert [f.name for f in formats.EXPORT] == ["nq", "trig", "ttl", "nt", "jsonld", "rdfxml"]
    assert [f.name for f in formats.GRAPH][0] == "ttl", "a graph is Turtle unless asked otherwise"


def test_a_name_wins_over_another_formats_other_name():
    assert find("json", formats.PAGE) is formats.JSON  # the page's data, not JSON-LD
    assert find("json", formats.GRAPH) is FORMATS["jsonld"]
    assert find("json", SPARQL) is FORMATS["srj"]
    assert find("xml", SPARQL) is FORMATS["srx"] and find("xml", formats.GRAPH) is FORMATS["rdfxml"]
    assert find("text/turtle", formats.PAGE) is FORMATS["ttl"] and find("png", formats.PAGE) is None
    assert formats.by_suffix("rdf", formats.PAGE) is FORMATS["rdfxml"] is formats.by_suffix("owl", formats.ONE_GRAPH)


@pytest.mark.parametrize("offer, accept, expected", [
    (SPARQL, [], "srj"),
    (SPARQL, [("*/*", 1)], "srj"),
    (SPARQL, [("application/json", 1)], "srj"),
    (SPARQL, [("application/xml", 1)], "srx"),
    (SPARQL, [("text/csv;charset=utf-8", 1)], "csv"),
    (SPARQL, [("application/json", 1), ("application/sparql-results+xml", 1)], "srj"),
    (formats.GRAPH, [("text/plain", 1)], "nt"),
    (formats.GRAPH, [("text/*", 1)], "ttl"),
    (formats.PAGE, [("text/html", 1), ("application/xhtml+xml", 1), ("*/*", 0.8)], "html"),
    (formats.PAGE, [("application/xhtml+xml", 1)], "html"),
    (formats.PAGE, [("application/json", 1)], "json"),
    (formats.PAGE, [("application/trig", 1), ("text/turtle", 0.5)], "trig"),
    (API, [], "json"),
    (API, [("application/json", 1)], "json"),  # the API's rows: no format of the offer is SPARQL JSON's other type
    (API, [("application/sparql-results+json", 1)], "srj"),
    (API, [("application/geo+json", 1)], "geojson"),
    (API, [("application/vnd.geo+json", 1)], "geojson"),  # the type's name before RFC 7946
    (formats.MAPPED_LISTING, [], "html"),
    (formats.MAPPED_LISTING, [("application/geo+json", 1), ("application/json", 0.5)], "geojson"),
])
def test_accept_picks_among_the_offer(offer, accept, expected):
    assert negotiate(offer, accept).name == expected


def test_what_is_asked_by_name_wins_over_accept_and_what_cannot_be_made_is_refused():
    assert negotiate(formats.GRAPH, [("text/turtle", 1)], "nq").name == "nq"
    with pytest.raises(NotAcceptable) as refused:
        negotiate(SPARQL, [("image/png", 1)])
    assert "application/sparql-results+json" in str(refused.value) and "format=srj|srx|csv|tsv" in str(refused.value)
    with pytest.raises(NotAcceptable):
        negotiate(SPARQL, [], "ttl")


def test_a_listing_falls_back_to_its_page():
    assert for_listing(None, [("image/png", 1)]) is formats.HTML
    assert for_listing(None, [("application/json", 1)]) is formats.JSON
    assert for_listing("json", []) is formats.JSON and for_listing("xml", []) is None
