from __future__ import annotations

import datetime as dt
import io
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.errors import DomainError
from sotay_desktop.documents.roster_xlsx import HEADINGS
from sotay_desktop.services.members import list_members
from sotay_desktop.services.roster_io import (
    export_roster_xlsx,
    import_valid,
    preview_import,
    rejected_report_xlsx,
)

TODAY = dt.date(2026, 11, 22)


def _xlsx(path: Path, rows: list[list[object]], *, title_rows: int = 2) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append(["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN THƯỢNG"])
    sheet.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng",
                  "Ngày chính thức", "Số thẻ đảng viên", "Quê quán", "Cột lạ"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _preview(db, path: Path):  # type: ignore[no-untyped-def]
    with db.reads() as session:
        return preview_import(session, path=path, today=TODAY)


def test_preview_flags_bad_rows_and_imports_only_valid_ones(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    nfd = unicodedata.normalize("NFD", "Phạm Thị Hường")
    path = _xlsx(tmp_path / "ds.xlsx", [
        [1, "Nguyễn Văn An", dt.datetime(1960, 5, 2), "Nam", "19/05/1985", "19/05/1986",
         12345678, "Thái Bình", "x"],
        [2, nfd, "1975-09-02", "nữ", dt.datetime(2000, 3, 3), None, "22223333", "", ""],
        [3, "Lê Văn Bình", "31/02/1970", "Nam", "", "", "", "", ""],          # impossible date
        [4, "Trần Văn Cường", "1970-01-01", "Nam", "2000-01-01", "1999-01-01", "", "", ""],
        [5, "Đỗ Văn Dũng", "1980-01-01", "Nam", "", "", 12345678, "", ""],    # card repeated
        [6, "Nguyễn Văn An", dt.datetime(1960, 5, 2), "Nam", "", "", "", "", ""],  # same person
        [7, "", "1980-01-01", "", "", "", "", "", ""],                        # no name
    ])
    preview = _preview(db, path)
    assert [r.line for r in preview.valid] == [4, 5]
    reasons = {r.line: " ".join(r.errors) for r in preview.rejected}
    assert "Ngày sinh" in reasons[6] and "31/02/1970" in reasons[6]
    assert "chính thức" in reasons[7]
    assert "dòng 4" in reasons[8] and "Số thẻ" in reasons[8]
    assert "dòng 4" in reasons[9]
    assert "Họ và tên" in reasons[10]
    assert preview.ignored_columns == ("STT", "Cột lạ")
    with db.sessions.begin() as session:
        count, _ = import_valid(session, preview=preview, unit_id=unit, today=TODAY)
    assert count == 2
    with db.reads() as session:
        members = {m.full_name: m for m in list_members(session)}
    assert set(members) == {"Nguyễn Văn An", "Phạm Thị Hường"}
    assert members["Nguyễn Văn An"].status is MemberStatus.OFFICIAL
    assert members["Nguyễn Văn An"].card_number == "12345678"
    assert members["Phạm Thị Hường"].status is MemberStatus.PROBATIONARY
    # importing the same file again finds every row already there
    again = _preview(db, path)
    assert [r.line for r in again.valid] == []
    assert "đã có" in " ".join(again.rows[0].errors)
    report = openpyxl.load_workbook(io.BytesIO(rejected_report_xlsx(preview))).active
    assert report.cell(2, 1).value == 6 and "31/02/1970" in report.cell(2, 3).value


def test_csv_with_semicolons_and_legacy_encoding(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.docfactory import to_vni

    db, _unit = branch_db
    text = "Họ và tên;Ngày sinh;Số thẻ\nNguyễn Thị Hoà;02/09/1970;11112222\n"
    path = tmp_path / "ds.csv"
    path.write_bytes(to_vni(text).encode("cp1252"))
    preview = _preview(db, path)
    assert [r.data["full_name"] for r in preview.valid] == ["Nguyễn Thị Hoà"]
    utf = tmp_path / "ds-utf8.csv"
    utf.write_bytes(b"\xef\xbb\xbf" + text.replace(";", ",").encode("utf-8"))
    assert [r.full_name for r in _preview(db, utf).valid] == ["Nguyễn Thị Hoà"]


@pytest.mark.parametrize(("content", "code"), [
    (b"PK\x03\x04 broken zip", "import_unreadable"),
    (b"Ten,Tuoi\nAn,3\n", "import_no_header"),
    (b"\x00\x01\x02" * 100, "import_unreadable"),
])
def test_unreadable_files_get_a_clear_message(branch_db, tmp_path, content: bytes,
                                              code: str) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    path = tmp_path / "ds.xlsx"
    path.write_bytes(content)
    with pytest.raises(DomainError) as info:
        _preview(db, path)
    assert info.value.code == code and "ds.xlsx" in info.value.message("vi")


def test_export_follows_mau_7(demo_db) -> None:  # type: ignore[no-untyped-def]
    with demo_db.reads() as session:
        data = export_roster_xlsx(session, today=TODAY)
        members = list_members(session)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "CHI BỘ THÔN ĐÔNG HÒA"
    assert sheet["A4"].value == "SỔ DANH SÁCH ĐẢNG VIÊN"
    assert [sheet.cell(7, c).value for c in range(1, 15)] == list(HEADINGS)
    names = [sheet.cell(r, 2).value.split("\n")[0] for r in range(9, 9 + len(members))]
    assert names == [m.full_name for m in members]   # roster order
    dead = next(i for i, m in enumerate(members) if m.status is MemberStatus.DECEASED)
    assert sheet.cell(9 + dead, 12).value  # column 12: date of death
    moved = next(i for i, m in enumerate(members) if m.status is MemberStatus.TRANSFERRED_OUT)
    assert sheet.cell(9 + moved, 10).value  # column 10: date transferred out
    assert sheet.page_setup.orientation == "landscape"
