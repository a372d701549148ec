"""The dues book (issue 19): the year's grid for 300 members × 12 months.

The data: a demo branch of 300 members with its year of dues (services/demo_dues.py: about
3,300 payments). Measured: the book read from the database (``usecases.dues.book``), the
grid model filled and every cell's data asked for in each role a view asks (display,
alignment, colour, font, tooltip), and the screen's table painted at 1366×768. Qt runs
offscreen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

AS_OF = dt.date(2026, 11, 22)
MEMBERS = 300


def _times(fn: Callable[[], object], runs: int) -> list[float]:
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        found.append((time.perf_counter() - start) * 1000)
    return found


def _figure(times: list[float]) -> str:
    return f"{statistics.median(times):.1f} ms median, {max(times):.1f} ms worst of {len(times)}"


def run() -> list[dict[str, str]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtCore, QtWidgets

    from sotay_desktop.db.engine import open_database
    from sotay_desktop.services.demo import create_demo
    from sotay_desktop.ui.dues.models import DuesGridModel
    from sotay_desktop.ui.dues.screen import DuesScreen
    from sotay_desktop.ui.tasks import TaskRunner
    from sotay_desktop.usecases import dues
    from sotay_desktop.usecases.workspace import Workspace

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    role = QtCore.Qt.ItemDataRole
    # what QStyledItemDelegate asks of each painted cell
    roles = tuple(r.value for r in (role.DisplayRole, role.TextAlignmentRole,
                                    role.ForegroundRole, role.FontRole, role.BackgroundRole,
                                    role.DecorationRole, role.CheckStateRole))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "branch")
        with db.sessions.begin() as session:
            create_demo(session, as_of=AS_OF, members=MEMBERS + 40, documents=5, meetings=2)
        ws = Workspace(db, today=lambda: AS_OF)
        book = dues.book(ws, 2026)
        assert len(book.lines) >= MEMBERS
        book = dataclasses.replace(book, lines=book.lines[:MEMBERS])
        payments = sum(1 for line in book.lines for cell in line.cells if cell.payment)
        read = _times(lambda: dues.book(ws, 2026), 10)
        results.append({
            "what": f"Dues book of {len(book.lines)} members × 12 months read and computed "
                    f"(`usecases.dues.book`: members' events, bases, exemptions, {payments} "
                    "payments, the core's build_book)",
            "figure": _figure(read), "target": "—", "ok": ""})

        def fill_and_ask(asked: tuple[int, ...]) -> None:
            model = DuesGridModel()
            model.set_book(book)
            for row in range(model.rowCount()):
                for column in range(model.columnCount()):
                    index = model.index(row, column)
                    for one in asked:
                        model.data(index, one)

        grid = _times(lambda: fill_and_ask(roles), 20)
        cells = len(book.lines) * 14
        results.append({
            "what": f"Dues grid model built and every cell's data asked ({len(book.lines)} "
                    f"members × 12 months + total and flag = {cells} cells × the "
                    f"{len(roles)} roles a painted cell asks)",
            "figure": _figure(grid), "target": "≤ 100 ms",
            "ok": str(statistics.median(grid) <= 100)})
        words = _times(lambda: fill_and_ask((role.ToolTipRole.value,)), 10)
        results.append({
            "what": f"… and every cell's sentence for the tooltip and screen reader ({cells} "
                    "cells; asked only on hover or focus)",
            "figure": _figure(words), "target": "—", "ok": ""})

        screen = DuesScreen(ws, TaskRunner(inline=True))
        screen.resize(1366, 768)
        screen.show()
        screen.load()
        app.processEvents()

        def shown() -> None:
            screen.show_book(book)
            screen.grid.viewport().repaint()

        paint = _times(shown, 10)
        results.append({
            "what": "Dues screen shows the book: model reset, columns sized to their contents "
                    "(every row measured), the visible grid painted at 1366×768",
            "figure": _figure(paint), "target": "—", "ok": ""})
        screen.close()
        db.close()
    return results


if __name__ == "__main__":
    for row in run():
        print(f"{row['what']}: {row['figure']} (target {row['target']})")
