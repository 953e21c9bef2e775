"""Numbers, quantifiers and vague times, read by the conventions the ontology publishes.

The words and the arithmetic live in ``ckg:QuantifierScheme`` and ``ckg:TimeConventionScheme``
(see the ontology); this module only applies them. Number words are read with text2num;
weekday and month names come from Python's ``calendar`` module.

Time windows: an expression names a local window W in which something happened; its four
bounds are earliest begin = earliest end = W.start and latest begin = latest end = W.end,
converted to UTC with the offset of the dateline's place.
"""
from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property, lru_cache

import rdflib
from rdflib.namespace import SKOS
from text_to_num import text2num

from ckg.ontology import vocabulary

from .model import Bounds

CKG = rdflib.Namespace(vocabulary.NAMESPACE)
WEEKDAYS = [d.lower() for d in calendar.day_name]
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
DIGITS = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(thousand|million|billion))?(?![\w,]*\d)")
WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)?")
LETTERS = re.compile(r"[A-Za-z -]+")


@dataclass(frozen=True)
class Quantifier:
    iri: str
    cues: tuple[str, ...]
    lower_factor: float | None = None
    lower_offset: int = 0
    upper_factor: float | None = None
    upper_offset: int = 0
    implied_min: int | None = None
    implied_max: int | None = None


@dataclass(frozen=True)
class TimeConvention:
    iri: str
    cues: tuple[str, ...]
    start_hour: float | None = None
    end_hour: float | None = None
    day_offset: int | None = None
    period_unit: str | None = None
    period_offset: int | None = None
    through_dateline: bool = False
    min_days_before: int | None = None
    max_days_before: int | None = None
    precision: str | None = None


@dataclass(frozen=True)
class Conventions:
    quantifiers: tuple[Quantifier, ...]
    times: tuple[TimeConvention, ...]

    @cached_property
    def time_pattern(self) -> re.Pattern:
        """Every time expression the conventions know, as one pattern (compiled once)."""
        return _time_pattern(self)

    @cached_property
    def none(self) -> Quantifier | None:
        """The quantifier of nothing ('no', 'none': [0, 0]), for 'no one' and 'nobody'."""
        return next((q for q in self.quantifiers if q.implied_min == 0 and q.implied_max == 0), None)

    @cached_property
    def longest_cue(self) -> int:
        return max((len(c) for q in self.quantifiers for c in q.cues), default=0)


@dataclass(frozen=True)
class NumberValue:
    value: int
    low: int
    high: int
    """The rounding interval a written figure implies ('2.9 million' → 2,850,000-2,949,999)."""


@dataclass(frozen=True)
class NumberMention:
    start: int
    end: int
    text: str
    value: NumberValue
    looks_like_year: bool = False


@dataclass(frozen=True)
class TimeMention:
    start: int
    end: int
    text: str


def _num(graph, node, name, cast):
    value = graph.value(node, CKG[name])
    return None if value is None else cast(value.toPython())


def load_conventions(graph: rdflib.Graph) -> Conventions:
    quantifiers, times = [], []
    for node in sorted(graph.subjects(SKOS.inScheme, CKG.QuantifierScheme)):
        quantifiers.append(Quantifier(
            iri=str(node), cues=tuple(sorted({str(c) for c in graph.objects(node, CKG.cue)}, key=len, reverse=True)),
            lower_factor=_num(graph, node, "lowerFactor", float), lower_offset=_num(graph, node, "lowerOffset", int) or 0,
            upper_factor=_num(graph, node, "upperFactor", float), upper_offset=_num(graph, node, "upperOffset", int) or 0,
            implied_min=_num(graph, node, "impliedMin", int), implied_max=_num(graph, node, "impliedMax", int)))
    for node in sorted(graph.subjects(SKOS.inScheme, CKG.TimeConventionScheme)):
        precision = graph.value(node, CKG.precision)
        times.append(TimeConvention(
            iri=str(node), cues=tuple(sorted({str(c) for c in graph.objects(node, CKG.cue)}, key=len, reverse=True)),
            start_hour=_num(graph, node, "startHour", float), end_hour=_num(graph, node, "endHour", float),
            day_offset=_num(graph, node, "dayOffset", int), period_unit=_num(graph, node, "periodUnit", str),
            period_offset=_num(graph, node, "periodOffset", int),
            through_dateline=bool(_num(graph, node, "throughDateline", bool)),
            min_days_before=_num(graph, node, "minDaysBefore", int), max_days_before=_num(graph, node, "maxDaysBefore", int),
            precision=str(precision) if precision is not None else None))
    return Conventions(tuple(quantifiers), tuple(times))


