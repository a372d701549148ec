"""The province counts the grades a branch sends, so it checks each entry's grade against its
points as the PC does (issue 20, attack: a modified client sent "excellent" at 10 points and
it was counted). A grade may be lower than its points (a discipline or a late task caps it),
never higher. A real server, SQLite always and PostgreSQL when reachable."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from sotay_core.domain.ids import new_id
from sotay_core.domain.review import DEFAULT_SCHEME, Scheme, Thresholds
from sotay_core.domain.review_setting import scheme_to_json
from sotay_core.domain.year_rules import grade_fits_points
from sotay_desktop.db.tables import SyncNoticeRow
from sotay_desktop.db.year_tables import ReviewEntryRow
from sotay_desktop.services.recording import record_change
from sotay_desktop.services.sync import client as sync_client
from sync_server.models import Record, StatReview
from tests.sync_support import Server
from tests.test_review_sync import _free_year, _record_review, pcs, server

__all__ = ["pcs", "server"]   # the fixtures, shared with test_review_sync


def _entry(campaign_id: str, member_id: str | None, points: str, grade: str) -> dict[str, Any]:
    return {"campaign_id": campaign_id, "member_id": member_id, "facts": "{}",
            "self_points": "", "self_grade": "", "self_text": "", "scores": "{}",
            "points": points, "grade": grade, "disciplined": False, "tasks_on_time": True,
            "comments": "", "votes_yes": 9, "votes_no": 0, "votes_abstain": 0,
            "votes_invalid": 0, "voting_base": 10, "secret": False}


def test_the_rule_allows_lower_grades_and_refuses_higher_ones() -> None:
    assert grade_fits_points({"points": "10.0", "grade": "excellent"}) == "grade"
    assert grade_fits_points({"points": "89.9", "grade": "excellent"}) == "grade"
    assert grade_fits_points({"points": "90", "grade": "excellent"}) is None
    assert grade_fits_points({"points": "95.0", "grade": "fulfilled"}) is None   # capped
    assert grade_fits_points({"self_points": "49.9", "self_grade": "fulfilled"}) == \
        "self_grade"
    assert grade_fits_points({"points": "", "grade": "excellent"}) is None   # not scored
    # under a campaign's own thresholds (a setting): 85 is excellent there
    scheme = scheme_to_json(Scheme("x", DEFAULT_SCHEME.criteria, Thresholds(
        Decimal(85), Decimal(70), Decimal(50))))
    assert grade_fits_points({"points": "85", "grade": "excellent"}, scheme) is None
    assert grade_fits_points({"points": "84.9", "grade": "excellent"}, scheme) == "grade"


def test_a_grade_better_than_its_points_is_refused_by_the_province(
        pcs: dict[str, Any], server: Server) -> None:
    a, branch = pcs["a"], pcs["branch"]
    campaign_id, entries, _own = _record_review(a, _free_year(a))
    sync_client.run_sync(a)
    member_id, entry_id = next(iter(entries.items()))
    forged, capped = new_id(), new_id()
    with a.reads() as s:
        row = s.get(ReviewEntryRow, entry_id)
        assert row is not None
        current = row.grade
    with a.sessions.begin() as s:
        # a modified PC: straight into the outbox, as its own database would never hold it
        record_change(s, entity="review_entries", row_id=forged, op="create", base_version=0,
                      fields=_entry(campaign_id, None, "10.0", "excellent"))
        record_change(s, entity="review_entries", row_id=capped, op="create", base_version=0,
                      fields=_entry(campaign_id, None, "95.0", "fulfilled") | {
                          "member_id": None, "campaign_id": campaign_id})
        record_change(s, entity="review_entries", row_id=entry_id, op="update",
                      base_version=1, fields={"points": ["", "55.5"],
                                              "grade": [current, "excellent"]})
    report = sync_client.run_sync(a)
    with a.reads() as s:
        reasons = {n.row_id: n.reason for n in s.scalars(select(SyncNoticeRow))}
    assert reasons.get(forged) == "invalid_value:grade", reasons
    assert reasons.get(entry_id) == "invalid_value:grade", reasons
    assert capped not in reasons and report.rejected == 2
    with server.session() as s:
        assert s.get(Record, (branch, "review_entries", forged)) is None
        stat = s.get(StatReview, (branch, campaign_id))
        assert stat is not None
        stored = s.get(Record, (branch, "review_entries", entry_id))
        assert stored is not None and '"55.5"' not in stored.data
    assert member_id
