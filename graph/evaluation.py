"""How well the graph's answers match a careful reader's: gold lists against the contract queries.

A gold file (YAML, see tests/data/devset/README.md) lists what one article says in the
terms of the contract queries. ``score`` matches the rows a query returned for that article
against the gold rows, one to one (a maximum matching, so the order of rows never matters),
and counts what matched, what was missed and what was extra. Names are compared loosely
(case, accents, "the", possessives, demonyms, spelling variants) because the text may
name one agent in several ways; figures, kinds and types are compared exactly.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

QUERIES = ("claims", "statements", "officials", "operations", "mediation", "contradictions")

STOPWORDS = frozenset("the of for and a an to in on at by s".split())
VARIANTS = {"defense": "defence", "spokesman": "spokesperson", "spokeswoman": "spokesperson",
            "spokesperson": "spokesperson", "military": "forces", "army": "forces", "armed": "forces",
            "ministry": "ministry", "minister": "minister", "turkey": "turkiye", "turkish": "turkiye", "usa": "us"}
ORGANISATION_WORDS = frozenset("""ministry ministries forces force army military government office agency council
    union nations network committee command service services police guard guards brigade brigades group front
    movement party authority authorities administration department organisation organization red cross crescent
    court commission bureau house presidency""".split())

TYPE_PARENTS = {"airstrike": "strike", "shelling attack": "strike", "strike": "violent event",
                "armed clash": "violent event", "cross-border attack": "violent event", "expulsion": "crackdown"}
MEDIATION_TYPES = {"mediation effort": "mediation"}


def words(name: str | None) -> list[str]:
    """The words of a name as compared: folded, stop words and possessives gone, variants unified."""
    if not name:
        return []
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’]s\b", "", text.replace("’", "'"))
    text = re.sub(r"\bdefen[cs]e forces\b", "forces", text)  # 'Israel Defense Forces' is Israel's armed forces
    return [VARIANTS.get(w, w) for w in re.findall(r"[a-z0-9]+", text) if w not in STOPWORDS]


def word_matches(a: str, b: str) -> bool:
    """Equal, or one starts with the other less its last letter (Armenia ~ Armenian, Ukraine ~ Ukrainian)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    return b.startswith(a[:-1]) or a.startswith(b[:-1])


def _covers(these: list[str], those: list[str]) -> bool:
    return all(any(word_matches(a, b) for b in those) for a in these)


def _looks_like_a_person(name: str) -> bool:
    tokens = name.replace(",", " ").split()
    return 2 <= len(tokens) <= 5 and all(t[:1].isupper() for t in tokens) \
        and not any(w in ORGANISATION_WORDS or w in STOPWORDS for w in (t.lower() for t in tokens))


def _acronym(name: str) -> str | None:
    letters = re.sub(r"[.\s]", "", name)
    return letters if 2 <= len(letters) <= 7 and letters.isalpha() and letters.isupper() else None


