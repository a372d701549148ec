"""The branch database's tables (SQLAlchemy 2.0 typed declarative).

Every table that syncs carries ``SyncColumns``: a client-made UUIDv7 id, the
server ``version`` it was last seen at (0 = never synced), a ``deleted``
marker (nothing a user entered is hard-deleted) and timestamps for display.
Add-only tables (events, comments) never change a row after it is written.
Changing these tables needs a new migration under ``migrations/versions``;
``tests/test_migrations.py`` compares the migrated schema with this module.
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


class Meta(Base):
    """Key/value facts about this data folder: which unit is the branch, the device id."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OrgUnitRow(SyncColumns, Base):
    __tablename__ = "org_units"
    level: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("org_units.id"))
    symbol: Mapped[str] = mapped_column(String(16), default="")
    is_grassroots: Mapped[bool] = mapped_column(Boolean, default=False)
    has_chi_uy: Mapped[bool] = mapped_column(Boolean, default=False)
    former_names: Mapped[str] = mapped_column(Text, default="")  # pre-2025 names, one per line


class CommitteeTermRow(SyncColumns, Base):
    """A term of the branch committee; document numbers restart with each."""

    __tablename__ = "committee_terms"
    unit_id: Mapped[str] = mapped_column(ForeignKey("org_units.id"))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    secretary_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))


class MemberRow(SyncColumns, Base):
    __tablename__ = "members"
    unit_id: Mapped[str] = mapped_column(ForeignKey("org_units.id"))
    full_name: Mapped[str] = mapped_column(String(120))
    birth_name: Mapped[str] = mapped_column(String(120), default="")
    alias: Mapped[str] = mapped_column(String(120), default="")
    gender: Mapped[str | None] = mapped_column(String(8))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    place_of_birth: Mapped[str] = mapped_column(String(200), default="")
    hometown: Mapped[str] = mapped_column(String(200), default="")
    residence: Mapped[str] = mapped_column(String(200), default="")
    ethnicity: Mapped[str] = mapped_column(String(60), default="")
    religion: Mapped[str] = mapped_column(String(60), default="")
    education_general: Mapped[str] = mapped_column(String(60), default="")
    education_professional: Mapped[str] = mapped_column(String(200), default="")
    political_theory: Mapped[str] = mapped_column(String(60), default="")
    languages: Mapped[str] = mapped_column(String(120), default="")
    occupation_before: Mapped[str] = mapped_column(String(200), default="")
    occupation_now: Mapped[str] = mapped_column(String(200), default="")
    card_number: Mapped[str] = mapped_column(String(40), default="")
    record_number: Mapped[str] = mapped_column(String(40), default="")
    badge_numbers: Mapped[str] = mapped_column(String(200), default="")
    service_background: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Derived keys, rewritten on every save; never shown.
    search_key: Mapped[str] = mapped_column(String(200), default="")  # " nguyen thi hoa "
    sort_key: Mapped[str] = mapped_column(String(400), default="")    # roster collation
    status: Mapped[str] = mapped_column(String(20), default="none")   # derived from events
    admitted_on: Mapped[dt.date | None] = mapped_column(Date)          # derived from events
    official_on: Mapped[dt.date | None] = mapped_column(Date)          # derived from events

    __table_args__ = (
        Index("ix_members_unit_sort", "unit_id", "sort_key"),
        # One card number per party member among live rows; '' means "not known yet".
        Index(
            "uq_members_card_number",
            "card_number",
            unique=True,
            sqlite_where=text("card_number != '' AND deleted = 0"),
            postgresql_where=text("card_number <> '' AND NOT deleted"),
        ),
    )


class MemberEventRow(SyncColumns, Base):
    """Add-only history; a mistaken event is marked deleted, never edited away."""

    __tablename__ = "member_events"
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    date: Mapped[dt.date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    seq: Mapped[int] = mapped_column(Integer, default=0)


class FileRow(Base):
    """A stored file, once per content (SHA-256); bytes live in files/aa/bbbb…"""

    __tablename__ = "files"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    present: Mapped[bool] = mapped_column(Boolean, default=True)  # False while not downloaded
    # True once the province server holds the file (uploaded, or it came from there).
    uploaded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("0"))


