"""Figure timelines: each claimed interval against the time it was stated, drawn on the server.

Data in, geometry out (as presenters/charts.py for /contested): one panel per count
variable, time across (one scale for every panel, so panels line up), the count up. A claim
is a mark at its lower bound with a whisker to its upper bound (an arrow when open-ended);
the first report on a count, a revision (a later claim by the same claimant on the same
count with another interval) and a denial are marked. Claims with no date are listed apart.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from ..http.iri_paths import local_path
from .charts import interval_text
from .description import Term
from .labels import fallback_label, readable, value_of

LEFT = 70
PLOT_WIDTH = 620
RIGHT = 30
PANEL_HEIGHT = 170
TOP = 22
BOTTOM = 30
MAX_CLAIMS = 2000
"""Claims one timeline shows; the query asks for one more, to say when there are more."""
CSV_COLUMNS = ("variable", "variableLabel", "claim", "claimant", "claimantLabel", "side", "sideLabel", "stated",
               "min", "max", "date", "first", "revises", "denial", "document")


@dataclass
class Mark:
    claim: str
    href: str
    variable: str
    claimant: str
    claimant_label: str
    side: str
    side_label: str
    stated: str
    low: float
    high: float | None
    """None: open-ended."""
    date: str | None
    denial: bool
    document: str
    first: bool = False
    revises: str | None = None
    """The claim (IRI) by the same claimant on the same count that this one revises."""
    revises_href: str | None = None
    colour: int = 0
    x: float = 0.0
    y_low: float = 0.0
    y_high: float = 0.0
    from_x: float = 0.0
    from_y: float = 0.0

    @property
    def text(self) -> str:
        bounds = interval_text(self.low, self.high)
        return f"{self.stated} ({bounds})" if self.stated and self.stated != bounds else bounds

    @property
    def classes(self) -> str:
        return " ".join(["mark", f"colour-{self.colour}"] + [name for name, on in (
            ("first", self.first), ("revision", self.revises), ("denial", self.denial)) if on])


@dataclass
class Panel:
    variable: str
    label: str
    href: str
    marks: list[Mark] = field(default_factory=list)
    undated: list[Mark] = field(default_factory=list)
    top: float = 0.0
    y_ticks: list[tuple[float, str]] = field(default_factory=list)


@dataclass
class Timeline:
    title: str
    panels: list[Panel]
    truncated: bool = False
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    width: int = LEFT + PLOT_WIDTH + RIGHT
    height: int = TOP + PANEL_HEIGHT + BOTTOM
    plot_left: int = LEFT
    plot_right: int = LEFT + PLOT_WIDTH
    baseline: int = TOP + PANEL_HEIGHT

    @property
    def claims(self) -> int:
        return sum(len(p.marks) + len(p.undated) for p in self.panels)


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _step(top: float) -> float:
    step = 1.0
    while top / step > 5:
        for factor in (2, 2.5, 2):
            step *= factor
            if top / step <= 5:
                break
    return step


def marks_of(rows: list[dict[str, Term]]) -> list[Mark]:
    """One mark per claim (the first row of each: the query orders a claim's earliest date first)."""
    found: dict[str, Mark] = {}
    colours: dict[str, int] = {}
    for row in rows:
        claim = row["claim"].value
        if claim in found:
            continue
        claimant = row["claimant"].value
        side = value_of(row.get("side")) or ""
        found[claim] = Mark(
            claim=claim, href=local_path(claim), variable=row["variable"].value, claimant=claimant,
            claimant_label=value_of(row.get("claimantLabel")) or fallback_label(claimant),
            side=side, side_label=value_of(row.get("sideLabel")) or "", stated=value_of(row.get("stated")) or "",
            low=row["min"].number() or 0.0, high=row["max"].number() if "max" in row else None,
            date=value_of(row.get("date")), denial=value_of(row.get("denial")) == "true",
            document=value_of(row.get("document")) or "",
            colour=colours.setdefault(side or claimant, len(colours) % 6))
    return list(found.values())


def mark_history(marks: list[Mark]) -> None:
    """The first report on each count, and each revision: a later claim by the same claimant on
    the same count whose interval differs from that claimant's claim before it."""
    dated = sorted((m for m in marks if m.date), key=lambda m: (_moment(m.date), m.claim))
    earliest: dict[str, datetime] = {}
    last: dict[tuple[str, str], Mark] = {}
    for mark in dated:
        when = _moment(mark.date)
        earliest.setdefault(mark.variable, when)
        mark.first = when == earliest[mark.variable]
        before = last.get((mark.variable, mark.claimant))
        if before is not None and _moment(before.date) < when and (before.low, before.high) != (mark.low, mark.high):
            mark.revises, mark.revises_href = before.claim, before.href
        last[(mark.variable, mark.claimant)] = mark


def lay_out(timeline: Timeline) -> Timeline:
    """Place every dated mark: x by time on one scale for all panels, y by count within its panel."""
    moments = [_moment(m.date) for p in timeline.panels for m in p.marks]
    if not moments:
        return timeline
    start, end = min(moments), max(moments)
    if end - start < timedelta(days=1):
        start, end = start - timedelta(hours=12), end + timedelta(hours=12)
    pad = (end - start) * 0.06
    start, end = start - pad, end + pad
    span = (end - start).total_seconds()

    def x_of(moment: datetime) -> float:
        return round(LEFT + PLOT_WIDTH * (moment - start).total_seconds() / span, 1)

    days = max(1, round((end - start).days / 6) or 1)
    tick = (start + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    while tick < end:
        timeline.x_ticks.append((x_of(tick), tick.strftime("%Y-%m-%d")))
        tick += timedelta(days=days)
    for panel in timeline.panels:
        values = [v for m in panel.marks for v in (m.low, m.high) if v is not None]
        panel.top = (max(values, default=1.0) or 1.0) * 1.15
        scale = PANEL_HEIGHT / panel.top
        y_of = lambda v: round(TOP + PANEL_HEIGHT - v * scale, 1)  # noqa: E731
        step = _step(panel.top)
        panel.y_ticks = [(y_of(i * step), f"{i * step:g}") for i in range(int(panel.top // step) + 1)]
        seen: dict[float, int] = {}
        placed: dict[str, Mark] = {}
        for mark in panel.marks:
            x = x_of(_moment(mark.date))
            nudge = seen.get(x, 0)
            seen[x] = nudge + 1
            mark.x = x + 9 * nudge
            mark.y_low = y_of(mark.low)
            mark.y_high = TOP if mark.high is None else y_of(mark.high)
            placed[mark.claim] = mark
        for mark in panel.marks:
            if mark.revises in placed:
                mark.from_x, mark.from_y = placed[mark.revises].x, placed[mark.revises].y_low
    return timeline


def timeline(rows: list[dict[str, Term]], title: str) -> Timeline:
    """The rows of figure-timeline.rq as panels of marks, laid out."""
    marks = marks_of(rows)
    truncated = len(marks) > MAX_CLAIMS
    marks = marks[:MAX_CLAIMS]
    mark_history(marks)
    panels: dict[str, Panel] = {}
    labels = {row["variable"].value: value_of(row.get("variableLabel")) for row in rows}
    for mark in marks:
        panel = panels.get(mark.variable)
        if panel is None:
            label = readable(labels.get(mark.variable) or fallback_label(mark.variable))
            panel = panels[mark.variable] = Panel(mark.variable, label, local_path(mark.variable))
        (panel.marks if mark.date else panel.undated).append(mark)
    for panel in panels.values():
        panel.marks.sort(key=lambda m: (_moment(m.date), m.claim))
    return lay_out(Timeline(title, list(panels.values()), truncated))


def timeline_rows(found: Timeline) -> list[dict]:
    """The timeline as a table: one row per claim (CSV)."""
    return [{"variable": p.variable, "variableLabel": p.label, "claim": m.claim, "claimant": m.claimant,
             "claimantLabel": m.claimant_label, "side": m.side, "sideLabel": m.side_label, "stated": m.stated,
             "min": f"{m.low:g}", "max": "" if m.high is None else f"{m.high:g}", "date": m.date or "",
             "first": "true" if m.first else "false", "revises": m.revises or "",
             "denial": "true" if m.denial else "false", "document": m.document}
            for p in found.panels for m in p.marks + p.undated]
