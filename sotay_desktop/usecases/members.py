"""Members: the roster, one member's record (a view, audited), adding and changing them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sotay_core.domain.entities import EventKind, MemberRecord
from sotay_desktop.services.read_models import MemberSummary
from sotay_desktop.usecases.trace import leave_trace

if TYPE_CHECKING:
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.usecases.workspace import Workspace


def roster(ws: Workspace) -> list[MemberSummary]:
    from sotay_desktop.services import members

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return members.list_members(session, unit_id=unit_id)


def member(ws: Workspace, member_id: str) -> MemberRecord:
    """One member's record; reading it is a view, audited once it was read."""
    from sotay_desktop.services import members

    with ws.db.reads() as session:
        record = members.get_member(session, member_id)
    leave_trace(ws, "view", "members", member_id)
    return record


def add_member(ws: Workspace, data: Mapping[str, object]) -> tuple[str, Changes]:
    """``data``: the member's fields as typed (checked and cleaned by the domain)."""
    from sotay_desktop.services import members

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return members.add_member(session, unit_id=unit_id, data=data, today=ws.today())


def update_member(ws: Workspace, member_id: str, data: Mapping[str, object]) -> Changes:
    from sotay_desktop.services import members

    with ws.db.sessions.begin() as session:
        return members.update_member(session, member_id=member_id, data=data,
                                     today=ws.today())


def record_event(ws: Workspace, member_id: str, kind: EventKind | str, date: dt.date | str, *,
                 decision: str = "", place: str = "", detail: str = "") -> tuple[str, Changes]:
    from sotay_desktop.services import members

    with ws.db.sessions.begin() as session:
        return members.record_event(session, member_id=member_id, kind=kind, date=date,
                                    today=ws.today(), decision=decision, place=place,
                                    detail=detail)
