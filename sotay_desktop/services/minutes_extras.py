"""What issue 19 adds to the minutes: the review of last month's resolution and the
meeting's score. ``meetings.meeting_data`` calls ``review_for`` and ``score_line``.

The review is a draft the secretary may edit: while the minutes store none (or the stored
text is the draft itself) it is made afresh from the task rows, so a status changed later
still shows; once edited, the stored words are kept (emptied and saved: the draft again).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import MeetingKind
from sotay_core.domain.text import clean_block
from sotay_desktop.db.month_tables import MeetingScoreRow
from sotay_desktop.db.tables import MeetingRow
from sotay_desktop.documents.meeting_data import ScoreLine
from sotay_desktop.services.tasks import review_lines

REVIEW_KEY = "review"     # in the minutes' body JSON


def draft_review(session: Session, meeting: MeetingRow) -> str:
    return "\n".join(review_lines(session, meeting))


def review_for(session: Session, meeting: MeetingRow, body: dict[str, Any]) -> tuple[str, ...]:
    stored = body.get(REVIEW_KEY)
    if isinstance(stored, str) and stored.strip():
        text = stored
    elif meeting.kind == MeetingKind.MONTHLY.value:
        text = draft_review(session, meeting)
    else:
        return ()
    return tuple(line for line in text.splitlines() if line.strip())


def stored_review(session: Session, meeting: MeetingRow, text: str) -> str | None:
    """What the minutes keep of the review the secretary saved: None when it is empty or
    the draft as made now (so it stays live)."""
    clean = clean_block(text)
    if not clean or clean == clean_block(draft_review(session, meeting)):
        return None
    return clean


def max_of(items_json: str) -> int:
    """The most points of a stored sheet (the sum of its criteria's)."""
    try:
        items = json.loads(items_json or "[]")
    except json.JSONDecodeError:
        return 0
    return sum(i["max"] for i in items if isinstance(i, dict) and isinstance(i.get("max"), int))


def score_line(session: Session, meeting_id: str) -> ScoreLine | None:
    row = session.scalars(select(MeetingScoreRow).where(
        MeetingScoreRow.meeting_id == meeting_id, MeetingScoreRow.deleted.is_(False))).first()
    return ScoreLine(row.total, max_of(row.items), row.grade) if row else None
