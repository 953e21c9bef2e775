"""The contested-figures chart: claims about one count as bars with interval whiskers.

Data in, geometry out; the template draws it as SVG on the server, so the page needs no
script. A bar reaches the claim's lower bound; the whisker spans its interval; an
open-ended claim ("at least 133") has a whisker that runs to the chart's edge.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from ..http.iri_paths import local_path
from .labels import fallback_label, readable, value_of

LABEL_WIDTH = 250
PLOT_WIDTH = 430
ROW_HEIGHT = 30
TOP = 26
VERDICT_ROOM = 100


@dataclass
class Bar:
    claim: str
    claimant: str
    side: str
    stated: str
    low: float
    high: float | None
    """None: open-ended."""
    href: str
    claimant_href: str
    colour: int = 0
    """Claims for the same side share a colour across the page."""
    comparisons: list[dict] = field(default_factory=list)
    """Why it conflicts: the comparison nodes that name it first (href, label)."""
    verdict: str = ""
    """An analyst's verdict on the claim (preferred, deprecated, disputed), if any."""
    reliability: str = ""
    """The claimant's reliability as an analyst rated it (Admiralty A–F), if any."""
    y: int = 0
    width: float = 0.0
    whisker_from: float = 0.0
    whisker_to: float = 0.0

    @property
    def text(self) -> str:
        """The figure as worded, with its interval when the words hold no number ('several (≥ 3)')."""
        if any(ch.isdigit() for ch in self.stated):
            return self.stated
        bounds = interval_text(self.low, self.high)
        return f"{self.stated} ({bounds})" if self.stated else bounds


def interval_text(low: float, high: float | None) -> str:
    """A claimed interval as a reader writes it: '≥ 3', '12', '25–30'."""
    return f"≥ {low:g}" if high is None else (f"{low:g}" if high == low else f"{low:g}–{high:g}")


@dataclass
class Chart:
    variable: str
    label: str
    href: str
    bars: list[Bar] = field(default_factory=list)
    event: str = ""
    event_href: str = ""
    timeline_href: str = ""
    top_value: float = 1.0
    ticks: list[tuple[float, str]] = field(default_factory=list)

    @property
    def height(self) -> int:
        return TOP + ROW_HEIGHT * len(self.bars) + 24

    @property
    def width(self) -> int:
        """Room after the plot for the widest figure as worded, and a verdict's name when a bar has one."""
        return LABEL_WIDTH + PLOT_WIDTH + 150 + (VERDICT_ROOM if any(bar.verdict for bar in self.bars) else 0)

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH


def _ticks(top: float) -> list[float]:
    step = 1.0
    while top / step > 5:
        for factor in (2, 2.5, 2):
            step *= factor
            if top / step <= 5:
                break
    return [i * step for i in range(int(top // step) + 1)]


def lay_out(chart: Chart) -> Chart:
    """Place the bars: one row each, a shared linear scale from zero."""
    values = [v for bar in chart.bars for v in (bar.low, bar.high) if v is not None]
    biggest = max(values, default=1.0) or 1.0
    chart.top_value = biggest * 1.15
    scale = PLOT_WIDTH / chart.top_value
    for row, bar in enumerate(chart.bars):
        bar.y = TOP + row * ROW_HEIGHT
        bar.width = round(bar.low * scale, 1)
        bar.whisker_from = LABEL_WIDTH + bar.width
        bar.whisker_to = LABEL_WIDTH + (PLOT_WIDTH if bar.high is None else round(bar.high * scale, 1))
    chart.ticks = [(LABEL_WIDTH + round(t * scale, 1), f"{t:g}") for t in _ticks(chart.top_value)]
    return chart


def contested_charts(rows: list[dict]) -> list[Chart]:
    charts: dict[str, Chart] = {}
    colours: dict[str, int] = {}
    bars: dict[tuple[str, str], Bar] = {}
    for row in rows:
        known = bars.get((row["variable"].value, row["claim"].value))
        if known is not None:
            _add_comparison(known, row)
            continue
        variable = row["variable"].value
        chart = charts.get(variable)
        if chart is None:
            label = readable(value_of(row.get("variableLabel")) or fallback_label(variable))
            chart = charts[variable] = Chart(variable, label, local_path(variable),
                                             timeline_href="/timeline?" + urlencode({"variable": variable}))
            if "event" in row:
                chart.event = value_of(row.get("eventLabel")) or fallback_label(row["event"].value)
                chart.event_href = local_path(row["event"].value)
        low = row["min"].number() or 0.0
        high = row["max"].number() if "max" in row else None
        claimant = row["claimant"].value
        bar = bars[(variable, row["claim"].value)] = Bar(
            claim=row["claim"].value, claimant=value_of(row.get("claimantLabel")) or fallback_label(claimant),
            side=value_of(row.get("sideLabel")) or "", stated=value_of(row.get("stated")) or "", low=low, high=high,
            href=local_path(row["claim"].value), claimant_href=local_path(claimant),
            colour=colours.setdefault(value_of(row.get("side")) or claimant, len(colours) % 6),
            verdict=value_of(row.get("verdict")) or "", reliability=value_of(row.get("reliability")) or "")
        _add_comparison(bar, row)
        chart.bars.append(bar)
    return [lay_out(chart) for chart in charts.values()]


def _add_comparison(bar: Bar, row: dict) -> None:
    if "comparison" in row and all(c["iri"] != row["comparison"].value for c in bar.comparisons):
        bar.comparisons.append({"iri": row["comparison"].value, "href": local_path(row["comparison"].value),
                                "label": f"{bar.claimant}: {value_of(row.get('comparisonLabel')) or 'compared'}"})


CSV_COLUMNS = ("variable", "count", "claim", "claimant", "side", "stated", "min", "max", "verdict", "reliability")
"""/contested as a table: one row per claim of each chart."""


def contested_rows(charts: list[Chart]) -> list[dict]:
    return [{"variable": chart.variable, "count": chart.label, "claim": bar.claim, "claimant": bar.claimant,
             "side": bar.side, "stated": bar.stated, "min": bar.low, "max": bar.high, "verdict": bar.verdict,
             "reliability": bar.reliability}
            for chart in charts for bar in chart.bars]
