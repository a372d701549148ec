"""A modified client of one branch writing into another branch's annual review (issue 20,
attack): a review entry naming the other branch's campaign, and a campaign of its own naming
the other branch's unit. The province refuses both (the reference is not in the PC's
scope) and the other branch's figures do not move. A real server, SQLite always and
PostgreSQL when reachable."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sotay_core.domain.ids import new_id
from sotay_desktop.db.tables import SyncNoticeRow
from sotay_desktop.services.recording import record_change
from sotay_desktop.services.sync import client as sync_client
from sync_server.models import Record, StatReview
from tests.sync_support import Server
from tests.test_review_sync import _free_year, _record_review, pcs, server

__all__ = ["pcs", "server"]   # the fixtures, shared with test_review_sync


def test_another_branchs_campaign_cannot_be_written_into(pcs: dict[str, Any],
                                                        server: Server) -> None:
    a, c = pcs["a"], pcs["c"]
    year = _free_year(a)
    campaign_id, _entries, _own = _record_review(a, year)
    sync_client.run_sync(a)
    with server.session() as s:
        before = s.get(StatReview, (pcs["branch"], campaign_id))
        assert before is not None
        counts = (before.members, before.proposed_excellent, before.branch_grade)
    # a modified client: mutations in the outbox that its own database would never hold
    forged, theirs = new_id(), new_id()
    with c.sessions.begin() as s:
        record_change(s, entity="review_entries", row_id=forged, op="create", base_version=0,
                      fields={"campaign_id": campaign_id, "member_id": None, "facts": "{}",
                              "self_points": "", "self_grade": "", "self_text": "",
                              "scores": "{}", "points": "95.0", "grade": "excellent",
                              "disciplined": False, "tasks_on_time": True, "comments": "",
                              "votes_yes": 1, "votes_no": 0, "votes_abstain": 0,
                              "votes_invalid": 0, "voting_base": 1, "secret": False})
        record_change(s, entity="review_campaigns", row_id=theirs, op="create",
                      base_version=0, fields={
                          "unit_id": pcs["branch"], "year": year - 1, "period": "year",
                          "scheme": "", "status": "sent", "meeting_id": None,
                          "held_on": None, "note": ""})
    report = sync_client.run_sync(c)
    assert report.rejected == 2
    with c.reads() as s:
        reasons = {n.row_id: n.reason for n in s.scalars(select(SyncNoticeRow))}
    assert reasons.get(forged, "").startswith("unknown_reference"), reasons
    assert reasons.get(theirs) == "sync_wrong_unit", reasons
    with server.session() as s:
        for entity, row_id in (("review_entries", forged), ("review_campaigns", theirs)):
            assert s.get(Record, (pcs["other"], entity, row_id)) is None
            assert s.get(Record, (pcs["branch"], entity, row_id)) is None
        after = s.get(StatReview, (pcs["branch"], campaign_id))
        assert after is not None
        assert (after.members, after.proposed_excellent, after.branch_grade) == counts
