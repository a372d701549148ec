"""The branch meeting of the annual review closed (held), the proposals sent up, a held
campaign opened again (issue 20). Proposals are written by ``services.review``.

Closing the meeting reads the campaign's facts again first (``review.read_again``) and
checks every proposal against them: a member disciplined, or a task of theirs gone late,
since their grade was proposed is named, and the meeting is not closed on a grade the
records no longer allow (the counts sent up would be wrong). Nothing is written then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from sotay_core.domain.errors import NotFoundError, ValidationError
from sotay_core.domain.review import (
    CampaignStatus,
    Period,
    Proposal,
    Scheme,
    check_excellent_cap,
    check_grade,
)
from sotay_core.domain.review_setting import period_bounds
from sotay_core.domain.review_sheet import ReviewSheet
from sotay_core.i18n import t
from sotay_desktop.db.tables import MeetingRow
from sotay_desktop.services import review_read as read
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.recording import apply_update
from sotay_desktop.services.review import REVIEW_CHANGES, open_row, read_again


class StaleGrades(ValidationError):
    """Proposals the records no longer allow, each refusal in the language the message is
    read in."""

    def __init__(self, refusals: Sequence[ValidationError]) -> None:
        self.refusals = list(refusals)
        super().__init__("review_app.hold_stale", count=len(self.refusals), lines="")

    def message(self, lang: str | None = None) -> str:
        shown = [f"- {exc.message(lang)}" for exc in self.refusals[:10]]
        more = ["…"] if len(self.refusals) > 10 else []
        return t("review_app.hold_stale", lang=lang, count=len(self.refusals),
                 lines="\n".join(["", *shown, *more]))


def _stale(sheets: Sequence[ReviewSheet], scheme: Scheme) -> list[ValidationError]:
    found: list[ValidationError] = []
    for sheet in sheets:
        if sheet.grade is None or sheet.points is None:
            continue
        try:
            check_grade(sheet.grade, sheet.points, scheme, who=sheet.name,
                        disciplined=sheet.facts.disciplined,
                        tasks_on_time=sheet.facts.tasks_on_time)
        except ValidationError as exc:
            found.append(read.GradeRefusal(exc))
    return found


def hold(session: Session, *, unit_id: str, year: int, period: Period, held_on: dt.date,
         today: dt.date, meeting_id: str | None = None) -> Changes:
    """The branch meeting voted the proposals: every entry (the branch's own too) has one
    that the records (read again now) allow, and the members' "excellent" are within the
    set share (UNCONFIRMED, a setting)."""
    row = open_row(session, unit_id=unit_id, year=year, period=period)
    start, _end = period_bounds(year, period)
    if not start <= held_on <= today:
        raise ValidationError("review_app.held_on_range", day=held_on.strftime("%d/%m/%Y"),
                              start=start.strftime("%d/%m/%Y"),
                              today=today.strftime("%d/%m/%Y"))
    if meeting_id is not None:
        meeting = session.get(MeetingRow, meeting_id)
        if meeting is None or meeting.deleted or meeting.unit_id != unit_id:
            raise NotFoundError("not_found", what=t("review_app.meeting"), id=meeting_id)
    read_again(session, row, today)
    view = read.campaign_view(session, unit_id=unit_id, year=year, period=period, today=today)
    missing = [s.name for s in view.sheets if s.grade is None]
    if view.branch is None or view.branch.grade is None:
        missing.append(view.unit_name)
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        raise ValidationError("review_app.hold_missing", count=len(missing), names=shown)
    stale = _stale([*view.sheets, *([view.branch] if view.branch else [])], view.scheme)
    if stale:
        raise StaleGrades(stale)
    check_excellent_cap([Proposal(s.name, s.points or Decimal(0), s.grade)
                         for s in view.sheets if s.grade is not None], view.scheme)
    changed = apply_update(session, entity="review_campaigns", row=row, values={
        "status": CampaignStatus.HELD.value, "held_on": held_on, "meeting_id": meeting_id})
    return REVIEW_CHANGES if changed else Changes()


def _move(session: Session, *, unit_id: str, year: int, period: Period,
          was: CampaignStatus, to: CampaignStatus) -> Changes:
    row = read.campaign(session, unit_id=unit_id, year=year, period=period)
    status = read.status_of(row)
    if status is not was:
        raise ValidationError(f"review_app.move_{to.value}", period=read.period_words(
            year, period), status=t(f"review_app.status_{status.value}"))
    values: dict[str, Any] = {"status": to.value}
    if to is CampaignStatus.OPEN:
        values["held_on"] = None
    apply_update(session, entity="review_campaigns", row=row, values=values)
    return REVIEW_CHANGES


def send(session: Session, *, unit_id: str, year: int, period: Period) -> Changes:
    """The proposals go up: the campaign and its entries are synced tables, so the next
    sync carries them; the level above's decision comes back down."""
    return _move(session, unit_id=unit_id, year=year, period=period,
                 was=CampaignStatus.HELD, to=CampaignStatus.SENT)


def reopen(session: Session, *, unit_id: str, year: int, period: Period) -> Changes:
    """A held campaign, not yet sent, opened again to mend a proposal."""
    return _move(session, unit_id=unit_id, year=year, period=period,
                 was=CampaignStatus.HELD, to=CampaignStatus.OPEN)
