"""The annual review up and the decision down, end to end (issue 20): a branch PC's campaign
and entries reach the province server and its tree page; the commune decides on the
branch's review page; both PCs of the branch pull the decisions, which the member's history
shows; a PC cannot write a decision; another branch's PC and staff see nothing of it. A real
server (uvicorn subprocess), SQLite always and PostgreSQL when reachable.

The review is written on the PC as rows through ``services.recording`` (the outbox and the
audit), not through the review screens' services, so this test stands on the sync alone."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from sotay_core.domain.ids import new_id
from sotay_core.domain.review import Grade
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import MemberRow, SyncNoticeRow, SyncQuarantineRow
from sotay_desktop.db.year_tables import ReviewCampaignRow, ReviewDecisionRow, ReviewEntryRow
from sotay_desktop.services.recording import record_change
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.services.sync.rows import row_fields
from sotay_desktop.usecases import review_history
from sotay_desktop.usecases.workspace import Workspace
from sync_server import admin, staff
from sync_server.models import Record, StatReview, Unit
from tests.conftest import TODAY
from tests.sync_support import BACKENDS, Server, server_fixture
from tests.templates import enrolled_pair, open_copy

server = server_fixture(scope="module", backends=BACKENDS)
PASSWORD = "mật khẩu xã 2026 thử"
GRADES = (Grade.GOOD, Grade.EXCELLENT, Grade.FULFILLED, Grade.GOOD, Grade.NOT_FULFILLED)


@pytest.fixture
def pcs(server: Server, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Two PCs of branch 1, one PC of branch 2, a commune staff account."""
    branch, other = server.tree(2)
    a, b = enrolled_pair(server.url, lambda: server.code(branch), tmp_path,
                         members=12, documents=1, meetings=2, seed=20)
    c = open_copy(tmp_path / "pc3", members=6, documents=1, meetings=1, seed=21)
    sync_client.enroll(c, server.url, server.code(other), label="PC-3")
    sync_client.run_sync(c)
    with server.session() as s:
        commune = s.get(Unit, s.get(Unit, branch).parent_id)   # type: ignore[union-attr]
        assert commune is not None and commune.parent_id is not None
        other_commune = admin.add_unit(s, name="Đảng ủy xã Khác", level="commune",
                                       parent_id=commune.parent_id)
        suffix = branch[-8:]     # the server lives for the module: one account per test
        staff.add_user(s, username=f"xa{suffix}", unit_id=commune.id, password=PASSWORD,
                       display_name="Cán bộ xã")
        staff.add_user(s, username=f"khac{suffix}", unit_id=other_commune.id,
                       password=PASSWORD)
        ids = {"branch": branch, "other": other, "commune": commune.id,
               "xa": f"xa{suffix}", "khac": f"khac{suffix}"}
    yield {"a": a, "b": b, "c": c, **ids}
    for db in (a, b, c):
        db.close()


def _free_year(db: Database) -> int:
    """A year the PC has no review of yet (the demo may have its own)."""
    with db.reads() as s:
        taken = set(s.scalars(select(ReviewCampaignRow.year)))
    return next(y for y in range(2024, 2000, -1) if y not in taken)


