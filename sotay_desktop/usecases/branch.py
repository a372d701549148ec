"""The branch itself: what the window shows after a load, a new branch, the demo branch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.reminders import Reminder, reminders_for, with_candidates
from sotay_desktop.services.read_models import BranchInfo, BranchSnapshot

if TYPE_CHECKING:
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.demo import DemoSummary
    from sotay_desktop.usecases.workspace import Workspace


def branch(ws: Workspace) -> BranchInfo | None:
    from sotay_desktop.services.branch import branch_info

    with ws.db.reads() as session:
        return branch_info(session)


def snapshot(ws: Workspace) -> BranchSnapshot:
    """Everything the window shows after a load: branch, roster, counts, unsent changes."""
    from sotay_desktop.usecases import members

    info = branch(ws)
    if info is None:
        return BranchSnapshot(None, [], {}, 0)
    return BranchSnapshot(info, members.roster(ws), counts(ws), pending_changes(ws))


def counts(ws: Workspace) -> dict[MemberStatus, int]:
    from sotay_desktop.services import members

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return members.count_by_status(session, unit_id=unit_id)


def reminders(ws: Workspace) -> list[Reminder]:
    """What the secretary must act on soon: the members' (probation, badges, exemptions),
    the month's (dues, tasks past due), the year's (letters not presented, candidates'
    deadlines, the annual review) and political study's (plans due with members not
    studied)."""
    from sotay_desktop.services import (
        dues_read,
        members,
        study_read,
        tasks,
        transfers_read,
        year_reminders,
    )

    unit_id, today = ws.branch_id(), ws.today()
    with ws.db.reads() as session:
        on_roster = [s for s in MemberStatus if s.on_roster]
        found = members.histories(session, unit_id=unit_id, statuses=on_roster)
        owing = dues_read.reminders(session, unit_id=unit_id, today=today)
        late = tasks.overdue_reminders(session, today)   # resolution tasks past due
        late += transfers_read.late_reminders(session, unit_id=unit_id, today=today)
        admission = year_reminders.candidate_reminders(session, unit_id=unit_id, today=today)
        review = year_reminders.campaign_reminders(session, unit_id=unit_id, today=today)
        studying = study_read.reminders(session, unit_id=unit_id, today=today)
    own, admission = with_candidates(reminders_for(found, today), admission)
    return own + owing + late + admission + review + studying


def pending_changes(ws: Workspace) -> int:
    """Changes waiting to be sent to the province server."""
    from sotay_desktop.services.outbox import pending_count

    with ws.db.reads() as session:
        return pending_count(session)


def create_branch(ws: Workspace, *, branch_name: str, commune_name: str,
                  province_name: str) -> tuple[str, Changes]:
    from sotay_desktop.services.branch import create_branch as create

    with ws.db.sessions.begin() as session:
        return create(session, branch_name=branch_name, commune_name=commune_name,
                      province_name=province_name)


def create_demo(ws: Workspace, *, members: int = 60, documents: int = 20,
                meetings: int = 12) -> tuple[DemoSummary, Changes]:
    from sotay_desktop.services.demo import create_demo as create

    with ws.db.sessions.begin() as session:
        return create(session, as_of=ws.today(), members=members, documents=documents,
                      meetings=meetings)
