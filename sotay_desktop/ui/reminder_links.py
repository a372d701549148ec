"""Opening the screen a Home reminder of the secretary's year names (issue 20): the
candidate's row on "Kết nạp đảng viên", the review period on "Kiểm điểm", the late letters
on "Chuyển sinh hoạt", the study plan on "Học tập" (issue 21). The screen is made on first
use (``LazyScreens``) and reads in the background, so what is to be chosen is chosen once
its rows are there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6 import QtWidgets


def open_at(window: Any, screen_name: str, ref: str) -> QtWidgets.QWidget:
    """Show the screen ``screen_name`` at ``ref`` (a candidate's id; a review period "2026" or
    "2026-q3"; the member whose letter is late; a study plan's id) and return it."""
    screen = window.lazy.named(screen_name)
    if screen_name == "CandidatesScreen" and ref:
        _when_loaded(screen.rows_loaded,
                     lambda: any(r.id == ref for r in screen.rows),
                     lambda: screen.select(ref))
    elif screen_name == "ReviewScreen" and ref:
        _open_period(screen, ref)
    elif screen_name == "StudyScreen" and ref:
        # The plan, read again, then shown at its make-up list: who has not studied yet.
        screen.tabs.setCurrentWidget(screen.members_tab)
        screen.members_tab.makeup.setChecked(True)
        screen.select(ref)
    elif screen_name == "TransfersScreen":
        late = screen.filter.findData("late")
        if late >= 0:
            screen.filter.setCurrentIndex(late)
        if ref:
            _when_loaded(screen.letters_loaded,
                         lambda: any(v.member_id == ref for v in screen.model.rows),
                         lambda: _select_letter(screen, ref))
    return screen


def _when_loaded(loaded: Any, ready: Callable[[], bool], choose: Callable[[], None]) -> None:
    """``choose`` now if the rows are there, else once, after the screen's next read."""
    if ready():
        choose()
        return

    def once(*_args: object) -> None:
        loaded.disconnect(once)
        if ready():
            choose()

    loaded.connect(once)


def _open_period(screen: Any, ref: str) -> None:
    year_text, _dash, quarter = ref.partition("-q")
    index = screen.quarter.findData(int(quarter)) if quarter else 0   # 0: the whole year
    screen.quarter.setCurrentIndex(max(index, 0))
    screen.year.setValue(int(year_text))


def _select_letter(screen: Any, member_id: str) -> None:
    row = next(i for i, v in enumerate(screen.model.rows) if v.member_id == member_id)
    screen.table.selectRow(row)
