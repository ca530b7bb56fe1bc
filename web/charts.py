"""Charts as inline SVG, drawn on the server: no JavaScript, no CDN, readable without colour.

Pure functions from numbers to an SVG string. Each chart has `role="img"`, an `aria-label`, a
`<title>` and a `<desc>`; each series differs by pattern (bars) or dash and marker shape (lines)
as well as by colour, and every value is written as text beside its bar or point, so nothing is
told by colour alone (WCAG 1.4.1). Pages show the same numbers in a table next to the chart.
The colours all have a contrast of at least 4.5:1 against white (WCAG 1.4.11 asks for 3:1).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

COLOURS = ("#0b4f8a", "#8a4b08", "#1d5e20", "#5b3a8c", "#6b1f3a", "#1b1b1b")
# Fill patterns for bars: solid, diagonal hatch, dots, cross-hatch, horizontal, vertical.
PATTERNS = ("solid", "hatch", "dots", "cross", "horizontal", "vertical")
DASHES = ("", "6 4", "2 3", "10 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")
_QUOTE = {'"': "&quot;"}


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _fmt(value: float) -> str:
    """Numbers as people read them: integers without decimals, otherwise one decimal."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _dash(dash: str) -> str:
    return f' stroke-dasharray="{dash}"' if dash else ""


