"""The ontology's documentation: pyLODE's HTML, with every term at its own local name.

pyLODE names a term's section after its label (``#non-statearmedgroup``); the ontology's
hash IRIs (``ckg:NonStateArmedGroup``) need the local name, exactly,
for a browser to land on the term. So each section of a term of the namespace gets its
local name as its id, and the page's links follow. ``python -m ckg.server.presenters.ontology_docs OUT``
writes the page (the server runs it once per version of the ontology, in a child process).
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import lxml.html

from ckg.ontology import files
from ckg.ontology.vocabulary import DCTERMS, NAMESPACE, ONTOLOGY_IRI

DCTERMS_TITLE = DCTERMS.title


def generate(ontology: Path = files.ONTOLOGY) -> str:
    """pyLODE's documentation of the ontology file."""
    import logging

    from pylode import OntPub

    logging.getLogger().setLevel(logging.WARNING)  # pyLODE logs every step at INFO
    return OntPub(ontology=str(ontology)).make_html()


def ontology_title(ontology: Path = files.ONTOLOGY) -> str | None:
    import pyoxigraph as ox

    with open(ontology, "rb") as handle:
        for quad in ox.parse(handle, format=ox.RdfFormat.TURTLE):
            if quad.subject == ox.NamedNode(ONTOLOGY_IRI) and quad.predicate.value == DCTERMS_TITLE:
                return quad.object.value
    return None


def anchored(html: str, namespace: str = NAMESPACE, title: str | None = None) -> str:
    """The page with each section of a term in ``namespace`` given the term's local name as id,
    and the ontology's own title."""
    document = lxml.html.document_fromstring(html)
    renamed: dict[str, str] = {}
    sections = document.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " entity ")]')
    for section in sections:
        iri = section.xpath('string(.//th[normalize-space()="IRI"]/following-sibling::td[1]/code)').strip()
        if iri.startswith(namespace) and section.get("id"):
            renamed[section.get("id")] = iri[len(namespace):]
    taken = set(renamed.values())
    for section in sections:
        old = section.get("id")
        if old in renamed:
            section.set("id", renamed[old])
        elif old in taken:  # a term of another vocabulary whose section had a local name of ours
            renamed[old] = f"{old}-elsewhere"
            section.set("id", renamed[old])
    for link in document.xpath("//a[@href]"):
        href = link.get("href")
        if href.startswith("#") and href[1:] in renamed:
            link.set("href", "#" + renamed[href[1:]])
        elif href.startswith(namespace) and href[len(namespace):] in taken:
            link.set("href", "#" + href[len(namespace):])
    if title:  # pyLODE runs the titles of the ontology and of every concept scheme together
        for element in document.xpath('//head/title | //div[@id="metadata"]/h1'):
            element.text = title
    return lxml.html.tostring(document, doctype="<!DOCTYPE html>", encoding="unicode")


def version_key(ontology: Path = files.ONTOLOGY) -> str:
    """Names the documentation of this version of the ontology file."""
    return hashlib.sha256(ontology.read_bytes()).hexdigest()[:16]


def write(out: Path) -> None:
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    partial.write_text(anchored(generate(), title=ontology_title()), encoding="utf-8")
    partial.replace(out)


if __name__ == "__main__":
    write(Path(sys.argv[1]))
