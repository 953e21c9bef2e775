"""Every named query's answer on a built store, as plain data, kept in a file to compare with.

A change that should not change what the graph says (a refactor, a move of files, a faster
path) is checked by ``test_answers_unchanged``: the seed and the development set are built,
every named query is run with its defaults (and with fixed values where a parameter is
required), and the rows are compared with ``tests/data/answers.json``. A change that means
to alter answers rewrites the file, and the diff shows what moved:

    python -m tests.answers --write
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "tests" / "data" / "answers.json"
DEVSET = ROOT / "tests" / "data" / "devset"


def inputs() -> list[Path]:
    """The seed folder and the development set's articles (not their gold lists)."""
    return [ROOT / "seeds", *sorted(p for p in DEVSET.iterdir() if p.suffix in (".md", ".txt"))]


FIXED = {
    "cq06-post-holder-at": {"at": "2026-06-01T00:00:00Z"},
    "cq11-events-on-a-day": {"from": "1900-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"},
}
"""Values for required parameters: a moment, and a window that holds every event."""
CLAIMS_ASKED = 6
"""cq09 (the evidence of one claim) is asked of this many claims, the first by IRI."""

_BLANK = re.compile(r"^_:\S+$")


def _cell(term) -> str:
    """A term's text, blank nodes made one (their labels change from run to run)."""
    if term is None:
        return ""
    text = str(term)
    return "_:b" if _BLANK.match(text) else text


def _rows(store, text: str) -> list[list[str]]:
    import pyoxigraph as ox

    results = store.query(text)
    if isinstance(results, ox.QueryBoolean):
        return [[str(bool(results)).lower()]]
    if isinstance(results, ox.QueryTriples):
        return sorted([_cell(t.subject), _cell(t.predicate), _cell(t.object)] for t in results)
    names = [v.value for v in results.variables]
    return sorted([_cell(solution[name]) for name in names] for solution in results)


def answers(store_path: Path) -> dict[str, list[list[str]]]:
    """Each named query's sorted rows, by the query's name (and its parameter values)."""
    from ckg.graph import queries
    from ckg.graph.store import Store

    out: dict[str, list[list[str]]] = {}
    with Store.open(store_path, read_only=True) as store:
        for name, query in sorted(queries.catalogue().items()):
            if name == "cq09-evidence":
                continue
            out[name] = _rows(store, queries.bind(query, FIXED.get(name, {})))
        evidence = queries.named("cq09-evidence")
        claims = sorted({row[0] for row in out.get("claims", []) if row and row[0].startswith("<")})
        for claim in claims[:CLAIMS_ASKED]:
            out[f"cq09-evidence claim={claim}"] = _rows(store, queries.bind(evidence, {"claim": claim.strip("<>")}))
    return out


def build_inputs(store_path: Path) -> None:
    from ckg.graph.build import build
    from ckg.graph.store import Store

    with Store.open(store_path) as store:
        summary = build(inputs(), store)
    if summary.failures:
        raise SystemExit(f"the inputs did not build: {summary.failures}")


def differences(expected: dict, actual: dict, shown: int = 5) -> list[str]:
    """One line per query whose rows differ, with a few rows gone and a few new."""
    out = []
    for name in sorted(set(expected) | set(actual)):
        before = {json.dumps(r) for r in expected.get(name, [])}
        after = {json.dumps(r) for r in actual.get(name, [])}
        if before == after:
            continue
        gone, new = sorted(before - after)[:shown], sorted(after - before)[:shown]
        out.append(f"{name}: {len(before - after)} rows gone {gone}, {len(after - before)} new {new}")
    return out


def dumps(found: dict[str, list[list[str]]]) -> str:
    """JSON with one row per line, so that a diff of the file reads row by row."""
    blocks = []
    for name in sorted(found):
        rows = ",\n".join(json.dumps(row, ensure_ascii=False) for row in found[name])
        blocks.append(f"{json.dumps(name)}: [\n{rows}\n]")
    return "{\n" + ",\n".join(blocks) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help=f"rewrite {FILE.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        build_inputs(Path(scratch) / "store")
        actual = answers(Path(scratch) / "store")
    if args.write:
        FILE.write_text(dumps(actual), encoding="utf-8")
        print(f"wrote {sum(len(v) for v in actual.values())} rows of {len(actual)} answers to {FILE}")
        return 0
    found = differences(json.loads(FILE.read_text(encoding="utf-8")), actual)
    print("\n".join(found) or "every answer is as recorded")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
