"""The dataset described in VoID and DCAT: its numbers (graph/statistics.py) and this server's addresses, as triples."""
from __future__ import annotations

import pyoxigraph as ox

from ckg.ontology.vocabulary import DCAT, DCTERMS, FOAF, NAMESPACE, ONTOLOGY_IRI, RDF, VOID, XSD

from .downloads import Download

DCT = DCTERMS
RDF_TYPE = ox.NamedNode(RDF.type)
XSD_INTEGER = ox.NamedNode(XSD.integer)
IANA = "https://www.iana.org/assignments/media-types/"


def _n(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)


def description(stats: dict, root: str, dumps: list[Download]) -> list[ox.Triple]:
    """The VoID + DCAT triples of the dataset served at ``root``, with the whole dataset's ``dumps``."""
    doc = ox.NamedNode(root + ".well-known/void")
    dataset = ox.NamedNode(root + ".well-known/void#dataset")
    triples: list[ox.Triple] = []

    def add(s, p: str, o) -> None:
        triples.append(ox.Triple(s, ox.NamedNode(p), o))

    add(doc, RDF_TYPE.value, ox.NamedNode(VOID + "DatasetDescription"))
    add(doc, FOAF + "primaryTopic", dataset)
    add(doc, DCT + "title", ox.Literal("Description of the ckg dataset", language="en"))
    triples.append(ox.Triple(dataset, RDF_TYPE, ox.NamedNode(VOID + "Dataset")))
    triples.append(ox.Triple(dataset, RDF_TYPE, ox.NamedNode(DCAT + "Dataset")))
    add(dataset, DCT + "title", ox.Literal("ckg: a knowledge graph of conflict reporting", language="en"))
    add(dataset, DCT + "description", ox.Literal(
        "Claims from news articles about armed conflicts: who claimed what, when, in what capacity, through "
        "which channel, and where the words stand in the source text.", language="en"))
    if stats.get("license"):
        add(dataset, DCT + "license", ox.NamedNode(stats["license"]))
    add(dataset, VOID + "uriSpace", ox.Literal(stats["uri_space"]))
    add(dataset, VOID + "vocabulary", ox.NamedNode(NAMESPACE))
    add(dataset, DCT + "conformsTo", ox.NamedNode(ONTOLOGY_IRI))
    add(dataset, VOID + "sparqlEndpoint", ox.NamedNode(root + "sparql"))
    for name, key in (("triples", "triples"), ("entities", "entities"), ("distinctSubjects", "distinct_subjects"),
                      ("distinctObjects", "distinct_objects")):
        add(dataset, VOID + name, _n(stats[key]))
    add(dataset, VOID + "classes", _n(len(stats["classes"])))
    add(dataset, VOID + "properties", _n(len(stats["properties"])))
    for example in stats["examples"]:
        add(dataset, VOID + "exampleResource", ox.NamedNode(example))
    for number, (cls, count) in enumerate(sorted(stats["classes"].items())):
        part = ox.NamedNode(f"{root}.well-known/void#class-{number}")
        add(dataset, VOID + "classPartition", part)
        add(part, VOID + "class", ox.NamedNode(cls))
        add(part, VOID + "entities", _n(count))
    for number, (prop, count) in enumerate(sorted(stats["properties"].items())):
        part = ox.NamedNode(f"{root}.well-known/void#property-{number}")
        add(dataset, VOID + "propertyPartition", part)
        add(part, VOID + "property", ox.NamedNode(prop))
        add(part, VOID + "triples", _n(count))
    service = ox.NamedNode(root + "sparql")
    add(dataset, DCAT + "accessService", service)
    add(service, RDF_TYPE.value, ox.NamedNode(DCAT + "DataService"))
    add(service, DCAT + "endpointURL", service)
    add(service, DCT + "conformsTo", ox.NamedNode("https://www.w3.org/TR/sparql11-protocol/"))
    for dump in dumps:
        url = ox.NamedNode(dump.url)
        add(dataset, VOID + "dataDump", url)
        add(dataset, DCAT + "distribution", url)
        add(url, RDF_TYPE.value, ox.NamedNode(DCAT + "Distribution"))
        add(url, DCAT + "downloadURL", url)
        add(url, DCAT + "mediaType", ox.NamedNode(IANA + dump.media_type))
        add(url, DCAT + "compressFormat", ox.NamedNode(IANA + "application/gzip"))
        add(url, DCT + "title", ox.Literal(f"The whole dataset as gzip-compressed {dump.format}", language="en"))
        if stats.get("license"):
            add(url, DCT + "license", ox.NamedNode(stats["license"]))
        if dump.bytes is not None:
            add(url, DCAT + "byteSize", _n(dump.bytes))
    return sorted(triples, key=lambda t: (t.subject != doc, t.subject != dataset, str(t.subject)))


def labels(triples: list[ox.Triple]) -> dict:
    """What the page shows: the dataset's own statements, by property."""
    shown: dict[str, list[str]] = {}
    for triple in triples:
        if triple.subject.value.endswith("#dataset") and triple.predicate.value.startswith((VOID, DCT)):
            name = triple.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            if name not in ("classPartition", "propertyPartition"):
                shown.setdefault(name, []).append(triple.object.value)
    return shown
