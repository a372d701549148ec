"""Tables of political study (issue 21): study plans, the branch's report on each (synced),
and what stays at the branch: study sessions, who attended, each member's quiz answers, and
the survey's paper tallies.

Only ``study_plans`` and ``study_reports`` sync (``SyncColumns``, entity specs in
``sotay_core.protocol.entities``, value rules in ``sotay_core.domain.study_rules``). A plan
from above is written by the province (read-only here); the branch may make its own. The
report carries counts only (``sotay_core.domain.study_figures``).

The other four tables are this PC's alone (``LocalColumns``: no version, never in the
outbox): who studied and each member's answers are not sent up (issue 21: "only counts go
up for members"; Law 91/2025: no more personal data than the purpose needs). They are in
the encrypted profile and its backups like every table. ``deleted`` keeps a removed row for
undo.

Imported at the end of ``tables.py`` so that ``Base.metadata`` always holds these tables.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from sotay_desktop.db.base import Base, SyncColumns, utcnow

# Local tables: not synced (tests/test_sync_protocol.py checks none of them is an entity).
LOCAL_TABLES: tuple[str, ...] = (
    "study_sessions", "study_attendance", "quiz_answers", "survey_sheets")


class LocalColumns:
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("0"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class StudyPlanRow(SyncColumns, Base):
    """What to study, who, by when; optionally a quiz and a survey (``study`` JSON forms).
    ``origin`` "from_above" (published by the commune/province, or typed from a paper plan)
    or "own". ``documents``: JSON list of ``documents`` ids. ``audience`` and ``statuses``:
    ``study_plan.Target``. ``points``: what studying it earns (None: the points setting)."""

    __tablename__ = "study_plans"
    unit_id: Mapped[str] = mapped_column(ForeignKey("org_units.id"))
    origin: Mapped[str] = mapped_column(String(12), default="from_above")
    kind: Mapped[str] = mapped_column(String(12), default="study")       # study.PlanKind
    title: Mapped[str] = mapped_column(String(500))
    number: Mapped[str] = mapped_column(String(60), default="")          # "Số 12-KH/ĐU"
    issuer: Mapped[str] = mapped_column(String(200), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    documents: Mapped[str] = mapped_column(Text, default="[]")
    audience: Mapped[str] = mapped_column(String(12), default="all")     # study.Audience
    statuses: Mapped[str] = mapped_column(String(200), default="")
    quiz: Mapped[str] = mapped_column(Text, default="")
    survey: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class StudyReportRow(SyncColumns, Base):
    """The branch's counts on one plan (``study_figures`` JSON), kept in step with the
    branch's sessions, answers and tallies, and sent up with the next sync."""

    __tablename__ = "study_reports"
    unit_id: Mapped[str] = mapped_column(ForeignKey("org_units.id"))
    plan_id: Mapped[str] = mapped_column(ForeignKey("study_plans.id"), index=True)
    figures: Mapped[str] = mapped_column(Text, default="{}")
    updated_on: Mapped[dt.date | None] = mapped_column(Date)


class StudySessionRow(LocalColumns, Base):
    """A study session of a plan: in the hall, a make-up, or a visit at home (``kind``)."""

    __tablename__ = "study_sessions"
    plan_id: Mapped[str] = mapped_column(ForeignKey("study_plans.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12), default="session")   # session/makeup/home
    place: Mapped[str] = mapped_column(String(300), default="")
    documents: Mapped[str] = mapped_column(Text, default="[]")         # ids studied
    note: Mapped[str] = mapped_column(Text, default="")


class StudyAttendanceRow(LocalColumns, Base):
    """A member present at a session; once per session (a second scan changes nothing).
    ``how``: "name" (ticked by name) or "scan" (the card's code)."""

    __tablename__ = "study_attendance"
    session_id: Mapped[str] = mapped_column(ForeignKey("study_sessions.id"))
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    how: Mapped[str] = mapped_column(String(8), default="name")

    __table_args__ = (UniqueConstraint("session_id", "member_id"),)


class QuizAnswerRow(LocalColumns, Base):
    """A member's quiz sheet for a plan: letters, one per question (``-`` blank), and the
    score as entered (kept so a later change of the quiz shows, not silently re-scores)."""

    __tablename__ = "quiz_answers"
    plan_id: Mapped[str] = mapped_column(ForeignKey("study_plans.id"))
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    answers: Mapped[str] = mapped_column(String(120), default="")
    correct: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    taken_on: Mapped[dt.date | None] = mapped_column(Date)
    how: Mapped[str] = mapped_column(String(8), default="grid")   # grid / scan / typed

    __table_args__ = (UniqueConstraint("plan_id", "member_id"),
                      Index("ix_quiz_answers_plan", "plan_id"))


class SurveySheetRow(LocalColumns, Base):
    """The survey's paper answers counted at one collection (a session, or alone):
    ``present`` members, ``tallies`` JSON (per question a list of counts per choice),
    ``texts`` JSON (per question a summary of written answers, and their number)."""

    __tablename__ = "survey_sheets"
    plan_id: Mapped[str] = mapped_column(ForeignKey("study_plans.id"), index=True)
    session_id: Mapped[str | None] = mapped_column(ForeignKey("study_sessions.id"))
    collected_on: Mapped[dt.date] = mapped_column(Date)
    present: Mapped[int] = mapped_column(Integer, default=0)
    tallies: Mapped[str] = mapped_column(Text, default="[]")
    texts: Mapped[str] = mapped_column(Text, default="[]")
