"""The 12-month chart in a PDF: the three panels of ``chart.svg`` (branches that met, attendance,
dues collected) drawn natively with ``reportlab.graphics``, so the printed report carries the
same picture as the pages without converting SVG."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sync_server import chart
from sync_server.month_queries import SeriesPoint


def drawing(points: Sequence[SeriesPoint], width: float, font: str) -> Any:
    """The 12-month chart as a reportlab Drawing: the three panels of ``chart.svg``."""
    from reportlab.graphics.shapes import Circle, Drawing, PolyLine, Rect, String
    from reportlab.graphics.shapes import Line as Rule
    from reportlab.lib import colors

    panel, left, n = 70.0, 50.0, max(len(points), 1)
    height = 3 * panel + 24
    out = Drawing(width, height)
    step = (width - left - 8) / n
    heads = ("Chi bộ đã sinh hoạt", "Tỷ lệ dự họp", "Đảng phí đã thu")
    top_dues = max((p.collected for p in points), default=0)
    top_held = max((p.branches for p in points), default=0)
    for k, head in enumerate(heads):
        base = height - (k + 1) * panel
        colour = colors.HexColor(chart.COLOURS[k])
        out.add(String(left, base + panel - 12, head, fontName=f"{font}-Bold",
                           fontSize=10))
        out.add(Rule(left, base + 6, width - 8, base + 6, strokeColor=colors.grey))
        high = (str(top_held), "100 %", chart.short_money(top_dues))[k]
        out.add(String(left - 4, base + panel - 26, high, fontName=font, fontSize=8,
                           textAnchor="end"))
        span = panel - 34
        marks = []
        for i, p in enumerate(points):
            x = left + step * (i + 0.5)
            if k == 1:
                if p.attendance is not None:
                    marks.append((x, base + 6 + p.attendance * span))
                continue
            value = (p.held / top_held if top_held else 0) if k == 0 else (
                p.collected / top_dues if top_dues else 0)
            bar = Rect(x - step * 0.3, base + 6, step * 0.6, value * span)
            bar.fillColor, bar.strokeColor = colour, None
            out.add(bar)
        if k == 1:
            if len(marks) > 1:
                out.add(PolyLine([c for xy in marks for c in xy], strokeColor=colour,
                                     strokeWidth=1.5))
            for x, y in marks:
                out.add(Circle(x, y, 2.5, fillColor=colour, strokeColor=None))
    for i, p in enumerate(points):
        out.add(String(left + step * (i + 0.5), 4, p.label[:3] + p.label[-2:],
                           fontName=font, fontSize=8, textAnchor="middle"))
    return out
