"""The ontology drives extraction: an edit to a copy of it changes what is extracted."""
from __future__ import annotations

import shutil
from datetime import datetime

import rdflib

from ckg.graph import conventions
from ckg.graph.documents import Document
from ckg.graph.extract import Context, extract
from ckg.graph.lexicon import CKG, build_lexicon
from ckg.graph.matching import Matcher
from ckg.ontology import files
from ckg.ontology.vocabulary import TURTLE_PREFIXES

ARTICLE = (
    "Somalia’s army said a drone strike killed 14 al-Shabaab fighters in Mogadishu on Tuesday. "
    "The group denied that any of its fighters were killed."
)
DRONE_STRIKE = TURTLE_PREFIXES + """
ckg:DroneStrike a owl:Class ; rdfs:subClassOf ckg:Airstrike ; rdfs:label "drone strike"@en ;
    skos:definition "An attack by an armed drone."@en ; ckg:trigger "drone strike"@en .
"""
NEW_KIND = TURTLE_PREFIXES + """
ckg:kind-looted a skos:Concept , owl:NamedIndividual ; skos:inScheme ckg:CountKindScheme ;
    rdfs:label "looted"@en ; skos:notation "looted" ; skos:definition "Shops or homes looted."@en ;
    ckg:cue "looted"@en , "ransacked"@en .
"""


def lexicon_with(extra: str | None, tmp_path):
    copy = tmp_path / "ckg.ttl"
    shutil.copy(files.ONTOLOGY, copy)
    graph = rdflib.Graph()
    for path in [copy, *files.reasoned_files()[1:]]:
        graph.parse(path)
    if extra:
        graph.parse(data=extra, format="turtle")
    return build_lexicon(graph, digest=str(len(graph)))


def run(lexicon, text: str):
    ctx = Context(lexicon, Matcher(lexicon), conventions.load_conventions(lexicon.graph))
    doc = Document(id="t", text=text, title=None, date=datetime(2026, 6, 3), date_precision="day", place=None,
                   source=None, url=None, path="t.txt", format="text", sha256="0", metadata={})
    return extract(ctx, doc)


def test_a_new_subclass_with_a_trigger_is_extracted_with_no_code_change(tmp_path):
    before = run(lexicon_with(None, tmp_path), ARTICLE)
    assert {e.cls for e in before.events.values()} & {str(CKG.DroneStrike)} == set()
    assert {str(CKG.Strike), str(CKG.Airstrike)} & {e.cls for e in before.events.values()}  # a strike, not yet the new class
    after = run(lexicon_with(DRONE_STRIKE, tmp_path), ARTICLE)
    assert str(CKG.DroneStrike) in {e.cls for e in after.events.values()}


def test_a_new_count_kind_is_extracted(tmp_path):
    text = "Nigerian police said gunmen looted 23 shops in a market in Kaduna on Friday."
    before = run(lexicon_with(None, tmp_path), text)
    assert not [c for c in before.claims if c.variable]
    after = run(lexicon_with(NEW_KIND, tmp_path), text)
    kinds = {after.variables[c.variable].kind for c in after.claims if c.variable}
    assert str(CKG["kind-looted"]) in kinds
    figures = {(c.minimum, c.maximum) for c in after.claims if c.variable}
    assert (23, 23) in figures
