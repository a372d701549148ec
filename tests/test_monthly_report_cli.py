"""``sotay report month YYYY-MM -o file.docx|file.pdf [--remarks] [--regenerate] [--send]``:
the report saved (queued for the province), the paper written and audited, refusals leaving
nothing behind, and the same command in English."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sotay_desktop.cli import main
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.month_tables import MonthlyReportRow
from sotay_desktop.db.tables import AuditRow, OutboxRow
from sotay_desktop.services.branch import create_branch
from tests.monthly_report_support import MONTH, seed_october
from tests.test_cli_english import en


@pytest.fixture
def folder(empty_dir: Path) -> Path:
    db = open_database(empty_dir)
    try:
        with db.sessions.begin() as session:
            branch_id, _ = create_branch(session, branch_name="Chi bộ thôn Thượng",
                                         commune_name="Đảng bộ xã Tân Lập",
                                         province_name="Đảng bộ tỉnh Hưng Yên")
        seed_october(db, branch_id)
    finally:
        db.close()
    return empty_dir


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _counts(folder: Path) -> tuple[int, int, int]:
    """Report rows, their outbox rows, their audit rows of exports."""
    db = open_database(folder)
    try:
        with db.reads() as session:
            return (session.scalar(select(func.count()).select_from(MonthlyReportRow)) or 0,
                    session.scalar(select(func.count()).where(
                        OutboxRow.entity == "monthly_reports")) or 0,
                    session.scalar(select(func.count()).where(
                        AuditRow.entity == "monthly_reports", AuditRow.action == "export")) or 0)
    finally:
        db.close()


def test_report_saved_sent_and_written(folder: Path, tmp_path: Path) -> None:
    import docx

    target = tmp_path / "bc-10.docx"
    code, out, err = _cli("report", "month", MONTH, "-o", str(target), "--remarks",
                          "Đề nghị hỗ trợ kinh phí.", "--send", "--data-dir", str(folder))
    assert code == 0, err
    assert out.splitlines()[0] == str(target)
    assert "đã đánh dấu đã gửi" in out and "01-BC/CB" in out
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Đề nghị hỗ trợ kinh phí." in text and "tháng 10 năm 2026" in text
    db = open_database(folder)
    try:
        with db.reads() as session:
            row = session.scalars(select(MonthlyReportRow)).one()
            assert (row.month, row.status, row.remarks) == (
                MONTH, "sent", "Đề nghị hỗ trợ kinh phí.")
            assert row.sent_on is not None
    finally:
        db.close()
    assert _counts(folder) == (1, 2, 1)   # create + sent; one export audited
    # again as PDF with --json: the same report, no new row
    code, out, err = _cli("report", "month", MONTH, "-o", str(tmp_path / "bc.pdf"), "--json",
                          "--data-dir", str(folder))
    assert code == 0, err
    answer = json.loads(out)
    assert answer["status"] == "sent" and answer["remarks"] == "Đề nghị hỗ trợ kinh phí."
    assert answer["figures"]["dues"]["collected"] == 10_000
    assert (tmp_path / "bc.pdf").read_bytes().startswith(b"%PDF")
    assert _counts(folder)[:2] == (1, 2)


@pytest.mark.parametrize(("month", "output", "words"), [
    ("2026-13", "bc.pdf", "2026-13"), ("2099-01", "bc.pdf", "01/2099"),
    ("2026-10", "bc.odt", "bc.odt"), ("2026/10", "bc.docx", "2026/10")])
def test_refusals_leave_nothing(folder: Path, tmp_path: Path, month: str, output: str,
                                words: str) -> None:
    target = tmp_path / output
    code, out, err = _cli("report", "month", month, "-o", str(target), "--remarks", "x",
                          "--send", "--data-dir", str(folder))
    assert code == 1 and out == ""
    assert err.startswith("Lỗi: ") and words in err, err
    assert not target.exists()
    assert _counts(folder) == (0, 0, 0)


def test_a_paper_without_a_signer_is_refused_before_saving(empty_dir: Path,
                                                            tmp_path: Path) -> None:
    db = open_database(empty_dir)
    with db.sessions.begin() as session:
        create_branch(session, branch_name="Chi bộ thôn Hạ", commune_name="Đảng bộ xã Tân Lập",
                      province_name="Đảng bộ tỉnh Hưng Yên")
    db.close()
    code, _out, err = _cli("report", "month", MONTH, "-o", str(tmp_path / "bc.pdf"),
                           "--data-dir", str(empty_dir))
    assert code == 1 and "bí thư" in err and "ký báo cáo" in err, err
    assert _counts(empty_dir) == (0, 0, 0)


def test_report_month_in_english(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    _code, out, _err = en("report", "month", MONTH, "-o", str(target), "--regenerate",
                          "--data-dir", str(folder))
    assert "Saved the report for 10/2026" in out
    en("report", "month", "2026-13", "-o", str(target), "--data-dir", str(folder), code=1)
    en("report", "month", "2099-01", "-o", str(target), "--data-dir", str(folder), code=1)
    en("report", "month", MONTH, "-o", str(tmp_path / "x.odt"), "--data-dir", str(folder),
       code=1)
