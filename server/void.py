"""``/.well-known/void``: the dataset described in VoID and DCAT.

Numbers (triples, entities, class and property partitions, example resources, the
licence) come from graph/statistics.py, computed once per snapshot of the store; the
addresses (SPARQL endpoint, dumps) are this server's own. Turtle, N-Triples, JSON-LD or
RDF/XML by ``Accept``, ``format=`` or a suffix (``/.well-known/void.ttl``).
"""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from graph.export import FORMATS
from graph.store import StoreError
from ontology import files

from . import publication
from .dumps import disk_name, stem_of
from .negotiation import GRAPHS, NotAcceptable, choose
from .responses import problem

blueprint = Blueprint("void", __name__)

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
IANA = "https://www.iana.org/assignments/media-types/"
PREFIXES = {"void": VOID, "dcat": DCAT, "dcterms": DCT, "foaf": FOAF, "ckg": files.NAMESPACE,
            "xsd": "http://www.w3.org/2001/XMLSchema#"}
OFFERED = [f for f in GRAPHS if f.media_type in ("text/turtle", "application/n-triples", "application/ld+json",
                                                 "application/rdf+xml")]
SUFFIXES = {"ttl": "ttl", "nt": "nt", "jsonld": "jsonld", "rdf": "rdfxml"}


def _n(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)


def description(stats: dict, root: str, made: dict[str, int]) -> list[ox.Triple]:
    """The VoID + DCAT triples of the dataset served at ``root`` (``made``: sizes of dump files made so far)."""
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
    add(dataset, VOID + "vocabulary", ox.NamedNode(files.NAMESPACE))
    add(dataset, DCT + "conformsTo", ox.NamedNode(files.ONTOLOGY_IRI))
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
    for fmt in FORMATS.values():
        name = f"{stem_of(None)}.{fmt.extension}.gz"
        url = ox.NamedNode(f"{root}dump/{name}")
        add(dataset, VOID + "dataDump", url)
        add(dataset, DCAT + "distribution", url)
        add(url, RDF_TYPE.value, ox.NamedNode(DCAT + "Distribution"))
        add(url, DCAT + "downloadURL", url)
        add(url, DCAT + "mediaType", ox.NamedNode(IANA + fmt.media_type))
        add(url, DCAT + "compressFormat", ox.NamedNode(IANA + "application/gzip"))
        add(url, DCT + "title", ox.Literal(f"The whole dataset as gzip-compressed {fmt.name}", language="en"))
        if stats.get("license"):
            add(url, DCT + "license", ox.NamedNode(stats["license"]))
        if name in made:
            add(url, DCAT + "byteSize", _n(made[name]))
    return sorted(triples, key=lambda t: (t.subject != doc, t.subject != dataset, str(t.subject)))


def made_sizes() -> dict[str, int]:
    """Sizes of the whole dataset's dump files made so far, by their download names."""
    here = publication.folder(current_app.extensions["ckg.store_path"])
    sizes = {}
    for fmt in FORMATS.values():
        path = here / disk_name(None, fmt.extension)
        if path.is_file():
            sizes[f"{stem_of(None)}.{fmt.extension}.gz"] = path.stat().st_size
    return sizes


@blueprint.get("/.well-known/void")
@blueprint.get("/.well-known/void.<suffix>")
def void(suffix: str | None = None):
    if suffix is not None and suffix not in SUFFIXES:
        return problem(404, f"/.well-known/void is available as .{', .'.join(SUFFIXES)}, not .{suffix}")
    parameter = request.args.get("format")
    if parameter is not None and not any(parameter in f.names or parameter == f.media_type for f in OFFERED):
        return problem(400, f"unknown format '{parameter}': use format=" + "|".join(f.names[0] for f in OFFERED))
    try:
        fmt = choose(OFFERED, request.accept_mimetypes, parameter or (SUFFIXES[suffix] if suffix else None))
    except NotAcceptable as error:
        return problem(406, str(error))
    try:
        store_path = current_app.extensions["ckg.store_path"]
        triples = description(publication.statistics(store_path), request.url_root, made_sizes())
    except StoreError as error:
        return problem(503, str(error))
    options = {"prefixes": PREFIXES} if fmt.oxigraph in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {}
    body = ox.serialize(triples, format=fmt.oxigraph, **options)
    return Response(body, content_type=f"{fmt.media_type}; charset=utf-8", headers={"Vary": "Accept"})
