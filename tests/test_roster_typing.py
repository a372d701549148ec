"""Roster import meets what people type (issue 16, part 2): dates in every usual form, a bad
date explained, namesakes, cover sheets, Mẫu 7 cells typed short, notes and bare names inside
the table, a damaged .xls, and the command line's report of the rows that are not members.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import openpyxl
import pytest

from sotay_core.domain.errors import DomainError
from sotay_desktop.documents.roster_cells import loose_date
from tests.roster_files import members
from tests.roster_support import DATA, HEAD, import_all, read_preview, records_by_name, write_sheet


@pytest.mark.parametrize(("typed", "day"), [
    ("12/04/1966", dt.date(1966, 4, 12)), ("12-04-1966", dt.date(1966, 4, 12)),
    ("12.04.1966", dt.date(1966, 4, 12)), ("2/4/1966", dt.date(1966, 4, 2)),
    (" 02 / 04 / 1966 ", dt.date(1966, 4, 2)), ("1966-04-12", dt.date(1966, 4, 12)),
    ("ngày 12 tháng 4 năm 1966", dt.date(1966, 4, 12)),
    (dt.datetime(1966, 4, 12, 0, 0), dt.date(1966, 4, 12)), (24209, dt.date(1966, 4, 12)),
    (24209.0, dt.date(1966, 4, 12)),
    ("12/4/66", dt.date(1966, 4, 12)), ("5/9/02", dt.date(2002, 9, 5)),   # as Excel reads them
    ("31/02/1970", "31/02/1970"), ("12/4", "12/4"), (1966, "1966"), ("1966", "1966"),
])
def test_dates_as_people_type_them(typed: Any, day: Any) -> None:
    assert loose_date(typed) == day


def test_a_bad_date_says_how_to_write_it(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    path = write_sheet(tmp_path / "ds.xlsx", [HEAD, [1, "Nguyễn Văn An", "12/4", ""],
                                         [2, "Trần Thị Bình", "31/02/1970", ""]])
    reasons = [" ".join(r.errors) for r in read_preview(db, path).rows]
    for reason, typed in zip(reasons, ("12/4", "31/02/1970"), strict=True):
        assert typed in reason and "ngày/tháng/năm" in reason and "05/03/2026" in reason
        assert "NNNN" not in reason


def test_two_members_of_one_name_are_not_taken_for_one(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    path = write_sheet(tmp_path / "ds.xlsx", [HEAD, [1, "Nguyễn Văn An", "", "11111111"],
                                         [2, "Nguyễn Văn An", "", "22222222"],
                                         [3, "Nguyễn Văn An", "", ""]])
    preview = read_preview(db, path)
    assert [r.ok for r in preview.rows] == [True, True, False]
    assert "dòng 2" in " ".join(preview.rows[2].errors)


def test_a_sheet_wide_but_empty_to_the_right_still_imports(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Formatting far to the right (empty cells) is not a 16,000-column sheet."""
    db, _ = branch_db
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEAD)
    sheet.append([1, "Nguyễn Văn An", "02/05/1960", "12345678"])
    sheet.cell(2, 16000).number_format = "0"
    sheet.cell(2, 16000).value = None
    book.save(tmp_path / "rong.xlsx")
    assert [r.full_name for r in read_preview(db, tmp_path / "rong.xlsx").valid] == [
        "Nguyễn Văn An"]


