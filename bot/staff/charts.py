"""Small server-rendered SVG charts (no JavaScript, no network): bars, lines, horizontal bars.

Every label passes through ``escape``; the charts are Markup ready for a template. A value of
``None`` in a line series is a day without data: the line breaks there instead of showing 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 520, 230
LEFT, RIGHT, TOP, BOTTOM = 42, 10, 12, 48
FONT = 13
PALETTE = ("#1f5fa8", "#d9822b", "#2e8540", "#b83280", "#6b7280")
AXIS, GRID, TEXT = "#9aa3ae", "#e5e8ec", "#374151"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (at least 4)."""
    if value <= 4:
        return 4
    magnitude = 10 ** math.floor(math.log10(value / 4))
    return next(4 * m * magnitude for m in (1, 2, 2.5, 5, 10) if 4 * m * magnitude >= value)


def _frame(label: str, body: list[str], height: int = HEIGHT) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="{FONT}" font-family="sans-serif">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _plot_height() -> float:
    return HEIGHT - TOP - BOTTOM


def _base_y() -> float:
    return TOP + _plot_height()


def _y_axis(top_value: float, percent: bool) -> list[str]:
    parts = []
    for i in range(5):
        value = top_value * i / 4
        y = _base_y() - _plot_height() * i / 4
        text = f"{value:g}%" if percent else f"{value:g}"
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}">{text}</text>')
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_base_y()}" y2="{_base_y()}" stroke="{AXIS}"/>'
    )
    return parts


def _x_labels(labels: Sequence[str], step_width: float) -> list[str]:
    every = max(1, math.ceil(len(labels) / 7))
    parts = []
    for i, label in enumerate(labels):
        if (len(labels) - 1 - i) % every:  # always label the last (today), then every n-th back
            continue
        x = LEFT + step_width * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{_base_y() + 17}" text-anchor="middle" fill="{TEXT}">{escape(label)}</text>'
        )
    return parts


def _legend(series: Sequence[Series]) -> list[str]:
    parts = []
    x = LEFT
    for i, s in enumerate(series):
        color = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{HEIGHT - 15}" width="12" height="12" rx="2" fill="{color}"/>')
        parts.append(f'<text x="{x + 17}" y="{HEIGHT - 4}" fill="{TEXT}">{escape(s.name)}</text>')
        x += 36 + FONT * len(s.name)
    return parts


def bar_chart(label: str, labels: Sequence[str], series: Series, percent: bool = False) -> Markup:
    """Vertical bars, one per label (e.g. one per day)."""
    values = [v or 0 for v in series.values]
    top_value = _nice_max(max(values, default=0))
    step = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    body = _y_axis(top_value, percent)
    for i, value in enumerate(values):
        bar = _plot_height() * value / top_value
        x, y = LEFT + step * i + step * 0.15, _base_y() - bar
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{bar:.1f}" fill="{PALETTE[0]}">'
            f"<title>{escape(labels[i])}: {value:g}</title></rect>"
        )
    body += _x_labels(labels, step)
    return _frame(label, body)


def line_chart(label: str, labels: Sequence[str], series: Sequence[Series], percent: bool = False) -> Markup:
    """One line per series over the labels, with a legend when there is more than one."""
    known = [v for s in series for v in s.values if v is not None]
    top_value = _nice_max(max(known, default=0))
    step = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    body = _y_axis(top_value, percent)
    for n, s in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            x, y = LEFT + step * (i + 0.5), _base_y() - _plot_height() * value / top_value
            runs[-1].append((x, y))
            shown = f"{value:.1f}%" if percent else f"{value:g}"
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}">'
                f"<title>{escape(labels[i])} {escape(s.name)}: {shown}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                body.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>')
    body += _x_labels(labels, step)
    if len(series) > 1:
        body += _legend(series)
    return _frame(label, body)


def _text_width(text: str) -> float:
    """Roughly how wide ``text`` is drawn: full width for Japanese, about 0.6 em for ASCII."""
    return sum(FONT if ord(c) > 0x2E7F else FONT * 0.6 for c in text)


def hbar_chart(label: str, items: Sequence[tuple[str, float]]) -> Markup:
    """Horizontal bars, each with its value: for distributions."""
    row = 26
    label_width = round(min(WIDTH * 0.55, max((_text_width(n) for n, _ in items), default=0) + 16))
    height = TOP + row * max(1, len(items)) + 6
    top_value = max((v for _, v in items), default=0) or 1
    plot_width = WIDTH - label_width - RIGHT - 36
    body = []
    for i, (name, value) in enumerate(items):
        y = TOP + row * i
        width = max(plot_width * value / top_value, 1 if value else 0)
        body.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" fill="{TEXT}">{escape(name)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{width:.1f}" height="{row - 9}" rx="2" fill="{PALETTE[0]}">'
            f"<title>{escape(name)}: {value:g}</title></rect>"
            f'<text x="{label_width + width + 6:.1f}" y="{y + 16}" fill="{TEXT}">{value:g}</text>'
        )
    if not items:
        body.append(
            f'<text x="{WIDTH / 2}" y="{TOP + 14}" text-anchor="middle" fill="{TEXT}">データがありません</text>'
        )
    return _frame(label, body, height)
