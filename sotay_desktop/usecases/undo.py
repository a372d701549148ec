"""Undo: a member entered by mistake removed, and the last import or removal undone."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.undo import UndoableAct
    from sotay_desktop.usecases.workspace import Workspace


def remove_member(ws: Workspace, member_id: str) -> Changes:
    """A member entered by mistake, removed (a synced marker); undone from Home."""
    from sotay_desktop.services import undo

    with ws.db.sessions.begin() as session:
        return undo.remove_member(session, member_id=member_id)


def last_undoable(ws: Workspace) -> UndoableAct | None:
    from sotay_desktop.services import undo

    with ws.db.reads() as session:
        return undo.last_act(session)


def undo_last(ws: Workspace, expected: UndoableAct | None = None
              ) -> tuple[UndoableAct, Changes]:
    """Undo the last act; with ``expected``, only if it is still the one confirmed."""
    from sotay_desktop.services import undo

    with ws.db.sessions.begin() as session:
        return undo.undo_last(session, expected=expected)
