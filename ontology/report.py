"""Turn a reasoning report into text a person reads at a terminal."""
from __future__ import annotations

import rdflib
from rdflib.namespace import RDFS

from .vocabulary import NAMESPACE, PREFIXES as NAMESPACES
from .reasoning import OWL_THING, ReasoningReport

DEFINED_CLASSES = ("Official", "Mediator")


def short(iri: str, labels: dict[str, str] | None = None) -> str:
    if labels and iri in labels:
        return labels[iri]
    for sep in ("#", "/"):
        if sep in iri:
            return iri.rsplit(sep, 1)[1]
    return iri


def labels_of(graph: rdflib.Graph) -> dict[str, str]:
    return {str(s): str(o) for s, o in graph.subject_objects(RDFS.label) if isinstance(s, rdflib.URIRef)}


PREFIXES = {NAMESPACES[name]: f"{name}:" for name in ("ckg", "prov", "org", "geo", "oa", "skos")}


def curie(iri: str) -> str:
    for namespace, prefix in PREFIXES.items():
        if iri.startswith(namespace):
            return prefix + iri[len(namespace):]
    return f"<{iri}>"


def hierarchy_lines(report: ReasoningReport, root: str = NAMESPACE + "Event", depth: int = 0) -> list[str]:
    """The inferred subclass tree under one class, two spaces per level."""
    children = sorted(c for c, supers in report.hierarchy.items() if root in supers)
    lines = ["  " * depth + curie(root)]
    for child in children:
        lines += hierarchy_lines(report, child, depth + 1)
    return lines


def summary(report: ReasoningReport, labels: dict[str, str], show_hierarchy: bool = False) -> str:
    """A short report: consistency, sizes, the defined classes' members."""
    if not report.consistent:
        return f"INCONSISTENT ({report.triples} triples): {report.message or 'HermiT found a contradiction'}"
    own = [c for c in report.hierarchy if c.startswith(NAMESPACE)]
    lines = [
        f"consistent: yes ({report.triples} triples, {len(own)} ckg classes, "
        f"{len(report.classified)} individuals)",
    ]
    if report.unsatisfiable:
        lines.append("unsatisfiable classes: " + ", ".join(sorted(short(c) for c in report.unsatisfiable)))
    for name in DEFINED_CLASSES:
        members = sorted(short(i, labels) for i in report.inferred_members(NAMESPACE + name))
        shown = ", ".join(members[:10]) + (" …" if len(members) > 10 else "")
        lines.append(f"classified as {name}: {len(members)}" + (f" ({shown})" if members else ""))
    if show_hierarchy:
        lines.append("inferred hierarchy:")
        for root in sorted(c for c, s in report.hierarchy.items() if s == {OWL_THING}):
            tree = hierarchy_lines(report, root)
            if len(tree) > 1 or root.startswith(NAMESPACE):
                lines += ["  " + line for line in tree]
    return "\n".join(lines)
