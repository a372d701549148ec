"""The dues book: the year's grid, one member's dues, the rates, and each write of the
"Đảng phí" screen and of ``sotay dues``. ``today`` comes from the workspace's clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sotay_core.domain.dues import (
        DuesCategory,
        ExemptionKind,
        Month,
        PaymentChannel,
        RateVersion,
    )
    from sotay_core.domain.dues_book import DuesBook
    from sotay_core.domain.reminders import Reminder
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.dues_read import MemberDuesView
    from sotay_desktop.usecases.workspace import Workspace


@dataclass(frozen=True, slots=True)
class RateSettings:
    """The dated rate versions in force; ``recorded`` False: the software's defaults."""

    versions: tuple[RateVersion, ...]
    recorded: bool


def book(ws: Workspace, year: int) -> DuesBook:
    from sotay_desktop.services import dues_read

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return dues_read.book(session, unit_id=unit_id, year=year, today=ws.today())


def find_member(ws: Workspace, words: str) -> str:
    """A member of the branch by id, card number or exact name (the command line's MEMBER)."""
    from sotay_desktop.services import dues_read

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return dues_read.find_member(session, unit_id=unit_id, words=words)


def member_dues(ws: Workspace, member_id: str) -> MemberDuesView | None:
    from sotay_desktop.services import dues_read

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return dues_read.member_view(session, unit_id=unit_id, member_id=member_id,
                                     today=ws.today())


def rates(ws: Workspace) -> RateSettings:
    from sotay_desktop.services import dues_read

    with ws.db.reads() as session:
        table = dues_read.rate_table(session)
        recorded = bool(dues_read.rate_rows(session))
    return RateSettings(table.versions, recorded)


def reminders(ws: Workspace) -> list[Reminder]:
    """2 and 3+ unpaid months this calendar year (Home lists them with the others)."""
    from sotay_desktop.services import dues_read

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return dues_read.reminders(session, unit_id=unit_id, today=ws.today())


def set_basis(ws: Workspace, *, member_id: str, category: DuesCategory | str, amount: int,
              valid_from: Month | str, note: str = "") -> Changes:
    from sotay_desktop.services import dues

    with ws.db.sessions.begin() as session:
        return dues.set_basis(session, member_id=member_id, category=category, amount=amount,
                              valid_from=valid_from, note=note)


def add_exemption(ws: Workspace, *, member_id: str, kind: ExemptionKind | str,
                  start: Month | str, end: Month | str | None = None, percent: int = 100,
                  decision: str = "", note: str = "") -> tuple[str, Changes]:
    from sotay_desktop.services import dues

    with ws.db.sessions.begin() as session:
        return dues.add_exemption(session, member_id=member_id, kind=kind, start=start,
                                  end=end, percent=percent, decision=decision, note=note)


def end_exemption(ws: Workspace, *, exemption_id: str, end: Month | str) -> Changes:
    from sotay_desktop.services import dues

    with ws.db.sessions.begin() as session:
        return dues.end_exemption(session, exemption_id=exemption_id, end=end)


def remove_exemption(ws: Workspace, *, exemption_id: str) -> Changes:
    from sotay_desktop.services import dues

    with ws.db.sessions.begin() as session:
        return dues.remove_exemption(session, exemption_id=exemption_id)


def record_payment(ws: Workspace, *, member_id: str, month: Month | str, months: int = 1,
                   amount: int | None = None, channel: PaymentChannel | str = "cash",
                   paid_on: dt.date | str | None = None, receipt: str = "",
                   note: str = "") -> tuple[list[Month], Changes]:
    """One month, or an advance over ``months``; refused as a whole, naming member and
    month, when any month cannot be paid."""
    from sotay_desktop.services import dues

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return dues.record_payment(session, unit_id=unit_id, member_id=member_id,
                                   month=month, today=ws.today(), months=months,
                                   amount=amount, channel=channel, paid_on=paid_on,
                                   receipt=receipt, note=note)


def cancel_payment(ws: Workspace, *, member_id: str, month: Month | str) -> Changes:
    from sotay_desktop.services import dues

    with ws.db.sessions.begin() as session:
        return dues.cancel_payment(session, member_id=member_id, month=month)


def add_rate(ws: Workspace, *, valid_from: Month | str, name: str,
             salary_percent: Decimal | str, pension_percent: Decimal | str,
             student_amount: int, other_default: int, other_min: int, other_max: int,
             retention_percent: Decimal | str, note: str = "") -> Changes:
    from sotay_desktop.services import dues

    with ws.db.sessions.begin() as session:
        return dues.add_rate(session, valid_from=valid_from, name=name,
                             salary_percent=salary_percent, pension_percent=pension_percent,
                             student_amount=student_amount, other_default=other_default,
                             other_min=other_min, other_max=other_max,
                             retention_percent=retention_percent, note=note)
