"""The province pages (issue 7): the organisation tree with sync state, conflicts, members
and the month's meetings, a commune's own subtree, a branch's summary, and the statistics
kept on write equal to a rebuild.

Branch data arrives the way it does in life: pushed by enrolled branch PCs through
``/api/v1/sync`` (tests/province/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sync_server import admin, facts
from sync_server.models import Record, StatBranch
from tests.province.support import THIS_MONTH, TODAY, login, text_of, token_of

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server


def test_the_tree_shows_sync_conflicts_members_and_the_month(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c)
    page = c.get(f"/province/units/{ids['p']}?month={THIS_MONTH:%Y-%m}").text
    body = text_of(page)
    # province: 3 branches, 3 + 1 members in the Party (the deceased member is not counted)
    assert "3 chi bộ · 4 đảng viên" in body
    assert "1/3 chi bộ đã sinh hoạt" in body
    assert "tỷ lệ dự họp 67 %" in body and "1 nghị quyết thông qua" in body
    rows = {m.group(1): m.group(0) for m in re.finditer(
        r"<tr[^>]*>\s*<td><a href=\"/province/units/[^\"]+\">([^<]+)</a>.*?</tr>", page, re.S)}
    assert set(rows) == {"Đảng ủy xã An Hòa", "Đảng ủy xã Bình Minh"}
    an_hoa = text_of(rows["Đảng ủy xã An Hòa"])
    assert "Xã/Đảng ủy 2 3" in an_hoa and "1/2" in an_hoa
    # the commune's own page lists its branches, one held its meeting, one did not
    page = c.get(f"/province/units/{ids['c1']}").text
    assert "Chi bộ thôn Đông" in page and "Chi bộ thôn Tây" in page
    assert "Chi bộ thôn Nam" not in page
    assert text_of(page).count("Chưa") >= 1
    # last month (the page's default: the month whose report the commune reads): nobody met
    prev = (THIS_MONTH - dt.timedelta(days=1)).strftime("%Y-%m")
    assert "0/3 chi bộ đã sinh hoạt" in text_of(c.get(
        f"/province/units/{ids['p']}?month={prev}").text)
    assert f"value=\"{prev}\"" in c.get(f"/province/units/{ids['p']}").text
    # a month that is not one
    r = c.get(f"/province/units/{ids['p']}?month=2026-13")
    assert r.status_code == 400 and "không hợp lệ" in r.text


def test_open_conflicts_and_last_sync_reach_the_tree(env) -> None:
    c, ids, b1 = env["client"], env["ids"], env["branches"][env["ids"]["b1"]]
    with Session(env["app"].state.engine) as s, s.begin():
        meeting = s.get(Record, (ids["b1"], "meetings", env["meeting"]))
        assert meeting is not None
        version = meeting.version
        admin.province_edit(s, scope_id=ids["b1"], entity="meetings", row_id=env["meeting"],
                            values={"place": "Hội trường xã"}, actor="tinh")
    # the branch edits the same field from the version it had: a conflict
    result = b1.update("meetings", env["meeting"], version,
                       {"place": ["Nhà văn hoá thôn", "Sân đình"]})
    assert result["status"] == "conflict"
    login(c)
    page = text_of(c.get(f"/province/units/{ids['c1']}").text)
    assert "1 xung đột chờ xử lý" in page
    assert "chưa bao giờ" in page          # thôn Tây's PC never synced...
    assert "1 chi bộ chưa đồng bộ lần nào" in page


def test_a_commune_account_sees_its_own_subtree_only(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c, "xa1")
    assert c.get("/province/", follow_redirects=False).headers["location"] == (
        f"/province/units/{ids['c1']}")
    for path in (f"/province/units/{ids['p']}", f"/province/units/{ids['c2']}",
                 f"/province/branches/{ids['b3']}", f"/province/reports?unit={ids['p']}",
                 f"/province/publish?to={ids['c2']}", "/province/units/not-a-unit"):
        r = c.get(path)
        assert r.status_code == 404, path
        assert "không thuộc" not in r.text and "phạm vi quản lý" in r.text
    # and cannot write there either: a comment on another commune's branch
    page = c.get(f"/province/branches/{ids['b1']}/meetings/{env['meeting']}").text
    r = c.post(f"/province/branches/{ids['b3']}/resolutions/{env['draft']}/comments",
               data={"form_token": token_of(page), "body": "x"})
    assert r.status_code == 404
    assert "Chi bộ thôn Nam" not in c.get(f"/province/units/{ids['c1']}").text


def test_a_branch_page_summarises_the_roster_and_shows_minutes(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c)
    page = c.get(f"/province/branches/{ids['b1']}").text
    body = text_of(page)
    assert "Tổng số: 3 đảng viên" in body
    assert "Chính thức 2" in body and "Dự bị 1" in body
    assert "Nữ 1" in body and "Tày 1" in body
    assert "Nguyễn Văn An" not in page       # a summary: counts, not the names
    assert "2/3" in body                     # attendance of the meeting
    page = c.get(f"/province/branches/{ids['b1']}/meetings/{env['meeting']}").text
    assert "làm đường thôn" in page and "Nghị quyết về làm đường" in page
    # the draft has a comment box, the adopted one does not
    assert page.count("<textarea") == 1
    assert f"/resolutions/{env['draft']}/comments" in page
    with Session(env["app"].state.engine) as s:
        from sync_server.models import AdminLog
        views = s.scalars(select(AdminLog).where(AdminLog.action == "staff_view")).all()
    assert len(views) == 2 and all(v.actor == "staff:tinh" for v in views)


def test_statistics_kept_on_write_equal_a_rebuild(env) -> None:
    ids = env["ids"]
    b1 = env["branches"][ids["b1"]]
    # more writes of every kind: a deletion, an edit, a late event
    with Session(env["app"].state.engine) as s:
        member = s.scalars(select(Record).where(Record.scope_id == ids["b1"],
                                                Record.entity == "members")).first()
        assert member is not None
        mid, version = member.id, member.version
    b1.push(("member_events", new_id(), {"member_id": mid, "kind": "deceased",
                                         "date": TODAY.isoformat(), "seq": 9}))
    assert b1.update("members", mid, version, {"gender": ["male", "female"]})["status"] in (
        "applied", "merged")
    # a second meeting in the same month, then the first one deleted: still one branch met
    with Session(env["app"].state.engine) as s:
        first = s.get(Record, (ids["b1"], "meetings", env["meeting"]))
        assert first is not None
        first_version = first.version
    b1.meeting(THIS_MONTH + dt.timedelta(days=1), {mid: "present"}, title="Chuyên đề")
    login(env["client"])
    assert "1/3 chi bộ đã sinh hoạt" in text_of(env["client"].get(
        f"/province/units/{ids['p']}?month={THIS_MONTH:%Y-%m}").text)
    assert b1.update("meetings", env["meeting"], first_version,
                     {"deleted": [False, True]})["status"] in ("applied", "merged")
    page = text_of(env["client"].get(
        f"/province/units/{ids['p']}?month={THIS_MONTH:%Y-%m}").text)
    summary = page[page.index("chi bộ ·"):page.index("chưa đồng bộ lần nào")]
    assert "1/3 chi bộ đã sinh hoạt" in summary and "0 nghị quyết thông qua" in summary, summary
    with Session(env["app"].state.engine) as s, s.begin():
        kept = facts.snapshot(s)
        assert s.get(StatBranch, ids["b1"]).members == 2  # type: ignore[union-attr]
        facts.rebuild_all(s)
        assert facts.snapshot(s) == kept
        s.rollback()
