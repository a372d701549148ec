"""A meeting's records: the minutes, the draft resolution and its path to adoption
(circulated for comments, adopted by more than half of the voting base), and comments.

Numbers follow the Party rules (per type per committee term); comments are add-only; an
adopted resolution no longer changes. Every write goes to the outbox in the caller's
transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import (
    ResolutionStatus,
)
from sotay_core.domain.errors import DomainError, NotFoundError, ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.rules import (
    is_adopted,
    majority_needed,
    next_document_number,
    parse_document_number,
    term_for,
)
from sotay_core.domain.text import clean_block, clean_line
from sotay_core.i18n import t
from sotay_desktop.db.tables import (
    CommentRow,
    MemberRow,
    MinutesRow,
    ResolutionRow,
)
from sotay_desktop.documents.meeting_data import require_names
from sotay_desktop.services import minutes_extras
from sotay_desktop.services.attendance import clean_time, meeting_row, meeting_voting_base
from sotay_desktop.services.branch import branch_info, committee_terms
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.meetings import meeting_data
from sotay_desktop.services.recording import apply_update, record_change
from sotay_desktop.services.tasks import sync_resolution_tasks


@dataclass(frozen=True, slots=True)
class CommentView:
    id: str
    author: str
    body: str
    created_at: dt.datetime


def _check_votes(votes_for: int | None, votes_against: int | None, base: int) -> None:
    if votes_for is None:
        return
    against = votes_against or 0
    if votes_for < 0 or against < 0 or votes_for + against > base:
        raise ValidationError("bad_votes", field="votes_for", votes_for=votes_for,
                              votes_against=against, base=base)


def save_minutes(
    session: Session,
    *,
    meeting_id: str,
    speakers: Sequence[tuple[str, str]] = (),
    conclusion: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    ends_at: str = "",
    review: str | None = None,
) -> Changes:
    """``review``: the review of last month's resolution as edited (None: keep it)."""
    meeting = meeting_row(session, meeting_id)
    _check_votes(votes_for, votes_against, meeting_voting_base(session, meeting_id))
    row = session.scalars(select(MinutesRow).where(MinutesRow.meeting_id == meeting_id)).first()
    try:
        old = json.loads(row.body or "{}") if row is not None else {}
    except json.JSONDecodeError:
        old = {}
    body = {**(old if isinstance(old, dict) else {}),  # keys of later versions stay
            "items": json.loads(meeting.agenda or "[]"),
            "speakers": [{"name": clean_line(n), "gist": clean_block(g)}
                         for n, g in speakers if clean_line(n) or clean_block(g)]}
    if review is not None:
        body.pop(minutes_extras.REVIEW_KEY, None)
        kept = minutes_extras.stored_review(session, meeting, review)
        if kept is not None:
            body[minutes_extras.REVIEW_KEY] = kept
    meeting.ends_at = clean_time(ends_at, "ends_at") or meeting.ends_at
    values = {"body": json.dumps(body, ensure_ascii=False), "conclusion": clean_block(conclusion),
              "votes_for": votes_for, "votes_against": votes_against}
    if row is None:
        row = MinutesRow(id=new_id(), meeting_id=meeting_id, **values)
        session.add(row)
        session.flush()
        record_change(session, entity="minutes", row_id=row.id, op="create", base_version=0,
                      fields={"meeting_id": meeting_id, **values})
    else:
        apply_update(session, entity="minutes", row=row, values=values)
    return Changes.of("minutes", "meetings")


def resolution_id(session: Session, meeting_id: str) -> str | None:
    row = _resolution(session, meeting_id)
    return row.id if row else None


def _resolution(session: Session, meeting_id: str) -> ResolutionRow | None:
    return session.scalars(select(ResolutionRow).where(
        ResolutionRow.meeting_id == meeting_id, ResolutionRow.deleted.is_(False))).first()


def _issued_numbers(session: Session, unit_id: str, day: dt.date,
                    exclude_id: str | None) -> list[tuple[dt.date, str]]:
    """(date, number) of every numbered resolution of the unit; the term is chosen later."""
    rows = session.execute(select(ResolutionRow.id, ResolutionRow.issued_on,
                                  ResolutionRow.number).where(
        ResolutionRow.unit_id == unit_id, ResolutionRow.deleted.is_(False)))
    return [(issued or day, number) for rid, issued, number in rows
            if rid != exclude_id and number]