def test_a_damaged_xls_gets_a_plain_message(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    data = (DATA / "thon_thuong_excel2003.xls").read_bytes()
    path = tmp_path / "hong.xls"
    path.write_bytes(data[:3000])
    with pytest.raises(DomainError) as info:
        read_preview(db, path)
    assert info.value.code == "import_unreadable" and "hong.xls" in info.value.message("vi")


def test_the_roster_may_follow_a_cover_sheet(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    book = openpyxl.Workbook()
    book.active.title = "Bìa"
    book.active.append(["SỔ DANH SÁCH ĐẢNG VIÊN – CHI BỘ THÔN THƯỢNG"])
    sheet = book.create_sheet("Danh sách")
    sheet.append(HEAD)
    sheet.append([1, "Nguyễn Văn An", "02/05/1960", "12345678"])
    book.save(tmp_path / "bia.xlsx")
    assert [r.full_name for r in read_preview(db, tmp_path / "bia.xlsx").valid] == ["Nguyễn Văn An"]


def test_names_that_fold_like_footer_words_are_members(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    names = ["Lưu Thị Hoa", "Công Văn Tâm", "Tống Văn Công", "Chu Thị Tích", "Thái Văn Kỳ"]
    rows = [HEAD, *[[i + 1, n, f"0{i + 1}/05/1960", f"1234567{i}"] for i, n in enumerate(names)],
            ["Cộng: 5 đồng chí"], ["", "Lưu: VT"]]
    preview = read_preview(db, write_sheet(tmp_path / "ds.xlsx", rows))
    assert [r.full_name for r in preview.valid] == names


def test_mau_7_cells_typed_short_or_on_one_line(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Not every line is filled, or the values are typed on one line with commas."""
    db, _ = branch_db
    rows = [list(members.MAU7_HEADINGS[:8]),
            [1, "Nguyễn Văn Hùng", "Nữ, Tày", "Tân Lập", "12/12; Tiếng Anh B; Trung cấp",
             "Làm ruộng", "19/05/1990", "01234567\nHY-001"],
            [2, "Trần Văn Bình", "Nam\nKinh\nKhông", "", "9/12\nSơ cấp\nKỹ sư",
             "", "03/02/1992, 03/02/1993", "00123456"]]
    hung, binh = (r.data for r in read_preview(db, write_sheet(tmp_path / "m7.xlsx", rows)).valid)
    assert (hung["gender"], hung["ethnicity"]) == ("Nữ", "Tày") and "religion" not in hung
    assert (hung["education_general"], hung["languages"], hung["political_theory"]) == (
        "12/12", "Tiếng Anh B", "Trung cấp")
    assert hung["admitted_on"] == dt.date(1990, 5, 19) and "official_on" not in hung
    assert (hung["card_number"], hung["record_number"]) == ("01234567", "HY-001")
    assert (binh["education_general"], binh["political_theory"],
            binh["education_professional"]) == ("9/12", "Sơ cấp", "Kỹ sư")
    assert binh["official_on"] == dt.date(1993, 2, 3) and binh["religion"] == "Không"


def test_mau_7_later_columns_are_checked_in_the_preview(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A bad date or form in columns 10–13 is a row error, never a failed import."""
    db, unit = branch_db
    heads = ["Số TT", "Họ và tên", "Ngày vào Đảng\nNgày chính thức", "Ngày chuyển đến, từ đâu đến",
             "Ngày từ trần", "Ngày và hình thức ra khỏi Đảng"]
    rows = [heads,
            [1, "Nguyễn Văn An", "01/01/1990\n01/01/1991", "02/02/2000, từ " + "x" * 300, "", ""],
            [2, "Trần Văn Bình", "01/01/1990\n01/01/1991", "", "30/02/2020", ""],
            [3, "Lê Văn Cường", "01/01/1990\n01/01/1991", "", "", "01/01/2020 – nghỉ"],
            [4, "Đỗ Văn Dũng", "01/01/1990\n01/01/1991", "", "01/01/1980", ""],
            [5, "Phạm Văn Em", "01/01/1990\n01/01/1991", "03/03/2003, từ Chi bộ Hạ", "", ""]]
    preview = read_preview(db, write_sheet(tmp_path / "m7.xlsx", rows))
    reasons = {r.full_name: " ".join(r.errors) for r in preview.rows}
    assert "200" in reasons["Nguyễn Văn An"]
    assert "Ngày từ trần" in reasons["Trần Văn Bình"] and "30/02/2020" in reasons["Trần Văn Bình"]
    assert "nghỉ" in reasons["Lê Văn Cường"]
    assert reasons["Đỗ Văn Dũng"]                           # died before being admitted
    assert [r.full_name for r in preview.valid] == ["Phạm Văn Em"]
    assert import_all(db, unit, preview) == 1
    record = records_by_name(db)["Phạm Văn Em"]
    assert (record.transferred_in_on, record.transferred_in_from) == (dt.date(2003, 3, 3),
                                                                     "Chi bộ Hạ")


def test_the_cli_reports_the_rows_that_are_not_members(empty_dir) -> None:  # type: ignore[no-untyped-def]
    from sotay_desktop.cli import main

    out, err = io.StringIO(), io.StringIO()
    assert main(["demo", "--data-dir", str(empty_dir), "--members", "3"], out=out, err=err) == 0
    out = io.StringIO()
    code = main(["members", "import", str(DATA / "thon_thuong_excel2003.xls"), "--data-dir",
                 str(empty_dir), "--dry-run", "--json"], out=out, err=err)
    report = json.loads(out.getvalue())
    assert code == 0 and report["valid"] == 13 and report["rejected"] == []
    texts = [row["text"] for row in report["not_members"]]
    assert "Tổng số: 13 đồng chí" in texts and "BÍ THƯ" in texts


def test_the_open_dialog_offers_xls_files() -> None:
    from sotay_core import i18n

    for lang in ("vi", "en"):
        assert "*.xls " in i18n.t("ui.sheet_filter", lang=lang)


def test_notes_and_bare_names_inside_the_table_never_become_members(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found by a tester (as offices write them): a birth name in brackets on its own line
    under a member, a numbered row with a name and nothing else in a roster with dates of
    admission, and "Đã mất: …" in the name column. The preview must not call them members."""
    db, _ = branch_db
    head = ["STT", "Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Ghi chú"]
    rows = [["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN THƯỢNG"], head,
            [1, "Nguyễn Văn An", "02/05/1960", "03/02/1990", ""],
            ["", "(Vũ Văn Gộp Cũ)", "", "", "tên khai sinh"],
            [2, "Trần Thị Bình", "03/06/1962", "19/05/1995", ""],
            [3, "Phạm Văn Chỉ Tên", "", "", ""],
            [4, "Đã mất: Lò Văn Tử", "01/01/1940", "01/01/1970", "Từ trần 2023"],
            [5, "Lê Văn Cường", "04/07/1964", "12/12/1998", ""]]
    preview = read_preview(db, write_sheet(tmp_path / "ds.xlsx", rows))
    assert [r.full_name for r in preview.valid] == ["Nguyễn Văn An", "Trần Thị Bình",
                                                    "Lê Văn Cường"]
    refused = {r.full_name: r.errors for r in preview.rejected}
    assert "ngày vào Đảng" in refused["Phạm Văn Chỉ Tên"][0]
    skipped = " ".join(text for _line, text in preview.skipped)
    assert "(Vũ Văn Gộp Cũ)" in skipped and "Đã mất: Lò Văn Tử" in skipped
