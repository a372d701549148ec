"""Per-unit roll-ups of the branches' statistics rows (issue 22), kept by
``sync_server.rollup``: one row per unit directly above branches (a commune), summing its
direct branches' rows, so a merged province's pages add up ~170 rows per figure instead of
grouping 50,000 branches' rows. Imported at the end of ``models.py``; changing them needs a
migration (s0009 made them). The commune's own pages keep reading its branches' rows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.model_base import Base


class StatUnit(Base):
    """The branches directly below one unit: how many, their party numbers and open
    conflicts (``stat_branches``), their PCs' last sync and how many never synced."""

    __tablename__ = "stat_units"
    unit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), default="")
    branches: Mapped[int] = mapped_column(Integer, default=0)
    members: Mapped[int] = mapped_column(Integer, default=0)
    open_conflicts: Mapped[int] = mapped_column(Integer, default=0)
    last_sync: Mapped[dt.datetime | None] = mapped_column(DateTime)
    never_synced: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_stat_units_path", "path",
                            postgresql_ops={"path": "text_pattern_ops"}),)


class StatUnitMonth(Base):
    """One month at the branches directly below one unit: meetings (``stat_meetings``),
    dues (``stat_dues``: ``keeping`` is the branches with a row), members whose 3rd unpaid
    month of the year fell in this month (``stat_dues_flags``), monthly reports and meeting
    scores. A row exists when any of those has a row for the month."""

    __tablename__ = "stat_unit_months"
    unit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)     # 202611 for 11/2026
    path: Mapped[str] = mapped_column(String(1000), default="")
    held: Mapped[int] = mapped_column(Integer, default=0)
    present: Mapped[int] = mapped_column(Integer, default=0)
    marked: Mapped[int] = mapped_column(Integer, default=0)
    adopted: Mapped[int] = mapped_column(Integer, default=0)
    collected: Mapped[int] = mapped_column(BigInteger, default=0)
    retained: Mapped[int] = mapped_column(BigInteger, default=0)
    sent_up: Mapped[int] = mapped_column(BigInteger, default=0)
    payments: Mapped[int] = mapped_column(Integer, default=0)
    keeping: Mapped[int] = mapped_column(Integer, default=0)
    thirds: Mapped[int] = mapped_column(Integer, default=0)
    reports_sent: Mapped[int] = mapped_column(Integer, default=0)
    reports_received: Mapped[int] = mapped_column(Integer, default=0)
    scored: Mapped[int] = mapped_column(Integer, default=0)
    score_sum: Mapped[int] = mapped_column(BigInteger, default=0)

    __table_args__ = (Index("ix_stat_unit_months_month", "month", "path",
                            postgresql_ops={"path": "text_pattern_ops"}),)


class StatUnitReview(Base):
    """A year's annual review (``stat_reviews``, period "year", live) at the branches
    directly below one unit: campaigns started, sent up, decided, members reviewed, the
    members' grades that stand and the branches' own grades."""

    __tablename__ = "stat_unit_reviews"
    unit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), default="")
    started: Mapped[int] = mapped_column(Integer, default=0)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    decided: Mapped[int] = mapped_column(Integer, default=0)
    members: Mapped[int] = mapped_column(Integer, default=0)
    grade_excellent: Mapped[int] = mapped_column(Integer, default=0)
    grade_good: Mapped[int] = mapped_column(Integer, default=0)
    grade_fulfilled: Mapped[int] = mapped_column(Integer, default=0)
    grade_not_fulfilled: Mapped[int] = mapped_column(Integer, default=0)
    branch_excellent: Mapped[int] = mapped_column(Integer, default=0)
    branch_good: Mapped[int] = mapped_column(Integer, default=0)
    branch_fulfilled: Mapped[int] = mapped_column(Integer, default=0)
    branch_not_fulfilled: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_stat_unit_reviews_year", "year", "path",
                            postgresql_ops={"path": "text_pattern_ops"}),)


class StatUnitMember(Base):
    """Party numbers (``stat_members`` in the Party) of the branches directly below one
    unit, counted along each of four lines apart: ``kind`` "status", "gender", "year" (of
    birth; "" unknown) or "ethnicity", and its ``value``. The reports add these up."""

    __tablename__ = "stat_unit_members"
    unit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    value: Mapped[str] = mapped_column(String(60), primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), default="")
    n: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_stat_unit_members_path", "path",
                            postgresql_ops={"path": "text_pattern_ops"}),)


ROLLUP_CLASSES = (StatUnit, StatUnitMonth, StatUnitReview, StatUnitMember)
