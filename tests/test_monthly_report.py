"""The monthly report to the commune on the desktop: its figures read from a seeded month,
months refused, remarks kept on regenerate, the report row queued for the province, the
paper (DOCX and PDF) and its audit."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from sotay_core.domain.dues import Month
from sotay_core.domain.entities import EventKind, MemberStatus, ReportStatus
from sotay_core.domain.errors import DomainError, ValidationError
from sotay_desktop.db.engine import Database
from sotay_desktop.db.month_tables import MonthlyReportRow
from sotay_desktop.db.tables import AuditRow, OutboxRow
from sotay_desktop.usecases import report
from sotay_desktop.usecases.workspace import Workspace
from tests.monthly_report_support import MONTH, TODAY, pay, seed_october


@pytest.fixture
def seeded(branch_db: tuple[Database, str]) -> Iterator[tuple[Workspace, dict[str, str]]]:
    db, branch_id = branch_db
    ids = seed_october(db, branch_id)
    yield Workspace(db, today=lambda: TODAY), ids


def _outbox(ws: Workspace) -> list[tuple[str, dict[str, object]]]:
    with ws.db.reads() as session:
        rows = session.scalars(select(OutboxRow).where(
            OutboxRow.entity == "monthly_reports").order_by(OutboxRow.mutation_id)).all()
        return [(row.op, json.loads(row.fields)) for row in rows]


def test_figures_of_a_seeded_month(seeded: tuple[Workspace, dict[str, str]]) -> None:
    ws, _ids = seeded
    view = report.month_report(ws, MONTH)
    f = view.figures
    assert not view.saved and view.status is ReportStatus.DRAFT
    assert f.month == Month(2026, 10) and f.meeting is not None
    a = f.meeting.attendance
    assert f.meeting.date.isoformat() == "2026-10-05"
    assert (a.present, a.absent_excused, a.absent_unexcused, a.exempted, a.voting_base) == (
        2, 0, 1, 1, 3)
    assert a.absent_unexcused_names == ("Lê Văn Dũng",)
    r = f.meeting.resolution
    assert r is not None and r.adopted and (r.number, r.votes_for, r.votes_against) == (
        "01-NQ/CB", 2, 0)
    assert (f.tasks.done, f.tasks.overdue, f.tasks.in_progress) == (1, 1, 0)
    assert [(t.text, t.person) for t in f.tasks.overdue_list] == [
        ("Thu quỹ trước 15/10", "Lê Văn Dũng")]
    assert f.dues.collected == 10_000 and f.dues.payers == 1
    assert f.dues.retained + f.dues.sent_up == 10_000
    unpaid = {u.name: u for u in f.dues.unpaid}
    assert unpaid["Lê Văn Dũng"].months == ("2026-09", "2026-10")
    assert unpaid["Lê Văn Dũng"].flag == "warn"
    assert "Nguyễn Văn An" not in unpaid
    assert [(c.name, c.kind) for c in f.changes] == [
        ("Hoàng Văn Bình", EventKind.ADMITTED), ("Trần Thị Cúc", EventKind.DECEASED)]
    assert f.numbers == {MemberStatus.OFFICIAL: 2, MemberStatus.PROBATIONARY: 1,
                         MemberStatus.EXEMPTED: 1}
    assert f.score is not None and (f.score.total, f.score.grade) == (85, "Khá")


def test_a_month_without_a_meeting(seeded: tuple[Workspace, dict[str, str]]) -> None:
    ws, _ids = seeded
    f = report.month_report(ws, "2026-09").figures
    assert f.meeting is None and f.score is None and f.changes == ()


@pytest.mark.parametrize(("month", "code"), [
    ("2026-12", "report.future_month"), ("2027-01", "report.future_month"),
    ("2026-13", "report.bad_month"), ("2026-00", "report.bad_month"),
    ("tháng 10", "report.bad_month"), ("", "report.bad_month")])
def test_bad_months_refused_and_nothing_written(seeded: tuple[Workspace, dict[str, str]],
                                                month: str, code: str) -> None:
    ws, _ids = seeded
    for act in (lambda: report.month_report(ws, month),
                lambda: report.save_report(ws, month, remarks="x"),
                lambda: report.mark_sent(ws, month)):
        with pytest.raises(ValidationError) as caught:
            act()
        assert caught.value.code == code
        assert month in caught.value.message("vi") or code == "report.future_month"
    with ws.db.reads() as session:
        assert session.scalars(select(MonthlyReportRow)).first() is None
    assert _outbox(ws) == []


def test_future_month_message_names_the_month(seeded: tuple[Workspace, dict[str, str]]) -> None:
    ws, _ids = seeded
    with pytest.raises(ValidationError) as caught:
        report.save_report(ws, "2026-12")
    assert "12/2026" in caught.value.message("vi") and "22/11/2026" in caught.value.message("vi")


def test_save_queues_the_report_and_regenerate_keeps_the_remarks(
        seeded: tuple[Workspace, dict[str, str]]) -> None:
    ws, ids = seeded
    report_id, changes = report.save_report(ws, MONTH, remarks="Chi bộ đề nghị hỗ trợ.")
    assert changes.touches("monthly_reports")
    view = report.month_report(ws, MONTH)
    assert view.saved and view.remarks == "Chi bộ đề nghị hỗ trợ."
    assert view.figures.number == "01-BC/CB" and not view.stale
    (op, fields), = _outbox(ws)
    assert op == "create" and fields["month"] == MONTH and fields["status"] == "draft"
    assert json.loads(str(fields["figures"]))["dues"]["collected"] == 10_000

    pay(ws.db, ids["Dũng"], "2026-10")   # the records change after the save
    view = report.month_report(ws, MONTH)
    assert view.stale and view.figures.dues.collected == 10_000
    assert view.fresh.dues.collected == 20_000
    again, _ = report.save_report(ws, MONTH, regenerate=True)
    assert again == report_id
    view = report.month_report(ws, MONTH)
    assert view.figures.dues.collected == 20_000 and not view.stale
    assert view.remarks == "Chi bộ đề nghị hỗ trợ." and view.figures.number == "01-BC/CB"
    op, fields = _outbox(ws)[-1]
    assert op == "update" and set(fields) == {"figures"}
    # saving the same remarks again changes nothing and queues nothing
    assert not report.save_report(ws, MONTH, remarks="Chi bộ đề nghị hỗ trợ.")[1]
    assert len(_outbox(ws)) == 2


def test_mark_sent_queues_status_and_day(seeded: tuple[Workspace, dict[str, str]]) -> None:
    ws, _ids = seeded
    report.mark_sent(ws, MONTH, remarks="Ổn định.")
    view = report.month_report(ws, MONTH)
    assert view.status is ReportStatus.SENT and view.sent_on == TODAY
    ops = _outbox(ws)
    assert [op for op, _f in ops] == ["create", "update"]
    assert ops[-1][1] == {"status": ["draft", "sent"], "sent_on": [None, TODAY.isoformat()]}
    # the next month's report takes the next number
    report.save_report(ws, "2026-11")
    assert report.month_report(ws, "2026-11").figures.number == "02-BC/CB"


def _docx_text(data: bytes) -> tuple[str, set[str]]:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    fonts = {run.font.name for p in document.paragraphs for run in p.runs if run.font.name}
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
                fonts |= {r.font.name for p in cell.paragraphs for r in p.runs if r.font.name}
    return "\n".join(parts), fonts


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


EXPECTED = ("ĐẢNG BỘ XÃ TÂN LẬP", "CHI BỘ THÔN THƯỢNG", "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Số 01-BC/CB", "Tân Lập, ngày 22 tháng 11 năm 2026", "BÁO CÁO",
            "Kết quả thực hiện nhiệm vụ tháng 10 năm 2026", "Có mặt 2/3 đồng chí",
            "Nghị quyết số 01-NQ/CB", "tán thành 2/3", "Thu quỹ", "Lê Văn Dũng",
            "9, 10/2026", "1–10/2026",
            "Chưa đóng 2 tháng", "Kết nạp đảng viên", "Hoàng Văn Bình", "Từ trần",
            "tự chấm 85 điểm, xếp loại Khá", "Tổng số thu: 10.000 đồng",
            "Đề nghị cấp ủy hỗ trợ.", "Nơi nhận:", "T/M CHI BỘ", "BÍ THƯ", "Nguyễn Văn An")


def test_docx_and_pdf_contents(seeded: tuple[Workspace, dict[str, str]]) -> None:
    ws, _ids = seeded
    report.save_report(ws, MONTH, remarks="Đề nghị cấp ủy hỗ trợ.")
    text, fonts = _docx_text(report.report_paper(ws, MONTH, "docx"))
    for words in EXPECTED:
        assert words in text, words
    assert fonts == {"Times New Roman"}
    pdf = _pdf_text(report.report_paper(ws, MONTH, "pdf"))
    for words in EXPECTED:
        assert " ".join(words.split()) in pdf, words


def test_paper_saved_is_audited_and_a_bad_format_is_not(
        seeded: tuple[Workspace, dict[str, str]], tmp_path: Path) -> None:
    ws, _ids = seeded
    target = tmp_path / "bc.pdf"
    report.save_report_paper(ws, MONTH, "pdf", target)
    assert target.read_bytes().startswith(b"%PDF")
    with pytest.raises(DomainError):
        report.save_report_paper(ws, MONTH, "odt", tmp_path / "bc.odt")
    assert not (tmp_path / "bc.odt").exists()
    report.report_printed(ws, MONTH)
    with ws.db.reads() as session:
        rows = session.execute(select(AuditRow.action, AuditRow.row_id, AuditRow.detail).where(
            AuditRow.entity == "monthly_reports")).all()
    assert [tuple(r) for r in rows] == [("export", MONTH, "report.pdf"),
                                        ("print", MONTH, "report")]


def test_a_paper_without_a_signer_is_refused(branch_db: tuple[Database, str]) -> None:
    db, _branch = branch_db
    ws = Workspace(db, today=lambda: TODAY)
    with pytest.raises(DomainError) as caught:
        report.report_paper(ws, MONTH, "pdf")
    assert caught.value.code == "report.no_signer" and "22/11/2026" in caught.value.message()
    assert report.month_report(ws, MONTH).figures.total_members == 0


def test_month_list_words() -> None:
    from sotay_desktop.documents.monthly_report_doc import month_list

    assert month_list(("2026-01", "2026-02", "2026-03", "2026-05", "2026-06")) == "1–3, 5, 6/2026"
    assert month_list(("2025-12", "2026-01")) == "12/2025; 1/2026"
    assert month_list(()) == ""


def test_remarks_over_the_record_bound_refused(seeded: tuple[Workspace, dict[str, str]]) -> None:
    from sotay_core.domain.month_rules import MONTH_RULES

    ws, _ids = seeded
    limit = MONTH_RULES["monthly_reports"]["remarks"].max_length
    with pytest.raises(ValidationError) as caught:
        report.save_report(ws, MONTH, remarks="x" * (limit + 1))
    assert str(limit) in caught.value.message("vi").replace(".", "")
    assert _outbox(ws) == []
    report.save_report(ws, MONTH, remarks="x" * limit)
