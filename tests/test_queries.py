"""The analysts' queries in queries/: contract names and columns, what they answer on the seed
graph, their parameters, binding that cannot be injected into, and `ckg query`."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest

from ckg.graph import queries
from ckg.graph.store import Store
from ckg.ontology.vocabulary import SPARQL_PREFIXES, XSD

from .conftest import ROOT

CONTRACT = {
    "claims": "claim, claimant, claimantLabel, side, kind, group, min, max, stated, date, document, quote",
    "statements": "statement, speaker, speakerLabel, post, onBehalfOf, channel, time, quote, document",
    "officials": "person, name, post, organisation, state",
    "operations": "event, label, type, actor, place, begin, end, document",
    "mediation": "event, type, mediator, parties, time, document",
    "contradictions": "variable, claimA, claimantA, statedA, claimB, claimantB, statedB",
    "timeline": "time, item, label, type, document",
}
SAMPLE = {"iri": "https://example.org/nothing", "string": "zzz", "integer": "1", "decimal": "0.5",
          "date": "2026-01-01", "dateTime": "2026-01-01T00:00:00Z", "boolean": "true"}


@pytest.fixture(scope="module")
def store(seed_store):
    opened = Store.open(seed_store, read_only=True)
    yield opened
    opened.close()


def run(store, query_name: str, /, **params: str) -> list[dict]:
    query = queries.named(query_name)
    results = store.query(queries.bind(query, params))
    variables = [v.value for v in results.variables]
    assert tuple(variables) == query.columns, f"{query_name} answers {variables}, its header declares {query.columns}"
    return [{v: (s[v].value if s[v] is not None else None) for v in variables} for s in results]


def test_contract_queries_have_their_names_and_columns():
    found = queries.catalogue()
    for name, columns in CONTRACT.items():
        declared = list(found[name].columns)
        expected = [c.strip() for c in columns.split(",")]
        assert declared[:len(expected)] == expected, name
        assert found[name].summary and found[name].description


def test_every_competency_question_has_a_query():
    answered = set()
    for query in queries.catalogue().values():
        match = re.match(r"cq(\d\d)-", query.name)
        if match:
            answered.add(int(match.group(1)))
        answered |= {int(a.removeprefix("CQ")) for a in query.answers}
    assert answered >= set(range(1, 21)), sorted(set(range(1, 21)) - answered)


def test_every_query_runs_with_its_declared_columns(store):
    for query in queries.catalogue().values():
        given = {p.name: SAMPLE[p.type] for p in query.parameters if p.required}
        rows = run(store, query.name, **given)
        assert isinstance(rows, list)


def test_claims(store):
    rows = run(store, "claims")
    by = {(r["claimantLabel"], r["kind"], r["stated"]): r for r in rows}
    tarar = by[("Attaullah Tarar", "killed", "two")]
    assert (tarar["side"], tarar["min"], tarar["max"]) == ("Pakistan", "2", "2")
    assert "two Pakistani soldiers were killed" in tarar["quote"]
    zaidi = by[("Mosharraf Ali Zaidi", "killed", "at least 133")]
    assert zaidi["max"] is None and zaidi["group"] == "Armed Forces of Afghanistan"
    assert all(re.fullmatch(r"-?\d+", r["min"]) for r in rows)
    assert all(r["claim"].startswith("https://") and r["document"].startswith("https://") for r in rows)
    assert {r["side"] for r in rows} >= {"Pakistan", "Afghanistan"}
    assert len({r["claim"] for r in rows}) == len(rows), "one row per claim"


def test_claims_parameters_filter(store):
    everything = run(store, "claims")
    killed = run(store, "claims", kind="killed")
    assert killed and len(killed) < len(everything) and {r["kind"] for r in killed} == {"killed"}
    pakistan = run(store, "claims", kind="KILLED", state="pakistan")
    assert {(r["claimantLabel"], r["stated"]) for r in pakistan} == {("Attaullah Tarar", "two"),
                                                                     ("Mosharraf Ali Zaidi", "at least 133"),
                                                                     ("Pakistan", "133")}  # Islamabad's own
    claims = {r["claim"] for r in everything}
    document = everything[0]["document"]
    assert {r["claim"] for r in run(store, "claims", document=document)} == claims  # the seed is one document
    assert run(store, "claims", document="https://example.org/no-such-document") == []
    days = sorted({r["date"][:10] for r in everything if r["date"]})
    assert len(days) >= 2, days  # the seed's claims were made on more than one day
    late = run(store, "claims", **{"from": days[-1]})
    assert late and all(r["date"] >= days[-1] for r in late) and len(late) < len(everything)
    early = {r["claim"] for r in run(store, "claims", to=days[-1])}
    assert early.isdisjoint(r["claim"] for r in late) and early | {r["claim"] for r in late} == claims


def test_statements(store):
    rows = run(store, "statements")
    assert len({r["statement"] for r in rows}) == len(rows), "one row per statement"
    mao = [r for r in rows if r["speakerLabel"] == "Mao Ning" and r["channel"] == "media briefing"]
    assert mao and mao[0]["onBehalfOf"] == "China" and "Foreign Ministry of China" in mao[0]["post"]
    pakistan = run(store, "statements", state="Pakistan")
    assert pakistan and all(r["onBehalfOf"] for r in pakistan)
    assert "Mao Ning" not in {r["speakerLabel"] for r in pakistan}
    assert "Attaullah Tarar" in {r["speakerLabel"] for r in pakistan}
    speaker = mao[0]["speaker"]
    assert {r["speaker"] for r in run(store, "statements", speaker=speaker)} == {speaker}


def test_officials(store):
    rows = run(store, "officials")
    assert {"name": "Attaullah Tarar", "post": "Information Minister of Pakistan"}.items() <= next(
        r for r in rows if r["name"] == "Attaullah Tarar").items()
    assert any(r["name"] == "Maria Zakharova" and r["state"] == "Russia" for r in rows)
    russia = run(store, "officials", state="russia")
    assert russia and {r["state"] for r in russia} == {"Russia"}
    assert {r["name"] for r in run(store, "officials", name="zakh")} == {"Maria Zakharova"}


def test_operations(store):
    rows = run(store, "operations")
    kabul = next(r for r in rows if r["place"] == "Kabul")
    assert kabul["type"] == "airstrike" and "Pakistan" in kabul["actor"].split("; ")
    assert kabul["begin"] < kabul["end"] and kabul["document"].startswith("https://")
    assert any(r["type"] == "military operation" and r["label"] == "Operation Ghazab lil Haq" for r in rows)
    airstrikes = run(store, "operations", type="airstrike")
    assert {r["place"] for r in airstrikes} == {"Kabul", "Kandahār", "Paktia"}  # the city, named as GeoNames spells it
    in_or_by_afghanistan = run(store, "operations", state="Afghanistan")
    assert {"Kabul", "Kandahār", "Paktia"} <= {r["place"] for r in in_or_by_afghanistan}
    assert "Operation Ghazab lil Haq" not in {r["label"] for r in in_or_by_afghanistan}
    before = run(store, "operations", to="2024-01-01")
    assert before and all(r["begin"] < "2024-01-01" for r in before if r["begin"])


def test_mediation(store):
    rows = run(store, "mediation")
    assert {r["type"] for r in rows} == {"mediation effort", "ceasefire", "appeal"}
    ceasefire = next(r for r in rows if r["type"] == "ceasefire")
    assert set(ceasefire["mediator"].split("; ")) == {"Qatar", "Turkey"}
    assert set(ceasefire["parties"].split("; ")) == {"Pakistan", "Afghanistan"}
    appeals = run(store, "mediation", type="appeal", state="Russia")
    assert appeals and {r["mediator"] for r in appeals} == {"Russia"}
    assert all(r["time"] and r["document"] for r in run(store, "mediation", type="appeal"))


def test_contradictions(store):
    rows = run(store, "contradictions")
    pairs = {frozenset((r["statedA"], r["statedB"])) for r in rows}
    assert len(rows) == 5 and frozenset(("55", "two")) in pairs and frozenset(("eight", "at least 133")) in pairs
    assert frozenset(("eight", "133")) in pairs  # Islamabad's own figure, apart from its spokesman's
    tarar = next(r for r in run(store, "claims") if r["claimantLabel"] == "Attaullah Tarar")["claimant"]
    only = run(store, "contradictions", claimant=tarar)
    assert [frozenset((r["statedA"], r["statedB"])) for r in only] == [frozenset(("55", "two"))]


def test_timeline(store):
    rows = run(store, "timeline")
    times = [r["time"] for r in rows]
    assert times == sorted(times)
    types = {r["type"] for r in rows}
    assert {"statement", "airstrike", "military operation"} <= types
    window = run(store, "timeline", **{"from": "2026-02-26", "to": "2026-02-27"})
    assert window and all("2026-02-26" <= r["time"] < "2026-02-27" for r in window)
    statements = run(store, "timeline", type="statement")
    assert statements and {r["type"] for r in statements} == {"statement"}


def test_competency_questions_answer_on_the_seed(store):
    spread = {r["variable"]: r for r in run(store, "cq03-spread-per-count", kind="killed")}
    afghan = next(r for v, r in spread.items() if v.startswith("Armed Forces of Afghanistan armed personnel killed"))
    assert (afghan["lowest"], afghan["highest"], afghan["claimants"]) == ("8", "133", "3")
    assert [r["conservativeFatalities"] for r in run(store, "cq04-conservative-fatalities")] == ["10"]
    held = run(store, "cq06-post-holder-at", post="defence minister", at="2026-02-27T07:00:00Z")
    assert [r["person"] for r in held] == ["Khawaja Mohammad Asif"]
    denials = run(store, "cq08-denials")
    assert [(r["denier"], r["otherStated"]) for r in denials] == [("Mosharraf Ali Zaidi", "several")]
    claim = next(r for r in run(store, "claims") if r["claimantLabel"] == "Attaullah Tarar")["claim"]
    evidence = run(store, "cq09-evidence", claim=claim)
    assert evidence and "two Pakistani soldiers" in evidence[0]["exact"] and len(evidence[0]["sha256"]) == 64
    thursday = {r["eventLabel"]: r["status"] for r in run(store, "cq11-events-on-a-day", **{
        "from": "2026-02-25T19:30:00Z", "to": "2026-02-26T19:30:00Z"})}
    assert thursday["Operation Ghazab lil Haq"] == "certainly"
    contested = {r["claimantLabel"]: (r["claims"], r["contradicted"]) for r in run(store, "cq16-contested-claimants")}
    assert contested["Attaullah Tarar"] == ("2", "1")
    sides = {r["eventLabel"]: r["sides"] for r in run(store, "cq17-cross-party-corroboration")}
    assert sides["Airstrike in Kabul"] == "2"
    assert {r["claimant"] for r in run(store, "cq18-third-party-figures")} == {"UNHCR"}
    roots = {r["rootCode"]: int(r["items"]) for r in run(store, "cq19-cameo-roots")}
    assert roots["02"] >= 1 and roots["19"] >= 1
    review = run(store, "cq20-claims-to-review", below="0.75")
    assert review and all(float(r["confidence"]) < 0.75 for r in review)
    assert run(store, "cq20-claims-to-review", below="0.1") == []


# ------------------------------------------------------------------ binding

def test_values_are_bound_as_escaped_terms_never_as_syntax(store):
    attack = 'x")) } } DELETE WHERE { ?s ?p ?o } #'
    text = queries.bind(queries.named("officials"), {"name": attack})
    assert '"x\\")) } } DELETE WHERE { ?s ?p ?o } #"' in text
    assert run(store, "officials", name=attack) == []
    assert run(store, "officials")  # the store is as it was
    for bad in ("https://example.org/a> } ; <b", "not an iri", "javascript:x y"):
        with pytest.raises(queries.QueryError, match="document"):
            queries.bind(queries.named("claims"), {"document": bad})


def test_parameter_errors_say_what_is_wrong():
    claims = queries.named("claims")
    with pytest.raises(queries.QueryError, match="has no parameter 'colour'.*kind"):
        queries.bind(claims, {"colour": "red"})
    with pytest.raises(queries.QueryError, match="'from' must be a date"):
        queries.bind(claims, {"from": "27/02/2026"})
    with pytest.raises(queries.QueryError, match="needs the parameter 'claim'"):
        queries.bind(queries.named("cq09-evidence"), {})
    with pytest.raises(queries.QueryError, match="'below' must be a decimal"):
        queries.bind(queries.named("cq20-claims-to-review"), {"below": "low"})
    with pytest.raises(queries.QueryError, match="no query named 'nope'"):
        queries.named("nope")
    with pytest.raises(queries.QueryError, match="cannot read the parameter line"):
        queries.parse("#+ param: x colour -- y\nSELECT * WHERE { ?s ?p ?o }")


def test_headers_and_binding_of_a_query_written_out():
    query = queries.parse('#+ param: n integer = 3 -- a number\n# a { in a comment\nSELECT ?s WHERE { "{" ?s ?n }')
    assert query.parameters[0].default == "3"
    text = queries.bind(query, {})
    assert text.index("VALUES (?_n)") > text.index('WHERE {') and text.count("VALUES") == 1
    assert f'"3"^^<{XSD.integer}>' in text


def test_an_install_adds_ckg_alone_with_its_data(tmp_path):
    """What `pip install .` puts into site-packages: the one package `ckg` (and its metadata)."""
    target = tmp_path / "site-packages"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                           "--target", str(target), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    top = {p.name for p in target.iterdir() if p.name != "bin"}
    assert {n for n in top if not n.endswith(".dist-info")} == {"ckg"}
    packaged = target / "ckg"
    assert {p.name for p in (packaged / "queries").glob("*.rq")} == {p.name for p in (ROOT / "queries").glob("*.rq")}
    for data in ("ontology/ckg.ttl", "ontology/kb.ttl", "graph/shapes.ttl", "server/templates/editor.html", "cli.py",
                 "server/templates/pages/claim.html", "server/static_pages/pages.css", "server/page_queries/agent.rq",
                 "server/views/resources.py", "server/presenters/charts.py", "server/http/negotiation.py",
                 "server/runtime/executor.py"):
        assert (packaged / data).is_file(), data


# ------------------------------------------------------------------ ckg query

def ckg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ckg.cli", "query", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_cli_runs_a_named_query_with_parameters(seed_store):
    done = ckg("claims", "--store", str(seed_store), "--param", "kind=killed", "-p", "state=Pakistan", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {r["stated"] for r in rows} == {"two", "at least 133", "133"} and list(rows[0]) == CONTRACT["claims"].split(", ")
    as_json = json.loads(ckg("officials", "--store", str(seed_store), "-f", "json", "-p", "state=Russia").stdout)
    assert {b["name"]["value"] for b in as_json["results"]["bindings"]} >= {"Maria Zakharova"}
    table = ckg("officials", "--store", str(seed_store), "-f", "table", "-p", "state=Russia")
    assert table.returncode == 0 and "Zakharova" in table.stdout and "rows" in table.stdout


def test_cli_runs_files_and_text(seed_store, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text("#+ param: kind string -- a kind\n" + SPARQL_PREFIXES +
                    "SELECT (COUNT(*) AS ?n) WHERE { ?c ckg:statedValue ?s }", encoding="utf-8")
    done = ckg(str(path), "--store", str(seed_store), "-f", "tsv")
    assert done.returncode == 0 and int(done.stdout.splitlines()[1]) > 0
    construct = ckg("CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 3", "--store", str(seed_store), "-f", "ttl")
    assert construct.returncode == 0 and " a " in construct.stdout
    listing = ckg()
    assert listing.returncode == 0 and "timeline:" in listing.stdout and "kind [string]" in listing.stdout


@pytest.mark.parametrize("args, message", [
    (["clams"], "no query named 'clams'"),
    (["claims", "-p", "from=yesterday"], "'from' must be a date"),
    (["claims", "-p", "colour=red"], "has no parameter 'colour'"),
    (["claims", "-p", "kind"], "key=value"),
    (["cq09-evidence"], "needs the parameter 'claim'"),
    (["SELECT ?x WHERE { ?x ?y }"], "not valid SPARQL"),
    (["claims", "-f", "ttl"], "not a graph"),
    (["missing.rq"], "no query file"),
])
def test_cli_errors_say_what_is_wrong(seed_store, args, message):
    done = ckg(*args, "--store", str(seed_store))
    assert done.returncode != 0 and message in done.stderr, done.stderr


def test_cli_without_a_store_says_so(tmp_path):
    done = ckg("claims", "--store", str(tmp_path / "none"))
    assert done.returncode != 0 and "no store at" in done.stderr
