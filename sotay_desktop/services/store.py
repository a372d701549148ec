"""One branch's data as the UI sees it: each call opens its own session or transaction.

Screens never open a Session; they call these methods through the task runner,
off the UI thread, and get frozen dataclasses back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sotay_core.domain.entities import DocumentOrigin, EventKind, MemberRecord, MemberStatus
from sotay_core.domain.reminders import Reminder, reminders_for
from sotay_desktop.services.views import BranchInfo, MemberSummary, SyncStatus

if TYPE_CHECKING:  # imported when first used: start-up paints before SQLAlchemy loads
    from sotay_desktop.db.engine import Database
    from sotay_desktop.documents.meeting_data import MeetingData
    from sotay_desktop.services import documents, meetings, roster_io, undo
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.demo import DemoSummary
    from sotay_desktop.services.meeting_edit import AttendanceLine, CommentView, MeetingDetails


@dataclass(frozen=True, slots=True)
class MeetingSheet:
    meeting_id: str
    data: MeetingData
    attendance: list[AttendanceLine]
    voting_base: int
    resolution_id: str | None
    comments: list[CommentView]
    details: MeetingDetails


@dataclass(frozen=True, slots=True)
class PacketMade:
    path: Path
    pages: int
    copies: int


def _audit(session: Any, action: str, entity: str, row_id: str = "", detail: str = "") -> None:
    from sotay_desktop.services import audit

    audit.record(session, action, entity=entity, row_id=row_id, detail=detail)


def _pending(session: Any) -> int:
    from sotay_desktop.services.outbox import pending_count

    return pending_count(session)


class BranchStore:
    """``db`` is an open Database, or a function that opens it on first use (in a worker),
    so the window can paint before SQLAlchemy is imported."""

    def __init__(self, db: Database | Callable[[], Database], *,
                 today: Callable[[], dt.date] = dt.date.today,
                 data_dir: Path | None = None, key: bytes | None = None) -> None:
        self._open: Callable[[], Database] | None = None
        self._db: Database | None = None
        if callable(db):
            self._open = db
        else:
            self._db = db
            data_dir = data_dir or db.data_dir
        if data_dir is None:
            raise ValueError("data_dir is needed with a lazily opened database")
        self.data_dir = data_dir
        self.today = today
        self._lock = threading.Lock()
        self._transport: Any = None  # sync_client.Transport, kept between syncs
        self._key = key              # an encrypted profile's key: backups are encrypted too

    @property
    def db(self) -> Database:
        with self._lock:
            if self._db is None:
                from sotay_desktop.db.access import mode

                assert self._open is not None
                # Opening may upgrade the schema: a write, whichever query asks first.
                with mode("operation"):
                    self._db = self._open()
            return self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()

    def branch(self) -> BranchInfo | None:
        from sotay_desktop.services.branch import branch_info

        with self.db.reads() as session:
            return branch_info(session)

    def _branch_id(self) -> str:
        info = self.branch()
        if info is None:
            raise LookupError("no branch in this data folder")
        return info.branch.id

    def create_demo(self, **sizes: int) -> DemoSummary:
        from sotay_desktop.services.demo import create_demo

        with self.db.sessions.begin() as session:
            summary, _ = create_demo(session, as_of=self.today(), **sizes)
        return summary

    def create_branch(self, *, branch_name: str, commune_name: str, province_name: str) -> str:
        from sotay_desktop.services.branch import create_branch

        with self.db.sessions.begin() as session:
            branch_id, _ = create_branch(session, branch_name=branch_name,
                                         commune_name=commune_name, province_name=province_name)
        return branch_id

    def roster(self) -> list[MemberSummary]:
        from sotay_desktop.services import members

        with self.db.reads() as session:
            return members.list_members(session, unit_id=self._branch_id())

    def counts(self) -> dict[MemberStatus, int]:
        from sotay_desktop.services import members

        with self.db.reads() as session:
            return members.count_by_status(session, unit_id=self._branch_id())

    def reminders(self) -> list[Reminder]:
        from sotay_desktop.services import members

        with self.db.reads() as session:
            on_roster = [s for s in MemberStatus if s.on_roster]
            found = members.histories(session, unit_id=self._branch_id(), statuses=on_roster)
        return reminders_for(found, self.today())

    # --- roster import / export

    def preview_import(self, path: Path,
                       mapping: dict[int, str] | None = None) -> roster_io.ImportPreview:
        """``mapping``: columns the secretary assigned by hand in the preview."""
        from sotay_desktop.services import roster_io

        with self.db.reads() as session:
            return roster_io.preview_import(session, path=path, today=self.today(),
                                            mapping=mapping)

    def import_valid(self, preview: roster_io.ImportPreview) -> int:
        from sotay_desktop.services import roster_io, undo

        unit_id = self._branch_id()
        with self.db.sessions.begin() as session:
            before = undo.member_ids(session)
            count, _ = roster_io.import_valid(session, preview=preview, unit_id=unit_id,
                                              today=self.today())
            created = undo.member_ids(session) - before
            if created:   # the whole import can be undone as one step (Home)
                undo.remember(session, kind="import", ids=created, label=preview.file_name)
        return count

    def remove_member(self, member_id: str) -> Changes:
        """A member entered by mistake, removed (a synced marker); undone from Home."""
        from sotay_desktop.services import undo

        with self.db.sessions.begin() as session:
            return undo.remove_member(session, member_id=member_id)

    def last_undoable(self) -> undo.UndoableAct | None:
        from sotay_desktop.services import undo

        with self.db.reads() as session:
            return undo.last_act(session)

    def undo_last(self, expected: undo.UndoableAct | None = None
                  ) -> tuple[undo.UndoableAct, Changes]:
        """Undo the last act; with ``expected``, only if it is still the one confirmed."""
        from sotay_desktop.services import undo

        with self.db.sessions.begin() as session:
            return undo.undo_last(session, expected=expected)

    def export_roster(self, target: Path) -> Path:
        from sotay_desktop.services import roster_io
        from sotay_desktop.services.files import write_file_atomically

        with self.db.reads() as session:
            data = roster_io.export_roster_xlsx(session, today=self.today())
        write_file_atomically(target, data)
        self.leave_trace("export", "members", detail="roster Mẫu 7-HSĐV")
        return target

    # --- meetings

    def meetings(self) -> list[meetings.MeetingSummary]:
        from sotay_desktop.services import meetings

        with self.db.reads() as session:
            return meetings.list_meetings(session)

    def meeting_data(self, meeting_id: str) -> MeetingData:
        from sotay_desktop.services import meetings

        with self.db.reads() as session:
            return meetings.meeting_data(session, meeting_id)

    def meeting_sheet(self, meeting_id: str) -> MeetingSheet:
        """Everything the meeting screen shows, in one read."""
        from sotay_desktop.services import meeting_edit, meetings

        with self.db.reads() as session:
            data = meetings.meeting_data(session, meeting_id)
            lines = meeting_edit.attendance(session, meeting_id)
            base = meeting_edit.meeting_voting_base(session, meeting_id)
            resolution_id = meeting_edit.resolution_id(session, meeting_id)
            notes = meeting_edit.comments(session, resolution_id) if resolution_id else []
            details = meeting_edit.details(session, meeting_id)
        return MeetingSheet(meeting_id, data, lines, base, resolution_id, notes, details)

    def meeting_write(self, operation: str, **kwargs: Any) -> Any:
        """One write of ``services.meeting_edit`` (create_meeting, set_attendance …)."""
        from sotay_desktop.services import meeting_edit

        allowed = {"create_meeting", "update_meeting", "set_attendance", "mark_rest_present",
                   "save_minutes", "save_resolution", "circulate_resolution",
                   "adopt_resolution", "add_comment"}
        if operation not in allowed:
            raise ValueError(operation)
        extra = ({"today": self.today()} if operation in ("create_meeting", "update_meeting")
                 else {})
        with self.db.sessions.begin() as session:
            return getattr(meeting_edit, operation)(session, **kwargs, **extra)

    def meeting_paper(self, meeting_id: str, kind: str, fmt: str = "pdf") -> bytes:
        """A meeting paper as saved and printed (``services.papers``); read only."""
        from sotay_desktop.services import meetings
        from sotay_desktop.services.meeting_edit import unmarked
        from sotay_desktop.services.papers import render_paper

        with self.db.reads() as session:
            data = meetings.meeting_data(session, meeting_id)
            open_calls = unmarked(session, meeting_id) if kind == "minutes" else 0
        return render_paper(data, kind=kind, fmt=fmt, unmarked=open_calls)

    def save_meeting_paper(self, meeting_id: str, kind: str, fmt: str, target: Path) -> Path:
        """Write the paper to ``target``; the export is audited once the file is there."""
        from sotay_desktop.services.files import write_file_atomically

        write_file_atomically(target, self.meeting_paper(meeting_id, kind, fmt))
        self.leave_trace("export", "meetings", meeting_id, f"{kind}.{fmt}")
        return target

    def packet(self, meeting_id: str, target: Path, *, members: str = "",
               document_ids: tuple[str, ...] = (), font_size: int = 20,
               paper: str = "a4") -> PacketMade:
        """The large-type packet, one copy per named member; audited once written."""
        from sotay_desktop.documents.packet import page_count, render_packet
        from sotay_desktop.services.files import write_file_atomically
        from sotay_desktop.services.meetings import packet_request

        with self.db.reads() as session:
            request = packet_request(session, meeting_id=meeting_id, members=members,
                                     document_ids=document_ids, font_size=font_size,
                                     paper=paper)
        pdf = render_packet(request)
        write_file_atomically(target, pdf)
        self.leave_trace("print", "meetings", meeting_id, detail="packet")
        return PacketMade(target, page_count(pdf), max(1, len(request.members)))

    # --- documents

    def search_documents(self, query: str = "", *, origin: DocumentOrigin | None = None,
                         bookmarked_only: bool = False) -> list[documents.DocumentHit]:
        from sotay_desktop.services import documents

        with self.db.reads() as session:
            return documents.search_documents(session, query=query, origin=origin,
                                              bookmarked_only=bookmarked_only)

    def add_document(self, path: Path,
                     metadata: Mapping[str, Any]) -> tuple[documents.DocumentAdded, Changes]:
        from sotay_desktop.services import documents

        with self.db.sessions.begin() as session:
            return documents.add_document(session, files_dir=self.db.files_dir,
                                          unit_id=self._branch_id(), path=path,
                                          metadata=metadata, today=self.today())

    def set_bookmark(self, document_id: str, on: bool) -> Changes:
        from sotay_desktop.services import documents

        with self.db.sessions.begin() as session:
            return documents.set_bookmark(session, document_id=document_id, on=on)

    def document_copy(self, document_id: str) -> Path:
        """A copy of the document's file under its own name, for the system viewer.

        Copies live in the data folder's ``open/`` (emptied at each start), not in the
        shared temporary folder of the PC.
        """
        from sotay_desktop.services import documents
        from sotay_desktop.services.files import export_copy

        with self.db.reads() as session:
            sha, name = documents.document_file(session, document_id)
        return export_copy(self.db.files_dir, sha, name, self.db.data_dir / "open" / sha[:12])

    def clear_open_copies(self) -> None:
        shutil.rmtree(self.data_dir / "open", ignore_errors=True)

    def pending_changes(self) -> int:
        from sotay_desktop.services.outbox import pending_count

        with self.db.reads() as session:
            return pending_count(session)

    def member(self, member_id: str) -> MemberRecord:
        from sotay_desktop.services import members

        with self.db.reads() as session:
            record = members.get_member(session, member_id)
        self.leave_trace("view", "members", member_id)
        return record

    def add_member(self, data: Mapping[str, Any]) -> tuple[str, Changes]:
        from sotay_desktop.services import members

        with self.db.sessions.begin() as session:
            return members.add_member(session, unit_id=self._branch_id(), data=data,
                                      today=self.today())

    def update_member(self, member_id: str, data: Mapping[str, Any]) -> Changes:
        from sotay_desktop.services import members

        with self.db.sessions.begin() as session:
            return members.update_member(session, member_id=member_id, data=data,
                                         today=self.today())

    def record_event(self, member_id: str, kind: EventKind, date: dt.date | str, *,
                     decision: str = "", place: str = "", detail: str = "") -> tuple[str, Changes]:
        from sotay_desktop.services import members

        with self.db.sessions.begin() as session:
            return members.record_event(session, member_id=member_id, kind=kind, date=date,
                                        today=self.today(), decision=decision, place=place,
                                        detail=detail)

    def record_audit(self, action: str, entity: str, row_id: str = "", detail: str = "") -> None:
        """An audit row for what a screen did outside the store (printing, saving a file)."""
        with self.db.sessions.begin() as session:
            _audit(session, action, entity, row_id, detail)

    def leave_trace(self, action: str, entity: str, row_id: str = "", detail: str = "") -> None:
        """The audit row of a read (a view, an export, a print), written by the writer.

        A read never writes in its own transaction: inside the window's query the row is
        handed to the single writer; where there is no window (the CLI) it is written
        after the read, in its own ``BEGIN IMMEDIATE`` transaction.
        """
        self.to_writer(lambda: self.record_audit(action, entity, row_id, detail))

    def to_writer(self, write: Callable[[], Any]) -> None:
        """A write that a read leaves behind: to the window's writer, or at once (CLI)."""
        from sotay_desktop.db.access import after_read

        after_read(write)

    def audit_entries(self, limit: int = 500) -> list[Any]:
        from sotay_desktop.services import audit

        with self.db.reads() as session:
            return list(audit.entries(session, limit=limit))

    def export_audit(self, target: Path) -> int:
        from sotay_desktop.services import audit

        with self.db.reads() as session:
            count = audit.export_csv(session, target)
        self.leave_trace("export", "audit_log", detail="CSV")
        return count

    def record_profile_status(self) -> None:
        """For an encrypted profile: write the count of unsent changes beside it, in clear."""
        from sotay_desktop.db import profile
        from sotay_desktop.services import sync_local
        from sotay_desktop.services.branch import get_meta

        if self._key is None:
            return
        with self.db.reads() as session:
            pending = _pending(session)
            last = get_meta(session, sync_local.LAST_SYNC_KEY) or ""
        profile.record_status(self.data_dir, pending=pending, last_sync=last)

    # --- backups

    BACKUP_DAYS = 7
    LAST_BACKUP_KEY = "last_backup_at"

    def backup(self, target_dir: Path) -> Path:
        """A checked, consistent (and, for a protected profile, encrypted) backup folder."""
        from sotay_desktop.services.backup import make_backup
        from sotay_desktop.services.branch import set_meta

        made = make_backup(self.db, target_dir, key=self._key)  # a read: SQLite's backup API
        stamp = dt.datetime.now(dt.UTC).isoformat()

        def note() -> None:
            with self.db.sessions.begin() as session:
                set_meta(session, self.LAST_BACKUP_KEY, stamp)

        self.to_writer(note)
        return made

    def backup_due(self) -> bool:
        """True when the last backup is older than a week (or there was none)."""
        from sotay_desktop.services.branch import get_meta

        with self.db.reads() as session:
            last = get_meta(session, self.LAST_BACKUP_KEY)
        if not last:
            return True
        try:
            when = dt.datetime.fromisoformat(last)
        except ValueError:
            return True
        return dt.datetime.now(dt.UTC) - when > dt.timedelta(days=self.BACKUP_DAYS)

    # --- sync with the province server

    def sync_status(self) -> SyncStatus:
        from sotay_desktop.services import conflicts, sync_client, sync_local
        from sotay_desktop.services.branch import get_meta

        with self.db.reads() as session:
            acct = sync_local.account(session)
            status = SyncStatus(
                enrolled=acct is not None, server_url=acct.server_url if acct else "",
                last_sync=get_meta(session, sync_local.LAST_SYNC_KEY) or "",
                pending=conflicts.pending_changes(session),
                conflicts=list(conflicts.open_conflicts(session)),
                notices=list(conflicts.notices(session)),
                files_waiting=0, quarantined=list(conflicts.quarantined(session)))
            from sotay_desktop.services import convergence

            status = dataclasses.replace(status, check=convergence.last_outcome(session))
        if status.enrolled:
            status = dataclasses.replace(status, files_waiting=sync_client.pending_files(self.db))
        return status

    def enroll(self, server_url: str, code: str) -> Any:
        from sotay_desktop.services import sync_client

        self._transport = None
        return sync_client.enroll(self.db, server_url.strip(), code)

    def sync(self, progress: Callable[[str, int, int], None] | None = None,
             cancel: Callable[[], bool] | None = None) -> Any:
        """One sync; the connection is kept for the next one (keep-alive)."""
        from sotay_desktop.services import sync_client

        if self._transport is None:
            self._transport = sync_client.transport_for(self.db)
        transport = self._transport
        try:
            return sync_client.run_sync(self.db, transport, progress=progress, cancel=cancel)
        except sync_client.SyncFailure as exc:
            if not exc.retry:
                self._transport = None  # revoked, re-enrolled…: read the credential again
            raise

    def resolve_conflict(self, conflict_id: str, keep: str) -> None:
        from sotay_desktop.services import conflicts

        with self.db.sessions.begin() as session:
            conflicts.resolve(session, conflict_id, keep)

    def dismiss_notices(self) -> None:
        from sqlalchemy import update

        from sotay_desktop.db.tables import SyncNoticeRow

        with self.db.sessions.begin() as session:
            session.execute(update(SyncNoticeRow).values(seen=True))
