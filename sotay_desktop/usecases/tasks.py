"""A resolution's tasks (issue 19): the list, a member's tasks, and the secretary's edits
(status, notes, due date, person in charge)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from sotay_core.domain.entities import TaskStatus
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.tasks import TaskView
    from sotay_desktop.usecases.workspace import Workspace


class TaskFields(TypedDict, total=False):
    """The fields ``update_task`` may change; those absent stay as they are."""

    status: TaskStatus | str
    notes: str
    due_on: dt.date | str | None
    responsible_id: str | None


def tasks(ws: Workspace, *, since: dt.date | None = None, overdue: bool = False,
          member_id: str | None = None) -> list[TaskView]:
    from sotay_desktop.services import tasks as service

    with ws.db.reads() as session:
        return service.list_tasks(session, today=ws.today(), since=since, overdue=overdue,
                                  member_id=member_id)


def recent_tasks(ws: Workspace, *, months: int = 6) -> list[TaskView]:
    """Tasks of the resolutions of the last ``months`` months (the Tasks tab)."""
    from sotay_core.domain.dates import add_months

    return tasks(ws, since=add_months(ws.today().replace(day=1), -months))


def member_tasks(ws: Workspace, member_id: str) -> list[TaskView]:
    return tasks(ws, member_id=member_id)


def update_task(ws: Workspace, *, task_id: str, fields: TaskFields) -> Changes:
    from sotay_desktop.services import tasks as service

    with ws.db.sessions.begin() as session:
        return service.update_task(session, task_id=task_id, today=ws.today(), **fields)


def find_member(ws: Workspace, words: str) -> str:
    """A member's id from an id, a card number or a full name (accents as typed or not): the
    same look-up as ``sotay dues`` (``usecases.dues.find_member``)."""
    from sotay_desktop.usecases.dues import find_member as dues_find_member

    return dues_find_member(ws, words)