def _abbreviates(short: str, full: str) -> bool:
    """'OCHA' ~ 'UN Office for the Coordination of Humanitarian Affairs (OCHA)'; 'AFP' ~ 'Agence France-Presse'."""
    acronym = _acronym(short)
    if acronym is None or _acronym(full):
        return False
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’]*", full.split("(")[0]) if w[0].isupper())
    return f"({acronym})" in full or initials.upper() == acronym


def names_match(gold: str | None, system: str | None, aliases: Iterable[str] = (), loose: bool = False) -> bool:
    """Same words both ways; or a surname against a person's full name; or through an alias.
    ``loose`` also accepts one name's words all found in the other (actors, mediators)."""
    if not gold or not system:
        return False
    for candidate in (gold, *aliases):
        if _abbreviates(candidate, system) or _abbreviates(system, candidate):
            return True
        g, s = words(candidate), words(system)
        if not g or not s:
            continue
        if _covers(g, s) and _covers(s, g):
            return True
        if loose and (_covers(g, s) or _covers(s, g)):
            return True
        for short, full in ((g, system), (s, candidate)):
            if len(short) == 1 and _looks_like_a_person(full) and word_matches(short[0], words(full)[-1]):
                return True
    return False


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _number(value) -> int | None:
    if value is None or value == "":
        return None
    return int(float(value))


def _stated(value: str | None) -> str:
    text = " ".join(words(value)) if value else ""
    return re.sub(r"\b(of)$", "", text).strip()


def type_matches(gold: str, system: str) -> bool:
    """The same class, or one the other's parent (ancestor)."""
    def ancestors(t: str) -> list[str]:
        found = [t]
        while t in TYPE_PARENTS:
            t = TYPE_PARENTS[t]
            found.append(t)
        return found
    gold, system = gold.strip().lower(), system.strip().lower()
    return gold in ancestors(system) or system in ancestors(gold)


# --- one matcher per contract query: gold row × system row → bool --------------------------------

def _claim(gold: Mapping, row: Mapping) -> bool:
    return (str(gold.get("kind", "")).lower() == (row.get("kind") or "").lower()
            and _number(gold.get("min")) == _number(row.get("min"))
            and _number(gold.get("max")) == _number(row.get("max"))
            and _agent_matches(gold.get("claimant"), row.get("claimantLabel"), gold.get("aliases") or (),
                               row.get("side"))
            and (not gold.get("side") or names_match(gold["side"], row.get("side"), loose=True)))


def _statement(gold: Mapping, row: Mapping) -> bool:
    return _agent_matches(gold.get("speaker"), row.get("speakerLabel"), gold.get("aliases") or (),
                          row.get("onBehalfOf"))


def _agent_matches(gold: str | None, system: str | None, aliases: Iterable[str], side: str | None) -> bool:
    """As ``names_match``; and a system name that spells out the state it speaks for matches the
    reader's name without it ('Defence Ministry of India' for an Indian release's 'Ministry of Defence')."""
    if names_match(gold, system, aliases):
        return True
    state = words(side)
    if not system or not state:
        return False
    bare = " ".join(w for w in words(system) if not any(word_matches(w, x) for x in state))
    return bool(bare) and bare != " ".join(words(system)) and names_match(gold, bare, aliases)


def _official(gold: Mapping, row: Mapping) -> bool:
    if not names_match(gold.get("name"), row.get("name"), gold.get("aliases") or ()):
        return False
    post = [w for w in words(gold.get("post")) if w not in ORGANISATION_WORDS] or words(gold.get("post"))
    return not post or any(word_matches(a, b) for a in post for b in words(row.get("post")))


def _operation(gold: Mapping, row: Mapping) -> bool:
    if not type_matches(str(gold.get("type", "")), row.get("type") or ""):
        return False
    if gold.get("actor") and not any(names_match(gold["actor"], a, loose=True) for a in row.get("actors", [])):
        return False
    places = gold.get("places") or []
    return not places or any(names_match(p, q, loose=True) for p in places for q in row.get("places", []))


def _mediation(gold: Mapping, row: Mapping) -> bool:
    kind = (row.get("type") or "").lower()
    if str(gold.get("type", "")).lower() != MEDIATION_TYPES.get(kind, kind):
        return False
    mediators = gold.get("mediators") or []
    return not mediators or any(names_match(m, s, loose=True) for m in mediators for s in _split(row.get("mediator")))


def _contradiction(gold, row: Mapping) -> bool:
    first, second = gold

    def side(g: Mapping, claimant: str | None, stated: str | None) -> bool:
        return names_match(g.get("claimant"), claimant, g.get("aliases") or ()) \
            and _stated(str(g.get("stated"))) == _stated(stated)
    a, b = (row.get("claimantA"), row.get("statedA")), (row.get("claimantB"), row.get("statedB"))
    return (side(first, *a) and side(second, *b)) or (side(first, *b) and side(second, *a))


MATCHERS: dict[str, Callable[[object, Mapping], bool]] = {
    "claims": _claim, "statements": _statement, "officials": _official, "operations": _operation,
    "mediation": _mediation, "contradictions": _contradiction,
}


def events(rows: Iterable[Mapping]) -> list[dict]:
    """The operations query gives a row per event × place: one row per event, its actors and places listed."""
    by_event: dict[str, dict] = {}
    for row in rows:
        event = by_event.setdefault(row["event"], {"event": row["event"], "label": row.get("label"),
                                                   "type": row.get("type"), "actors": [], "places": []})
        for actor in _split(row.get("actor")):
            if actor not in event["actors"]:
                event["actors"].append(actor)
        if row.get("place") and row["place"] not in event["places"]:
            event["places"].append(row["place"])
    return list(by_event.values())


def officials(rows: Iterable[Mapping]) -> list[Mapping]:
    """One row per person: a person listed with several posts counts once, with any of them."""
    by_person: dict[str, dict] = {}
    for row in rows:
        person = by_person.setdefault(row.get("person") or row.get("name"), dict(row))
        if row.get("post") and row.get("post") != person.get("post"):
            person["post"] = f"{person.get('post') or ''}; {row['post']}"
    return list(by_person.values())


def system_rows(query: str, rows: list[Mapping]) -> list[Mapping]:
    return events(rows) if query == "operations" else officials(rows) if query == "officials" else rows


def _matching(gold: list, system: list[Mapping], matches: Callable[[object, Mapping], bool]) -> dict[int, int]:
    """A maximum one-to-one matching gold → system (augmenting paths)."""
    edges = [[j for j, row in enumerate(system) if matches(g, row)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False
    for i in range(len(gold)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


@dataclass
class Tally:
    matched: int = 0
    gold: int = 0
    found: int = 0
    missed: list = field(default_factory=list)
    extra: list = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.matched += other.matched
        self.gold += other.gold
        self.found += other.found
        self.missed += other.missed
        self.extra += other.extra

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(query: str, gold: list, rows: list[Mapping], where: str = "") -> Tally:
    """Gold rows against the rows one contract query returned for one article."""
    system = system_rows(query, rows)
    pairs = _matching(gold, system, MATCHERS[query])
    used = set(pairs.values())
    return Tally(matched=len(pairs), gold=len(gold), found=len(system),
                 missed=[(where, g) for i, g in enumerate(gold) if i not in pairs],
                 extra=[(where, row) for j, row in enumerate(system) if j not in used])
