"""The synced entities as this PC stores them: table by entity, a row as the wire carries it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sotay_core.protocol.entities import ENTITIES, to_wire
from sotay_desktop.db.month_tables import (
    DuesBasisRow,
    DuesExemptionRow,
    DuesPaymentRow,
    DuesRateRow,
    MeetingScoreRow,
    MonthlyReportRow,
)
from sotay_desktop.db.study_tables import StudyPlanRow, StudyReportRow
from sotay_desktop.db.tables import (
    AttendanceRow,
    AuditRow,
    BookmarkRow,
    CommentRow,
    CommitteeTermRow,
    ConflictRow,
    DocumentRow,
    MeetingRow,
    MemberEventRow,
    MemberRow,
    MinutesRow,
    OrgUnitRow,
    ResolutionRow,
    TaskRow,
)
from sotay_desktop.db.year_tables import (
    CandidateRow,
    CandidateStepRow,
    ReviewCampaignRow,
    ReviewDecisionRow,
    ReviewEntryRow,
    TransferRow,
)

TABLES: dict[str, Any] = {
    "org_units": OrgUnitRow, "committee_terms": CommitteeTermRow, "members": MemberRow,
    "member_events": MemberEventRow, "documents": DocumentRow, "bookmarks": BookmarkRow,
    "meetings": MeetingRow, "attendance": AttendanceRow, "minutes": MinutesRow,
    "resolutions": ResolutionRow, "tasks": TaskRow, "comments": CommentRow,
    "conflicts": ConflictRow, "audit_log": AuditRow,
    "dues_rates": DuesRateRow, "dues_bases": DuesBasisRow, "dues_exemptions": DuesExemptionRow,
    "dues_payments": DuesPaymentRow, "meeting_scores": MeetingScoreRow,
    "monthly_reports": MonthlyReportRow,
    "review_campaigns": ReviewCampaignRow, "review_entries": ReviewEntryRow,
    "review_decisions": ReviewDecisionRow, "candidates": CandidateRow,
    "candidate_steps": CandidateStepRow, "transfers": TransferRow,
    "study_plans": StudyPlanRow, "study_reports": StudyReportRow,
}


def row_fields(entity: str, row: Any) -> dict[str, Any]:
    """A local row as a create carries it (wire types; ``deleted`` only when set)."""
    spec = ENTITIES[entity]
    fields = {k: to_wire(getattr(row, k)) for k in spec.fields if k not in spec.wire_only}
    if row.deleted:
        fields["deleted"] = True
    return fields


def chunks(items: list[Any], size: int = 500) -> Iterable[list[Any]]:
    """``items`` in slices small enough for one ``IN (…)`` (SQLite's variable limit)."""
    for i in range(0, len(items), size):
        yield items[i:i + size]
