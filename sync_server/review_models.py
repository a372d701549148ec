"""The statistics of the annual review (issue 20), kept by ``sync_server.review_facts`` from
the review_campaigns, review_entries and review_decisions records. Imported at the end of
``models.py``; changing them needs a migration (s0005 made them)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.model_base import Base

GRADE_COLUMNS = ("excellent", "good", "fulfilled", "not_fulfilled")   # review.Grade's values


class StatReview(Base):
    """One branch's review campaign (a year, or a quarter): its status; its members' grades
    as the branch meeting proposed them, how many the level above has decided (and changed),
    and the grade that stands (decided, else proposed); the branch's own grade the same way.
    A deleted campaign keeps its row, marked."""

    __tablename__ = "stat_reviews"
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)      # the campaign's
    path: Mapped[str] = mapped_column(String(1000), default="")
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(12), default="year")
    status: Mapped[str] = mapped_column(String(12), default="open")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    members: Mapped[int] = mapped_column(Integer, default=0)     # the members' entries
    proposed_excellent: Mapped[int] = mapped_column(Integer, default=0)
    proposed_good: Mapped[int] = mapped_column(Integer, default=0)
    proposed_fulfilled: Mapped[int] = mapped_column(Integer, default=0)
    proposed_not_fulfilled: Mapped[int] = mapped_column(Integer, default=0)
    decided: Mapped[int] = mapped_column(Integer, default=0)     # members' entries decided
    changed: Mapped[int] = mapped_column(Integer, default=0)     # … to another grade
    decided_excellent: Mapped[int] = mapped_column(Integer, default=0)
    decided_good: Mapped[int] = mapped_column(Integer, default=0)
    decided_fulfilled: Mapped[int] = mapped_column(Integer, default=0)
    decided_not_fulfilled: Mapped[int] = mapped_column(Integer, default=0)
    grade_excellent: Mapped[int] = mapped_column(Integer, default=0)
    grade_good: Mapped[int] = mapped_column(Integer, default=0)
    grade_fulfilled: Mapped[int] = mapped_column(Integer, default=0)
    grade_not_fulfilled: Mapped[int] = mapped_column(Integer, default=0)
    branch_proposed: Mapped[str] = mapped_column(String(16), default="")
    branch_decided: Mapped[str] = mapped_column(String(16), default="")
    branch_grade: Mapped[str] = mapped_column(String(16), default="")   # decided, else proposed
    decision_number: Mapped[str] = mapped_column(String(60), default="")
    decided_on: Mapped[dt.date | None] = mapped_column(Date)

    # a year's campaigns of a subtree (the tree page)
    __table_args__ = (Index("ix_stat_reviews_year", "year", "path",
                            postgresql_ops={"path": "text_pattern_ops"}),)
