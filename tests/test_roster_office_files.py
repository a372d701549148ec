"""Roster import meets files as commune offices make them (issue 16, part 2): the same 13
members from every office file, title rows and signature blocks set aside, the official
Mẫu 7-HSĐV layout, our own export read back, and a column mapped by hand.

The files under tests/data/roster were written by other tools than ours (openpyxl cell by
cell with merged title rows and signature blocks, LibreOffice for .xls, hand-written bytes
for cp1258 CSV); tests/data/roster/make_files.py remakes them.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from sotay_core.domain.entities import Gender, MemberStatus
from sotay_core.domain.errors import ValidationError
from sotay_desktop.services.roster_io import export_roster_xlsx
from sotay_desktop.usecases import roster
from tests.roster_files import exports, members
from tests.roster_support import (
    DATA,
    HEAD,
    OFFICE_FILES,
    TODAY,
    import_all,
    read_preview,
    records_by_card,
    records_by_name,
    write_sheet,
)

# --- the same 13 members from every office file --------------------------------------------


@pytest.mark.parametrize("name", OFFICE_FILES)
def test_office_files_import_the_same_thirteen_members(branch_db, name: str) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    preview = read_preview(db, DATA / name)
    assert [r.errors for r in preview.rejected] == []
    assert [r.full_name for r in preview.valid] == [m[0] for m in members.MEMBERS]
    assert import_all(db, unit, preview) == 13
    records = records_by_name(db)
    assert len(records) == 13                      # no totals row, caption or signer
    assert not set(members.SIGNERS) & set(records)
    for full_name, born, gender, card, admitted, official, _home in members.MEMBERS:
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
    preview = read_preview(db, DATA / "thon_thuong_excel.xlsx")
    fields = {c.heading: c.fields for c in preview.columns}
    assert fields["Số TT"] == ("_number",)
    assert fields["Họ tên"] == ("full_name",)
    assert fields["Số thẻ ĐV"] == ("card_number",)
    assert fields["Ngày tháng năm / Vào Đảng"] == ("admitted_on",)
    assert fields["Ngày tháng năm / Chính thức"] == ("official_on",)
    assert fields["ĐT liên lạc"] == ()
    assert preview.ignored_columns == ("Số TT", "ĐT liên lạc")
    split = read_preview(db, DATA / "ho_ten_tach_cot.xlsx")
    fields = {c.index: c.fields for c in split.columns}
    assert (fields[1], fields[2]) == (("full_name",), ("_given_name",))
    assert (fields[3], fields[4]) == (("_born_male",), ("_born_female",))
    assert (fields[5], fields[6]) == (("admitted_on",), ("official_on",))


def test_rows_that_are_not_members_are_set_aside(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    preview = read_preview(db, DATA / "thon_thuong_excel.xlsx")
    skipped = " ¶ ".join(text for _line, text in preview.skipped)
    for text in ("1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9", "Đảng viên dự bị", "Tổng số: 13 đồng chí",
                 "T/M CHI BỘ", "BÍ THƯ", "(Đã ký)", "NGƯỜI LẬP BIỂU", *members.SIGNERS):
        assert text in skipped
    first = next(r for r in preview.valid if r.full_name == "Nguyễn Văn Hùng")
    assert first.data["notes"] == "Bí thư chi bộ"      # a member's role is not a signature
    assert all(r.line < 23 for r in preview.rows)       # nothing below the totals row


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
    preview = read_preview(db, write_sheet(tmp_path / "ds.xlsx", rows))
    assert [r.full_name for r in preview.rows] == ["Nguyễn Văn An", "Trần Thị Bình"], why


def test_a_csv_with_excels_sep_line(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    path = tmp_path / "ds.csv"
    path.write_bytes(b"sep=;\r\n" + exports.to_cp1258(exports.csv_text(";")))
    assert len(read_preview(db, path).valid) == 13


def test_a_name_only_list_still_imports(branch_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A list of names (and numbers) with nothing else is a list of members."""
    db, _ = branch_db
    path = write_sheet(tmp_path / "ten.xlsx", [["STT", "Họ và tên"], [1, "Nguyễn Văn An"],
                                         [2, "Trần Thị Bình"], ["Tổng số: 2 đồng chí"]])
    assert [r.full_name for r in read_preview(db, path).valid] == ["Nguyễn Văn An",
                                                               "Trần Thị Bình"]


def test_official_mau_7_layout(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    preview = read_preview(db, DATA / "mau7_hsdv.xlsx")
    assert [r.errors for r in preview.rows] == [(), (), (), ()]
    assert import_all(db, unit, preview) == 4
    records = records_by_name(db)
    assert set(records) == {m["name"] for m in members.MAU7_ROWS}
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
    before = records_by_card(demo_db)   # two pairs of demo members share a name
    preview = read_preview(db, path)
    assert [(r.line, r.errors) for r in preview.rejected] == []
    assert import_all(db, unit, preview) == len(before) == 120
    after = records_by_card(db)
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


# --- a column the reader does not know, mapped by hand --------------------------------------


def test_an_unrecognised_column_can_be_mapped_by_hand(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    path = DATA / "thon_thuong_excel.xlsx"
    first = read_preview(db, path)
    column = next(c for c in first.columns if c.heading == "ĐT liên lạc")
    assert all("phone" not in r.data for r in first.rows)
    preview = read_preview(db, path, {column.index: "phone"})
    assert "ĐT liên lạc" not in preview.ignored_columns
    assert preview.mapping == {column.index: "phone"}
    import_all(db, unit, preview)
    assert records_by_name(db)["Lê Văn Thắng"].member.phone == members.PHONES[2]
    # a recognised column can be left out by hand, too
    card = next(c for c in first.columns if c.fields == ("card_number",))
    assert all("card_number" not in r.data for r in read_preview(db, path, {card.index: ""}).rows)
    with pytest.raises(ValidationError):
        read_preview(db, path, {column.index: "unit_id"})


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
    assert records_by_name(db)["Mai Xuân Trường"].member.phone == members.PHONES[12]
