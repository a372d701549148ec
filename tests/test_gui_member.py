"""Adding, editing and recording events through the real dialogs (offscreen)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6 import QtWidgets

from sotay_core.domain.entities import EventKind, MemberStatus
from sotay_desktop.ui.main_window import MainWindow
from sotay_desktop.ui.member.dialog import MemberDialog, with_mnemonic
from sotay_desktop.ui.member.event_dialog import EventDialog
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases import members, roster
from sotay_desktop.usecases.workspace import Workspace
from tests.qt_helpers import answer_boxes, type_vi

pytestmark = pytest.mark.gui
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def store(demo_db) -> Workspace:  # type: ignore[no-untyped-def]
    return Workspace(demo_db, today=lambda: TODAY)


@pytest.fixture
def window(make_window, store):  # type: ignore[no-untyped-def]
    return make_window(store, show=True, refresh=True)


def _answer(monkeypatch, record: bool) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """Answer the confirmation: "Ghi vào lý lịch" when ``record``, else Huỷ."""
    return answer_boxes(monkeypatch, "Ghi vào lý lịch" if record else None)


def _drive(monkeypatch, fill) -> None:  # type: ignore[no-untyped-def]
    """Replace the modal loop: fill the dialog, press Save, report whether it accepted."""
    def run(self, dialog):  # type: ignore[no-untyped-def]
        fill(dialog)
        dialog.buttons.accepted.emit()
        return dialog.result() == QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(MainWindow, "run_dialog", run)


def test_add_a_member_with_a_vietnamese_name(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def fill(dialog: MemberDialog) -> None:
        type_vi(dialog.editors["full_name"], "Đinh Thị Hường")
        dialog.editors["date_of_birth"].setText("02/09/1975")
        dialog.editors["admitted_on"].setText("19/05/2000")
        dialog.editors["official_on"].setText("19/05/2001")
        dialog.editors["gender"].setCurrentIndex(dialog.editors["gender"].findData("female"))
        dialog.editors["card_number"].setText("12345678")

    _drive(monkeypatch, fill)
    before = window.roster.model.rowCount()
    window.add_member()
    assert window.roster.model.rowCount() == before + 1
    panel = window.roster.panel
    assert panel.record is not None and panel.record.member.full_name == "Đinh Thị Hường"
    assert panel.record.status is MemberStatus.OFFICIAL
    assert "Đinh Thị Hường" in panel.title.text()
    assert panel.events.rowCount() == 2
    assert window.roster.selected_id() == panel.record.member.id


def test_errors_appear_beside_the_field_and_nothing_is_saved(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    dialog = MemberDialog(store, TaskRunner(inline=True), today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.editors["full_name"].setText("Lê Văn Tám")
    dialog.editors["date_of_birth"].setText("31/02/1970")
    dialog.save()
    assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
    error = dialog.errors["date_of_birth"]
    assert not error.isHidden() and "Ngày sinh" in error.text() and "31/02/1970" in error.text()
    assert dialog.errors["full_name"].isHidden()
    before = len(members.roster(store))
    # a rule only the database can check: the card number belongs to someone else
    dialog.editors["date_of_birth"].setText("01/02/1970")
    taken = members.roster(store)[0]
    dialog.editors["card_number"].setText(taken.card_number)
    dialog.save()
    assert "Số thẻ" in dialog.errors["card_number"].text()
    assert taken.full_name in dialog.errors["card_number"].text()
    assert dialog.errors["date_of_birth"].isHidden()
    assert len(members.roster(store)) == before


def test_edit_member_changes_only_that_member(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window.roster.show_all()
    member = window.roster.model.row_at(0)
    window.roster.select_member(member.id)
    assert window.roster.panel.record is not None

    def fill(dialog: MemberDialog) -> None:
        assert dialog.editors["full_name"].text() == member.full_name
        assert "admitted_on" not in dialog.editors  # only through recorded events
        dialog.editors["residence"].setText("Xóm 9, thôn Đông Hòa")

    _drive(monkeypatch, fill)
    window.edit_member()
    record = members.member(window.workspace, member.id)
    assert record.member.residence == "Xóm 9, thôn Đông Hòa"
    second = window.roster.model.row_at(1).id
    assert "Xóm 9" not in members.member(window.workspace, second).member.residence


def _official(window) -> str:  # type: ignore[no-untyped-def]
    window.roster.show_all()
    model = window.roster.model
    member = next(model.row_at(r) for r in range(model.rowCount())
                  if model.row_at(r).status is MemberStatus.OFFICIAL)
    window.roster.select_member(member.id)
    return member.id


def test_record_an_event_after_confirmation(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    member_id = _official(window)
    asked = _answer(monkeypatch, True)

    def fill(dialog: EventDialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findData(EventKind.TEMP_OUT.value))
        dialog.date.setText("01/10/2026")
        type_vi(dialog.place, "Chi bộ Công ty May Phố Nối")

    _drive(monkeypatch, fill)
    events_before = len(members.member(window.workspace, member_id).events)
    window.record_event()
    assert asked and "không sửa hay xoá" in asked[0][0]
    assert asked[0][1] == ["Ghi vào lý lịch", "Huỷ"]   # the act is named; no Yes/No
    record = members.member(window.workspace, member_id)
    assert record.status is MemberStatus.AWAY
    assert len(record.events) == events_before + 1
    assert record.events[-1].place == "Chi bộ Công ty May Phố Nối"
    assert window.roster.panel.record.status is MemberStatus.AWAY


def test_declining_the_confirmation_writes_nothing(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    member_id = _official(window)
    _answer(monkeypatch, False)
    record = members.member(window.workspace, member_id)
    dialog = EventDialog(window.workspace, window.runner, record, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData(EventKind.DECEASED.value))
    dialog.save()
    assert members.member(window.workspace, member_id).events == record.events


def test_an_impossible_event_is_explained(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    member_id = _official(window)
    _answer(monkeypatch, True)
    record = members.member(window.workspace, member_id)
    dialog = EventDialog(window.workspace, window.runner, record, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    # "Trở về" is not even offered to someone who never left; a back-dated event that the
    # history cannot hold is refused beside the date.
    assert dialog.kind.findData(EventKind.RETURNED.value) == -1
    dialog.kind.setCurrentIndex(dialog.kind.findData(EventKind.TEMP_OUT.value))
    admitted = record.admitted_on
    assert admitted is not None
    dialog.date.setText((admitted - dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    dialog.save()
    assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
    assert "chưa (hoặc không còn) là đảng viên" in dialog.errors["date"].text()
    dialog.date.setText("hôm qua")
    dialog.save()
    assert "hôm qua" in dialog.errors["date"].text()
    assert members.member(window.workspace, member_id).events == record.events


def test_mnemonics_are_unique_ascii_letters() -> None:
    used: set[str] = set()
    labels = [with_mnemonic(text, used) for text in ("Họ và tên", "Họ tên khai sinh", "Ngày sinh")]
    letters = [label[label.index("&") + 1].lower() for label in labels]
    assert len(set(letters)) == 3 and all(ch.isascii() for ch in letters)


def test_every_field_has_a_label_buddy(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    dialog = MemberDialog(store, TaskRunner(inline=True), today=lambda: TODAY)
    qtbot.addWidget(dialog)
    buddies = {label.buddy() for label in dialog.findChildren(QtWidgets.QLabel) if label.buddy()}
    assert set(dialog.editors.values()) <= buddies
    assert all(editor.accessibleName() for editor in dialog.editors.values())


def test_import_preview_then_import_valid_rows(qtbot, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    from sotay_desktop.ui.roster.import_dialog import ImportDialog

    path = tmp_path / "moi.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Họ và tên", "Ngày sinh", "Ngày vào Đảng"])
    book.active.append(["Vi Thị Mến", "1990-04-04", "2020-05-19"])
    book.active.append(["Hà Văn Lỗi", "1990-13-04", ""])
    book.save(path)
    seen: list[ImportDialog] = []

    def run(self, dialog):  # type: ignore[no-untyped-def]
        seen.append(dialog)
        qtmodel = dialog.model
        assert qtmodel.rowCount() == 2
        assert qtmodel.index(0, 2).data() == "Hợp lệ"
        assert "Ngày sinh" in qtmodel.index(1, 2).data()
        assert dialog.report_button.isEnabled()
        dialog.import_button.click()
        return dialog.result() == QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(MainWindow, "run_dialog", run)
    before = window.roster.model.rowCount()
    window.import_roster(path)
    assert seen and seen[0].imported == 1
    assert window.roster.model.rowCount() == before + 1
    assert "Đã nhập 1" in window.statusBar().currentMessage()


def test_export_from_the_roster_screen(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    target = tmp_path / "mau7.xlsx"
    window.export_roster(target)
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A4"].value == "SỔ DANH SÁCH ĐẢNG VIÊN"
    assert str(target) in window.statusBar().currentMessage()


def test_history_and_import_models_pass_qtmodeltester(qtmodeltester, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    from sotay_desktop.ui.roster.import_dialog import PreviewModel

    _official(window)
    assert window.roster.panel.events.rowCount() >= 2
    qtmodeltester.check(window.roster.panel.events)
    path = tmp_path / "x.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Họ và tên", "Ngày sinh"])
    book.active.append(["Lê Văn Một", "1970-01-01"])
    book.active.append(["", "1970-01-01"])
    book.save(path)
    qtmodeltester.check(PreviewModel(rows=roster.preview_import(window.workspace, path).rows))


def test_saving_the_form_keeps_what_changed_elsewhere_meanwhile(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    """Found by a tester: the form sent every field, so a phone number set by the CLI while
    the form was open was blanked by the save. Only what the person changed is written."""
    member = members.roster(store)[4]
    record = members.member(store, member.id)
    dialog = MemberDialog(store, TaskRunner(inline=True), record.member, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    members.update_member(store, member.id, {"phone": "0912 000 111", "notes": "ghi từ máy khác"})
    dialog.editors["residence"].setText("Xóm 7, thôn Đông Hòa")
    dialog.save()
    saved = members.member(store, member.id).member
    assert saved.residence == "Xóm 7, thôn Đông Hòa"
    assert (saved.phone, saved.notes) == ("0912 000 111", "ghi từ máy khác")
