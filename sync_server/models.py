"""The server's tables. Branch records are kept generically (entity, id, JSON data)
in one ``records`` table, stamped with their scope's sequence number; the province
pages read them through ``sync_server.queries``.

Changing these tables needs a migration under ``sync_server/migrations/versions``;
``tests/test_server_migrations.py`` compares the migrated schema with this module.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.model_base import NAMING_CONVENTION, Base, utcnow


class Unit(Base):
    """The organisation tree: province → commune (→ …) → branch."""

    __tablename__ = "units"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    # a unit's children (the roll-ups of ``sync_server.rollup``, migration s0009)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    # "/<root id>/…/<own id>/": a subtree is one LIKE 'path%' on an index.
    # On PostgreSQL the index uses text_pattern_ops, so LIKE 'prefix%' can use it under any
    # collation (migration s0002).
    path: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        Index("ix_units_path", "path", postgresql_ops={"path": "text_pattern_ops"}),
    )


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    bundle_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    enrolled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_mutation_id: Mapped[int | None] = mapped_column(BigInteger)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class EnrollCode(Base):
    __tablename__ = "enroll_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ScopeSeq(Base):
    """One counter per scope (a branch); locked while a change is stamped."""

    __tablename__ = "scope_seq"
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class Record(Base):
    """One synced row of one scope. The same id may exist in several scopes (a published
    document, a province unit above each branch): scopes never see each other."""

    __tablename__ = "records"
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[str] = mapped_column(Text)             # JSON object, wire types
    province_owned: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(120), default="")
    # The natural key of live rows that have one (attendance: meeting and member).
    natural_key: Mapped[str | None] = mapped_column(String(80))

    __table_args__ = (
        Index("ix_records_scope_version", "scope_id", "version", unique=True),
        Index("ix_records_natural_key", "scope_id", "entity", "natural_key"),
    )


class AppliedMutation(Base):
    """What the server answered to each device mutation, for retries (idempotence)."""

    __tablename__ = "applied_mutations"
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    mutation_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class StoredFile(Base):
    """A file, once per content; bytes in <files dir>/<aa>/<sha256>."""

    __tablename__ = "files"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class FileGrant(Base):
    """A scope (a branch) may read a stored file: the only thing that makes a file visible to
    a device. A record that names a hash grants nothing.

    ``how``: "published" (a publication addressed to the branch itself), "covered" (a
    publication addressed to a unit above it), "uploaded" (a device of the scope sent the
    whole bytes). ``via``: the unit published to, or the uploading device."""

    __tablename__ = "file_grants"
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("files.sha256"), primary_key=True)
    how: Mapped[str] = mapped_column(String(16))
    via: Mapped[str] = mapped_column(String(36), default="")
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_file_grants_via", "via", "how"),)


class FileDownload(Base):
    """A device that has received a whole file (for 'who has downloaded it')."""

    __tablename__ = "file_downloads"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    completed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AdminLog(Base):
    __tablename__ = "admin_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")


# --- province staff (the pages) ------------------------------------------------------


class StaffUser(Base):
    """A province or commune staff account: sees its unit's subtree only."""

    __tablename__ = "staff_users"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))      # argon2id, PHC string
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class StaffSession(Base):
    """A logged-in browser: the cookie holds a random token, the table its SHA-256."""

    __tablename__ = "staff_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("staff_users.id"), index=True)
    # Signs this session's form tokens (a form from another session is refused).
    form_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class StaffLoginFailure(Base):
    """A wrong staff password, for the per-account and per-address limits. In the database,
    not in a process's memory, so several server workers count together."""

    __tablename__ = "staff_login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_staff_login_failures_username", "username", "at"),
        Index("ix_staff_login_failures_address", "address", "at"),
    )


class UsedForm(Base):
    """A form token already submitted: the same form sent twice is refused, not repeated."""

    __tablename__ = "used_forms"
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    used_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# --- statistics: narrow typed rows kept up to date from the records -------------------
# ``sync_server.facts`` rewrites them from the current records whenever a transaction
# stamps a member, event, meeting, attendance, resolution or conflict record, so the
# province pages never parse JSON for 500,000 members.


class StatBranch(Base):
    __tablename__ = "stat_branches"
    scope_id: Mapped[str] = mapped_column(ForeignKey("units.id"), primary_key=True)
    members: Mapped[int] = mapped_column(Integer, default=0)           # in the Party, here
    open_conflicts: Mapped[int] = mapped_column(Integer, default=0)


class StatMember(Base):
    __tablename__ = "stat_members"
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # The branch's path (units never move): a subtree's figures need no join.
    path: Mapped[str] = mapped_column(String(1000), default="")
    gender: Mapped[str] = mapped_column(String(16), default="")
    birth_year: Mapped[int | None] = mapped_column(Integer)
    ethnicity: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(20), default="none")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_stat_members_path", "path", postgresql_ops={"path": "text_pattern_ops"}),
    )


