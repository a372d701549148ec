"""Mistakes that can be taken back: a member entered by mistake, a whole import.

Removing a member entered by mistake is not a Party event (death, strike-off … are events in
the member's history). It marks the member and its events deleted — nothing is
hard-deleted — and each marker is a synced change like any other, so the province's copy
follows; the audit keeps who did it and when ("change" of field ``deleted``).

The last destructive act (an import, a removal) is remembered in the branch's meta table,
so Home can offer to undo it as one step, even after a restart. Undoing an import removes
the members it created; undoing a removal brings the members back. An act is undone once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.errors import DomainError
from sotay_core.protocol.entities import ENTITIES
from sotay_desktop.db.meta import get_meta, set_meta
from sotay_desktop.db.tables import MemberEventRow, MemberRow, OutboxRow
from sotay_desktop.services import audit
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.members import MEMBER_CHANGES, check_card_unique, live_row
from sotay_desktop.services.recording import apply_update, record_change

LAST_ACT_KEY = "last_undoable_act"
KINDS = ("import", "remove")
# The outbox's fields of a removal marker (``recording.apply_update`` writes them so).
_REMOVAL = json.dumps({"deleted": [False, True]}, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True, slots=True)
class UndoableAct:
    kind: str                      # "import" or "remove"
    member_ids: tuple[str, ...]
    label: str                     # the file's name, or the member's name
    at: str                        # ISO time, UTC

    def count(self) -> int:
        return len(self.member_ids)


def member_ids(session: Session) -> set[str]:
    """Every live member's id (to tell which members an import created)."""
    return set(session.scalars(select(MemberRow.id).where(MemberRow.deleted.is_(False))))


def remember(session: Session, *, kind: str, ids: Iterable[str], label: str) -> None:
    if kind not in KINDS:
        raise ValueError(kind)
    act = {"kind": kind, "ids": sorted(ids), "label": label,
           "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    set_meta(session, LAST_ACT_KEY, json.dumps(act, ensure_ascii=False))


def last_act(session: Session) -> UndoableAct | None:
    raw = get_meta(session, LAST_ACT_KEY)
    if not raw:
        return None
    try:
        act = json.loads(raw)
        found = UndoableAct(str(act["kind"]), tuple(str(i) for i in act["ids"]),
                            str(act["label"]), str(act["at"]))
    except (ValueError, KeyError, TypeError):
        return None
    return found if found.kind in KINDS and found.member_ids else None


def mark_deleted(session: Session, entity: str, row: Any, deleted: bool) -> None:
    """Remove or restore any synced row (``SyncColumns``) the way a member is: what never
    left this PC is taken back from the outbox, the rest is a synced ``deleted`` change.
    Used by political study's plans and reports (``services.study``)."""
    _set_deleted(session, entity, row, deleted)


def _set_deleted(session: Session, entity: str, row: Any, deleted: bool) -> None:
    """Mark ``row``. What never left this PC is taken back from the outbox instead of being
    answered by another change: a removal's marker on a restore, and on a removal a row
    whose creation is still waiting (an undone import that was never sent)."""
    if deleted:
        waiting = session.scalars(select(OutboxRow).where(
            OutboxRow.entity == entity, OutboxRow.row_id == row.id)).all()
        if any(m.op in ("create", "add") for m in waiting):   # the province never saw it
            for mutation in waiting:
                session.delete(mutation)
            row.deleted = True
            audit.record(session, "change", entity=entity, row_id=row.id, detail="deleted")
            return
    else:
        marker = session.scalars(select(OutboxRow).where(
            OutboxRow.entity == entity, OutboxRow.row_id == row.id, OutboxRow.op == "update",
            OutboxRow.fields == _REMOVAL)).first()
        if marker is not None:   # the province never saw the removal: nothing to tell it
            session.delete(marker)
            row.deleted = False
            audit.record(session, "change", entity=entity, row_id=row.id, detail="deleted")
            return
        if row.version == 0:     # never reached the province: its creation goes up again
            row.deleted = False
            record_change(session, entity=entity, row_id=row.id, base_version=0, fields={},
                          op="add" if ENTITIES[entity].add_only else "create")
            return
    apply_update(session, entity=entity, row=row, values={"deleted": deleted})


def _mark(session: Session, member_id: str, *, deleted: bool) -> bool:
    row = session.get(MemberRow, member_id)
    if row is None or row.deleted == deleted:
        return False
    _set_deleted(session, "members", row, deleted)
    events = session.scalars(select(MemberEventRow).where(
        MemberEventRow.member_id == member_id, MemberEventRow.deleted.is_(not deleted))).all()
    for event in events:
        _set_deleted(session, "member_events", event, deleted)
    session.flush()
    return True


def remove_member(session: Session, *, member_id: str) -> Changes:
    """Remove a member entered by mistake (after the person confirmed); can be undone."""
    row = live_row(session, member_id)
    _mark(session, member_id, deleted=True)
    remember(session, kind="remove", ids=[member_id], label=row.full_name)
    return MEMBER_CHANGES


def undo_last(session: Session, *, expected: UndoableAct | None = None
              ) -> tuple[UndoableAct, Changes]:
    """Undo the last import or removal, as one step; refuses when there is none, or when it
    is no longer the act the person confirmed (another window or the CLI acted meanwhile)."""
    act = last_act(session)
    if act is None:
        raise DomainError("undo_nothing")
    if expected is not None and act != expected:
        raise DomainError("undo_changed")
    restoring = act.kind == "remove"
    for member_id in act.member_ids:
        row = session.get(MemberRow, member_id)
        if restoring and row is not None and row.deleted:
            # someone with the same card number was entered meanwhile: say who
            check_card_unique(session, row.card_number, exclude_id=member_id)
        _mark(session, member_id, deleted=not restoring)
    set_meta(session, LAST_ACT_KEY, "")
    return act, MEMBER_CHANGES
