"""Charts drawn on the server as inline SVG: no JavaScript, no library, a few
kilobytes. Every chart sits beside a table of its numbers (the page shows it),
and says what it shows in its <title> for screen readers."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A phone's width: text drawn at 11 units stays readable on a 360-pixel screen.
WIDTH, HEIGHT = 400, 180
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 10, 10, 26


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]
    css: str  # a class of app.css that colours it


def _nice_max(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^n at or above `value`."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def line_chart(days: Sequence[datetime.date], series: Sequence[Series], title: str) -> SafeString:
    """Lines over days: one per series, a y-axis from 0, the first, middle and last day."""
    if not days:
        return mark_safe("")
    top = _nice_max(max((max(s.values, default=0) for s in series), default=0))
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM

    def x(i: int) -> float:
        return PAD_LEFT + (plot_w * i / (len(days) - 1) if len(days) > 1 else plot_w / 2)

    def y(v: int) -> float:
        return PAD_TOP + plot_h - plot_h * v / top

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="t-{id(days)}">'
        f'<title id="t-{id(days)}">{escape(title)}</title>'
    ]
    for fraction in (0, 0.5, 1):
        value = round(top * fraction)
        parts.append(
            f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
            f'<text class="axis" x="{PAD_LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">'
            f"{escape(number_format(value, force_grouping=True))}</text>"
        )
    for i in sorted({0, len(days) // 2, len(days) - 1}):
        anchor = "start" if i == 0 else "end" if i == len(days) - 1 else "middle"
        parts.append(
            f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}">'
            f"{escape(date_format(days[i], 'j M'))}</text>"
        )
    for s in series:
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s.values))
        if len(days) == 1:
            parts.append(f'<circle class="{s.css}" cx="{x(0):.1f}" cy="{y(s.values[0]):.1f}" r="4"/>')
        else:
            parts.append(f'<polyline class="line {s.css}" points="{points}"/>')
    parts.append("</svg>")
    legend = "".join(f'<span class="key {s.css}">{escape(s.label)}</span>' for s in series)
    return mark_safe(f'{"".join(parts)}<p class="legend">{legend}</p>')  # noqa: S308 - every text escaped


def bar_chart(bars: Sequence[tuple[str, Sequence[int], int]], series: Sequence[Series], title: str) -> SafeString:
    """Horizontal stacked bars, one per (label, parts, whole): each part a share of the whole."""
    if not bars:
        return mark_safe("")
    row_h, label_w = 22, 120
    height = row_h * len(bars) + 8
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="b-{id(bars)}">'
        f'<title id="b-{id(bars)}">{escape(title)}</title>'
    ]
    span = WIDTH - label_w - 42
    for row, (label, values, whole) in enumerate(bars):
        top = 4 + row * row_h
        shown = label if len(label) <= 18 else label[:17] + "…"
        parts.append(f'<text class="axis" x="{label_w - 6}" y="{top + 14}" text-anchor="end">{escape(shown)}</text>')
        left = float(label_w)
        for value, s in zip(values, series, strict=True):
            width = span * value / whole if whole else 0
            if width > 0:
                parts.append(
                    f'<rect class="{s.css}" x="{left:.1f}" y="{top}" width="{width:.1f}" height="{row_h - 6}"/>'
                )
            left += width
        share = round(100 * values[0] / whole) if whole else 0
        parts.append(f'<text class="axis" x="{WIDTH - 38}" y="{top + 14}">{share}%</text>')
    parts.append("</svg>")
    legend = "".join(f'<span class="key {s.css}">{escape(s.label)}</span>' for s in series)
    return mark_safe(f'{"".join(parts)}<p class="legend">{legend}</p>')  # noqa: S308 - every text escaped