class StatMemberEvent(Base):
    __tablename__ = "stat_member_events"
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(32))
    date: Mapped[dt.date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_stat_member_events_member", "scope_id", "member_id"),)


class StatMeeting(Base):
    __tablename__ = "stat_meetings"
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), default="")
    date: Mapped[dt.date] = mapped_column(Date)
    month: Mapped[int] = mapped_column(Integer, index=True)       # 202611 for 11/2026
    kind: Mapped[str] = mapped_column(String(16), default="monthly")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    present: Mapped[int] = mapped_column(Integer, default=0)
    marked: Mapped[int] = mapped_column(Integer, default=0)   # attendance rows of voting members
    # 1 on the branch's first meeting of the month that someone attended: the sum over a
    # month is the number of branches that met (no COUNT DISTINCT over 200,000 rows).
    held: Mapped[int] = mapped_column(Integer, default=0)
    adopted: Mapped[int] = mapped_column(Integer, default=0)  # resolutions adopted there

    # a subtree's months (a commune's 12-month chart; migration s0004)
    __table_args__ = (Index("ix_stat_meetings_path", "path", "month",
                            postgresql_ops={"path": "text_pattern_ops"}),)


class StatResolution(Base):
    __tablename__ = "stat_resolutions"
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    meeting_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


# --- the secretary's month (issue 19): dues, monthly reports, meeting scores ---------
# Kept by ``sync_server.month_facts`` from the dues_*, monthly_reports and meeting_scores
# records (and the members' events, which say who owes dues when).


class StatDues(Base):
    """One branch's dues for one month (the month the dues are for, as in the book)."""

    __tablename__ = "stat_dues"
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)     # 202611 for 11/2026
    path: Mapped[str] = mapped_column(String(1000), default="")
    collected: Mapped[int] = mapped_column(BigInteger, default=0)
    retained: Mapped[int] = mapped_column(BigInteger, default=0)      # by the chi bộ
    sent_up: Mapped[int] = mapped_column(BigInteger, default=0)
    payments: Mapped[int] = mapped_column(Integer, default=0)

    # by month (a month's tree) and by subtree (a commune's 12 months)
    __table_args__ = (Index("ix_stat_dues_month", "month", "path",
                            postgresql_ops={"path": "text_pattern_ops"}),
                      Index("ix_stat_dues_path", "path", "month",
                            postgresql_ops={"path": "text_pattern_ops"}))


class StatDuesFlag(Base):
    """A member with 2 or more unpaid months in a calendar year of the branch's book: the
    month of the year (1–12) in which the 2nd and the 3rd unpaid month fell. "3+ unpaid by
    month M" is ``third <= M``. Only members with a flag have a row."""

    __tablename__ = "stat_dues_flags"
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), default="")
    second: Mapped[int] = mapped_column(Integer)
    third: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (Index("ix_stat_dues_flags_year", "year", "third"),
                      # a commune's year (its roll-up, ``sync_server.rollup``; s0009)
                      Index("ix_stat_dues_flags_year_path", "year", "path",
                            postgresql_ops={"path": "text_pattern_ops"}))


class StatReport(Base):
    """A branch's monthly report to the commune, and whether the commune has received it."""

    __tablename__ = "stat_reports"
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), default="")
    month: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    received: Mapped[int] = mapped_column(Integer, default=0)   # 1 once marked received

    # a commune's month (its roll-up, ``sync_server.rollup``; migration s0009)
    __table_args__ = (Index("ix_stat_reports_month_path", "month", "path",
                            postgresql_ops={"path": "text_pattern_ops"}),)


class StatScore(Base):
    """A meeting's score, in the month of its (live) meeting; month 0 when that is gone."""

    __tablename__ = "stat_scores"
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    meeting_id: Mapped[str] = mapped_column(String(36), default="")
    path: Mapped[str] = mapped_column(String(1000), default="")
    month: Mapped[int] = mapped_column(Integer, index=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    grade: Mapped[str] = mapped_column(String(40), default="")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    # a commune's month (its roll-up, ``sync_server.rollup``; migration s0009)
    __table_args__ = (Index("ix_stat_scores_month_path", "month", "path",
                            postgresql_ops={"path": "text_pattern_ops"}),)


class ReportReceipt(Base):
    """A commune (or province) staff member marked a branch's monthly report received. Not
    a statistic: the one place this fact lives (``stat_reports.received`` follows it)."""

    __tablename__ = "report_receipts"
    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    report_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    received_by: Mapped[str] = mapped_column(String(120), default="")
    version: Mapped[int] = mapped_column(BigInteger, default=0)  # the report's version then


# Tables in their own modules, imported here so that ``Base.metadata`` holds them wherever the
# models are used: what stateless nodes share (issue 22), the annual review's statistics
# (issue 20) and political study (issue 21).
from sync_server.node_models import RateEvent, UploadChunk  # noqa: E402
from sync_server.review_models import StatReview  # noqa: E402
from sync_server.rollup_models import StatUnit, StatUnitMonth, StatUnitReview  # noqa: E402
from sync_server.study_models import StatStudy, StatStudyUnit, StudyPublication  # noqa: E402

__all__ = ["NAMING_CONVENTION", "Base", "RateEvent", "StatReview", "StatStudy", "StatStudyUnit",
           "StatUnit", "StatUnitMonth", "StatUnitReview", "StudyPublication", "UploadChunk",
           "utcnow"]
