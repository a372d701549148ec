"""A 12-month chart as inline SVG, written by hand: no script, no library, no build step.

Three small panels over the same months, each on its own scale (three units of measure in one
frame would mislead): branches that met (bars, out of the branches), attendance (a line,
0–100 %), dues collected (bars, đồng). ``svg`` is pure: the words come in ``ChartWords`` (the
caller translates them) and every text is escaped. The markup carries ``role="img"``, a
``<title>`` and a ``<desc>`` naming the figures; the pages also show the same figures as a
table (the fallback for a reader that does not render SVG). Colours and sizes are
presentation attributes, not ``style`` (the pages' Content-Security-Policy allows no inline
style). ``reports_month.chart_drawing`` draws the same panels in the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, PANEL, TOP, LEFT, RIGHT = 720, 96, 26, 64, 12
COLOURS = ("#2f5d8a", "#b5472f", "#3c7d3c")


@dataclass(frozen=True)
class Point:
    label: str                 # "11/2026"
    held: int                  # branches that met
    branches: int
    attendance: float | None   # 0..1
    collected: int             # đồng


@dataclass(frozen=True)
class ChartWords:
    title: str
    desc: str
    held: str                  # panel headings
    attendance: str
    collected: str


def money(amount: int) -> str:
    """Đồng, Vietnamese style: 1.234.567 đ; short in the panel's scale: 1,2 tr."""
    return f"{amount:,}".replace(",", ".") + " đ"


def short_money(amount: int) -> str:
    if amount >= 1_000_000_000:
        return f"{amount / 1_000_000_000:.1f} tỷ".replace(".", ",")
    if amount >= 1_000_000:
        return f"{amount / 1_000_000:.1f} tr".replace(".", ",")
    if amount >= 1_000:
        return f"{amount // 1_000} k"
    return str(amount)


def _x(i: int, n: int) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * (i + 0.5) / max(n, 1)


def _bars(values: Sequence[float], top: float, colour: str, labels: Sequence[str]) -> list[str]:
    n = len(values)
    step = (WIDTH - LEFT - RIGHT) / max(n, 1)
    out = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        h = max(0.0, min(1.0, value)) * (PANEL - 30)
        out.append(f'<rect x="{_x(i, n) - step * 0.3:.1f}" y="{top + PANEL - 14 - h:.1f}" '
                   f'width="{step * 0.6:.1f}" height="{h:.1f}" fill="{colour}">'
                   f'<title>{escape(label)}</title></rect>')
    return out


def _frame(top: float, heading: str, high: str) -> list[str]:
    base = top + PANEL - 14
    return [
        f'<text x="{LEFT}" y="{top + 4:.0f}" font-size="13" font-weight="bold" '
        f'fill="#222">{escape(heading)}</text>',
        f'<line x1="{LEFT}" y1="{base:.0f}" x2="{WIDTH - RIGHT}" y2="{base:.0f}" '
        'stroke="#888" stroke-width="1"/>',
        f'<text x="{LEFT - 6}" y="{top + 20:.0f}" font-size="11" text-anchor="end" '
        f'fill="#444">{escape(high)}</text>',
        f'<text x="{LEFT - 6}" y="{base:.0f}" font-size="11" text-anchor="end" '
        'fill="#444">0</text>',
    ]


def svg(points: Sequence[Point], words: ChartWords, ident: str = "chart") -> str:
    """The chart's markup (an ``<svg>`` element), ``ident`` prefixing its element ids."""
    n = len(points)
    height = TOP + 3 * PANEL + 18
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
             f'height="{height}" viewBox="0 0 {WIDTH} {height}" '
             f'aria-labelledby="{ident}-title {ident}-desc" font-family="sans-serif">',
             f'<title id="{ident}-title">{escape(words.title)}</title>',
             f'<desc id="{ident}-desc">{escape(words.desc)}</desc>']
    # 1. branches that met, out of the branches
    top = float(TOP)
    most = max((p.branches for p in points), default=0)
    parts += _frame(top, words.held, str(most))
    parts += _bars([p.held / most if most else 0 for p in points], top, COLOURS[0],
                   [f"{p.label}: {p.held}/{p.branches}" for p in points])
    # 2. attendance, 0–100 %
    top += PANEL
    parts += _frame(top, words.attendance, "100 %")
    base, span = top + PANEL - 14, PANEL - 30
    dots = [(_x(i, n), base - p.attendance * span, p)
            for i, p in enumerate(points) if p.attendance is not None]
    if len(dots) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _p in dots)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{COLOURS[1]}" '
                     'stroke-width="2"/>')
    for x, y, p in dots:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{COLOURS[1]}">'
                     f'<title>{escape(p.label)}: {100 * (p.attendance or 0):.0f} %</title>'
                     '</circle>')
    # 3. dues collected
    top += PANEL
    high = max((p.collected for p in points), default=0)
    parts += _frame(top, words.collected, short_money(high))
    parts += _bars([p.collected / high if high else 0 for p in points], top, COLOURS[2],
                   [f"{p.label}: {money(p.collected)}" for p in points])
    # month labels under the last panel
    for i, p in enumerate(points):
        short = p.label[:3] + p.label[-2:]      # "11/2026" → "11/26"
        parts.append(f'<text x="{_x(i, n):.1f}" y="{height - 4}" font-size="11" '
                     f'text-anchor="middle" fill="#444">{escape(short)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
