"""Finding a study session as a person types it (issue 21, ``sotay study session remove``,
``sotay study scan``): its id, or 6 characters or more of its end (as the lists print it)
or of its start. Reads only."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.errors import NotFoundError, ValidationError
from sotay_desktop.db.study_tables import StudyPlanRow, StudySessionRow

SHORTEST = 6     # the lists print the last 8 characters of an id


def find_session(session: Session, *, unit_id: str, words: str) -> tuple[str, str]:
    """(session id, plan id) of a live session of a live plan of the branch; "[094796c1]"
    as copied from a list is "094796c1"; two sessions that fit are refused in words."""
    wanted = words.strip().removeprefix("[").removesuffix("]").strip()
    query = select(StudySessionRow.id, StudySessionRow.plan_id).join(
        StudyPlanRow, StudyPlanRow.id == StudySessionRow.plan_id).where(
        StudySessionRow.deleted.is_(False), StudyPlanRow.deleted.is_(False),
        StudyPlanRow.unit_id == unit_id)
    exact = session.execute(query.where(StudySessionRow.id == wanted)).first()
    if exact is not None:
        return str(exact[0]), str(exact[1])
    if len(wanted) >= SHORTEST and all(ch.isalnum() or ch == "-" for ch in wanted):
        found = session.execute(query.where(
            StudySessionRow.id.startswith(wanted, autoescape=True)
            | StudySessionRow.id.endswith(wanted, autoescape=True)).limit(2)).all()
        if len(found) == 1:
            return str(found[0][0]), str(found[0][1])
        if found:
            raise ValidationError("study_ids.session_ambiguous", value=wanted)
    raise NotFoundError("study_cli.no_session", value=wanted)
