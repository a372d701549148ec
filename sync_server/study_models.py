"""The tables of political study on the server (issue 21). Imported at the end of
``models.py``; changing them needs a migration (s0006 made them).

``study_publications`` is a fact, not a statistic: what the province (or a commune)
published, to which unit, when, by whom (written by ``study_publish`` beside the plan's
records, in the same transaction; one row per plan). ``stat_study`` is a statistic kept by
``study_facts`` from the records: one row per plan and branch where the plan's copy or the
branch's report on it exists, with the report's counts (``study_figures``); and
``stat_study_units``, those rows summed per unit directly above branches.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.model_base import Base, utcnow


class StudyPublication(Base):
    """A study plan published down: the unit it went to (its path, so the plans reaching a
    unit are found by prefix), and what the list shows without reading any record."""

    __tablename__ = "study_publications"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)      # the plan's id
    to_unit: Mapped[str] = mapped_column(String(36))
    to_path: Mapped[str] = mapped_column(String(1000))
    issuer_unit: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(12), default="study")
    title: Mapped[str] = mapped_column(String(500))
    number: Mapped[str] = mapped_column(String(60), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    branches: Mapped[int] = mapped_column(Integer, default=0)          # copies written
    published_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(120), default="")
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (Index("ix_study_publications_to_path", "to_path",
                            postgresql_ops={"to_path": "text_pattern_ops"}),)


class StatStudy(Base):
    """One plan at one branch: whether its copy is there (``plan_live``), whether the branch
    reported (``reported``) and the report's counts. The lists are JSON: the quiz's histogram
    (sheets by number of right answers), right answers per question, the survey's tallies
    per question and choice, the written answers' summaries; ``named`` only for a contest."""

    __tablename__ = "stat_study"
    plan_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)   # the branch
    path: Mapped[str] = mapped_column(String(1000), default="")
    plan_live: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(12), default="study")
    report_id: Mapped[str] = mapped_column(String(36), default="")
    reported: Mapped[bool] = mapped_column(Boolean, default=False)
    targeted: Mapped[int] = mapped_column(Integer, default=0)
    studied: Mapped[int] = mapped_column(Integer, default=0)
    sessions: Mapped[int] = mapped_column(Integer, default=0)
    makeup_sessions: Mapped[int] = mapped_column(Integer, default=0)
    quiz_sat: Mapped[int] = mapped_column(Integer, default=0)
    quiz_passed: Mapped[int] = mapped_column(Integer, default=0)
    histogram: Mapped[str] = mapped_column(Text, default="[]")
    question_correct: Mapped[str] = mapped_column(Text, default="[]")
    survey_present: Mapped[int] = mapped_column(Integer, default=0)
    survey_tallies: Mapped[str] = mapped_column(Text, default="[]")
    survey_texts: Mapped[str] = mapped_column(Text, default="[]")
    named: Mapped[str] = mapped_column(Text, default="[]")
    updated_on: Mapped[dt.date | None] = mapped_column(Date)     # the report's own day
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)   # its last write here

    # a plan's branches in a subtree (the plan page)
    __table_args__ = (Index("ix_stat_study_plan_path", "plan_id", "path",
                            postgresql_ops={"path": "text_pattern_ops"}),)


class StatStudyUnit(Base):
    """A plan at the branches directly below one unit (a commune), summed from their
    ``stat_study`` rows: so a province's page adds up ~140 of these, not 17,000 reports'
    lists. Rewritten whenever one of those branches' rows changes (s0007)."""

    __tablename__ = "stat_study_units"
    plan_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), default="")
    branches: Mapped[int] = mapped_column(Integer, default=0)
    reported: Mapped[int] = mapped_column(Integer, default=0)
    quiz_sat: Mapped[int] = mapped_column(Integer, default=0)
    survey_present: Mapped[int] = mapped_column(Integer, default=0)
    histogram: Mapped[str] = mapped_column(Text, default="[]")
    question_correct: Mapped[str] = mapped_column(Text, default="[]")
    survey_tallies: Mapped[str] = mapped_column(Text, default="[]")
    survey_written: Mapped[str] = mapped_column(Text, default="[]")   # per question: branches

    __table_args__ = (Index("ix_stat_study_units_plan_path", "plan_id", "path",
                            postgresql_ops={"path": "text_pattern_ops"}),)