# ------------------------------------------------------------------ numbers
@lru_cache(maxsize=4096)
def _word_value(words: str) -> int | None:
    try:
        value = text2num(words.lower(), "en")
    except (ValueError, KeyError, IndexError, AssertionError):
        return None
    return value if isinstance(value, int) else None


def parse_number(text: str) -> NumberValue | None:
    """'55', '2,611', '2.9 million', 'eleven', 'twenty-seven' → value and rounding interval."""
    text = text.strip()
    match = DIGITS.fullmatch(text)
    if match:
        digits, scale = match.group(1).replace(",", ""), match.group(2)
        factor = _word_value(scale) if scale else 1
        value = float(digits) * factor
        if scale and "." in digits:
            unit = factor / 10 ** len(digits.split(".")[1])
            return NumberValue(round(value), round(value - unit / 2), round(value + unit / 2) - 1)
        return NumberValue(round(value), round(value), round(value))
    value = _word_value(text)
    return NumberValue(value, value, value) if value is not None else None


def find_numbers(text: str) -> list[NumberMention]:
    """Every figure in a sentence, in digits or words."""
    found: list[NumberMention] = []
    for match in DIGITS.finditer(text):
        value = parse_number(match.group(0))
        if value is None:
            continue
        before = text[max(0, match.start() - 12):match.start()].lower().split()
        year = (len(match.group(1)) == 4 and 1900 <= value.value <= 2100) or (before and before[-1] in MONTHS)
        after = text[match.end():match.end() + 12].lower().split()
        day_of_month = bool(after) and after[0].strip(",.") in MONTHS
        found.append(NumberMention(match.start(), match.end(), match.group(0), value, year or day_of_month))
    words = list(WORD.finditer(text))
    i = 0
    while i < len(words):
        best = None
        if _word_value(words[i].group(0)) is None:
            i += 1  # a figure in words starts with a number word ('hundred', 'twenty-seven')
            continue
        for j in range(min(len(words), i + 6), i, -1):
            span = text[words[i].start():words[j - 1].end()]
            if not LETTERS.fullmatch(span):
                continue
            value = _word_value(span)
            if value is not None and value > 0 and not _plural_scale(span):
                best = (j, span, value)
                break
        if best is None:
            i += 1
            continue
        j, span, value = best
        start = words[i].start()
        if any(n.start <= start < n.end for n in found):
            i = j
            continue  # the scale word of a figure in digits ('2.9 million')
        found.append(NumberMention(start, start + len(span), span, NumberValue(value, value, value)))
        i = j
    return sorted(_dozens(text, found), key=lambda n: n.start)


def _plural_scale(span: str) -> bool:
    """'hundreds', 'tens of thousands': a magnitude, no figure (the quantifier scheme reads them)."""
    return any(w.endswith("s") and _word_value(w[:-1]) is not None for w in span.lower().split())


DOZEN = re.compile(r"\b(half a|an?|\d+|[a-z]+)\s+dozen\b(?!s)", re.IGNORECASE)


