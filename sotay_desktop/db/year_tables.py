"""Tables of the secretary's year (issue 20): the annual review campaign and its entries,
the commune's decisions on them, the admission candidates and their steps, and the
introduction letters of transfers. Each syncs (``SyncColumns``) and has its entity spec in
``sotay_core.protocol.entities``; the value rules are in ``sotay_core.domain.year_rules`` and
the rules of the work itself in ``sotay_core.domain.review`` / ``admission`` / ``transfers``.

Points are decimal text with one place (``"87.5"``, ``""`` when not given) so no float ever
rounds them. A month is ``"YYYY-MM"`` text (``dues.Month.key``).

Imported at the end of ``tables.py`` so that ``Base.metadata`` always holds these tables.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sotay_desktop.db.base import Base, SyncColumns


class ReviewCampaignRow(SyncColumns, Base):
    """One review of a branch: a year (``period`` "year") or a quarter ("q1".."q4").
    ``scheme`` is the points scheme as used (review_setting JSON), kept with the campaign so
    a later change of the setting never re-grades a finished year."""

    __tablename__ = "review_campaigns"
    unit_id: Mapped[str] = mapped_column(ForeignKey("org_units.id"))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(12), default="year")   # review_store.Period
    scheme: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="open")  # open/held/sent
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("meetings.id"))
    held_on: Mapped[dt.date | None] = mapped_column(Date)   # the branch's review meeting
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_review_campaigns_unit_year", "unit_id", "year", "period"),)


class ReviewEntryRow(SyncColumns, Base):
    """One member's review in a campaign, or the branch's own (``member_id`` None).

    The self-review (``self_points``, ``self_grade``, ``self_text``), the branch meeting's
    points per criterion (``scores``: JSON ``{"code": "9.5"}``), total and proposed grade,
    the vote on it, and the facts that cap a grade (``disciplined``, ``tasks_on_time``).
    ``facts`` is the year's record as prefilled on the form (JSON), kept as printed."""

    __tablename__ = "review_entries"
    campaign_id: Mapped[str] = mapped_column(ForeignKey("review_campaigns.id"), index=True)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    facts: Mapped[str] = mapped_column(Text, default="{}")
    self_points: Mapped[str] = mapped_column(String(5), default="")
    self_grade: Mapped[str] = mapped_column(String(16), default="")
    self_text: Mapped[str] = mapped_column(Text, default="")
    scores: Mapped[str] = mapped_column(Text, default="{}")
    points: Mapped[str] = mapped_column(String(5), default="")
    grade: Mapped[str] = mapped_column(String(16), default="")      # review.Grade, proposed
    disciplined: Mapped[bool] = mapped_column(Boolean, default=False)
    tasks_on_time: Mapped[bool] = mapped_column(Boolean, default=True)
    comments: Mapped[str] = mapped_column(Text, default="")         # the meeting's remarks
    votes_yes: Mapped[int] = mapped_column(Integer, default=0)
    votes_no: Mapped[int] = mapped_column(Integer, default=0)
    votes_abstain: Mapped[int] = mapped_column(Integer, default=0)
    votes_invalid: Mapped[int] = mapped_column(Integer, default=0)
    voting_base: Mapped[int] = mapped_column(Integer, default=0)
    secret: Mapped[bool] = mapped_column(Boolean, default=False)


class ReviewDecisionRow(SyncColumns, Base):
    """The level above's decision on one entry (written by the province server, pulled down):
    the grade decided, the decision's number and day. Becomes part of the member's history."""

    __tablename__ = "review_decisions"
    entry_id: Mapped[str] = mapped_column(ForeignKey("review_entries.id"), index=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("review_campaigns.id"))
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    grade: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(60), default="")     # "Số 12-QĐ/ĐU"
    decided_on: Mapped[dt.date] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class CandidateRow(SyncColumns, Base):
    """A person on the way to admission. Never a member, never in the party numbers or the
    voting base, until the ceremony makes a ``members`` row (``member_id``)."""

    __tablename__ = "candidates"
    unit_id: Mapped[str] = mapped_column(ForeignKey("org_units.id"))
    full_name: Mapped[str] = mapped_column(String(200))
    gender: Mapped[str | None] = mapped_column(String(12))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    residence: Mapped[str] = mapped_column(String(300), default="")
    occupation: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(12), default="active")  # active/admitted/…
    over_limit_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    sponsor1_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    sponsor1_since: Mapped[dt.date | None] = mapped_column(Date)
    sponsor2_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    sponsor2_since: Mapped[dt.date | None] = mapped_column(Date)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    note: Mapped[str] = mapped_column(Text, default="")


class CandidateStepRow(SyncColumns, Base):
    """One step of a candidate's path (``admission.Step``), done on a day, with its
    document's number and issuer and, for a resolution, its vote."""

    __tablename__ = "candidate_steps"
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidates.id"), index=True)
    step: Mapped[str] = mapped_column(String(24))
    done_on: Mapped[dt.date] = mapped_column(Date)
    number: Mapped[str] = mapped_column(String(60), default="")
    issuer: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    voting_base: Mapped[int | None] = mapped_column(Integer)


class TransferRow(SyncColumns, Base):
    """An introduction letter (giấy giới thiệu sinh hoạt đảng) sent or received."""

    __tablename__ = "transfers"
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    direction: Mapped[str] = mapped_column(String(12))        # transfers.Direction
    kind: Mapped[str] = mapped_column(String(20))            # transfers.TransferKind
    number: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    from_place: Mapped[str] = mapped_column(String(300), default="")
    to_place: Mapped[str] = mapped_column(String(300), default="")
    dues_paid_to: Mapped[str] = mapped_column(String(7), default="")   # "2026-10" or ""
    presented_on: Mapped[dt.date | None] = mapped_column(Date)
    event_id: Mapped[str | None] = mapped_column(ForeignKey("member_events.id"))
    note: Mapped[str] = mapped_column(Text, default="")
