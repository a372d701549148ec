"""The secretary's month (issue 19) as branch PCs push it: dues payments, bases and rates,
a meeting with its score, a monthly report. A fixed past month (11/2025), so the figures do
not depend on the day the tests run."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import monthly_report as mr
from sotay_core.domain.dues import Month
from sotay_core.domain.ids import new_id
from sync_server.models import Record
from tests.province.support import Branch

MONTH = "2025-11"
DAY = dt.date(2025, 11, 10)


def pay(branch: Branch, member_id: str, month: str, amount: int,
        channel: str = "cash") -> str:
    pid = new_id()
    result = branch.push(("dues_payments", pid, {
        "member_id": member_id, "month": month, "amount": amount,
        "paid_on": DAY.isoformat(), "channel": channel, "receipt": "", "note": ""}))
    assert result[0]["status"] == "applied", result
    return pid


def figures(collected: int, retained: int) -> str:
    data = mr.ReportFigures(
        Month(2025, 11), mr.MeetingFigures(DAY, "Sinh hoạt chi bộ tháng 11",
                                           mr.AttendanceFigures(present=2, voting_base=3,
                                                                absent_excused=1)),
        dues=mr.DuesFigures(collected, retained, collected - retained, payers=2, owing=3,
                            unpaid=(mr.UnpaidMember("Trần Thị Bình", ("2025-01", "2025-02",
                                                                      "2025-03"),
                                                    "strike_off"),)),
        score=mr.ScoreFigures(92, "Tốt"), number="11-BC/CB")
    return json.dumps(mr.to_dict(data), ensure_ascii=False)


def report(branch: Branch, status: str, remarks: str, figures_json: str = "{}") -> str:
    rid = new_id()
    fields: dict[str, Any] = {"unit_id": branch.unit_id, "month": MONTH,
                              "figures": figures_json, "remarks": remarks, "status": status,
                              "sent_on": "2025-12-02" if status == "sent" else None}
    assert branch.push(("monthly_reports", rid, fields))[0]["status"] == "applied"
    return rid


def score(branch: Branch, meeting_id: str, total: int, grade: str) -> str:
    sid = new_id()
    assert branch.push(("meeting_scores", sid, {
        "meeting_id": meeting_id, "scheme": "Bình Thuận", "items": "[]", "total": total,
        "grade": grade, "note": ""}))[0]["status"] == "applied"
    return sid


def members_of(engine: Any, scope: str) -> dict[str, str]:
    """Member ids by full name."""
    with Session(engine) as s:
        return {json.loads(d)["full_name"]: rid for rid, d in s.execute(
            select(Record.id, Record.data).where(Record.scope_id == scope,
                                                 Record.entity == "members"))}


def version(engine: Any, scope: str, entity: str, row_id: str) -> int:
    with Session(engine) as s:
        rec = s.get(Record, (scope, entity, row_id))
        assert rec is not None
        return rec.version


def month_data(env: dict[str, Any]) -> dict[str, Any]:
    """Nov 2025 in b1 (An pays Jan–Nov on a salary basis, Bình pays Nov only; a sent report;
    a meeting scored 92) and b3 (its own 50 % retention; Sáu pays Nov only; a draft report;
    a meeting scored 80). Returns the ids."""
    ids, engine = env["ids"], env["app"].state.engine
    b1, b3 = env["branches"][ids["b1"]], env["branches"][ids["b3"]]
    people = members_of(engine, ids["b1"])
    an, binh = people["Nguyễn Văn An"], people["Trần Thị Bình"]
    sau = members_of(engine, ids["b3"])["Lò Văn Sáu"]
    assert b1.push(("dues_bases", new_id(), {"member_id": an, "valid_from": "2020-01-01",
                                             "category": "insured_salary",
                                             "amount": 5_000_000, "note": ""}))[0][
        "status"] == "applied"
    payments = {m: pay(b1, an, f"2025-{m:02d}", 50_000) for m in range(1, 12)}
    pay(b1, binh, MONTH, 2_000, "portal")
    assert b3.push(("dues_rates", new_id(), {
        "valid_from": "2010-01-01", "name": "Tỉnh", "salary_percent": "1",
        "pension_percent": "0.5", "student_amount": 2000, "other_default": 2000,
        "other_min": 2000, "other_max": 30000, "retention_percent": "50",
        "note": ""}))[0]["status"] == "applied"
    pay(b3, sau, MONTH, 5_000)
    m1 = b1.meeting(DAY, {an: "present", binh: "present"})
    m3 = b3.meeting(DAY, {sau: "present"})
    return {"an": an, "binh": binh, "sau": sau, "payments": payments,
            "sent": report(b1, "sent", "Chi bộ hoàn thành nhiệm vụ tháng.",
                           figures(52_000, 15_600)),
            "draft": report(b3, "draft", "Đang soạn."),
            "score1": score(b1, m1, 92, "Tốt"), "score3": score(b3, m3, 80, "Khá"),
            "m1": m1, "m3": m3}
