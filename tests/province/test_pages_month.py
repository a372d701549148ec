"""The province side of the secretary's month (issue 19): dues, monthly reports and meeting
scores pushed by branch PCs reach the statistics (kept on every write equal to a rebuild)
and the tree page, whose roll-ups equal the sums of their branches."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sync_server import facts
from sync_server.models import StatDues, StatDuesFlag, StatReport, StatScore
from tests.province.month_support import MONTH, month_data, pay, version
from tests.province.support import login, text_of

pytestmark = pytest.mark.server


def _row(page: str, name: str) -> str:
    found = re.search(r"<tr[^>]*>\s*<th scope=\"row\">" + re.escape(name) + r"</th>(.*?)</tr>",
                      page, re.S)
    assert found, name
    return text_of(found.group(1)).strip()


def test_the_tree_shows_dues_reports_and_scores_rolled_up(env) -> None:
    c, ids = env["client"], env["ids"]
    data = month_data(env)
    login(c)
    page = c.get(f"/province/units/{ids['p']}?month={MONTH}").text
    # b1: 52,000 đ at 30 % kept → 36,400 sent up; b3: 5,000 đ at its own 50 % → 2,500
    assert _row(page, "Đảng ủy xã An Hòa").split() == [
        "52.000", "đ", "36.400", "đ", "1", "1/2", "đã", "gửi,", "0", "đã", "nhận", "92",
        "(1", "buổi)"]
    # b3's book begins in November (its first payment): Sáu's earlier months are not counted
    assert _row(page, "Đảng ủy xã Bình Minh").split()[:5] == ["5.000", "đ", "2.500", "đ", "0"]
    total = _row(page, "Toàn Tỉnh ủy Thái Bình")
    assert total.startswith("57.000 đ 38.900 đ 1 1/3 đã gửi, 0 đã nhận 86")
    summary = text_of(page)
    assert "đảng phí đã thu 57.000 đ" in summary and "1 đảng viên chưa đóng" in summary
    assert "2/3 chi bộ ghi sổ trên ứng dụng" in summary
    # the commune's page: each branch's report and grade
    page = c.get(f"/province/units/{ids['c1']}?month={MONTH}").text
    assert _row(page, "Chi bộ thôn Đông").split()[-3:] == ["chưa", "nhận", "92", "(Tốt)"][-3:]
    assert f"/province/branches/{ids['b1']}/reports/{data['sent']}" in page
    assert "Chưa có" in _row(page, "Chi bộ thôn Tây")
    assert "chưa ghi sổ" in _row(page, "Chi bộ thôn Tây")
    # February: Bình's third unpaid month (March) is not reached yet
    page = c.get(f"/province/units/{ids['p']}?month=2025-02").text
    assert _row(page, "Toàn Tỉnh ủy Thái Bình").split()[4] == "0"


def test_the_roll_up_equals_the_sum_of_the_branches(env) -> None:
    from sync_server import month_queries
    from sync_server.models import Unit

    month_data(env)
    ids = env["ids"]
    with Session(env["app"].state.engine) as s:
        province = s.get(Unit, ids["p"])
        assert province is not None
        top = month_queries.month_tree(s, province, 2025, 11)
        summed = month_queries.MonthFigures()
        for key in ("b1", "b2", "b3"):
            branch = s.get(Unit, ids[key])
            assert branch is not None
            summed.add(month_queries.month_tree(s, branch, 2025, 11).rows[""])
    for name in ("collected", "retained", "sent_up", "payments", "keeping", "flagged",
                 "reports_sent", "reports_received", "scored", "score_sum"):
        assert getattr(top.total, name) == getattr(summed, name), name
    assert top.total.collected == 57_000 and top.total.flagged == 1


def test_statistics_follow_create_update_delete_and_conflict(env) -> None:
    ids, engine = env["ids"], env["app"].state.engine
    data = month_data(env)
    b1 = env["branches"][ids["b1"]]

    def dues(month: int = 202511) -> tuple[int, int] | None:
        with Session(engine) as s:
            row = s.get(StatDues, (ids["b1"], month))
            return (row.collected, row.payments) if row else None

    assert dues() == (52_000, 2)
    # An's October payment changes amount, then November's is added, then October deleted
    october = data["payments"][10]
    result = b1.update("dues_payments", october,
                       version(engine, ids["b1"], "dues_payments", october),
                       {"amount": [50_000, 60_000]})
    assert result["status"] in ("applied", "merged"), result
    assert dues(202510) == (60_000, 1)
    result = b1.update("dues_payments", october,
                       version(engine, ids["b1"], "dues_payments", october),
                       {"deleted": [False, True]})
    assert result["status"] in ("applied", "merged")
    assert dues(202510) is None
    with Session(engine) as s:     # An now has October and December unpaid: a warning
        flag = s.get(StatDuesFlag, (ids["b1"], data["an"], 2025))
        assert flag is not None and (flag.second, flag.third) == (12, None)
    # a second payment of Bình's November (another PC's): one payment, never two
    result = b1.push(("dues_payments", new_id(), {
        "member_id": data["binh"], "month": MONTH, "amount": 2_000, "paid_on": "2025-11-11",
        "channel": "cash", "receipt": "", "note": ""}))[0]
    assert result["status"] != "applied" or result.get("merged_into"), result
    assert dues() == (52_000, 2)
    # the report is sent again, the score's meeting is deleted
    sent = data["sent"]
    assert b1.update("monthly_reports", sent, version(engine, ids["b1"], "monthly_reports",
                                                      sent),
                     {"remarks": ["Chi bộ hoàn thành nhiệm vụ tháng.", "Bổ sung."]})[
        "status"] in ("applied", "merged")
    m1 = data["m1"]
    assert b1.update("meetings", m1, version(engine, ids["b1"], "meetings", m1),
                     {"deleted": [False, True]})["status"] in ("applied", "merged")
    with Session(engine) as s, s.begin():
        score = s.get(StatScore, (ids["b1"], data["score1"]))
        assert score is not None and score.deleted
        report = s.get(StatReport, (ids["b1"], sent))
        assert report is not None and report.status == "sent" and report.month == 202511
        kept = facts.snapshot(s)
        assert kept["stat_dues"] and kept["stat_dues_flags"]
        facts.rebuild_all(s)
        assert facts.snapshot(s) == kept
        s.rollback()


def test_rates_of_the_branch_recount_what_it_keeps(env) -> None:
    ids, engine = env["ids"], env["app"].state.engine
    data = month_data(env)
    b1 = env["branches"][ids["b1"]]
    assert b1.push(("dues_rates", new_id(), {
        "valid_from": "2010-01-01", "name": "Tỉnh", "salary_percent": "1",
        "pension_percent": "0.5", "student_amount": 2000, "other_default": 2000,
        "other_min": 2000, "other_max": 30000, "retention_percent": "40",
        "note": ""}))[0]["status"] == "applied"
    with Session(engine) as s:
        row = s.get(StatDues, (ids["b1"], 202511))
        assert row is not None and (row.retained, row.sent_up) == (20_800, 31_200)
    pay(b1, data["binh"], "2025-03", 2_000)   # Bình's third unpaid month moves to April
    with Session(engine) as s:
        flags = {f.member_id: f.third for f in s.scalars(select(StatDuesFlag))}
    assert flags[data["binh"]] == 4
