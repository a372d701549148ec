"""Setting up a protected folder: the password asked twice, the recovery code shown once and
saved as a large-type page; the folder encrypted with the branch inside."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6 import QtWidgets

from sotay_desktop.app import protect_new_folder
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.faults import StorageError
from sotay_desktop.documents.recovery_sheet import render_recovery_sheet
from sotay_desktop.security import key_wrap, profile
from sotay_desktop.security.key_wrap import KdfParams
from sotay_desktop.services.branch import branch_info
from sotay_desktop.ui.first_run import FirstRunChoice, FirstRunDialog, RecoveryCodeDialog
from tests.conftest import TODAY

pytestmark = pytest.mark.gui


def test_password_is_asked_twice_and_must_be_long_enough(qtbot) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.protect.setChecked(True)
    dialog.password.setText("ngắn")
    assert not dialog.ok_button.isEnabled() and "ít nhất 8" in dialog.hint.text()
    dialog.password.setText("Mật khẩu chi bộ")
    dialog.again.setText("Mật khẩu khác")
    assert not dialog.ok_button.isEnabled() and "không giống" in dialog.hint.text()
    dialog.again.setText("Mật khẩu chi bộ")
    assert dialog.ok_button.isEnabled()
    assert dialog.choice().password == "Mật khẩu chi bộ" and dialog.choice().demo


def test_a_new_protected_folder_holds_the_branch_encrypted(
        empty_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(profile, "DEFAULT_PARAMS", KdfParams(memory_kib=8 * 1024, time_cost=1))
    dialog_choice = FirstRunChoice(False, "Chi bộ thôn Đông", "Đảng ủy xã Tân Lập",
                                   "Tỉnh Hưng Yên", "Mật khẩu chi bộ")
    name, code = protect_new_folder(empty_dir, dialog_choice)
    assert name == "Chi bộ thôn Đông"
    with pytest.raises(StorageError):
        open_database(empty_dir)
    db = open_database(empty_dir, key=profile.unlock_with_recovery(empty_dir, code))
    with db.reads() as s:
        assert branch_info(s).branch.name == "Chi bộ thôn Đông"
    db.close()
    assert b"Chi b" not in (empty_dir / "sotay.db").read_bytes()


def test_recovery_code_page_in_large_type_can_be_saved(qtbot, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    code = key_wrap.new_recovery_code()
    sheet = render_recovery_sheet("Chi bộ thôn Đông", code, TODAY)
    (tmp_path / "s.pdf").write_bytes(sheet)
    text = PdfReader(tmp_path / "s.pdf").pages[0].extract_text()
    groups = code.split("-")
    assert "-".join(groups[:3]) in text and "-".join(groups[3:]) in text
    assert "Chi bộ thôn Đông" in text and "22/11/2026" in text
    dialog = RecoveryCodeDialog("Chi bộ thôn Đông", code, sheet)
    qtbot.addWidget(dialog)
    assert dialog.code.text() == code and dialog.code.font().pointSizeF() >= 24
    target = tmp_path / "ma-khoi-phuc.pdf"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    dialog.save_button.click()
    assert target.read_bytes() == sheet


def test_every_line_of_the_sheet_fits_the_page() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from sotay_desktop.documents.fonts import SANS, register_fonts
    from sotay_desktop.documents.recovery_sheet import LINES

    register_fonts()
    assert all(stringWidth(line, SANS, 18) < A4[0] - 40 * mm for line in LINES)
