"""Roster import meets files as commune offices make them (issue 16, part 2).

The files under tests/data/roster were written by other tools than ours (openpyxl cell by
cell with merged title rows and signature blocks, LibreOffice for .xls, hand-written bytes
for cp1258 CSV); tests/data/roster/make_files.py remakes them. Hostile files are made here
in a temporary folder and read in a child process whose peak memory is measured.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest

from sotay_core.domain.entities import Gender, MemberStatus
from sotay_core.domain.errors import DomainError, ValidationError
from sotay_desktop.documents.roster_cells import loose_date
from sotay_desktop.services.members import get_member, list_members
from sotay_desktop.services.roster_io import (
    ImportPreview,
    export_roster_xlsx,
    import_valid,
    preview_import,
)
from sotay_desktop.usecases import roster

TODAY = dt.date(2026, 11, 22)
DATA = Path(__file__).parent / "data" / "roster"
ROOT = Path(__file__).resolve().parents[1]


def _make_files() -> ModuleType:
    spec = importlib.util.spec_from_file_location("roster_make_files", DATA / "make_files.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE = _make_files()
OFFICE_FILES = ["thon_thuong_excel.xlsx", "thon_thuong_excel2003.xls",
                "thon_thuong_dimension_sai.xlsx", "thon_thuong_cp1258.csv",
                "thon_thuong_utf8.csv", "thon_thuong_utf8_bom.csv", "ho_ten_tach_cot.xlsx",
                "thon_thuong_libreoffice.xlsx", "xuat_tu_phan_mem_web.xls"]


def _preview(db: Any, path: Path, mapping: dict[int, str] | None = None) -> ImportPreview:
    with db.reads() as session:
        return preview_import(session, path=path, today=TODAY, mapping=mapping)


def _import(db: Any, unit: str, preview: ImportPreview) -> int:
    with db.sessions.begin() as session:
        count, _ = import_valid(session, preview=preview, unit_id=unit, today=TODAY)
    return count


def _records(db: Any) -> dict[str, Any]:
    with db.sessions() as session:
        return {m.full_name: get_member(session, m.id)
                for m in list_members(session, statuses=list(MemberStatus))}


def _by_card(db: Any) -> dict[tuple[str, str], Any]:
    with db.sessions() as session:
        return {(m.full_name, m.card_number): get_member(session, m.id)
                for m in list_members(session, statuses=list(MemberStatus))}


# --- the same 13 members from every office file --------------------------------------------


@pytest.mark.parametrize("name", OFFICE_FILES)
def test_office_files_import_the_same_thirteen_members(branch_db, name: str) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    preview = _preview(db, DATA / name)
    assert [r.errors for r in preview.rejected] == []
    assert [r.full_name for r in preview.valid] == [m[0] for m in MAKE.MEMBERS]
    assert _import(db, unit, preview) == 13
    records = _records(db)
    assert len(records) == 13                      # no totals row, caption or signer
    assert not set(MAKE.SIGNERS) & set(records)
    for full_name, born, gender, card, admitted, official, _home in MAKE.MEMBERS:
        record = records[full_name]
        member = record.member
        assert member.date_of_birth == born, full_name
        assert member.gender is (Gender.MALE if gender == "Nam" else Gender.FEMALE)
        assert member.card_number == card, full_name          # leading zeros kept
        assert record.admitted_on == admitted and record.official_on == official
        expected = MemberStatus.OFFICIAL if official else MemberStatus.PROBATIONARY
        assert record.status is expected


def test_the_test_files_are_what_offices_send() -> None:
    """The traps are really in the files, so the tests above can fail."""
    data = (DATA / "thon_thuong_cp1258.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"\xf2" in data and b"\xec" in data              # dot below, acute: combining marks
    assert data.count(b"\r\n") == data.count(b"\n") and b";" in data
    assert (DATA / "thon_thuong_utf8_bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (DATA / "thon_thuong_utf8.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (DATA / "thon_thuong_excel2003.xls").read_bytes().startswith(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")                # OLE2: Excel 97-2003
    naive = openpyxl.load_workbook(DATA / "thon_thuong_dimension_sai.xlsx", read_only=True)
    assert len(list(naive.worksheets[0].iter_rows())) == 3    # what trusting it would read
    naive.close()
    sheet = openpyxl.load_workbook(DATA / "thon_thuong_excel.xlsx").active
    assert "F6:G6" in {str(r) for r in sheet.merged_cells.ranges}   # "Ngày tháng năm"
    assert sheet["E10"].value == "00123456" and sheet["E9"].number_format == "00000000"


def test_title_rows_two_row_header_and_usual_spellings(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    preview = _preview(db, DATA / "thon_thuong_excel.xlsx")
    fields = {c.heading: c.fields for c in preview.columns}
    assert fields["Số TT"] == ("_number",)
    assert fields["Họ tên"] == ("full_name",)
    assert fields["Số thẻ ĐV"] == ("card_number",)
    assert fields["Ngày tháng năm / Vào Đảng"] == ("admitted_on",)
    assert fields["Ngày tháng năm / Chính thức"] == ("official_on",)
    assert fields["ĐT liên lạc"] == ()
    assert preview.ignored_columns == ("Số TT", "ĐT liên lạc")
    split = _preview(db, DATA / "ho_ten_tach_cot.xlsx")
    fields = {c.index: c.fields for c in split.columns}
    assert (fields[1], fields[2]) == (("full_name",), ("_given_name",))
    assert (fields[3], fields[4]) == (("_born_male",), ("_born_female",))
    assert (fields[5], fields[6]) == (("admitted_on",), ("official_on",))


def test_rows_that_are_not_members_are_set_aside(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    preview = _preview(db, DATA / "thon_thuong_excel.xlsx")
    skipped = " ¶ ".join(text for _line, text in preview.skipped)
    for text in ("1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9", "Đảng viên dự bị", "Tổng số: 13 đồng chí",
                 "T/M CHI BỘ", "BÍ THƯ", "(Đã ký)", "NGƯỜI LẬP BIỂU", *MAKE.SIGNERS):
        assert text in skipped
    first = next(r for r in preview.valid if r.full_name == "Nguyễn Văn Hùng")
    assert first.data["notes"] == "Bí thư chi bộ"      # a member's role is not a signature
    assert all(r.line < 23 for r in preview.rows)       # nothing below the totals row


def _sheet(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


HEAD = ["STT", "Họ và tên", "Ngày sinh", "Số thẻ đảng viên"]


@pytest.mark.parametrize(("tail", "why"), [
    ([[], ["", "Phạm Văn Tâm"]], "a name alone after the table"),
    ([["", "", "", "BÍ THƯ"], [], ["", "", "", "Phạm Văn Tâm"]], "a name under BÍ THƯ"),
    ([["", "THƯ KÝ", "", "CHỦ TỊCH"], ["", "Phạm Văn Tâm", "", "Lê Thị Hạnh"]],
     "names under other captions"),
    ([["Cộng", "2 đồng chí"], ["", "Phạm Văn Tâm", "01/01/1970", ""]],
     "a member-looking row after the totals"),
    ([["", "Người lập danh sách: Phạm Văn Tâm"]], "a caption in the name column"),
    ([["", "Hưng Yên, ngày 20 tháng 11 năm 2026"], ["", "Phạm Văn Tâm"]],
     "the place-and-date line"),
    ([[14], [15], [16]], "pre-numbered empty lines"),
])
def test_nothing_after_the_table_becomes_a_member(branch_db, tmp_path, tail, why) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    rows = [["DANH SÁCH ĐẢNG VIÊN"], HEAD, [1, "Nguyễn Văn An", "02/05/1960", "12345678"],
            [2, "Trần Thị Bình", "03/06/1962", "22223333"], *tail]
    preview = _preview(db, _sheet(tmp_path / "ds.xlsx", rows))
    assert [r.full_name for r in preview.rows] == ["Nguyễn Văn An", "Trần Thị Bình"], why


def test_a_csv_with_excels_sep_line(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    path = tmp_path / "ds.csv"
    path.write_bytes(b"sep=;\r\n" + MAKE.to_cp1258(MAKE.csv_text(";")))
    assert len(_preview(db, path).valid) == 13


def test_a_name_only_list_still_imports(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A list of names (and numbers) with nothing else is a list of members."""
    db, _ = branch_db
    path = _sheet(tmp_path / "ten.xlsx", [["STT", "Họ và tên"], [1, "Nguyễn Văn An"],
                                         [2, "Trần Thị Bình"], ["Tổng số: 2 đồng chí"]])
    assert [r.full_name for r in _preview(db, path).valid] == ["Nguyễn Văn An",
                                                               "Trần Thị Bình"]


