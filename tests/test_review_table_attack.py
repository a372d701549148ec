"""The review's points and its table of proposals as people really type and save them
(found by attacking issue 20): "-0", spreadsheet arithmetic (9,9 + 9,8 + 9,7 + 60,5 is
89.89999999999999 to a computer, 89,9 in Excel), a signature block spread across the
columns under the table, a file that is not there. Each is read as the person meant, or
refused in words, with nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sotay_core.domain.errors import DomainError, ValidationError
from sotay_core.domain.review import points
from sotay_desktop.db.engine import Database
from sotay_desktop.services import members
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace

TODAY = dt.date(2026, 12, 10)
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em")


@pytest.mark.parametrize(("typed", "kept"), [("-0", "0.0"), ("-0.0", "0.0"), ("+5", "5.0"),
                                             (" 89.9 ", "89.9"), (".5", "0.5")])
def test_points_are_kept_as_a_person_reads_them(typed: str, kept: str) -> None:
    assert str(points(typed)) == kept


@pytest.mark.parametrize("typed", ["1_0", "1E1", "1e3", "NaN", "-inf", "0x10", "9,5", "",
                                   "--1", "5..5"])
def test_points_not_written_as_a_number_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        points(typed)
    assert refused.value.code == "review.points"


@pytest.fixture
def ws(branch_db: tuple[Database, str]) -> Iterator[Workspace]:
    db, unit_id = branch_db
    with db.sessions.begin() as s:
        for name in NAMES:
            members.add_member(s, unit_id=unit_id, data={
                "full_name": name, "date_of_birth": dt.date(1960, 5, 5),
                "admitted_on": dt.date(2000, 3, 1), "official_on": dt.date(2001, 3, 1)},
                today=TODAY)
    found = Workspace(db, today=lambda: TODAY)
    review.open_campaign(found, 2026)
    yield found


def _proposed(ws: Workspace) -> dict[str, Decimal | None]:
    return {s.name: s.points for s in review.view(ws, 2026).sheets}


def test_a_sheet_saved_by_excel_with_totals_and_a_signature_block(ws: Workspace,
                                                                  tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI ĐẢNG VIÊN NĂM 2026"])
    sheet.merge_cells("A1:H1")
    sheet.append([])
    sheet.append(["STT", "Họ và tên", "politics", "innovation", "self_criticism", "tasks",
                  "Tổng điểm", "Tán thành"])
    parts = [(9.9, 9.8, 9.7, 60.5), (10, 10, 10, 60), (3.3, 3.3, 3.3, 40.1),
             (9.1, 9.2, 9.3, 62.3), (8.8, 8.8, 8.8, 60)]
    for number, (name, scores) in enumerate(zip(NAMES, parts, strict=True), start=1):
        # the total as Excel's cached SUM holds it (binary arithmetic, 89.89999999999999)
        sheet.append([number, name, *scores, sum(scores), 5])
    sheet.append([])
    sheet.append(["", "Người lập biểu", "", "", "", "Bí thư"])   # under the criteria columns
    sheet.append(["", "Nguyễn Văn Ký", "", "", "", "Trần Văn Thư"])
    path = tmp_path / "tong-hop.xlsx"
    book.save(path)
    result, _changes = review.import_proposals(ws, 2026, None, path)
    assert (result.proposed, result.skipped) == (5, 3)   # the blank row, the two below
    assert _proposed(ws) == {NAMES[0]: Decimal("89.9"), NAMES[1]: Decimal("90.0"),
                             NAMES[2]: Decimal("50.0"), NAMES[3]: Decimal("89.9"),
                             NAMES[4]: Decimal("86.4")}


def test_a_member_row_with_words_for_points_is_still_refused(ws: Workspace,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "bang.csv"
    path.write_text("Họ và tên;Điểm\nNguyễn Văn An;tám mươi\nNgười lập biểu;\n",
                    encoding="utf-8")
    with pytest.raises(DomainError) as refused:
        review.import_proposals(ws, 2026, None, path)
    assert "dòng 2" in refused.value.message() and "tám mươi" in refused.value.message()
    assert set(_proposed(ws).values()) == {None}


def test_a_table_that_is_not_there_is_named_as_missing(ws: Workspace, tmp_path: Path) -> None:
    for path, words in ((tmp_path / "khong-co.csv", "Không thấy tệp"),
                        (tmp_path, "Không đọc/ghi được")):
        with pytest.raises(DomainError) as refused:
            review.import_proposals(ws, 2026, None, path)
        message = refused.value.message()
        assert words in message and "bị hỏng" not in message, message
