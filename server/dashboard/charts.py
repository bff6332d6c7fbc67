"""Charts as inline SVG, drawn server-side by pygal (no script in the browser).

Colours are CSS custom properties (`--series-1` ...) and text uses `currentColor`, so one
SVG follows the page's light or dark theme (`static/dashboard.css`). Each point keeps its
value in a `<desc class="value">` element, which is also what the browser tests read.
Every chart is shown next to a table of the same numbers (`templates/_chart.html`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pygal
from markupsafe import Markup
from pygal.style import Style

from .wage_stats import Histogram, nice_step

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)
SERIES_COLOURS = tuple(f"var(--series-{i})" for i in range(1, 9))

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="currentColor",
    foreground_strong="currentColor",
    foreground_subtle="var(--grid)",
    opacity="0.85",
    opacity_hover="1",
    transition="0ms",
    colors=SERIES_COLOURS,
    font_family="inherit",
    label_font_size=14,
    major_label_font_size=14,
    title_font_size=15,
    value_font_size=13,
    tooltip_font_size=13,
)

_COMMON = {
    "style": STYLE,
    "js": [],  # pygal's tooltips load a script from the web: the dashboard works offline and runs no script
    "disable_xml_declaration": True,
    "width": 640,
    "height": 340,
    # The legend is HTML next to the chart (templates/_chart.html): pygal's own overflows its box.
    "show_legend": False,
    "truncate_label": 20,
    "margin": 10,
    "margin_right": 40,  # room for the last date label
    "explicit_size": False,
}


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG chart and the table of the numbers it draws."""

    title: str
    svg: Markup
    x_title: str
    x_labels: list[str]
    series: dict[str, list[float | None]]
    unit: str

    def legend(self) -> list[tuple[str, str]]:
        """(series name, CSS class of its colour), in the order pygal colours them."""
        return [(name, f"series-{i % len(SERIES_COLOURS) + 1}") for i, name in enumerate(self.series)]

    def rows(self) -> list[tuple[str, list[str]]]:
        """The numbers, one row per x label, formatted as the chart prints them."""
        return [
            (label, [_fmt(values[i], self.unit) for values in self.series.values()])
            for i, label in enumerate(self.x_labels)
        ]


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "%":
        return f"{value:.1f} %"
    if value == int(value):
        return f"{int(value)}"
    return f"{value:.2f}"


def _render(chart: pygal.graph.graph.Graph, title: str) -> Markup:
    # pygal builds the SVG with an XML library, so every label and title is escaped text.
    # It always embeds its configuration for its (unused) tooltip script: drop that script.
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(title)}" ', 1))


def _chart(kind: type, title: str, x_title: str, y_title: str, x_labels: Sequence[str],
           series: Mapping[str, Sequence[float | None]], unit: str, **options: object) -> Chart:
    # The title is the figure's HTML caption, in the page's own font size.
    chart = kind(x_title=x_title, y_title=y_title, **{**_COMMON, **options})
    chart.x_labels = list(x_labels)
    for name, values in series.items():
        chart.add(name, list(values))
    if not series:
        chart.no_data_text = "No data yet"
    return Chart(title, _render(chart, title), x_title, list(x_labels), {k: list(v) for k, v in series.items()}, unit)


def count_ticks(series: Mapping[str, Sequence[float | None]], ticks: int = 6) -> list[int]:
    """Whole-number y labels for counts (pygal would label 0.4, 0.8 ... for small counts)."""
    top = max((v for values in series.values() for v in values if v is not None), default=0)
    step = max(1, math.ceil(nice_step(max(top, 1), ticks)))
    return list(range(0, int(top) + step + 1, step))


#: Dates shown under a chart at most (a date label is about 80 px wide at the chart's size).
MAX_DATE_LABELS = 6


def daily_line(title: str, y_title: str, days: Sequence[str], series: Mapping[str, Sequence[float | None]]) -> Chart:
    """A count per day and platform."""
    # pygal cannot place explicit y labels on an empty chart.
    ticks = {"y_labels": count_ticks(series)} if series else {}
    return _chart(
        pygal.Line, title, "day (UTC)", y_title, days, series, "",
        x_labels_major_every=math.ceil(len(days) / MAX_DATE_LABELS), show_minor_x_labels=False,
        dots_size=3, include_x_axis=True, **ticks,
    )


def bars(title: str, x_title: str, y_title: str, labels: Sequence[str], series: Mapping[str, Sequence[float | None]], *, unit: str = "") -> Chart:
    return _chart(pygal.Bar, title, x_title, y_title, labels, series, unit, x_label_rotation=30, include_x_axis=True)


def hourly_histogram(title: str, y_title: str, histogram: Histogram, currency: str) -> Chart:
    """Task hourly medians in bins, each bin's share of the reports in %, one series per platform."""
    shares = {platform: [round(100 * s, 1) for s in values] for platform, values in histogram.shares.items()}
    return bars(title, f"hourly median ({currency}/h)", y_title, histogram.labels(), shares, unit="%")


def weekly_line(title: str, y_title: str, weeks: Sequence[str], series: Mapping[str, Sequence[float | None]], *, unit: str = "") -> Chart:
    return _chart(
        pygal.Line, title, "week starting (UTC)", y_title, weeks, series, unit,
        x_labels_major_every=math.ceil(len(weeks) / MAX_DATE_LABELS), show_minor_x_labels=False, dots_size=3,
        include_x_axis=True, allow_interruptions=True,
    )
