"""Transfer letters (chuyển sinh hoạt đảng): the list and one letter, recording a letter sent
or received with its life event, presenting it, ending a temporary stay, changing,
cancelling and restoring it, and the deadline setting. The "Chuyển sinh hoạt" screen and
``sotay transfer`` call these; ``today`` comes from the workspace's clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sotay_core.domain.dues import Month
    from sotay_core.domain.transfers import Direction, TransferKind, TransferRules
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.read_models import MemberSummary
    from sotay_desktop.services.transfers_read import LetterView
    from sotay_desktop.usecases.workspace import Workspace


def letters(ws: Workspace, *, late_only: bool = False,
            member_id: str | None = None) -> list[LetterView]:
    from sotay_desktop.services import transfers_read

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return transfers_read.list_letters(session, unit_id=unit_id, today=ws.today(),
                                           late_only=late_only, member_id=member_id)


def letter(ws: Workspace, transfer_id: str) -> LetterView:
    from sotay_desktop.services import transfers_read

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return transfers_read.get_letter(session, unit_id=unit_id, transfer_id=transfer_id,
                                         today=ws.today())


def find_letter(ws: Workspace, words: str) -> LetterView:
    """A letter by id or number (the command line's LETTER)."""
    from sotay_desktop.services import transfers_read

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return transfers_read.find_letter(session, unit_id=unit_id, words=words,
                                          today=ws.today())


def people(ws: Workspace) -> list[MemberSummary]:
    """Everyone in the records, for the dialog's member list (roster order)."""
    from sotay_desktop.services import members

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return members.list_members(session, unit_id=unit_id)


def paid_up_to(ws: Workspace, member_id: str) -> Month | None:
    """The dues book's paid-up month of the member (the letter's box), if any."""
    from sotay_desktop.services import transfers

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return transfers.paid_up_to(session, unit_id=unit_id, member_id=member_id,
                                    today=ws.today())


def rules(ws: Workspace) -> TransferRules:
    from sotay_desktop.services import transfers_read

    with ws.db.reads() as session:
        return transfers_read.current_rules(session)


def deadline_for(ws: Workspace, issued_on: dt.date) -> dt.date:
    from sotay_core.domain.transfers import deadline

    return deadline(issued_on, rules(ws))


def set_rules(ws: Workspace, new: TransferRules | None) -> Changes:
    from sotay_desktop.services import transfers

    with ws.db.sessions.begin() as session:
        return transfers.set_rules(session, new)


def record_letter(ws: Workspace, *, direction: Direction | str, kind: TransferKind | str,
                  number: str, issued_on: dt.date | str, member_id: str | None = None,
                  person: Mapping[str, Any] | None = None,
                  valid_until: dt.date | str | None = None, from_place: str = "",
                  to_place: str = "", dues_paid_to: Month | str | None = "auto",
                  presented_on: dt.date | str | None = None,
                  moved_on: dt.date | str | None = None,
                  note: str = "") -> tuple[str, Changes]:
    """One letter and its event, in one transaction (refused as a whole, naming the rule)."""
    from sotay_desktop.services import transfers

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return transfers.record_letter(
            session, unit_id=unit_id, direction=direction, kind=kind, number=number,
            issued_on=issued_on, today=ws.today(), member_id=member_id, person=person,
            valid_until=valid_until, from_place=from_place, to_place=to_place,
            dues_paid_to=dues_paid_to, presented_on=presented_on, moved_on=moved_on,
            note=note)


def present(ws: Workspace, transfer_id: str, presented_on: dt.date | str) -> Changes:
    from sotay_desktop.services import transfers

    with ws.db.sessions.begin() as session:
        return transfers.present(session, transfer_id=transfer_id, presented_on=presented_on,
                                 today=ws.today())


def end_stay(ws: Workspace, transfer_id: str, ended_on: dt.date | str) -> tuple[str, Changes]:
    from sotay_desktop.services import transfers

    with ws.db.sessions.begin() as session:
        return transfers.end_stay(session, transfer_id=transfer_id, ended_on=ended_on,
                                  today=ws.today())


def update_letter(ws: Workspace, transfer_id: str, values: Mapping[str, Any]) -> Changes:
    from sotay_desktop.services import transfers_edit

    with ws.db.sessions.begin() as session:
        return transfers_edit.update_letter(session, transfer_id=transfer_id, values=values,
                                            today=ws.today())


def cancel_letter(ws: Workspace, transfer_id: str) -> Changes:
    from sotay_desktop.services import transfers_edit

    with ws.db.sessions.begin() as session:
        return transfers_edit.cancel_letter(session, transfer_id=transfer_id)


def cancelled(ws: Workspace) -> str | None:
    """What the restore button would bring back, in words; None when nothing."""
    from sotay_desktop.services import transfers_edit

    with ws.db.reads() as session:
        return transfers_edit.cancel_words(session)


def restore_last(ws: Workspace) -> tuple[str, Changes]:
    from sotay_desktop.services import transfers_edit

    with ws.db.sessions.begin() as session:
        return transfers_edit.restore_last(session)