def _record_review(db: Database, year: int) -> tuple[str, dict[str, str], str]:
    """A sent campaign of ``year``: five members' entries with GRADES, the branch's own
    (good). Returns the campaign id, the entry ids by member id and the branch's entry id."""
    ws = Workspace(db, today=lambda: TODAY)
    unit = ws.branch_id()
    with db.sessions.begin() as s:
        chosen = list(s.scalars(select(MemberRow.id).where(
            MemberRow.deleted.is_(False)).order_by(MemberRow.id).limit(len(GRADES))))
        campaign = ReviewCampaignRow(id=new_id(), unit_id=unit, year=year, period="year",
                                     scheme="", status="sent", meeting_id=None,
                                     held_on=dt.date(year, 12, 20), note="")
        s.add(campaign)
        s.flush()
        record_change(s, entity="review_campaigns", row_id=campaign.id, op="create",
                      base_version=0, fields=row_fields("review_campaigns", campaign))
        entries: dict[str, str] = {}
        own = ""
        for member_id, grade in [*zip(chosen, GRADES, strict=True), (None, Grade.GOOD)]:
            entry = ReviewEntryRow(
                id=new_id(), campaign_id=campaign.id, member_id=member_id, facts="{}",
                self_points="", self_grade=grade.value, self_text="", scores="{}",
                points="", grade=grade.value, disciplined=False, tasks_on_time=True,
                comments="", votes_yes=9, votes_no=0, votes_abstain=0, votes_invalid=0,
                voting_base=10, secret=True)
            s.add(entry)
            s.flush()
            record_change(s, entity="review_entries", row_id=entry.id, op="create",
                          base_version=0, fields=row_fields("review_entries", entry))
            if member_id is None:
                own = entry.id
            else:
                entries[member_id] = entry.id
    return campaign.id, entries, own


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _web(server: Server, username: str) -> requests.Session:
    web = requests.Session()
    r = web.post(f"{server.url}/province/login", data={"username": username,
                                                       "password": PASSWORD})
    assert r.status_code == 200, r.text[:300]
    return web


def test_the_review_goes_up_and_the_decision_comes_down(pcs, server: Server,
                                                        make_window) -> None:
    a, b, c = pcs["a"], pcs["b"], pcs["c"]
    year = _free_year(a)
    campaign_id, entries, own = _record_review(a, year)
    report = sync_client.run_sync(a)
    assert report.rejected == 0, report.notes
    with server.session() as s:
        stat = s.get(StatReview, (pcs["branch"], campaign_id))
        assert stat is not None and (stat.members, stat.proposed_good, stat.proposed_excellent,
                                     stat.status, stat.branch_proposed) == (5, 2, 1, "sent",
                                                                            "good")
    # the commune's tree page: the branch has sent, its distribution; branch 2 has not
    web = _web(server, pcs["xa"])
    page = web.get(f"{server.url}/province/units/{pcs['commune']}?review_year={year}").text
    row = re.search(r'<th scope="row"><a href="/province/branches/' + pcs["branch"]
                    + r'/review[^"]*">[^<]*</a></th>(.*?)</tr>', page, re.S)
    assert row, page[-3000:]
    assert _text(row.group(1)).split()[:13] == [
        "Đã", "gửi,", "chờ", "quyết", "định", "1", "(20", "%)", "2", "(40", "%)", "1", "(20"]
    assert "1 chi bộ chưa gửi" in _text(page)
    # the commune decides: one member graded otherwise
    url = f"{server.url}/province/branches/{pcs['branch']}/review?year={year}"
    page = web.get(url).text
    token = re.search(r'name="form_token" value="([^"]+)"', page)
    assert token
    changed_member = next(iter(entries))     # the first member: proposed "good"
    form = {"form_token": token.group(1), "year": str(year), "period": "year",
            "number": "45-QĐ/ĐU", "decided_on": f"15/01/{year + 1}",
            "issuer": "Đảng ủy xã Hòa Bình", "note": ""}
    form |= {f"g.{e}": g.value for e, g in zip(entries.values(), GRADES, strict=True)}
    form |= {f"g.{own}": "good", f"g.{entries[changed_member]}": "excellent"}
    r = web.post(f"{server.url}/province/branches/{pcs['branch']}/review/decide", data=form)
    assert r.status_code == 200 and "Đã ghi quyết định" in r.text, _text(r.text)[-500:]
    # both PCs of the branch pull the decisions and keep them
    for db in (a, b):
        sync_client.run_sync(db)
        with db.reads() as s:
            assert not s.scalars(select(SyncQuarantineRow)).all()
            kept = {d.entry_id: d.grade for d in s.scalars(select(ReviewDecisionRow).where(
                ReviewDecisionRow.campaign_id == campaign_id))}
        assert kept == {**{e: g.value for e, g in zip(entries.values(), GRADES, strict=True)},
                        entries[changed_member]: "excellent", own: "good"}
    day = f"15/01/{year + 1}"
    for db in (a, b):
        ws = Workspace(db, today=lambda: TODAY)
        [decided] = [g for g in review_history.member_grades(ws, changed_member)
                     if g.year == year]
        assert decided.text == f"Năm {year}: Hoàn thành xuất sắc nhiệm vụ (Số 45-QĐ/ĐU, {day})"
        other = next(m for m in entries if m != changed_member)
        [grade] = [g for g in review_history.member_grades(ws, other) if g.year == year]
        assert grade.grade is Grade.EXCELLENT and grade.number == "45-QĐ/ĐU"
        by_entry = review_history.campaign_decisions(ws, campaign_id)
        assert set(by_entry) == {*entries.values(), own} and by_entry[own].member_id is None
    # the second PC's window: the member's history shows the decided grade
    window = make_window(b, show=True, refresh=True)
    window.roster.select_shown(changed_member)
    panel = window.roster.panel
    assert panel.record is not None and panel.record.member.id == changed_member
    assert not panel.reviews.isHidden()
    assert f"Năm {year}: Hoàn thành xuất sắc nhiệm vụ (Số 45-QĐ/ĐU, {day})" in (
        panel.reviews.text())
    # another branch's PC holds nothing of it
    sync_client.run_sync(c)
    with c.reads() as s:
        assert not s.scalars(select(ReviewDecisionRow).where(
            ReviewDecisionRow.campaign_id == campaign_id)).all()
        assert campaign_id not in set(s.scalars(select(ReviewCampaignRow.id)))