def _id(chart_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "chart"


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    cid = _id(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-label="{escape(title, _QUOTE)}" '
        f'aria-labelledby="{cid}-title {cid}-desc">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]


def _pattern_defs(cid: str, count: int) -> str:
    parts = ["<defs>"]
    for i in range(count):
        colour, kind = COLOURS[i % len(COLOURS)], PATTERNS[i % len(PATTERNS)]
        pid = f"{cid}-p{i}"
        parts.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{"#ffffff" if kind != "solid" else colour}"/>'
        )
        if kind == "hatch":
            parts.append(
                f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{colour}" stroke-width="2.5"/>'
            )
        elif kind == "dots":
            parts.append(f'<circle cx="4" cy="4" r="2.4" fill="{colour}"/>')
        elif kind == "cross":
            parts.append(f'<path d="M0,0 L8,8 M8,0 L0,8" stroke="{colour}" stroke-width="2"/>')
        elif kind == "horizontal":
            parts.append(f'<path d="M0,4 H8" stroke="{colour}" stroke-width="3"/>')
        elif kind == "vertical":
            parts.append(f'<path d="M4,0 V8" stroke="{colour}" stroke-width="3"/>')
        parts.append("</pattern>")
    parts.append("</defs>")
    return "".join(parts)


def _legend(cid: str, names: Sequence[str], x: float, y: float, lines: bool = False) -> list[str]:
    out = []
    for i, name in enumerate(names):
        ly = y + i * 20
        colour = COLOURS[i % len(COLOURS)]
        if lines:
            dash = DASHES[i % len(DASHES)]
            out.append(
                f'<line x1="{x}" y1="{ly + 6}" x2="{x + 24}" y2="{ly + 6}" stroke="{colour}" '
                f'stroke-width="3"{_dash(dash)}/>'
            )
            out.append(_marker(i, x + 12, ly + 6))
        else:
            out.append(
                f'<rect x="{x}" y="{ly}" width="14" height="14" fill="url(#{cid}-p{i})" '
                f'stroke="{colour}" stroke-width="1.5"/>'
            )
        out.append(f'<text x="{x + 30}" y="{ly + 11}" font-size="12">{escape(name)}</text>')
    return out


def _marker(i: int, x: float, y: float) -> str:
    colour, kind = COLOURS[i % len(COLOURS)], MARKERS[i % len(MARKERS)]
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" fill="{colour}"/>'
    if kind == "triangle":
        return f'<path d="M{x:.1f},{y - 5.5:.1f} L{x + 5.5:.1f},{y + 4.5:.1f} L{x - 5.5:.1f},{y + 4.5:.1f} Z" fill="{colour}"/>'
    return f'<path d="M{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} L{x:.1f},{y + 6:.1f} L{x - 6:.1f},{y:.1f} Z" fill="{colour}"/>'


def _axis(
    left: float, top: float, plot_w: float, plot_h: float, y_max: float, y_min: float = 0
) -> list[str]:
    out = []
    steps = 4 if y_max - y_min > 4 else int(y_max - y_min) or 1
    for k in range(steps + 1):
        v = y_min + (y_max - y_min) * k / steps
        y = top + plot_h - plot_h * k / steps
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#d0d0d0"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{_fmt(round(v, 1))}</text>'
        )
    out.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#1b1b1b"/>'
    )
    return out


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = False,
    unit: str = "",
    width: int = 640,
    height: int = 300,
) -> str:
    """Grouped (or stacked) vertical bars, one group per label, one bar per series."""
    cid = _id(chart_id)
    legend_h = 20 * len(series) + 10
    left, top, bottom = 48, 12, 40 + legend_h
    plot_w, plot_h = width - left - 12, height - top - bottom
    totals = [sum((s.values[i] or 0) for s in series) for i in range(len(labels))]
    peak = max(totals if stacked else [v or 0 for s in series for v in s.values] or [0])
    y_max = _nice(peak)
    out = _open(cid, title, desc, width, height)
    out.append(_pattern_defs(cid, len(series)))
    out += _axis(left, top, plot_w, plot_h, y_max)
    group_w = plot_w / max(1, len(labels))
    bar_w = group_w * 0.7 / (1 if stacked else max(1, len(series)))
    for i, label in enumerate(labels):
        gx = left + i * group_w + group_w * 0.15
        base = 0.0
        for j, s in enumerate(series):
            value = s.values[i] or 0
            h = plot_h * value / y_max
            x = gx if stacked else gx + j * bar_w
            y = top + plot_h - plot_h * base / y_max - h
            colour = COLOURS[j % len(COLOURS)]
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="url(#{cid}-p{j})" stroke="{colour}" stroke-width="1.5">'
                f"<title>{escape(f'{label}, {s.name}: {_fmt(value)}{unit}')}</title></rect>"
            )
            if s.values[i] is not None and (not stacked or h >= 14):
                ty = y + h / 2 + 4 if stacked else y - 3
                halo = ' paint-order="stroke" stroke="#fff" stroke-width="3"' if stacked else ""
                out.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{ty:.1f}" font-size="11" '
                    f'text-anchor="middle"{halo}>{_fmt(value)}{escape(unit)}</text>'
                )
            if stacked:
                base += value
        out.append(
            f'<text x="{left + i * group_w + group_w / 2:.1f}" y="{top + plot_h + 16}" '
            f'font-size="11" text-anchor="middle">{escape(label)}</text>'
        )
    out += _legend(cid, [s.name for s in series], left, height - legend_h + 4)
    out.append("</svg>")
    return "".join(out)


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_min: float = 0,
    y_max: float | None = None,
    width: int = 640,
    height: int = 280,
) -> str:
    """Lines over time (e.g. an indicator's value per measurement), gaps where a value is None."""
    cid = _id(chart_id)
    legend_h = 20 * len(series) + 10
    left, top, bottom = 48, 14, 40 + legend_h
    plot_w, plot_h = width - left - 24, height - top - bottom
    top_value = (
        y_max
        if y_max is not None
        else _nice(max([v or 0 for s in series for v in s.values] or [0]))
    )
    span = (top_value - y_min) or 1
    out = _open(cid, title, desc, width, height)
    out += _axis(left, top, plot_w, plot_h, top_value, y_min)
    step = plot_w / max(1, len(x_labels) - 1) if len(x_labels) > 1 else 0
    xs = [left + (i * step if len(x_labels) > 1 else plot_w / 2) for i in range(len(x_labels))]
    for i, label in enumerate(x_labels):
        # The outermost dates are anchored inwards so that they are not cut at the edges.
        anchor = "middle"
        if len(x_labels) > 1 and i == 0:
            anchor = "start"
        elif len(x_labels) > 1 and i == len(x_labels) - 1:
            anchor = "end"
        out.append(
            f'<text x="{xs[i]:.1f}" y="{top + plot_h + 16}" font-size="11" text-anchor="{anchor}">{escape(label)}</text>'
        )
    for j, s in enumerate(series):
        colour, dash = COLOURS[j % len(COLOURS)], DASHES[j % len(DASHES)]
        points = [
            (xs[i], top + plot_h - plot_h * (v - y_min) / span, v)
            for i, v in enumerate(s.values)
            if v is not None and i < len(xs)
        ]
        if len(points) > 1:
            d = " ".join(
                f"{'M' if k == 0 else 'L'}{x:.1f},{y:.1f}" for k, (x, y, _v) in enumerate(points)
            )
            out.append(
                f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2.5"{_dash(dash)}/>'
            )
        for x, y, v in points:
            out.append(_marker(j, x, y))
            dy = -9 if j % 2 == 0 else 17
            out.append(
                f'<text x="{x:.1f}" y="{y + dy:.1f}" font-size="11" text-anchor="middle">{_fmt(v)}</text>'
            )
    out += _legend(cid, [s.name for s in series], left, height - legend_h + 4, lines=True)
    out.append("</svg>")
    return "".join(out)