def _dozens(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """'three dozen', 'at least a dozen', 'half a dozen': twelves, one figure (the multiplier is no figure of its own)."""
    for match in DOZEN.finditer(text):
        word = match.group(1).lower()
        factor = {"a": 1, "an": 1, "half a": 0.5}.get(word)
        if factor is None:
            factor = int(word) if word.isdigit() else _word_value(word)
        if not factor:
            continue
        value = round(factor * 12)
        found = [n for n in found if not match.start() <= n.start < match.end()]
        found.append(NumberMention(match.start(), match.end(), match.group(0), NumberValue(value, value, value)))
    return found


def interval(q: Quantifier | None, n: NumberValue | int | None) -> tuple[int, int | None]:
    """The interval a quantifier and a figure make; no figure → the quantifier's implied range."""
    if isinstance(n, int):
        n = NumberValue(n, n, n)
    if n is None:
        if q is None or q.implied_min is None:
            raise ValueError("a figure or a number-less quantifier is needed")
        return q.implied_min, q.implied_max
    if q is None or q.lower_factor is None:
        return n.low, n.high
    low = math.ceil(n.value * q.lower_factor) + q.lower_offset
    high = None if q.upper_factor is None else math.floor(n.value * q.upper_factor) + q.upper_offset
    return max(0, low), high


@lru_cache(maxsize=2048)
def _cue_at_end(cue: str) -> re.Pattern:
    return re.compile(r"(?:^|\W)" + re.escape(cue.lower()) + r"\s*$")


@lru_cache(maxsize=2048)
def _cue_anywhere(cue: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(cue) + r"(?!\w)", re.IGNORECASE)


def _ends_with_cue(tail: str, cue: str) -> bool:
    """``tail``: the lowercased end of the text before a figure."""
    return cue.lower() in tail and bool(_cue_at_end(cue).search(tail[-len(cue) - 8:]))


def find_quantifier(text_before_number: str, conv: Conventions) -> Quantifier | None:
    """The longest cue of a numeric quantifier ending right before a figure."""
    best = None
    tail = text_before_number[-conv.longest_cue - 8:].lower()
    for q in conv.quantifiers:
        if q.lower_factor is None:
            continue
        for cue in q.cues:
            if _ends_with_cue(tail, cue) and (best is None or len(cue) > len(best[1])):
                best = (q, cue)
    return best[0] if best else None


def find_vague_quantities(text: str, conv: Conventions) -> list[tuple[int, int, Quantifier]]:
    """Number-less quantities ('several', 'dozens of', 'any', 'no'), longest cue first."""
    found: list[tuple[int, int, Quantifier]] = []
    lowered = text.lower()
    cues = sorted(((cue, q) for q in conv.quantifiers if q.implied_min is not None for cue in q.cues),
                  key=lambda pair: -len(pair[0]))  # 'hundreds of thousands' before 'hundreds of'
    for cue, q in cues:
        if cue.lower() not in lowered:
            continue  # most cues are absent: skip the regular expression
        for m in _cue_anywhere(cue).finditer(text):
            if not any(a <= m.start() < b or m.start() <= a < m.end() for a, b, _ in found):
                found.append((m.start(), m.end(), q))
    return sorted(found)


# ------------------------------------------------------------------ times
def _time_pattern(conv: Conventions) -> re.Pattern:
    cues = sorted({c for t in conv.times for c in t.cues}, key=len, reverse=True)
    day = "|".join(WEEKDAYS)
    month = "|".join(sorted(MONTHS, key=len, reverse=True))
    parts = "|".join(re.escape(c) for c in cues)
    weekday = rf"(?:(?:{parts})\s+)?(?:on\s+)?(?:{day})(?:\s+(?:{parts}))?(?:,?\s+(?:{month})\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"
    date = rf"(?:{month})\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+(?:{month})(?:\s+\d{{4}})?|(?:{month})\s+\d{{4}}"
    return re.compile(rf"\b(?:{weekday}|{date}|{parts})\b", re.IGNORECASE)


def find_time_expressions(text: str, conv: Conventions) -> list[TimeMention]:
    pattern = conv.time_pattern
    return [TimeMention(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]


def parse_offset(offset: str) -> timedelta:
    """'+05:00', '-03:30', '+05' → a timedelta."""
    sign = -1 if offset.startswith("-") else 1
    hours, _, minutes = offset.lstrip("+-").partition(":")
    return sign * timedelta(hours=int(hours or 0), minutes=int(minutes or 0))


def _contains(words: set[str], cue: str) -> bool:
    """All the cue's words occur in the expression's words ('late night' in 'late Thursday night')."""
    return all(w in words for w in cue.lower().split())


def resolve(text: str, dateline: datetime, utc_offset: str, conv: Conventions) -> Bounds | None:
    """Four UTC bounds for an expression, resolved against the dateline's local date."""
    delta = parse_offset(utc_offset or "+00:00")
    local_now = (dateline.astimezone(timezone.utc) + delta).replace(tzinfo=None) if dateline.tzinfo else dateline
    today = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    lower = text.lower()
    used: list[str] = []
    precision = None
    day = None
    words = re.findall(r"\w+", lower)
    weekday = next((WEEKDAYS.index(w) for w in words if w in WEEKDAYS), None)
    month = next((MONTHS[w] for w in words if w in MONTHS), None)
    numbers = [int(w) for w in words if w.isdigit()]
    start = end = None
    if weekday is not None:
        day = today - timedelta(days=(today.weekday() - weekday) % 7)
        precision = str(CKG["prec-day"])
    if month is not None:
        year = next((n for n in numbers if n > 31), today.year)
        dom = next((n for n in numbers if n <= 31), None)
        if dom is not None:
            day = datetime(year, month, dom)
            precision = str(CKG["prec-day"])
        elif day is None:
            start = datetime(year, month, 1)
            end = datetime(year + month // 12, month % 12 + 1, 1)
            precision = str(CKG["prec-month"])
    word_set = set(words)
    convention_matches = [t for t in conv.times for c in t.cues if _contains(word_set, c)]
    parts = sorted((t for t in convention_matches if t.start_hour is not None),
                   key=lambda t: -max(len(c.split()) for c in t.cues if _contains(word_set, c)))
    others = [t for t in convention_matches if t.start_hour is None]
    for t in parts[:1] + others[:1]:
        used.append(t.iri)
    if start is None:
        if parts and parts[0].day_offset is not None and day is None:
            day = today + timedelta(days=parts[0].day_offset)
        if parts:
            base = day or today
            start = base + timedelta(hours=parts[0].start_hour)
            end = base + timedelta(hours=parts[0].end_hour)
            precision = parts[0].precision or precision
        elif day is not None:
            start, end = day, day + timedelta(days=1)
        elif others:
            t = others[0]
            precision = t.precision
            if t.day_offset is not None:
                start = today + timedelta(days=t.day_offset)
                end = start + timedelta(days=1)
            elif t.period_unit:
                start, end = _period(today, local_now, t)
            elif t.min_days_before is not None:
                end = local_now - timedelta(days=t.min_days_before)
                if t.max_days_before is not None:
                    start = local_now - timedelta(days=t.max_days_before)
                else:  # 'decades ago': no earliest bound, rather than an invented one
                    return Bounds(None, _utc(end, delta), None, _utc(end, delta), text, precision, tuple(used))
    if start is None or end is None:
        return None
    to_utc = lambda d: _utc(d, delta)  # noqa: E731
    return Bounds(to_utc(start), to_utc(end), to_utc(start), to_utc(end), text, precision, tuple(used))


def _utc(local: datetime, delta: timedelta) -> datetime:
    return (local - delta).replace(tzinfo=timezone.utc)


def _period(today: datetime, now: datetime, t: TimeConvention) -> tuple[datetime, datetime]:
    offset = t.period_offset or 0
    if t.period_unit == "year":
        start = datetime(today.year + offset, 1, 1)
        end = datetime(today.year + offset + 1, 1, 1)
    elif t.period_unit == "month":
        month_index = today.year * 12 + today.month - 1 + offset
        start = datetime(month_index // 12, month_index % 12 + 1, 1)
        end = datetime((month_index + 1) // 12, (month_index + 1) % 12 + 1, 1)
    else:
        monday = today - timedelta(days=today.weekday())
        start = monday + timedelta(weeks=offset)
        end = start + timedelta(weeks=1)
    if t.through_dateline:
        end = now if now > start else end
    return start, end