class DocumentRow(SyncColumns, Base):
    __tablename__ = "documents"
    unit_id: Mapped[str] = mapped_column(ForeignKey("org_units.id"))
    origin: Mapped[str] = mapped_column(String(16))             # from_above / own
    doc_type: Mapped[str] = mapped_column(String(16), default="")  # NQ, CT, KH, TB …
    number: Mapped[str] = mapped_column(String(60), default="")    # "05-NQ/CB"
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(String(500), default="")
    file_sha256: Mapped[str | None] = mapped_column(ForeignKey("files.sha256"))
    file_name: Mapped[str] = mapped_column(String(260), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")       # extracted text
    # Unused since migration 0002 (the documents_fts index); kept until a migration drops it.
    search_key: Mapped[str] = mapped_column(Text, default="")


class BookmarkRow(SyncColumns, Base):
    __tablename__ = "bookmarks"
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")


class MeetingRow(SyncColumns, Base):
    __tablename__ = "meetings"
    unit_id: Mapped[str] = mapped_column(ForeignKey("org_units.id"))
    kind: Mapped[str] = mapped_column(String(16), default="monthly")
    title: Mapped[str] = mapped_column(String(300), default="")
    date: Mapped[dt.date] = mapped_column(Date)
    starts_at: Mapped[str] = mapped_column(String(5), default="")    # "19:30"
    ends_at: Mapped[str] = mapped_column(String(5), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    chair_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    recorder_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    guests: Mapped[str] = mapped_column(Text, default="")
    agenda: Mapped[str] = mapped_column(Text, default="")            # JSON list of items

    __table_args__ = (Index("ix_meetings_unit_date", "unit_id", "date"),)


class AttendanceRow(SyncColumns, Base):
    __tablename__ = "attendance"
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"))
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(300), default="")

    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)


class MinutesRow(SyncColumns, Base):
    __tablename__ = "minutes"
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"), unique=True)
    body: Mapped[str] = mapped_column(Text, default="")       # JSON: sections, speakers
    conclusion: Mapped[str] = mapped_column(Text, default="")
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    adopted: Mapped[bool] = mapped_column(Boolean, default=False)


class ResolutionRow(SyncColumns, Base):
    __tablename__ = "resolutions"
    unit_id: Mapped[str] = mapped_column(ForeignKey("org_units.id"))
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("meetings.id"))
    number: Mapped[str] = mapped_column(String(60), default="")    # "05-NQ/CB"
    title: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")            # JSON: parts
    status: Mapped[str] = mapped_column(String(16), default="draft")
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    voting_base: Mapped[int | None] = mapped_column(Integer)


