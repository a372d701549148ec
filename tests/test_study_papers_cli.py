"""The study papers from the branch's own records (issue 21): ``sotay study cards|sheets|key|
attendance|makeup-list|results|survey-form`` on the demo branch, and the use cases under
them. A printed card goes round the loop: its QR, decoded from the page by zxing-cpp, is
found again by the branch's own scanner lookup as the member it was printed for. Every saved
paper leaves one export row in the audit, a print one print row; refusals are in words and
leave no file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from sotay_desktop.cli import common
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.tables import AuditRow
from sotay_desktop.usecases import study, study_papers
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY
from tests.test_study_cli import as_json, ok, refused, run
from tests.test_study_papers import pdftotext, qr_from_docx, qr_from_pdf


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "today", lambda: TODAY)


@pytest.fixture
def folder(demo_dir: Path) -> tuple[str, str]:
    return "--data-dir", str(demo_dir)


def _plans(folder: tuple[str, str]) -> tuple[str, str]:
    """The demo's finished plan (quiz and survey) and the one going on."""
    plans = as_json("study", "list", *folder)
    done = next(p["id"] for p in plans if p["has_survey"])
    going = next(p["id"] for p in plans if not p["has_survey"])
    return done, going


def _audit(folder: tuple[str, str]) -> list[tuple[str, str]]:
    db = open_database(Path(folder[1]))
    try:
        with db.sessions() as session:
            return [(row.action, row.detail) for row in session.scalars(
                select(AuditRow).where(AuditRow.entity == "study_plans",
                                       AuditRow.action.in_(("export", "print")))
                .order_by(AuditRow.seq))]
    finally:
        db.close()


def test_a_printed_card_scans_back_to_its_member(folder: tuple[str, str],
                                                 tmp_path: Path) -> None:
    ok("study", "cards", *folder, "-o", str(tmp_path / "the.pdf"))
    codes = [r.text for page in qr_from_pdf((tmp_path / "the.pdf").read_bytes())
             for r in page]
    db = open_database(Path(folder[1]))
    try:
        ws = Workspace(db, today=lambda: TODAY)
        roster = {m.id: m for m in study_papers.roster_members(ws)}
        scanned = [study.find_member_by_code(ws, code) for code in codes]
    finally:
        db.close()
    assert sorted(scanned) == sorted(roster)            # every member once, no other
    text = pdftotext((tmp_path / "the.pdf").read_bytes())
    assert all(m.full_name in text for m in roster.values())
    ok("study", "cards", *folder, "--per-page", "6", "-o", str(tmp_path / "the.docx"))
    assert sorted(qr_from_docx((tmp_path / "the.docx").read_bytes())) == sorted(codes)
    assert _audit(folder) == [("export", "study-cards"), ("export", "study-cards")]


