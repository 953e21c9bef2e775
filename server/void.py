"""``/.well-known/void``: the dataset described in VoID and DCAT.

Numbers (triples, entities, class and property partitions, example resources, the
licence) come from graph/statistics.py, computed once per snapshot of the store; the
addresses (SPARQL endpoint, dumps) are this server's own. Turtle, N-Triples, JSON-LD or
RDF/XML by ``Accept``, ``format=`` or a suffix (``/.well-known/void.ttl``); a page for a browser.
"""
from __future__ import annotations

from urllib.parse import quote, urlsplit

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from ckg.graph import formats
from ckg.graph.export import FORMATS
from ckg.graph.store import StoreError
from ckg.ontology.vocabulary import DCAT, DCTERMS, FOAF, NAMESPACE, ONTOLOGY_IRI, PREFIXES, RDF, VOID, XSD

from . import publication
from .dumps import WHOLE, downloads
from .negotiation import NotAcceptable, negotiate
from .iri_paths import local_path
from .pages import chrome, security_headers
from .responses import problem

blueprint = Blueprint("void", __name__, template_folder="templates")
blueprint.after_request(security_headers)

DCT = DCTERMS
RDF_TYPE = ox.NamedNode(RDF.type)
XSD_INTEGER = ox.NamedNode(XSD.integer)
IANA = "https://www.iana.org/assignments/media-types/"
OFFER = (*formats.ONE_GRAPH, formats.HTML)
"""The description in each triple format, or a page with the same numbers."""


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
    for fmt in FORMATS.values():
        name = f"{WHOLE}.{fmt.suffix}.gz"
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


@blueprint.app_template_filter("term_link")
def term_link(iri: str) -> str:
    """Where this server shows an IRI; a term of the ontology at its section of the documentation."""
    if iri.startswith(NAMESPACE):
        return f"{urlsplit(ONTOLOGY_IRI).path}#{quote(iri[len(NAMESPACE):], safe='')}"
    return local_path(iri)


def labels(triples: list[ox.Triple]) -> dict:
    """What the page shows: the dataset's own statements, by property."""
    shown: dict[str, list[str]] = {}
    for triple in triples:
        if triple.subject.value.endswith("#dataset") and triple.predicate.value.startswith((VOID, DCT)):
            name = triple.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            if name not in ("classPartition", "propertyPartition"):
                shown.setdefault(name, []).append(triple.object.value)
    return shown


def made_sizes() -> dict[str, int]:
    """Sizes of the whole dataset's dump files made so far, by their download names."""
    return {d.name: d.bytes for d in downloads(WHOLE, None, request.url_root) if d.bytes is not None}


@blueprint.get("/.well-known/void")
@blueprint.get("/.well-known/void.<suffix>")
def void(suffix: str | None = None):
    by_suffix = formats.by_suffix(suffix, OFFER)
    if suffix is not None and by_suffix is None:
        return problem(404, f"/.well-known/void is available as .{', .'.join(formats.suffixes(OFFER))}, not .{suffix}")
    parameter = request.args.get("format")
    if parameter is not None and formats.find(parameter, OFFER) is None:
        return problem(400, f"unknown format '{parameter}': use format=" + "|".join(f.name for f in OFFER))
    try:
        fmt = negotiate(OFFER, request.accept_mimetypes, parameter or (by_suffix and by_suffix.name))
    except NotAcceptable as error:
        return problem(406, str(error))
    try:
        store_path = current_app.extensions["ckg.store_path"]
        stats = publication.statistics(store_path)
        triples = description(stats, request.url_root, made_sizes())
    except StoreError as error:
        return problem(503, str(error))
    if fmt is formats.HTML:
        return render_template("pages/void.html", stats=stats, root=request.url_root, labels=labels(triples),
                               **chrome())
    options = {"prefixes": PREFIXES} if fmt.name in formats.ABBREVIATING else {}
    body = ox.serialize(triples, format=fmt.oxigraph, **options)
    return Response(body, content_type=f"{fmt.media_type}; charset=utf-8", headers={"Vary": "Accept"})