class TaskRow(SyncColumns, Base):
    __tablename__ = "tasks"
    resolution_id: Mapped[str | None] = mapped_column(ForeignKey("resolutions.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    responsible_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    responsible_text: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)  # status == "done"
    # not_started / in_progress / done / carried_over (issue 19); notes on how it went.
    status: Mapped[str] = mapped_column(String(16), default="not_started",
                                        server_default="not_started")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    done_on: Mapped[dt.date | None] = mapped_column(Date)


class CommentRow(SyncColumns, Base):
    """Add-only: comments on a draft resolution or a document, from a member or from above."""

    __tablename__ = "comments"
    target_type: Mapped[str] = mapped_column(String(20))   # resolution / document / minutes
    target_id: Mapped[str] = mapped_column(String(36), index=True)
    author_member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    author_text: Mapped[str] = mapped_column(String(200), default="")  # "Đảng ủy xã …"
    body: Mapped[str] = mapped_column(Text)


class OutboxRow(Base):
    """Mutations waiting for the province server, written in the same transaction as the edit.

    ``fields`` is JSON: for updates {field: [old, new]}, for creates the full row.
    ``mutation_id`` is the per-device counter the server deduplicates on.
    """

    __tablename__ = "outbox"
    # AUTOINCREMENT: an id is never reused after acknowledged rows are deleted, or the
    # server would take a new edit for a replay of an old one and drop it.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - SQLAlchemy's form
    mutation_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(16))          # create / update / delete / add
    base_version: Mapped[int] = mapped_column(Integer, default=0)
    fields: Mapped[str] = mapped_column(Text, default="{}")
    schema_version: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ConflictRow(SyncColumns, Base):
    """Two edits of one field that met on the server; made there, resolved by a person.

    Values are JSON text (``"\"Thôn 3\""``); ``field`` "deleted" means an edit met a delete.
    """

    __tablename__ = "conflicts"
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64))
    base_value: Mapped[str] = mapped_column(Text, default="null")
    current_value: Mapped[str] = mapped_column(Text, default="null")
    proposed_value: Mapped[str] = mapped_column(Text, default="null")
    proposed_by: Mapped[str] = mapped_column(String(120), default="")
    proposed_device: Mapped[str] = mapped_column(String(36), default="")
    current_by: Mapped[str] = mapped_column(String(120), default="")
    made_at: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolution: Mapped[str] = mapped_column(String(16), default="")
    resolved_at: Mapped[str | None] = mapped_column(String(40))


class AuditRow(SyncColumns, Base):
    """Who viewed, changed, exported or printed what, and when (UTC). Append-only and
    hash-chained per PC: each row's hash covers its fields and the previous row's hash,
    so a changed, removed or inserted row breaks the chain at that place. Synced add-only."""

    __tablename__ = "audit_log"
    pc: Mapped[str] = mapped_column(String(36))          # this data folder's install id
    seq: Mapped[int] = mapped_column(Integer)            # 1, 2, 3 … per PC
    at: Mapped[str] = mapped_column(String(32))          # UTC, ISO 8601
    actor: Mapped[str] = mapped_column(String(120))      # the local user (or the OS login)
    action: Mapped[str] = mapped_column(String(16))      # view / change / export / print
    entity: Mapped[str] = mapped_column(String(32), default="")
    row_id: Mapped[str] = mapped_column(String(36), default="")
    detail: Mapped[str] = mapped_column(Text, default="")  # field names, never values
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("pc", "seq"),)


class SyncParkedRow(Base):
    """A pulled row whose parent has not arrived yet (it is on a later page); applied again
    with the next page, so the database never holds a dangling reference."""

    __tablename__ = "sync_parked"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change: Mapped[str] = mapped_column(Text)  # protocol.Change as JSON


class SyncQuarantineRow(Base):
    """A pulled row that breaks the record rules (domain.record_rules): kept aside with its
    reason instead of being written, shown on the Sync screen and reported to the province
    (``reported`` once its report is in the outbox)."""

    __tablename__ = "sync_quarantine"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(96))     # "code:field"
    change: Mapped[str] = mapped_column(Text)           # protocol.Change as JSON
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    reported: Mapped[bool] = mapped_column(Boolean, default=False)


class SyncNoticeRow(Base):
    """A change of this PC that the server refused (shown to the secretary; local only)."""

    __tablename__ = "sync_notices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(String(64))
    fields: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    seen: Mapped[bool] = mapped_column(Boolean, default=False)


# The month's tables (issue 19) live in their own module; imported here, after every table
# they refer to, so ``Base.metadata`` holds them wherever the tables are used.
from sotay_desktop.db import month_tables as _month_tables  # noqa: E402,F401
from sotay_desktop.db import study_tables as _study_tables  # noqa: E402,F401
from sotay_desktop.db import year_tables as _year_tables  # noqa: E402,F401

__all__ = ["Base", "SyncColumns", "utcnow"]