def test_a_pc_cannot_write_a_decision(pcs, server: Server) -> None:
    a = pcs["a"]
    year = _free_year(a)
    campaign_id, entries, _own = _record_review(a, year)
    sync_client.run_sync(a)
    entry_id = next(iter(entries.values()))
    with a.sessions.begin() as s:
        forged = ReviewDecisionRow(id=new_id(), entry_id=entry_id, campaign_id=campaign_id,
                                   member_id=next(iter(entries)), grade="excellent",
                                   number="1-QĐ/CB", decided_on=dt.date(year + 1, 1, 2),
                                   issuer="Chi bộ", note="")
        s.add(forged)
        s.flush()
        record_change(s, entity="review_decisions", row_id=forged.id, op="create",
                      base_version=0, fields=row_fields("review_decisions", forged))
    report = sync_client.run_sync(a)
    assert report.rejected == 1
    with a.reads() as s:     # the secretary is told why (the sync screen's notices)
        [notice] = s.scalars(select(SyncNoticeRow).where(SyncNoticeRow.row_id == forged.id))
        assert (notice.entity, notice.reason) == ("review_decisions", "sync_read_only")
    with server.session() as s:
        assert s.get(Record, (pcs["branch"], "review_decisions", forged.id)) is None
        stat = s.get(StatReview, (pcs["branch"], campaign_id))
        assert stat is not None and stat.decided == 0


def test_another_branch_is_out_of_reach(pcs, server: Server) -> None:
    a = pcs["a"]
    year = _free_year(a)
    _record_review(a, year)
    sync_client.run_sync(a)
    # staff of another commune: the branch's review page is not found, its form refused
    web = _web(server, pcs["khac"])
    url = f"{server.url}/province/branches/{pcs['branch']}/review?year={year}"
    assert web.get(url).status_code == 404
    r = web.post(f"{server.url}/province/branches/{pcs['branch']}/review/decide",
                 data={"form_token": "x", "year": str(year), "number": "1",
                       "decided_on": f"15/01/{year + 1}", "issuer": "Xã"})
    assert r.status_code == 404
    # without a staff login (a PC has none) the page sends to the login
    r = requests.get(url, allow_redirects=False, timeout=10)
    assert r.status_code == 303 and "/province/login" in r.headers["location"]
