"""The province side of the annual review (issue 20): campaigns and entries pushed by branch
PCs reach the review statistics (kept on every write equal to a rebuild) and the tree page,
whose roll-ups equal the sums of their branches; the commune decides a branch's review on
its page and the decision goes down as review_decisions records of the branch's scope, which
no PC may write."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sync_server import facts, review_queries
from sync_server.models import Record, StatReview, Unit
from tests.province.month_support import members_of, version
from tests.province.review_support import YEAR, review_data
from tests.province.support import login, text_of, token_of

pytestmark = pytest.mark.server


def _row(page: str, table: str, name: str) -> str:
    body = re.search(rf'<table class="grid" id="{table}".*?</table>', page, re.S)
    assert body, table
    found = re.search(r"<tr[^>]*>\s*<th scope=\"row\">(?:<a [^>]*>)?" + re.escape(name)
                      + r"(?:</a>)?</th>(.*?)</tr>", body.group(0), re.S)
    assert found, name
    return text_of(found.group(1)).strip()


def _data(env) -> dict[str, str]:
    return review_data(env, members_of(env["app"].state.engine, env["ids"]["b1"]))


def _decide(c, branch: str, **fields: str) -> tuple[int, str]:
    url = f"/province/branches/{branch}/review?year={YEAR}"
    page = c.get(url).text
    form = {"form_token": token_of(page), "year": str(YEAR), "period": "year",
            "number": "45-QĐ/ĐU", "decided_on": "15/01/2026", "issuer": "Đảng ủy xã An Hòa",
            "note": ""}
    form |= {f"g.{m.group(1)}": m.group(2) for m in re.finditer(
        r'<select name="g\.([^"]+)"[^>]*>.*?<option value="([a-z_]*)" selected',
        page, re.S)}
    form |= fields
    r = c.post("/province/branches/" + branch + "/review/decide", data=form)
    return r.status_code, r.text


def test_the_statistics_follow_the_records_and_equal_a_rebuild(env) -> None:
    ids, engine = env["ids"], env["app"].state.engine
    data = _data(env)
    with Session(engine) as s:
        row = s.get(StatReview, (ids["b1"], data["c1"]))
        assert row is not None
        assert (row.year, row.period, row.status, row.members) == (YEAR, "year", "sent", 3)
        assert (row.proposed_excellent, row.proposed_good, row.proposed_fulfilled,
                row.proposed_not_fulfilled) == (1, 1, 1, 0)
        assert (row.grade_excellent, row.grade_good, row.branch_proposed, row.branch_grade,
                row.decided) == (1, 1, "good", "good", 0)
    # the branch meeting changes Cường's proposal, then deletes Bình's entry
    b1 = env["branches"][ids["b1"]]
    assert b1.update("review_entries", data["cuong"],
                     version(engine, ids["b1"], "review_entries", data["cuong"]),
                     {"grade": ["fulfilled", "not_fulfilled"]})["status"] == "applied"
    assert b1.update("review_entries", data["binh"],
                     version(engine, ids["b1"], "review_entries", data["binh"]),
                     {"deleted": [False, True]})["status"] == "applied"
    with Session(engine) as s, s.begin():
        row = s.get(StatReview, (ids["b1"], data["c1"]))
        assert row is not None and row.members == 2
        assert (row.proposed_excellent, row.proposed_not_fulfilled) == (0, 1)
        kept = facts.snapshot(s)
        assert len(kept["stat_reviews"]) == 2
        facts.rebuild_all(s)
        assert facts.snapshot(s) == kept
        s.rollback()


def test_the_tree_shows_the_grade_distribution_rolled_up(env) -> None:
    c, ids = env["client"], env["ids"]
    _data(env)
    login(c)
    page = c.get(f"/province/units/{ids['p']}?review_year={YEAR}").text
    assert "Đánh giá, xếp loại chất lượng đảng viên năm 2025" in page
    # An Hòa: b1 sent (1 excellent, 1 good, 1 fulfilled), b2 met but not sent (1 good)
    assert _row(page, "review", "Đảng ủy xã An Hòa").split() == [
        "1/2", "đã", "gửi,", "0", "đã", "quyết", "định", "1", "(25", "%)", "2", "(50", "%)",
        "1", "(25", "%)", "0", "(0", "%)", "HTXSNV", "0", "·", "HTTNV", "1", "·", "HTNV",
        "0", "·", "KHTNV", "0"]
    assert _row(page, "review", "Đảng ủy xã Bình Minh").startswith("0/1 đã gửi, 0 đã quyết")
    total = _row(page, "review", "Toàn Tỉnh ủy Thái Bình")
    assert total.startswith("1/3 đã gửi, 0 đã quyết định 1 (25 %) 2 (50 %) 1 (25 %) 0")
    assert "2 chi bộ chưa gửi" in text_of(page)
    # the commune's page: each branch's state, linked to its review page
    page = c.get(f"/province/units/{ids['c1']}?review_year={YEAR}").text
    assert _row(page, "review", "Chi bộ thôn Đông").startswith("Đã gửi, chờ quyết định 1 (33 %)")
    assert _row(page, "review", "Chi bộ thôn Tây").startswith("Đã họp, chưa gửi 0 (0 %) 1 (100 %)")
    assert f"/province/branches/{ids['b1']}/review?year=2025" in page
    # another year has nothing; a bad year is refused in words
    assert "0/3 đã gửi" in text_of(c.get(f"/province/units/{ids['p']}?review_year=2024").text)
    r = c.get(f"/province/units/{ids['p']}?review_year=20x5")
    assert r.status_code == 400 and "Năm «20x5» không hợp lệ" in r.text


def test_the_roll_up_equals_the_sum_of_the_branches(env) -> None:
    _data(env)
    ids = env["ids"]
    with Session(env["app"].state.engine) as s:
        province = s.get(Unit, ids["p"])
        assert province is not None
        top = review_queries.review_tree(s, province, YEAR)
        summed = review_queries.ReviewFigures()
        for key in ("b1", "b2", "b3"):
            branch = s.get(Unit, ids[key])
            assert branch is not None
            summed.add(review_queries.review_tree(s, branch, YEAR).rows[""])
    for name in ("branches", "started", "sent", "decided", "members", "grades",
                 "branch_grades"):
        assert getattr(top.total, name) == getattr(summed, name), name
    assert (top.total.branches, top.total.started, top.total.members) == (3, 2, 4)


def test_the_commune_decides_and_the_decision_is_written_for_the_branch(env) -> None:
    c, ids, engine = env["client"], env["ids"], env["app"].state.engine
    data = _data(env)
    login(c, "xa1")
    page = c.get(f"/province/branches/{ids['b1']}/review?year={YEAR}").text
    assert "Đã gửi, chờ quyết định" in page and "Tập thể Chi bộ thôn Đông" in page
    assert _row(page, "entries", "Nguyễn Văn An").startswith("85 Hoàn thành tốt nhiệm vụ 3/3")
    # Cường changed to "good", the rest as proposed
    status, body = _decide(c, ids["b1"], **{f"g.{data['cuong']}": "good"})
    assert status == 200 and "Đã ghi quyết định" in body, body[-2000:]
    assert "Cấp trên đã quyết định: Số 45-QĐ/ĐU, ngày 15/01/2026, Đảng ủy xã An Hòa" in body
    with Session(engine) as s:
        rows = {json.loads(r.data)["entry_id"]: r for r in s.scalars(select(Record).where(
            Record.scope_id == ids["b1"], Record.entity == "review_decisions"))}
        assert set(rows) == {data["an"], data["binh"], data["cuong"], data["own"]}
        assert all(r.province_owned for r in rows.values())
        cuong = json.loads(rows[data["cuong"]].data)
        assert (cuong["grade"], cuong["number"], cuong["decided_on"], cuong["campaign_id"]) == (
            "good", "45-QĐ/ĐU", "2026-01-15", data["c1"])
        assert json.loads(rows[data["own"]].data)["member_id"] is None
        stat = s.get(StatReview, (ids["b1"], data["c1"]))
        assert stat is not None and (stat.decided, stat.changed, stat.grade_good,
                                     stat.grade_fulfilled, stat.decision_number,
                                     stat.branch_decided) == (3, 1, 2, 0, "45-QĐ/ĐU", "good")
        first = {k: (r.id, r.version) for k, r in rows.items()}
    page = c.get(f"/province/units/{ids['c1']}?review_year={YEAR}").text
    assert _row(page, "review", "Chi bộ thôn Đông").startswith("Đã quyết định (Số 45-QĐ/ĐU)")
    # deciding again with a corrected number rewrites the same records, never a second set
    status, body = _decide(c, ids["b1"], number="Số 46-QĐ/ĐU")
    assert status == 200 and "Số 46-QĐ/ĐU" in body and "Số Số" not in body
    with Session(engine) as s:
        again = {json.loads(r.data)["entry_id"]: (r.id, r.version) for r in s.scalars(
            select(Record).where(Record.scope_id == ids["b1"],
                                 Record.entity == "review_decisions"))}
    assert {k: v[0] for k, v in again.items()} == {k: v[0] for k, v in first.items()}
    assert all(again[k][1] > first[k][1] for k in first)
    # the branch's PC pulls them (the whole scope from the start)
    pulled = env["branches"][ids["b1"]].sync(cursor=0)["changes"]
    assert sum(ch["entity"] == "review_decisions" for ch in pulled) == 4


@pytest.mark.parametrize(("fields", "words"), [
    ({"number": " "}, "cần số quyết định"),
    ({"decided_on": "32/01/2026"}, "ngày «32/01/2026» không hợp lệ"),
    ({"decided_on": "01/01/2099"}, "ngày quyết định 01/01/2099 chưa tới"),
    ({"decided_on": "31/12/2024"}, "trước kỳ được kiểm điểm (năm 2025)"),
    ({"issuer": ""}, "cần ghi cơ quan quyết định"),
    ({"g.ANY": "good"}, "không có trong đợt kiểm điểm này"),
    ({"number": "4\x075"}, "có ký tự điều khiển"),
])
def test_a_bad_decision_is_refused_in_words_and_nothing_is_written(env, fields, words) -> None:
    c, ids, engine = env["client"], env["ids"], env["app"].state.engine
    _data(env)
    login(c, "xa1")
    status, body = _decide(c, ids["b1"], **fields)
    assert status == 400 and words in text_of(body).lower(), text_of(body)[-600:]
    with Session(engine) as s:
        assert not s.scalars(select(Record).where(
            Record.entity == "review_decisions")).all()


def test_a_grade_not_in_the_list_and_a_review_not_sent_are_refused(env) -> None:
    c, ids = env["client"], env["ids"]
    data = _data(env)
    login(c, "xa1")
    status, body = _decide(c, ids["b1"], **{f"g.{data['an']}": "very good"})
    assert status == 400 and "«very good» không phải một mức xếp loại" in text_of(body)
    assert "good (Hoàn thành tốt nhiệm vụ)" in text_of(body)
    # b2 met but has not sent: no form, and a forged post is refused
    page = c.get(f"/province/branches/{ids['b2']}/review?year={YEAR}").text
    assert "Chi bộ chưa gửi đề nghị xếp loại lên" in text_of(page)
    assert 'action="/province/branches/' not in page.split('id="entries"')[0][-300:]
    r = c.post(f"/province/branches/{ids['b2']}/review/decide", data={
        "form_token": token_of(page), "year": str(YEAR), "period": "year",
        "number": "1-QĐ/ĐU", "decided_on": "15/01/2026", "issuer": "Xã",
        f"g.{data['tu']}": "good"})
    assert r.status_code == 400 and "chưa gửi đề nghị xếp loại năm 2025 lên" in text_of(r.text)
    # a year with no campaign
    page = c.get(f"/province/branches/{ids['b1']}/review?year=2024").text
    assert "Chi bộ chưa gửi kết quả kiểm điểm năm 2024 lên máy chủ." in text_of(page)


def test_a_commune_sees_only_its_branches_and_a_pc_cannot_see_the_pages(env) -> None:
    c, ids = env["client"], env["ids"]
    _data(env)
    branch = env["branches"][ids["b1"]]
    # a branch PC's token opens no page: the pages need a staff login
    r = c.get(f"/province/branches/{ids['b1']}/review?year={YEAR}", follow_redirects=False,
              headers={"Authorization": f"Bearer {branch.token}"})
    assert r.status_code == 303 and "/province/login" in r.headers["location"]
    login(c, "xa1")
    r = c.get(f"/province/branches/{ids['b3']}/review?year={YEAR}")
    assert r.status_code == 404
    page = c.get(f"/province/branches/{ids['b1']}/review?year={YEAR}").text
    r = c.post(f"/province/branches/{ids['b3']}/review/decide", data={
        "form_token": token_of(page), "year": str(YEAR), "number": "1", "decided_on":
        "15/01/2026", "issuer": "Xã"})
    assert r.status_code == 404


def test_a_pc_cannot_write_review_decisions(env) -> None:
    c, ids, engine = env["client"], env["ids"], env["app"].state.engine
    data = _data(env)
    b1 = env["branches"][ids["b1"]]
    fields = {"entry_id": data["an"], "campaign_id": data["c1"], "member_id": None,
              "grade": "excellent", "number": "1-QĐ/CB", "decided_on": "2026-01-10",
              "issuer": "Chi bộ", "note": ""}
    [result] = b1.push(("review_decisions", new_id(), fields))
    assert (result["status"], result["reason"]) == ("rejected", "sync_read_only")
    login(c, "xa1")
    assert _decide(c, ids["b1"])[0] == 200
    with Session(engine) as s:
        decision = s.scalars(select(Record).where(
            Record.scope_id == ids["b1"], Record.entity == "review_decisions")).first()
        assert decision is not None
        row_id, before = decision.id, decision.version
    result = b1.update("review_decisions", row_id, before, {"grade": ["good", "excellent"]})
    assert (result["status"], result["reason"]) == ("rejected", "sync_read_only")
    result = b1.update("review_decisions", row_id, before, {"deleted": [False, True]})
    assert result["status"] == "rejected"
    assert version(engine, ids["b1"], "review_decisions", row_id) == before
