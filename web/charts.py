"""Charts drawn on the server as inline SVG: no chart library, nothing to download, and
every chart has a title, a description and a table of its numbers beside it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from nichegraph.months import month_from_index, month_index

WIDTH = 720
MISSING = "\u2013"  # an en dash stands for "no value"
PALETTE_SIZE = 10


def number(value: object, digits: int = 1) -> str:
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return MISSING
        if abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:,.{digits}f}" if abs(value) >= 1 else f"{value:.{max(digits, 2)}f}"
    return str(value)


def percent(value: object) -> str:
    if value is None or not isinstance(value, int | float):
        return MISSING
    return f"{value * 100:+.1f}%" if value < 0 or value > 0 else "0.0%"


@dataclass(frozen=True)
class Series:
    name: str
    values: dict[str, float | None]  # month (or period) -> value


def nice_ticks(high: float, count: int = 4) -> list[float]:
    if high <= 0:
        return [0.0]
    raw = high / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(math.ceil(high / step) + 1)]


def _axis_label(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def line_chart(
    title: str,
    series: Sequence[Series],
    periods: Sequence[str],
    height: int = 240,
    description: str = "",
    highlight: tuple[str, str] | None = None,
) -> Markup:
    """Lines over `periods` (months or quarters); gaps where a value is missing; the
    periods between `highlight` (first, last) are shaded (the chosen window)."""
    pad_left, pad_right, pad_top, pad_bottom = 52, 12, 12, 28
    plot_w, plot_h = WIDTH - pad_left - pad_right, height - pad_top - pad_bottom
    values = [v for s in series for v in s.values.values() if v is not None]
    ticks = nice_ticks(max(values) if values else 0.0)
    top = ticks[-1] or 1.0
    n = max(len(periods) - 1, 1)

    def x(i: int) -> float:
        return pad_left + plot_w * i / n

    def y(v: float) -> float:
        return pad_top + plot_h * (1 - v / top)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
        f"<desc>{escape(description or title)}</desc>"
    ]
    if highlight and periods:
        inside = [i for i, period in enumerate(periods) if highlight[0] <= period <= highlight[1]]
        if inside:
            left, right = x(inside[0]), x(inside[-1])
            parts.append(
                f'<rect class="window" x="{left:.1f}" y="{pad_top}" width="{max(right - left, 2):.1f}" '
                f'height="{plot_h}"><title>window {highlight[0]}:{highlight[1]}</title></rect>'
            )
    for tick in ticks:
        parts.append(
            f'<line class="grid" x1="{pad_left}" x2="{WIDTH - pad_right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text class="axis" x="{pad_left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{_axis_label(tick)}</text>'
        )
    for i, period in enumerate(periods):
        if period.endswith("-01") or len(periods) <= 12 or (not period[5:].isdigit() and i % 4 == 0):
            label = period[:4] if period.endswith("-01") and len(periods) > 12 else period
            # the last label sits on the right edge: centred, half of it would be cut off
            anchor = "end" if i == len(periods) - 1 and len(periods) > 1 else "middle"
            parts.append(f'<text class="axis" x="{x(i):.1f}" y="{height - 8}" text-anchor="{anchor}">{label}</text>')
    for index, one in enumerate(series):
        segments: list[list[str]] = [[]]
        for i, period in enumerate(periods):
            value = one.values.get(period)
            if value is None:
                segments.append([])
                continue
            segments[-1].append(f"{x(i):.1f},{y(value):.1f}")
        css = f"s{index % PALETTE_SIZE}"
        for points in segments:
            if len(points) > 1:
                coords = " ".join(points)
                parts.append(
                    f'<polyline class="line {css}" points="{coords}"><title>{escape(one.name)}</title></polyline>'
                )
            elif points:
                cx, cy = points[0].split(",")
                parts.append(f'<circle class="dot {css}" cx="{cx}" cy="{cy}" r="2.5"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(series: Sequence[Series]) -> Markup:
    items = "".join(
        f'<li><span class="swatch s{i % PALETTE_SIZE}" aria-hidden="true"></span>{escape(s.name)}</li>'
        for i, s in enumerate(series)
    )
    return Markup(f'<ul class="legend">{items}</ul>')


def bump_chart(title: str, ranks: Sequence[Series], periods: Sequence[str], depth: int = 10) -> Markup:
    """Rank (1 at the top) of each series per period: the report's bump chart."""
    height = 40 + depth * 26
    pad_left, pad_right, pad_top = 40, 170, 16
    plot_w = WIDTH - pad_left - pad_right
    n = max(len(periods) - 1, 1)

    def x(i: int) -> float:
        return pad_left + plot_w * i / n

    def y(rank: float) -> float:
        return pad_top + (rank - 1) * 26

    parts = [
        f'<svg class="chart bump" viewBox="0 0 {WIDTH} {height}" role="img" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>"
    ]
    for i, period in enumerate(periods):
        parts.append(f'<text class="axis" x="{x(i):.1f}" y="{height - 6}" text-anchor="middle">{escape(period)}</text>')
    for rank in range(1, depth + 1):
        parts.append(f'<text class="axis" x="{pad_left - 12}" y="{y(rank) + 4:.1f}" text-anchor="end">{rank}</text>')
    for index, one in enumerate(ranks):
        css = f"s{index % PALETTE_SIZE}"
        points = [(i, r) for i, p in enumerate(periods) if (r := one.values.get(p)) is not None and r <= depth]
        if len(points) > 1:
            coords = " ".join(f"{x(i):.1f},{y(r):.1f}" for i, r in points)
            parts.append(f'<polyline class="line {css}" points="{coords}"><title>{escape(one.name)}</title></polyline>')
        for i, r in points:
            parts.append(f'<circle class="dot {css}" cx="{x(i):.1f}" cy="{y(r):.1f}" r="4"/>')
        if points:
            last_i, last_r = points[-1]
            parts.append(
                f'<text class="label" x="{x(last_i) + 10:.1f}" y="{y(last_r) + 4:.1f}">{escape(one.name)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def series_from(rows: Sequence[dict[str, object]], key: str, name: str, period_key: str = "month") -> Series:
    """One series out of rows such as repo_page's months: {month, openrank, ...}."""
    values: dict[str, float | None] = {}
    for row in rows:
        value = row.get(key)
        values[str(row[period_key])] = float(value) if isinstance(value, int | float) else None
    return Series(name, values)


def periods_of(rows: Sequence[dict[str, object]], period_key: str = "month") -> list[str]:
    return [str(row[period_key]) for row in rows]


def heat_grid(title: str, rows: Sequence[str], periods: Sequence[str], values: dict[tuple[str, str], float]) -> Markup:
    """Rows (e.g. repositories) by periods (months); darker cells mean more activity."""
    cell, label_w, pad_top = 9, 230, 8
    width = max(WIDTH, label_w + cell * len(periods) + 10)
    height = pad_top + cell * 2 * len(rows) + 24
    top = max(values.values(), default=0.0) or 1.0
    parts = [
        f'<svg class="chart heat" viewBox="0 0 {width} {height}" role="img" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>"
    ]
    for r, row in enumerate(rows):
        y = pad_top + r * cell * 2
        parts.append(f'<text class="label" x="{label_w - 8}" y="{y + cell + 3}" text-anchor="end">{escape(row)}</text>')
        for p, period in enumerate(periods):
            value = values.get((row, period))
            if value:
                level = 1 + min(4, int(5 * math.sqrt(value / top)))
                parts.append(
                    f'<rect class="heat{level}" x="{label_w + p * cell}" y="{y + 2}" width="{cell - 1}" '
                    f'height="{cell * 2 - 4}"><title>{escape(row)} {period}: {value:.2f}</title></rect>'
                )
    for p, period in enumerate(periods):
        if period.endswith("-01"):
            parts.append(f'<text class="axis" x="{label_w + p * cell}" y="{height - 6}">{period[:4]}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def month_span(first: str | None, last: str | None) -> list[str]:
    if not first or not last:
        return []
    return [month_from_index(i) for i in range(month_index(first), month_index(last) + 1)]
