"""Tables of the secretary's month (issue 19): the dues book, the meeting's score and the
monthly report to the commune. Each syncs (``SyncColumns``) and has its entity spec in
``sotay_core.protocol.entities``; the rules of its values are in
``sotay_core.domain.record_rules`` and the dues rules in ``sotay_core.domain.dues``.

A month is stored as ``"YYYY-MM"`` text (``dues.Month``'s ISO form). Money is whole đồng.
Percentages are decimal text (``"0.5"``) so no float ever rounds a rate.

Imported at the end of ``tables.py`` so that ``Base.metadata`` always holds these tables.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sotay_desktop.db.base import Base, SyncColumns


class DuesBasisRow(SyncColumns, Base):
    """A member's dues basis from ``valid_from`` (the 1st of a month) until the next row's."""

    __tablename__ = "dues_bases"
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(16))       # dues.DuesCategory
    amount: Mapped[int] = mapped_column(Integer, default=0)  # salary, pension or flat dues
    note: Mapped[str] = mapped_column(String(300), default="")


class DuesExemptionRow(SyncColumns, Base):
    """An exemption or reduction for months ``starts_on`` .. ``ends_on`` (1st days)."""

    __tablename__ = "dues_exemptions"
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))           # dues.ExemptionKind
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    percent: Mapped[int] = mapped_column(Integer, default=100)
    decision: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(300), default="")


class DuesPaymentRow(SyncColumns, Base):
    """One member's dues for one month. Two live rows for one member-month are a conflict
    (the wire's natural key), never a double payment."""

    __tablename__ = "dues_payments"
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    month: Mapped[str] = mapped_column(String(7))           # "2026-02"
    amount: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(8), default="cash")  # dues.PaymentChannel
    receipt: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(String(300), default="")

    __table_args__ = (Index("ix_dues_payments_member_month", "member_id", "month"),
                      Index("ix_dues_payments_month", "month"))


class DuesRateRow(SyncColumns, Base):
    """A dated version of the dues rates (a setting, never a constant: domain.md marks
    several UNCONFIRMED). No rows: ``dues.DEFAULT_RATES``."""

    __tablename__ = "dues_rates"
    valid_from: Mapped[dt.date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(60), default="")
    salary_percent: Mapped[str] = mapped_column(String(8))
    pension_percent: Mapped[str] = mapped_column(String(8))
    student_amount: Mapped[int] = mapped_column(Integer)
    other_default: Mapped[int] = mapped_column(Integer)
    other_min: Mapped[int] = mapped_column(Integer)
    other_max: Mapped[int] = mapped_column(Integer)
    retention_percent: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(Text, default="")


class MeetingScoreRow(SyncColumns, Base):
    """The score sheet of one meeting: the criteria as scored (JSON list of
    ``{"code", "label", "max", "points"}``), the scheme's name, total and grade."""

    __tablename__ = "meeting_scores"
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"), unique=True)
    scheme: Mapped[str] = mapped_column(String(120), default="")
    items: Mapped[str] = mapped_column(Text, default="[]")
    total: Mapped[int] = mapped_column(Integer, default=0)
    grade: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class MonthlyReportRow(SyncColumns, Base):
    """The branch's report to the commune for one month: the figures as generated (JSON),
    the secretary's remarks, and whether it was sent (it goes up with the next sync)."""

    __tablename__ = "monthly_reports"
    unit_id: Mapped[str] = mapped_column(ForeignKey("org_units.id"))
    month: Mapped[str] = mapped_column(String(7))           # "2026-02"
    figures: Mapped[str] = mapped_column(Text, default="{}")
    remarks: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft / sent
    sent_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_monthly_reports_unit_month", "unit_id", "month"),)