def _nice(peak: float) -> float:
    """A round top for the y axis (1, 2, 5 × 10^k) so that gridlines fall on readable numbers."""
    if peak <= 0:
        return 1.0
    magnitude = 1.0
    while magnitude * 10 <= peak:
        magnitude *= 10
    while magnitude > peak:
        magnitude /= 10
    for m in (1, 2, 4, 5, 10):
        if m * magnitude >= peak:
            return m * magnitude
    return 10 * magnitude


def _wrap(label: str, width: int) -> list[str]:
    """Split a label into lines of at most about `width` characters, at spaces."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def hbar_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    x_max: float | None = None,
    width: int = 760,
) -> str:
    """Horizontal grouped bars: one row per label. For many or long labels (fields, indicators),
    which would collide under vertical bars."""
    cid = _id(chart_id)
    bar_h, gap, label_w, top = 16, 14, 230, 24
    row_h = bar_h * max(1, len(series)) + gap
    legend_h = 20 * len(series) + 10
    plot_w = width - label_w - 56
    height = top + row_h * len(labels) + 16 + legend_h
    peak = (
        x_max
        if x_max is not None
        else _nice(max([v or 0 for s in series for v in s.values] or [0]))
    )
    out = _open(cid, title, desc, width, height)
    out.append(_pattern_defs(cid, len(series)))
    for k in range(5):
        v = peak * k / 4
        x = label_w + plot_w * k / 4
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{top + row_h * len(labels)}" stroke="#d0d0d0"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{top - 8}" font-size="11" text-anchor="middle">{_fmt(round(v, 1))}{escape(unit)}</text>'
        )
    for i, label in enumerate(labels):
        y0 = top + i * row_h
        lines = _wrap(label, 34)[:3]
        first = y0 + (row_h - gap) / 2 - (len(lines) - 1) * 6.5 + 4
        out.append(
            f'<text x="{label_w - 8}" y="{first:.1f}" font-size="12" text-anchor="end">'
            + "".join(
                f'<tspan x="{label_w - 8}" dy="{0 if n == 0 else 13}">{escape(line)}</tspan>'
                for n, line in enumerate(lines)
            )
            + "</text>"
        )
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else None
            w = plot_w * (value or 0) / peak
            y = y0 + j * bar_h
            colour = COLOURS[j % len(COLOURS)]
            shown = f"{_fmt(value)}{unit}" if value is not None else "–"
            out.append(
                f'<rect x="{label_w}" y="{y:.1f}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="url(#{cid}-p{j})" stroke="{colour}" stroke-width="1.5">'
                f"<title>{escape(f'{label}, {s.name}: {shown}')}</title></rect>"
            )
            out.append(
                f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 5:.1f}" font-size="11">'
                f"{escape(shown)}</text>"
            )
    out.append(
        f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{top + row_h * len(labels)}" stroke="#1b1b1b"/>'
    )
    out += _legend(cid, [s.name for s in series], label_w, height - legend_h + 4)
    out.append("</svg>")
    return "".join(out)