def save_resolution(
    session: Session,
    *,
    meeting_id: str,
    summary: str,
    results: str = "",
    tasks: Sequence[tuple[str, str]] = (),
    implementation: str = "",
    number: str = "",
) -> tuple[str, Changes]:
    """Create or edit the meeting's draft resolution; an empty number takes the next one."""
    meeting = meeting_row(session, meeting_id)
    info = branch_info(session)
    symbol = info.branch.symbol if info else "CB"
    row = _resolution(session, meeting_id)
    if row is not None and row.status == ResolutionStatus.ADOPTED.value:
        raise DomainError("already_adopted")
    issued = _issued_numbers(session, meeting.unit_id, meeting.date,
                              row.id if row else None)
    terms = committee_terms(session, meeting.unit_id)
    if number.strip():
        parsed = parse_document_number(number)
        if parsed is None:
            raise ValidationError("bad_number", field="number", value=number)
        term = term_for(meeting.date, terms)
        in_term = (parse_document_number(n) for d, n in issued
                   if term is None or term.contains(d))
        taken = {str(p) for p in in_term if p is not None}
        if str(parsed) in taken:
            raise ValidationError("number_taken", field="number", value=str(parsed))
        number = str(parsed)
    else:
        number = (row.number if row and row.number else
                  str(next_document_number(issued, type_code="NQ", body_symbol=symbol,
                                           on=meeting.date, terms=terms)))
    body = json.dumps({"results": clean_block(results),
                       "tasks": [{"text": clean_block(text), "responsible": clean_line(who)}
                                 for text, who in tasks if clean_block(text)],
                       "implementation": clean_block(implementation)}, ensure_ascii=False)
    values = {"number": number, "title": clean_line(summary), "body": body,
              "issued_on": meeting.date}
    if row is None:
        row = ResolutionRow(id=new_id(), unit_id=meeting.unit_id, meeting_id=meeting_id,
                            status=ResolutionStatus.DRAFT.value, **values)
        session.add(row)
        session.flush()
        record_change(session, entity="resolutions", row_id=row.id, op="create",
                      base_version=0, fields={"meeting_id": meeting_id, **values})
    else:
        apply_update(session, entity="resolutions", row=row, values=values)
    if sync_resolution_tasks(session, resolution=row, tasks=tasks, meeting_day=meeting.date):
        return row.id, Changes.of("resolutions", "tasks")
    return row.id, Changes.of("resolutions")


def _resolution_row(session: Session, resolution_id: str) -> ResolutionRow:
    row = session.get(ResolutionRow, resolution_id)
    if row is None or row.deleted:
        raise NotFoundError("not_found", what=t("resolution"), id=resolution_id)
    return row


def _set_status(session: Session, row: ResolutionRow, status: ResolutionStatus,
                **values: Any) -> None:
    apply_update(session, entity="resolutions", row=row,
                 values={"status": status.value, **values})


def _require_names(session: Session, row: ResolutionRow) -> None:
    """The chair, the recorder and the signer must be named before a resolution goes out."""
    if row.meeting_id is None:
        raise NotFoundError("not_found", what=t("meeting"), id="")
    require_names(meeting_data(session, row.meeting_id))


def circulate_resolution(session: Session, *, resolution_id: str) -> Changes:
    """Mark the draft as sent round for comments (members, the commune)."""
    row = _resolution_row(session, resolution_id)
    if row.status == ResolutionStatus.ADOPTED.value:
        raise DomainError("already_adopted")
    _require_names(session, row)
    if row.status != ResolutionStatus.CIRCULATED.value:
        _set_status(session, row, ResolutionStatus.CIRCULATED)
    return Changes.of("resolutions")


def adopt_resolution(session: Session, *, resolution_id: str, votes_for: int,
                     votes_against: int = 0) -> Changes:
    """Adopted only by more than half of the meeting's voting base."""
    row = _resolution_row(session, resolution_id)
    if row.status == ResolutionStatus.ADOPTED.value:
        raise DomainError("already_adopted")
    _require_names(session, row)
    assert row.meeting_id is not None
    base = meeting_voting_base(session, row.meeting_id)
    _check_votes(votes_for, votes_against, base)
    if not is_adopted(votes_for, base):
        raise ValidationError("not_adopted", field="votes_for", needed=majority_needed(base),
                              base=base, votes_for=votes_for)
    _set_status(session, row, ResolutionStatus.ADOPTED, votes_for=votes_for,
                votes_against=votes_against, voting_base=base)
    return Changes.of("resolutions")


def add_comment(session: Session, *, resolution_id: str, body: str,
                author_member_id: str | None = None, author_text: str = "") -> tuple[str, Changes]:
    _resolution_row(session, resolution_id)
    text = clean_block(body)
    if not text:
        raise ValidationError("required", field="body")
    if author_member_id is not None and session.get(MemberRow, author_member_id) is None:
        raise NotFoundError("not_found", what=t("member"), id=author_member_id)
    row = CommentRow(id=new_id(), target_type="resolution", target_id=resolution_id,
                     author_member_id=author_member_id, author_text=clean_line(author_text),
                     body=text)
    session.add(row)
    session.flush()
    record_change(session, entity="comments", row_id=row.id, op="add", base_version=0,
                  fields={"target_type": "resolution", "target_id": resolution_id,
                          "author_member_id": author_member_id,
                          "author_text": row.author_text, "body": text})
    return row.id, Changes.of("comments")


def comments(session: Session, resolution_id: str) -> list[CommentView]:
    names = dict(session.execute(select(MemberRow.id, MemberRow.full_name)).all())
    rows = session.scalars(select(CommentRow).where(
        CommentRow.target_type == "resolution", CommentRow.target_id == resolution_id,
        CommentRow.deleted.is_(False)).order_by(CommentRow.created_at))
    return [CommentView(r.id, names.get(r.author_member_id or "", r.author_text) or
                        r.author_text, r.body, r.created_at) for r in rows]