def test_every_paper_of_a_plan_is_saved_and_audited(folder: tuple[str, str],
                                                    tmp_path: Path) -> None:
    done, going = _plans(folder)
    shown = as_json("study", "show", done, *folder)
    makeup_day = next(s["held_on"] for s in shown["sessions"] if s["kind"] == "makeup")
    makeup_day = dt.date.fromisoformat(makeup_day).strftime("%d/%m/%Y")
    saved = {}
    for name, extra in (("sheets", ["--blank", "2", "--font-size", "22"]), ("key", []),
                        ("attendance", ["--session", makeup_day]), ("makeup-list", []),
                        ("results", []), ("survey-form", ["--copies", "3"])):
        for suffix in (".pdf", ".docx"):
            target = tmp_path / f"{name}{suffix}"
            said = ok("study", name, done, *folder, *extra, "-o", str(target))
            assert str(target) in said and target.stat().st_size > 1000
            saved[target.name] = target
    sheets = pdftotext(saved["sheets.pdf"].read_bytes())
    targeted = [m for m in shown["members"] if m["targeted"]]
    assert sheets.count("PHIẾU TRẢ LỜI CÂU HỎI") == len(targeted) + 2
    codes = [r.text for page in qr_from_pdf(saved["sheets.pdf"].read_bytes()) for r in page]
    assert codes == [m["code"] for m in targeted]       # one QR a sheet, roster order
    attendance = pdftotext(saved["attendance.pdf"].read_bytes())
    assert f"Buổi học bù ngày {makeup_day}" in attendance
    assert "Theo Kế hoạch số 15-KH/ĐU" in attendance     # typed "Số 15-KH/ĐU": said once
    survey = docx.Document(str(saved["survey-form.docx"]))
    assert len(survey.sections) == 3
    results = pdftotext(saved["results.pdf"].read_bytes())
    assert "Kết quả của từng đảng viên" in results
    ok("study", "results", done, *folder, "--counts-only", "-o", str(tmp_path / "up.pdf"))
    up = pdftotext((tmp_path / "up.pdf").read_bytes())
    assert "Kết quả của từng đảng viên" not in up
    named = [m["full_name"] for m in shown["members"] if m["full_name"] in up]
    assert len(named) <= 1 and all(name in up.split("T/M CHI BỘ")[-1] for name in named)
    exports = [d for a, d in _audit(folder) if a == "export"]
    assert len(exports) == 13 and f"study-sheets-{done}" in exports
    # one member's sheet, named by the code on the card
    member = targeted[3]
    ok("study", "sheets", done, *folder, "--member", member["code"], "-o",
       str(tmp_path / "one.pdf"))
    one = pdftotext((tmp_path / "one.pdf").read_bytes())
    assert member["full_name"] in one and "Phiếu số 1/1" in one
    # the plan going on: its cards, and its make-up list names who has not studied
    ok("study", "makeup-list", going[:8], *folder, "-o", str(tmp_path / "m.pdf"))
    going_view = as_json("study", "show", going, *folder)
    missing = [m["full_name"] for m in going_view["members"] if m["id"] in going_view["makeup"]]
    text = pdftotext((tmp_path / "m.pdf").read_bytes())
    assert missing and all(name in text for name in missing)


def test_refusals_are_said_and_leave_no_file(folder: tuple[str, str], tmp_path: Path) -> None:
    done, going = _plans(folder)
    target = tmp_path / "x.pdf"
    said = refused("study", "survey-form", going, *folder, "-o", str(target))
    assert "không có phiếu khảo sát ý kiến" in said and not target.exists()
    said = refused("study", "attendance", done, *folder, "--session", "01/01/2020", "-o",
                   str(target))
    assert "Không xác định được buổi học" in said and not target.exists()
    assert "đuôi" in refused("study", "key", done, *folder, "-o", str(tmp_path / "x.odt"))
    with pytest.raises(SystemExit) as exit_:        # argparse's own refusal, in Vietnamese
        run("study", "sheets", done, *folder, "--font-size", "30", "-o", str(target))
    assert exit_.value.code == 2 and not target.exists()
    assert _audit(folder) == []


def test_the_use_cases_audit_prints_and_refuse_a_plan_less_paper(demo_dir: Path) -> None:
    db = open_database(demo_dir)
    try:
        ws = Workspace(db, today=lambda: TODAY)
        plan = study.plans(ws)[0].id
        info = study_papers.paper_info(ws)
        assert info.branch and info.superior and info.made_on == TODAY
        data = study_papers.paper_bytes(ws, plan, "key", "pdf", info=info)
        assert data.startswith(b"%PDF")
        study_papers.paper_printed(ws, plan, "key")
        with db.sessions() as session:
            rows = session.scalars(select(AuditRow).where(AuditRow.action == "print")).all()
        assert [(r.entity, r.row_id, r.detail) for r in rows] == [
            ("study_plans", plan, f"study-key-{plan}")]
        from sotay_core.domain.errors import DomainError

        with pytest.raises(DomainError) as err:
            study_papers.paper_bytes(ws, None, "sheets")
        assert "kế hoạch" in err.value.message("vi")
        with pytest.raises(DomainError):
            study_papers.paper_bytes(ws, plan, "poster")
    finally:
        db.close()
