"""Independent clients agree with the endpoint: SPARQLWrapper for results, rapper for RDF."""
from __future__ import annotations

import subprocess

import pytest
import requests
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

from ckg.ontology.vocabulary import ID_BASE, SPARQL_PREFIXES

from .conftest import require_tool
from .test_endpoint import COUNT_AIRSTRIKES

CONSTRUCT = SPARQL_PREFIXES + """
CONSTRUCT { ?e a ckg:Airstrike ; rdfs:label ?l ; ckg:tookPlaceAt ?p } WHERE { ?e a ckg:Airstrike ; rdfs:label ?l ; ckg:tookPlaceAt ?p }"""


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_reads_every_result_format(live, fmt):
    client = SPARQLWrapper(live + "/sparql")
    client.setQuery(COUNT_AIRSTRIKES)
    client.setReturnFormat(fmt)
    result = client.query().convert()
    if fmt == JSON:
        values = [b["e"]["value"] for b in result["results"]["bindings"]]
    elif fmt == XML:
        values = [n.firstChild.data for n in result.getElementsByTagName("uri")]
    else:
        text = result.decode() if isinstance(result, bytes) else result
        values = [line.strip().strip("<>") for line in text.splitlines()[1:] if line.strip()]
    assert len(values) == 3 and all(v.startswith(ID_BASE + "event/") for v in values)


@pytest.mark.parametrize("fmt, rapper_name", [("ttl", "turtle"), ("nt", "ntriples"), ("rdfxml", "rdfxml"),
                                              ("nq", "nquads"), ("trig", "trig")])
def test_rapper_parses_every_rdf_format(live, tmp_path, fmt, rapper_name):
    rapper = require_tool("rapper")
    body = requests.get(live + "/sparql", params={"query": CONSTRUCT, "format": fmt}, timeout=30)
    assert body.status_code == 200
    path = tmp_path / f"out.{fmt}"
    path.write_bytes(body.content)
    parsed = subprocess.run([rapper, "-i", rapper_name, "-o", "ntriples", str(path), "http://base/"],
                            capture_output=True, text=True, timeout=60)
    assert parsed.returncode == 0, parsed.stderr
    assert len([line for line in parsed.stdout.splitlines() if line.strip()]) == 9  # 3 strikes × 3 triples
