"""Transitional: the former facade, kept while the CLI moves to ``sotay_desktop.usecases``.

Every method delegates to one use case; nothing here reads, writes or audits by itself.
To be removed once the CLI calls the use cases directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from sotay_core.domain.entities import DocumentOrigin, EventKind, MemberRecord, MemberStatus
from sotay_core.domain.reminders import Reminder
from sotay_desktop.services.read_models import BranchInfo, MemberSummary, SyncStatus
from sotay_desktop.usecases import (
    audit_log,
    backups,
    branch,
    documents,
    meetings,
    members,
    papers,
    roster,
    sync,
    trace,
    undo,
)
from sotay_desktop.usecases.meetings import MeetingSheet
from sotay_desktop.usecases.papers import PacketMade
from sotay_desktop.usecases.workspace import Workspace

if TYPE_CHECKING:
    from sotay_desktop.documents.meeting_data import MeetingData
    from sotay_desktop.services.audit import Entry
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.demo import DemoSummary
    from sotay_desktop.services.documents import DocumentAdded, DocumentHit
    from sotay_desktop.services.meetings import MeetingSummary
    from sotay_desktop.services.roster_io import ImportPreview
    from sotay_desktop.services.sync_client import Enrolled, SyncReport
    from sotay_desktop.services.undo import UndoableAct

__all__ = ["BranchStore", "MeetingSheet", "PacketMade"]


class BranchStore(Workspace):
    BACKUP_DAYS = backups.BACKUP_DAYS
    LAST_BACKUP_KEY = backups.LAST_BACKUP_KEY

    def __init__(self, db: object, *, today: Callable[[], dt.date] = dt.date.today,
                 data_dir: Path | None = None, key: bytes | None = None) -> None:
        super().__init__(db, today=today, data_dir=data_dir, key=key)  # type: ignore[arg-type]

    def branch(self) -> BranchInfo | None:
        return branch.branch(self)

    def create_demo(self, **sizes: int) -> DemoSummary:
        return branch.create_demo(self, **sizes)[0]

    def create_branch(self, *, branch_name: str, commune_name: str, province_name: str) -> str:
        return branch.create_branch(self, branch_name=branch_name, commune_name=commune_name,
                                    province_name=province_name)[0]

    def roster(self) -> list[MemberSummary]:
        return members.roster(self)

    def counts(self) -> dict[MemberStatus, int]:
        return branch.counts(self)

    def reminders(self) -> list[Reminder]:
        return branch.reminders(self)

    def preview_import(self, path: Path, mapping: dict[int, str] | None = None
                       ) -> ImportPreview:
        return roster.preview_import(self, path, mapping)

    def import_valid(self, preview: ImportPreview) -> int:
        return roster.import_valid(self, preview)[0]

    def remove_member(self, member_id: str) -> Changes:
        return undo.remove_member(self, member_id)

    def last_undoable(self) -> UndoableAct | None:
        return undo.last_undoable(self)

    def undo_last(self, expected: UndoableAct | None = None) -> tuple[UndoableAct, Changes]:
        return undo.undo_last(self, expected)

    def export_roster(self, target: Path) -> Path:
        return roster.export_roster(self, target)

    def meetings(self) -> list[MeetingSummary]:
        return meetings.meetings(self)

    def meeting_data(self, meeting_id: str) -> MeetingData:
        return meetings.meeting_data(self, meeting_id)

    def meeting_sheet(self, meeting_id: str) -> MeetingSheet:
        return meetings.meeting_sheet(self, meeting_id)

    def meeting_paper(self, meeting_id: str, kind: str, fmt: str = "pdf") -> bytes:
        return papers.meeting_paper(self, meeting_id, kind, fmt)

    def save_meeting_paper(self, meeting_id: str, kind: str, fmt: str, target: Path) -> Path:
        return papers.save_meeting_paper(self, meeting_id, kind, fmt, target)

    def packet(self, meeting_id: str, target: Path, *, members: str = "",
               document_ids: tuple[str, ...] = (), font_size: int = 20,
               paper: str = "a4") -> PacketMade:
        return papers.packet(self, meeting_id, target, members=members,
                             document_ids=document_ids, font_size=font_size, paper=paper)

    def search_documents(self, query: str = "", *, origin: DocumentOrigin | None = None,
                         bookmarked_only: bool = False) -> list[DocumentHit]:
        return documents.search_documents(self, query, origin=origin,
                                          bookmarked_only=bookmarked_only)

    def add_document(self, path: Path, metadata: Mapping[str, object]
                     ) -> tuple[DocumentAdded, Changes]:
        return documents.add_document(self, path, metadata)

    def set_bookmark(self, document_id: str, on: bool) -> Changes:
        return documents.set_bookmark(self, document_id, on)

    def document_copy(self, document_id: str) -> Path:
        return documents.document_copy(self, document_id)

    def clear_open_copies(self) -> None:
        documents.clear_open_copies(self)

    def pending_changes(self) -> int:
        return branch.pending_changes(self)

    def member(self, member_id: str) -> MemberRecord:
        return members.member(self, member_id)

    def add_member(self, data: Mapping[str, object]) -> tuple[str, Changes]:
        return members.add_member(self, data)

    def update_member(self, member_id: str, data: Mapping[str, object]) -> Changes:
        return members.update_member(self, member_id, data)

    def record_event(self, member_id: str, kind: EventKind | str, date: dt.date | str, *,
                     decision: str = "", place: str = "", detail: str = "") -> tuple[str, Changes]:
        return members.record_event(self, member_id, kind, date, decision=decision,
                                    place=place, detail=detail)

    def record_audit(self, action: trace.Act, entity: str, row_id: str = "",
                     detail: str = "") -> None:
        trace.write_trace(self, action, entity, row_id, detail)

    def audit_entries(self, limit: int = 500) -> list[Entry]:
        return audit_log.audit_entries(self, limit)

    def export_audit(self, target: Path) -> int:
        return audit_log.export_audit(self, target)

    def record_profile_status(self) -> None:
        backups.record_profile_status(self)

    def backup(self, target_dir: Path) -> Path:
        return backups.backup(self, target_dir)

    def backup_due(self) -> bool:
        return backups.backup_due(self)

    def sync_status(self) -> SyncStatus:
        return sync.sync_status(self)

    def enroll(self, server_url: str, code: str) -> Enrolled:
        return sync.enroll(self, server_url, code)

    def sync(self, progress: Callable[[str, int, int], None] | None = None,
             cancel: Callable[[], bool] | None = None) -> SyncReport:
        return sync.sync(self, progress, cancel)

    def resolve_conflict(self, conflict_id: str, keep: str) -> None:
        sync.resolve_conflict(self, conflict_id, keep)

    def dismiss_notices(self) -> None:
        sync.dismiss_notices(self)
