"""Helpers of the roster import tests (test_roster_*.py): the files of tests/data/roster
(made by tests/data/roster/make_files.py with tests/roster_files), a preview and an import
into a branch's database, the members read back, and a sheet written from rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from sotay_core.domain.entities import MemberStatus
from sotay_desktop.services.members import get_member, list_members
from sotay_desktop.services.roster_io import ImportPreview, import_valid, preview_import

TODAY = dt.date(2026, 11, 22)
DATA = Path(__file__).parent / "data" / "roster"
ROOT = Path(__file__).resolve().parents[1]
OFFICE_FILES = ["thon_thuong_excel.xlsx", "thon_thuong_excel2003.xls",
                "thon_thuong_dimension_sai.xlsx", "thon_thuong_cp1258.csv",
                "thon_thuong_utf8.csv", "thon_thuong_utf8_bom.csv", "ho_ten_tach_cot.xlsx",
                "thon_thuong_libreoffice.xlsx", "xuat_tu_phan_mem_web.xls"]


def read_preview(db: Any, path: Path, mapping: dict[int, str] | None = None) -> ImportPreview:
    with db.reads() as session:
        return preview_import(session, path=path, today=TODAY, mapping=mapping)


def import_all(db: Any, unit: str, preview: ImportPreview) -> int:
    with db.sessions.begin() as session:
        count, _ = import_valid(session, preview=preview, unit_id=unit, today=TODAY)
    return count


def records_by_name(db: Any) -> dict[str, Any]:
    with db.sessions() as session:
        return {m.full_name: get_member(session, m.id)
                for m in list_members(session, statuses=list(MemberStatus))}


def records_by_card(db: Any) -> dict[tuple[str, str], Any]:
    with db.sessions() as session:
        return {(m.full_name, m.card_number): get_member(session, m.id)
                for m in list_members(session, statuses=list(MemberStatus))}


def write_sheet(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


HEAD = ["STT", "Họ và tên", "Ngày sinh", "Số thẻ đảng viên"]
