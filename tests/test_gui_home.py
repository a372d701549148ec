from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from sotay_desktop.ui import printing
from sotay_desktop.usecases import branch

pytestmark = pytest.mark.gui
TODAY = dt.date(2026, 11, 22)
# `window` (conftest): the main window on the demo branch, shown and loaded


def test_home_shows_counts_and_reminders(qtmodeltester, window) -> None:  # type: ignore[no-untyped-def]
    home = window.home
    qtmodeltester.check(home.reminders)
    expected = branch.reminders(window.workspace)
    assert expected, "the demo branch should have something to remind"
    assert home.reminders.rowCount() == len(expected)
    assert home.heading.text() == "Chi bộ thôn Đông Hòa"
    assert "Đảng bộ xã Tân Lập" in home.superior.text()
    shown = [(home.reminders.index(r, 0).data(), home.reminders.index(r, 2).data())
             for r in range(home.reminders.rowCount())]
    assert shown == [(r.due.strftime("%d/%m/%Y"), r.full_name) for r in expected]
    kinds = {r.kind.value for r in expected}
    texts = " ".join(home.reminders.index(r, 1).data() for r in range(home.reminders.rowCount()))
    if "badge" in kinds:
        assert "đề nghị tặng Huy hiệu" in texts
    if "exemption" in kinds:
        assert "Xem xét lại việc miễn sinh hoạt" in texts


def test_activating_a_reminder_opens_the_member(window) -> None:  # type: ignore[no-untyped-def]
    reminder = window.home.reminders.reminders[0]
    window.home.table.activated.emit(window.home.reminders.index(0, 0))
    assert window.stack.currentWidget() is window.roster
    assert window.roster.selected_id() == reminder.member_id
    assert window.roster.panel.record.member.id == reminder.member_id


def test_reminders_print_as_a_list(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "nhac-viec.pdf"
    printing.to_pdf(window.home.reminders_html(TODAY), str(target))
    raw = " ".join(page.extract_text() for page in PdfReader(target).pages)
    text = " ".join(unicodedata.normalize("NFC", raw).split())  # Qt's spaces come back as tabs
    assert "DANH SÁCH VIỆC CẦN LÀM" in text
    assert "CHI BỘ THÔN ĐÔNG HÒA" in text
    first = window.home.reminders.reminders[0]
    assert first.full_name in text
    assert "22/11/2026" in text
