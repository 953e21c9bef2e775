"""Varied synthetic conflict-reporting articles for benchmarks (JSON Lines).

States, capitals and demonyms come from the knowledge base; people's names are composed
from syllables; every figure, post, channel and phrasing is drawn at random, so the
corpus exercises the extractor without repeating one article.
"""
from __future__ import annotations

import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, RDFS

from ckg.ontology import files, vocabulary

CKG = rdflib.Namespace(vocabulary.NAMESPACE)
SYLLABLES = "ka ri mo sa len tu var ni zo bek ha lim dra os qui fen ar jo mel ta nur ish ve da".split()
POSTS = ["Defence Minister", "Foreign Minister", "Information Minister", "Interior Minister"]
ORGS = ["Defence Ministry", "Foreign Ministry", "army", "Interior Ministry"]
CHANNELS = ["in a post on X", "at a news conference", "in a statement", "in a video message", "told reporters"]
QUALIFIERS = ["", "at least ", "more than ", "nearly ", "about ", ""]
KINDS = ["killed", "wounded", "captured", "missing"]
THINGS = ["soldiers", "fighters", "civilians", "troops"]
EVENTS = ["airstrikes on", "shelling near", "clashes in", "a drone attack on", "a cross-border raid near"]
TIMES = ["late Tuesday night", "early Wednesday", "on Monday", "overnight", "last week", "on Sunday"]
FILLER = ("Residents described a night of heavy explosions and said many families had left their homes. "
          "Aid groups warned that supplies of food, water and medicine were running low in the area. "
          "Diplomats said talks on a wider settlement had stalled for months over the status of the frontier. ")


def states() -> list[tuple[str, str, str]]:
    kb = rdflib.Graph().parse(files.KNOWLEDGE_BASE)
    out = []
    for state in kb.subjects(RDF.type, CKG.State):
        demonym, capital = kb.value(state, CKG.demonym), kb.value(state, CKG.capital)
        if demonym and capital:
            out.append((str(kb.value(state, RDFS.label)), str(demonym), str(kb.value(capital, RDFS.label))))
    return sorted(out)


def name(rng: random.Random) -> str:
    word = lambda: "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()  # noqa: E731
    return f"{word()} {word()}"


def article(rng: random.Random, pool, index: int, claim_paragraphs: tuple[int, int] = (9, 12)) -> dict:
    (a, a_dem, a_cap), (b, b_dem, b_cap) = rng.sample(pool, 2)
    day = date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))
    paragraphs = [f"{a_cap}, {day:%B} {day.day}: {a} and {b} traded accusations after {rng.choice(EVENTS)} "
                  f"{b_cap} {rng.choice(TIMES)}, officials said."]
    for _ in range(rng.randint(*claim_paragraphs)):  # each paragraph: one claimant, two figures
        side, dem, other_dem = (a, a_dem, b_dem) if rng.random() < 0.5 else (b, b_dem, a_dem)
        who = f"{side}’s {rng.choice(POSTS)} {name(rng)}" if rng.random() < 0.6 else f"{side}’s {rng.choice(ORGS)}"
        n1, n2 = rng.randint(2, 400), rng.randint(1, 90)
        paragraphs.append(
            f"{who} said {rng.choice(CHANNELS)} that {rng.choice(QUALIFIERS)}{n1} {other_dem} "
            f"{rng.choice(THINGS)} were {rng.choice(KINDS)} and {n2} {rng.choice(KINDS)}. " + FILLER)
    paragraphs.append(f"{name(rng)}, a spokesperson for {b}’s Foreign Ministry, denied that any {b_dem} soldiers "
                      f"had been captured and called on both sides to exercise restraint. " + FILLER)
    return {"id": f"synthetic-{index:06d}", "title": f"{a} and {b} clash", "date": day.isoformat(),
            "url": f"https://news.example/{index}", "text": "\n\n".join(paragraphs)}


def write(path: Path, count: int, seed: int = 7, claim_paragraphs: tuple[int, int] = (9, 12)) -> Path:
    """``count`` articles, each with between ``claim_paragraphs[0]`` and ``[1]`` paragraphs of claims."""
    rng = random.Random(seed)
    pool = states()
    with open(path, "w", encoding="utf-8") as out:
        for index in range(count):
            out.write(json.dumps(article(rng, pool, index, claim_paragraphs), ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus.jsonl")
    print(write(target, int(sys.argv[2]) if len(sys.argv) > 2 else 10_000))