def test_official_mau_7_layout(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    preview = _preview(db, DATA / "mau7_hsdv.xlsx")
    assert [r.errors for r in preview.rows] == [(), (), (), ()]
    assert _import(db, unit, preview) == 4
    records = _records(db)
    assert set(records) == {m["name"] for m in MAKE.MAU7_ROWS}
    hung = records["Nguyễn Văn Hùng"].member
    assert hung.birth_name == "Nguyễn Văn Hừng"
    assert (hung.education_general, hung.political_theory, hung.education_professional) == (
        "12/12", "Sơ cấp", "Kỹ sư")                # "Văn hoá, lý luận, CMNV" in that order
    hoa = records["Trần Thị Hoà"]
    assert (hoa.member.gender, hoa.member.ethnicity, hoa.member.religion) == (
        Gender.FEMALE, "Tày", "Phật giáo")
    assert (hoa.member.card_number, hoa.member.record_number) == ("00123456", "HY-002")
    assert hoa.official_on == dt.date(1993, 2, 3)
    assert records["Nguyễn Văn Hùng"].member.badge_numbers == "30 năm"
    assert records["Lê Văn Thắng"].status is MemberStatus.DECEASED
    assert records["Lê Văn Thắng"].deceased_on == dt.date(2024, 3, 1)
    assert records["Phạm Thị Nguyệt"].status is MemberStatus.REMOVED
    assert records["Phạm Thị Nguyệt"].left_on == dt.date(2020, 6, 15)


def test_own_mau_7_export_imports_back_into_an_empty_branch(demo_db, branch_db,
                                                            tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    path = tmp_path / "mau7.xlsx"
    with demo_db.sessions() as session:
        path.write_bytes(export_roster_xlsx(session, today=TODAY))
    before = _by_card(demo_db)   # two pairs of demo members share a name
    preview = _preview(db, path)
    assert [(r.line, r.errors) for r in preview.rejected] == []
    assert _import(db, unit, preview) == len(before) == 120
    after = _by_card(db)
    assert set(after) == set(before)
    fields = ("birth_name", "gender", "date_of_birth", "ethnicity", "religion", "hometown",
              "education_general", "education_professional", "political_theory",
              "languages", "occupation_before", "occupation_now", "card_number",
              "record_number", "badge_numbers", "service_background", "notes")
    for name, old in before.items():
        new = after[name]
        for field in fields:
            want, got = getattr(old.member, field), getattr(new.member, field)
            if field == "birth_name":   # the form writes the birth name only when it differs
                want = "" if want == old.member.full_name else want
                got = "" if got == new.member.full_name else got
            assert got == want, (name, field)
        for when in ("admitted_on", "official_on", "deceased_on", "left_on",
                     "transferred_out_on", "transferred_in_on"):
            assert getattr(new, when) == getattr(old, when), (name, when)
        expected = old.status
        if expected in (MemberStatus.EXEMPTED, MemberStatus.AWAY, MemberStatus.TEMPORARY):
            # Mẫu 7 has no column for an exemption or a temporary move: the member comes
            # back on the roster, official or probationary
            expected = MemberStatus.OFFICIAL if old.official_on else MemberStatus.PROBATIONARY
        assert new.status is expected, name


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
    path = _sheet(tmp_path / "ds.xlsx", [HEAD, [1, "Nguyễn Văn An", "12/4", ""],
                                         [2, "Trần Thị Bình", "31/02/1970", ""]])
    reasons = [" ".join(r.errors) for r in _preview(db, path).rows]
    for reason, typed in zip(reasons, ("12/4", "31/02/1970"), strict=True):
        assert typed in reason and "ngày/tháng/năm" in reason and "05/03/2026" in reason
        assert "NNNN" not in reason


def test_two_members_of_one_name_are_not_taken_for_one(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    path = _sheet(tmp_path / "ds.xlsx", [HEAD, [1, "Nguyễn Văn An", "", "11111111"],
                                         [2, "Nguyễn Văn An", "", "22222222"],
                                         [3, "Nguyễn Văn An", "", ""]])
    preview = _preview(db, path)
    assert [r.ok for r in preview.rows] == [True, True, False]
    assert "dòng 2" in " ".join(preview.rows[2].errors)


# --- a column the reader does not know, mapped by hand --------------------------------------


def test_an_unrecognised_column_can_be_mapped_by_hand(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    path = DATA / "thon_thuong_excel.xlsx"
    first = _preview(db, path)
    column = next(c for c in first.columns if c.heading == "ĐT liên lạc")
    assert all("phone" not in r.data for r in first.rows)
    preview = _preview(db, path, {column.index: "phone"})
    assert "ĐT liên lạc" not in preview.ignored_columns
    assert preview.mapping == {column.index: "phone"}
    _import(db, unit, preview)
    assert _records(db)["Lê Văn Thắng"].member.phone == MAKE.PHONES[2]
    # a recognised column can be left out by hand, too
    card = next(c for c in first.columns if c.fields == ("card_number",))
    assert all("card_number" not in r.data for r in _preview(db, path, {card.index: ""}).rows)
    with pytest.raises(ValidationError):
        _preview(db, path, {column.index: "unit_id"})


@pytest.mark.gui
def test_the_preview_dialog_maps_a_column(qtbot, branch_db) -> None:  # type: ignore[no-untyped-def]
    from sotay_desktop.ui.roster.import_dialog import ImportDialog
    from sotay_desktop.ui.tasks import TaskRunner
    from sotay_desktop.usecases.workspace import Workspace

    db, _unit = branch_db
    store = Workspace(db, today=lambda: TODAY)
    dialog = ImportDialog(store, TaskRunner(inline=True),
                          roster.preview_import(store, DATA / "thon_thuong_excel.xlsx"))
    qtbot.addWidget(dialog)
    assert dialog.skipped.text().startswith("Bỏ qua 9 dòng")
    assert dialog.map_column.currentText() == "ĐT liên lạc"   # the unknown one first
    dialog.map_field.setCurrentIndex(dialog.map_field.findData("phone"))
    dialog.map_button.click()
    assert dialog.preview.mapping and "ĐT liên lạc" not in dialog.ignored.text()
    assert dialog.model.rowCount() == 13
    dialog.import_button.click()
    assert dialog.imported == 13
    assert _records(db)["Mai Xuân Trường"].member.phone == MAKE.PHONES[12]


# --- hostile files: refused quickly, in bounded memory, with a plain message ---------------

PROBE = """
import json, sys, time
from pathlib import Path
kind, path = sys.argv[1], Path(sys.argv[2])
start = time.perf_counter()
result = {"code": ""}
try:
    if kind == "roster":
        from sotay_desktop.documents.roster_table import read_table
        read_table(path)
    else:
        from sotay_desktop.documents.extract import extract
        extract(path)
except Exception as exc:
    result = {"code": getattr(exc, "code", type(exc).__name__),
              "message": exc.message("vi") if hasattr(exc, "message") else str(exc)}
result["seconds"] = time.perf_counter() - start
# VmHWM is this address space's peak; ru_maxrss would carry pytest's over fork and exec
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
result["peak_mb"] = int(hwm.split()[1]) / 1024
print(json.dumps(result))
"""


def _probe(kind: str, path: Path) -> dict[str, Any]:
    """Read ``path`` in a child process; its peak memory is the reader's, not pytest's."""
    done = subprocess.run([sys.executable, "-c", PROBE, kind, str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.slow  # each in a child process with a memory cap: `make check` leaves it out
@pytest.mark.parametrize(("kind", "maker", "code"), [
    ("roster", "zip_bomb_xlsx", "import_unpacked_too_large"),
    ("roster", "huge_cell_xlsx", "import_unpacked_too_large"),
    ("roster", "huge_cell_csv", "import_too_large"),
    ("roster", "wide_xlsx", "import_too_many_columns"),
    ("document", "docx_bomb", "file_unpacked_too_large"),
    ("document", "pdf_bomb", "file_unpacked_too_large"),
])
def test_hostile_files_are_refused_quickly_in_bounded_memory(tmp_path, kind, maker,
                                                            code) -> None:  # type: ignore[no-untyped-def]
    suffix = {"zip_bomb_xlsx": ".xlsx", "huge_cell_xlsx": ".xlsx", "huge_cell_csv": ".csv",
              "wide_xlsx": ".xlsx", "docx_bomb": ".docx", "pdf_bomb": ".pdf"}[maker]
    path = getattr(MAKE, maker)(tmp_path / f"x{suffix}")
    if suffix in (".xlsx", ".docx") and maker != "wide_xlsx":   # small on disk, huge unpacked
        with zipfile.ZipFile(path) as archive:
            assert sum(i.file_size for i in archive.infolist()) >= 1024 ** 3
        assert path.stat().st_size < 8 * 1024 * 1024
    result = _probe(kind, path)
    assert result["code"] == code, result
    assert path.name in result["message"] and "quá" in result["message"]
    assert result["seconds"] < 10, result
    assert result["peak_mb"] < 300, result


def test_a_long_cell_inside_the_limits_is_refused_too(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = MAKE.huge_cell_xlsx(tmp_path / "o.xlsx", 36 * 1024 * 1024)
    result = _probe("roster", path)
    assert result["code"] == "import_cell_too_long" and "dòng 2" in result["message"]
    assert result["peak_mb"] < 300, result


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
    assert [r.full_name for r in _preview(db, tmp_path / "rong.xlsx").valid] == [
        "Nguyễn Văn An"]


def test_a_damaged_xls_gets_a_plain_message(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    data = (DATA / "thon_thuong_excel2003.xls").read_bytes()
    path = tmp_path / "hong.xls"
    path.write_bytes(data[:3000])
    with pytest.raises(DomainError) as info:
        _preview(db, path)
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
    assert [r.full_name for r in _preview(db, tmp_path / "bia.xlsx").valid] == ["Nguyễn Văn An"]


def test_names_that_fold_like_footer_words_are_members(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    names = ["Lưu Thị Hoa", "Công Văn Tâm", "Tống Văn Công", "Chu Thị Tích", "Thái Văn Kỳ"]
    rows = [HEAD, *[[i + 1, n, f"0{i + 1}/05/1960", f"1234567{i}"] for i, n in enumerate(names)],
            ["Cộng: 5 đồng chí"], ["", "Lưu: VT"]]
    assert [r.full_name for r in _preview(db, _sheet(tmp_path / "ds.xlsx", rows)).valid] == names


def test_mau_7_cells_typed_short_or_on_one_line(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Not every line is filled, or the values are typed on one line with commas."""
    db, _ = branch_db
    rows = [list(MAKE.MAU7_HEADINGS[:8]),
            [1, "Nguyễn Văn Hùng", "Nữ, Tày", "Tân Lập", "12/12; Tiếng Anh B; Trung cấp",
             "Làm ruộng", "19/05/1990", "01234567\nHY-001"],
            [2, "Trần Văn Bình", "Nam\nKinh\nKhông", "", "9/12\nSơ cấp\nKỹ sư",
             "", "03/02/1992, 03/02/1993", "00123456"]]
    hung, binh = (r.data for r in _preview(db, _sheet(tmp_path / "m7.xlsx", rows)).valid)
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
    preview = _preview(db, _sheet(tmp_path / "m7.xlsx", rows))
    reasons = {r.full_name: " ".join(r.errors) for r in preview.rows}
    assert "200" in reasons["Nguyễn Văn An"]
    assert "Ngày từ trần" in reasons["Trần Văn Bình"] and "30/02/2020" in reasons["Trần Văn Bình"]
    assert "nghỉ" in reasons["Lê Văn Cường"]
    assert reasons["Đỗ Văn Dũng"]                           # died before being admitted
    assert [r.full_name for r in preview.valid] == ["Phạm Văn Em"]
    assert _import(db, unit, preview) == 1
    record = _records(db)["Phạm Văn Em"]
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
    preview = _preview(db, _sheet(tmp_path / "ds.xlsx", rows))
    assert [r.full_name for r in preview.valid] == ["Nguyễn Văn An", "Trần Thị Bình",
                                                    "Lê Văn Cường"]
    refused = {r.full_name: r.errors for r in preview.rejected}
    assert "ngày vào Đảng" in refused["Phạm Văn Chỉ Tên"][0]
    skipped = " ".join(text for _line, text in preview.skipped)
    assert "(Vũ Văn Gộp Cũ)" in skipped and "Đã mất: Lò Văn Tử" in skipped


def test_a_docx_of_millions_of_empty_paragraphs_is_refused_in_bounded_memory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found by a tester: 2 million `<w:p/>` (17 KB zipped, under the XML size cap) took
    736 MB in python-docx. Elements are counted by streaming before the document is built."""
    import docx

    base = tmp_path / "base.docx"
    docx.Document().save(base)
    path = tmp_path / "empties.docx"
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                data = text.replace("<w:body>", "<w:body>" + "<w:p/>" * 2_000_000).encode()
            out.writestr(item, data)
    result = _probe("document", path)
    assert result["code"] == "file_too_complex", result
    assert result["seconds"] < 10 and result["peak_mb"] < 300, result
