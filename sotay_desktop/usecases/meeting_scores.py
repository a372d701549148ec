"""The meeting's score (issue 19): the sheet of one meeting, scoring it, the year's
scores, and the scheme (a setting of this data folder)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sotay_core.domain.meeting_score import Scheme, ScoreSheet
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.meeting_scores import ScoreForm, ScoreSummary
    from sotay_desktop.usecases.workspace import Workspace


def score_form(ws: Workspace, meeting_id: str) -> ScoreForm:
    from sotay_desktop.services import meeting_scores as service

    with ws.db.reads() as session:
        return service.score_form(session, meeting_id)


def save_score(ws: Workspace, *, meeting_id: str, points: Mapping[str, int],
               note: str = "") -> tuple[ScoreSheet, Changes]:
    from sotay_desktop.services import meeting_scores as service

    with ws.db.sessions.begin() as session:
        return service.save_score(session, meeting_id=meeting_id, points=points, note=note)


def year_scores(ws: Workspace, year: int) -> list[ScoreSummary]:
    from sotay_desktop.services import meeting_scores as service

    with ws.db.reads() as session:
        return service.year_scores(session, year)


def scheme(ws: Workspace) -> Scheme:
    from sotay_desktop.services import meeting_scores as service

    with ws.db.reads() as session:
        return service.current_scheme(session)


def set_scheme(ws: Workspace, text: str | None) -> Changes:
    """A scheme as JSON (checked before it is kept); None: back to the default."""
    from sotay_desktop.services import meeting_scores as service

    with ws.db.sessions.begin() as session:
        return service.set_scheme(session, text)
