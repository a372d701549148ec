"""A branch's monthly report on the province pages (issue 19): shown as a page, marked
received and commented on by the commune whose area covers the branch (with the session's
form token); the comment goes down to the branch at its next sync. The 12-month chart."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server import chart, staff
from sync_server.models import AdminLog, Record, ReportReceipt, StatReport
from tests.province.month_support import month_data, version
from tests.province.support import PASSWORD, login, text_of, token_of

pytestmark = pytest.mark.server


def test_the_commune_reads_marks_received_and_comments(env) -> None:
    c, ids, engine = env["client"], env["ids"], env["app"].state.engine
    data = month_data(env)
    b1 = env["branches"][ids["b1"]]
    cursor = b1.sync()["cursors"][ids["b1"]]
    login(c, "xa1")
    url = f"/province/branches/{ids['b1']}/reports/{data['sent']}"
    page = c.get(url).text
    body = text_of(page)
    assert "Báo cáo tháng 11/2025 của Chi bộ thôn Đông" in body
    assert "Chi bộ đã gửi ngày 02/12/2025" in body and "Chi bộ hoàn thành nhiệm vụ" in body
    assert "52.000 đ" in body and "36.400 đ" in body and "Trần Thị Bình" in body
    assert "Có mặt 2" in body and "Cơ sở biểu quyết 3" in body and "92 — Tốt" in body
    r = c.post(f"{url}/received", data={"form_token": token_of(page)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{url}?saved=received"
    page = c.get(r.headers["location"]).text
    assert "Đã đánh dấu đã nhận" in page and "Đã nhận: Lê Thị Xã (Đảng ủy xã An Hòa)" in page
    assert "/received" not in page           # nothing left to mark
    r = c.post(f"{url}/comments", data={"form_token": token_of(page),
                                        "body": "Đề nghị đôn đốc đồng chí Bình đóng đảng phí."},
               follow_redirects=False)
    assert r.status_code == 303
    assert "Lê Thị Xã (Đảng ủy xã An Hòa)" in text_of(c.get(url).text)
    comments = [ch for ch in b1.sync(cursor=cursor)["changes"] if ch["entity"] == "comments"]
    assert [(x["data"]["target_type"], x["data"]["target_id"]) for x in comments] == [
        ("report", data["sent"])]
    with Session(engine) as s:
        stat = s.get(StatReport, (ids["b1"], data["sent"]))
        assert stat is not None and stat.received == 1
        assert {a.action for a in s.scalars(select(AdminLog))} >= {"report_received",
                                                                    "report_comment"}
    # the tree counts it received; the branch sending it again shows on the page
    assert "1/2 đã gửi, 1 đã nhận" in text_of(c.get(
        f"/province/units/{ids['c1']}?month=2025-11").text)
    b1.update("monthly_reports", data["sent"],
              version(engine, ids["b1"], "monthly_reports", data["sent"]),
              {"remarks": ["Chi bộ hoàn thành nhiệm vụ tháng.", "Sửa số liệu."]})
    page = c.get(url).text
    assert "chi bộ đã gửi lại sau khi nhận" in page and "/received" in page


def test_marking_is_refused_outside_the_area_without_a_token_and_on_a_draft(env) -> None:
    c, ids, engine = env["client"], env["ids"], env["app"].state.engine
    data = month_data(env)
    with Session(engine) as s, s.begin():
        staff.add_user(s, username="xa2", unit_id=ids["c2"], password=PASSWORD,
                       display_name="Vũ Văn Hai")
    url = f"/province/branches/{ids['b1']}/reports/{data['sent']}"
    login(c, "xa2")                       # Bình Minh's staff: thôn Đông is not theirs
    assert c.get(url).status_code == 404
    own = c.get(f"/province/branches/{ids['b3']}/reports/{data['draft']}").text
    assert "chưa gửi báo cáo này" in own and "/received" not in own
    r = c.post(f"{url}/received", data={"form_token": token_of(own)})
    assert r.status_code == 404
    r = c.post(f"{url}/comments", data={"form_token": token_of(own), "body": "x"})
    assert r.status_code == 404
    # a draft cannot be received
    r = c.post(f"/province/branches/{ids['b3']}/reports/{data['draft']}/received",
               data={"form_token": token_of(own)})
    assert r.status_code == 400 and "chưa gửi báo cáo này" in r.text
    # the right commune, but no form token / a forged one
    login(c, "xa1")
    for token in ("", "1.2.3"):
        r = c.post(f"{url}/received", data={"form_token": token})
        assert r.status_code == 403, token
    with Session(engine) as s:
        assert not s.scalars(select(ReportReceipt)).all()
        comments = [json.loads(d) for d in s.scalars(select(Record.data).where(
            Record.entity == "comments"))]
    assert comments == []


def test_branch_page_lists_reports_and_its_dues_book(env) -> None:
    c, ids = env["client"], env["ids"]
    data = month_data(env)
    login(c)
    page = c.get(f"/province/branches/{ids['b1']}?year=2025").text
    body = text_of(page)
    assert f"/reports/{data['sent']}" in page and "Báo cáo tháng 11/2025" in body
    assert "Sổ thu nộp đảng phí năm 2025" in body
    # through December 2025: Bình unpaid 11 months (strike off), An unpaid December only
    assert "0 đảng viên chưa đóng 2 tháng, 1 đảng viên chưa đóng từ 3 tháng" in body
    row = re.search(r"<th scope=\"row\">11/2025</th>(.*?)</tr>", page, re.S)
    assert row and text_of(row.group(1)).split() == ["52.000", "đ", "15.600", "đ", "36.400",
                                                     "đ", "2"]


def test_the_chart_is_svg_with_a_title_a_description_and_a_table(env) -> None:
    c, ids = env["client"], env["ids"]
    month_data(env)
    login(c)
    page = c.get(f"/province/units/{ids['p']}?month=2025-11").text
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert 'role="img"' in svg and "<title id=\"chart-title\">" in svg and "<desc" in svg
    assert "11/2025: 57.000 đ" in svg and "<script" not in page
    table = page[page.index('id="chart-data"'):]
    assert "<th scope=\"row\">11/2025</th><td class=\"n\">2/3</td>" in table
    reports = c.get(f"/province/reports?unit={ids['p']}").text
    assert "<svg" in reports and 'id="chart-data"' in reports


def test_the_chart_function() -> None:
    points = [chart.Point(f"{m:02d}/2026", m % 3, 3, None if m == 4 else m / 12, m * 1000)
              for m in range(1, 13)]
    words = chart.ChartWords("Tỉnh <A&B>", "mô tả", "Họp", "Dự", "Thu")
    svg = chart.svg(points, words, ident="c1")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<title id=\"c1-title\">Tỉnh &lt;A&amp;B&gt;</title>" in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert svg.count("<rect") == 24 and svg.count("<circle") == 11   # April: no attendance
    assert "12/2026: 12.000 đ" in svg and "12 k" in svg and "style=" not in svg
    # bars on their panel's scale: 2 of 3 branches met is two thirds high, the most dues is
    # full height, a month without a meeting is 0 high
    heights = [float(h) for h in re.findall(r'height="([\d.]+)" fill', svg)]
    full = chart.PANEL - 30
    assert max(heights[:12]) == pytest.approx(full * 2 / 3) and heights[2] == 0.0
    assert max(heights[12:]) == full == heights[-1]
    empty = chart.svg([], words)
    assert empty.count("<rect") == 0 and "</svg>" in empty
    assert chart.money(1234567) == "1.234.567 đ" and chart.short_money(2_500_000) == "2,5 tr"
