"""A resource's description: its quads as SPARQL JSON gives them, indexed for pages and RDF."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ckg.graph import formats
from ckg.ontology.vocabulary import DCTERMS, PREFIXES, RDF, RDFS, SCHEMA, SKOS

RDF_TYPE = RDF.type
RDFS_LABEL = RDFS.label
LABELS = (RDFS_LABEL, SKOS.prefLabel, SCHEMA.name, DCTERMS.title, SCHEMA.headline)
"""Properties whose literal names a resource, the first found winning (rdfs:label above all)."""


@dataclass(frozen=True)
class Term:
    """One RDF term as SPARQL JSON results give it."""
    kind: str
    """'uri', 'literal' or 'bnode' ('default' for the default graph in a quad's graph position)."""
    value: str
    datatype: str | None = None
    lang: str | None = None

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"

    def to_oxigraph(self):
        if self.kind == "uri":
            return ox.NamedNode(self.value)
        if self.kind == "bnode":
            return ox.BlankNode(self.value)
        if self.lang:
            return ox.Literal(self.value, language=self.lang)
        return ox.Literal(self.value, datatype=ox.NamedNode(self.datatype) if self.datatype else None)

    def number(self) -> float | None:
        try:
            return float(self.value)
        except ValueError:
            return None


def term(binding: dict) -> Term:
    kind = binding["type"]
    if kind == "typed-literal":
        kind = "literal"
    return Term(kind, binding["value"], binding.get("datatype"), binding.get("xml:lang"))


@dataclass
class Description:
    """Quads about one resource with indexes by subject and object, and the labels they carry."""
    iri: str
    quads: list[tuple[Term, Term, Term, Term]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.out: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.inc: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.graphs: dict[tuple, list[str]] = defaultdict(list)
        self.labels: dict[str, str] = {}
        for s, p, o, g in self.quads:
            key = (s, p.value, o)
            if not self.graphs[key]:
                self.out[s.value][p.value].append(o)
                if o.is_iri:
                    self.inc[o.value][p.value].append(s)
            self.graphs[key].append(g.value)
            if p.value in LABELS and o.kind == "literal" and (s.value not in self.labels or o.lang in ("en", None)):
                if p.value == RDFS_LABEL or s.value not in self.labels:
                    self.labels[s.value] = o.value

    @property
    def exists(self) -> bool:
        return bool(self.quads)

    def values(self, predicate: str, subject: str | None = None) -> list[Term]:
        return list(self.out.get(subject or self.iri, {}).get(predicate, []))

    def value(self, predicate: str, subject: str | None = None) -> Term | None:
        found = self.values(predicate, subject)
        return found[0] if found else None

    def types(self, subject: str | None = None) -> list[str]:
        return [t.value for t in self.values(RDF_TYPE, subject)]

    def asserted_types(self, is_derived: Callable[[str], bool]) -> list[str]:
        """Types stated by the data itself, not added by the reasoner's closure."""
        found = [t.value for t in self.values(RDF_TYPE)
                 if any(not is_derived(g) for g in self.graphs[(Term("uri", self.iri), RDF_TYPE, t)])]
        return found or self.types()


def serialize(description: Description, fmt: formats.Format) -> bytes:
    """The description in one RDF format: quads in a quad format, else the union of its graphs."""
    with_graphs = fmt.kind == "quads"
    seen = set()
    quads = []
    for s, p, o, g in description.quads:
        quad = ox.Quad(s.to_oxigraph(), p.to_oxigraph(), o.to_oxigraph(),
                       ox.NamedNode(g.value) if with_graphs and g.is_iri else ox.DefaultGraph())
        if quad not in seen:
            seen.add(quad)
            quads.append(quad)
    options = {"prefixes": PREFIXES} if fmt.name in formats.ABBREVIATING else {}
    return ox.serialize(quads, format=fmt.oxigraph, **options)
