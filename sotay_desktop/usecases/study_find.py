"""A study plan or session as a person types it on the command line (issue 21): the id, the
start of it the lists print, or a plan's exact title. A query; nothing is audited (the
view that follows is)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sotay_desktop.usecases.workspace import Workspace


def find_session(ws: Workspace, words: str) -> tuple[str, str]:
    """(session id, plan id); refused in words when no session or several fit."""
    from sotay_desktop.services import study_find

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return study_find.find_session(session, unit_id=unit_id, words=words)
