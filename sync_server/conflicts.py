"""The three-way merge of a branch's field edits into the server's record, and the conflicts
it opens (a ``conflicts`` record of the scope, owned by the province) and closes.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sync_server.models import Device, Record, utcnow
from sync_server.records import PROVINCE, get_record, put_record, stamp
from sync_server.rule_checks import Rejected


def open_conflict(
    session: Session, target: Record, *, field: str, base: Any, current: Any, proposed: Any,
    device: Device,
) -> str:
    conflict_id = new_id()
    put_record(session, scope_id=target.scope_id, entity="conflicts", row_id=conflict_id,
               by=PROVINCE, province_owned=True, data={
                   "entity": target.entity, "row_id": target.id, "field": field,
                   "base_value": json.dumps(base, ensure_ascii=False),
                   "current_value": json.dumps(current, ensure_ascii=False),
                   "proposed_value": json.dumps(proposed, ensure_ascii=False),
                   "proposed_by": device.label, "proposed_device": device.id,
                   "current_by": target.updated_by,
                   "made_at": utcnow().isoformat(timespec="seconds"),
                   "status": "open", "resolution": "", "resolved_at": None})
    return conflict_id


def merge(
    session: Session, rec: Record, changes: dict[str, tuple[Any, Any]], *, base_version: int,
    device: Device,
) -> tuple[str, list[str]]:
    """Three-way merge of field edits into ``rec``; returns (status, conflict ids)."""
    data = json.loads(rec.data)
    conflicts: list[str] = []
    by = device.label or device.id
    deleting = changes.get("deleted", (False, False))[1] is True
    # Undoing a removal, by a PC that saw the row deleted and nothing changed since: a
    # restore, not an edit racing someone else's deletion.
    restoring = (list(changes.get("deleted", ())) == [True, False]
                 and rec.version == base_version)
    if rec.deleted and not ("deleted" in changes and deleting) and not restoring:
        # An edit of a row someone deleted: keep it deleted, ask.
        edits = {k: new for k, (_old, new) in changes.items() if k != "deleted"}
        conflicts.append(open_conflict(session, rec, field="deleted", base=False, current=True,
                                   proposed=edits, device=device))
        return "conflict", conflicts
    if deleting and not rec.deleted and rec.version != base_version:
        # A delete of a row someone changed since: ask.
        conflicts.append(open_conflict(session, rec, field="deleted", base=False, current=False,
                                   proposed=True, device=device))
        return "conflict", conflicts
    applied = False
    merged = False
    for name, (old, new) in changes.items():
        current = rec.deleted if name == "deleted" else data.get(name)
        if current == new:
            merged = True
        elif rec.version == base_version or current == old:
            if name == "deleted":
                rec.deleted = bool(new)
            else:
                data[name] = new
            applied = True
        else:
            conflicts.append(open_conflict(session, rec, field=name, base=old, current=current,
                                       proposed=new, device=device))
    if applied:
        stamp(session, rec, data, by=by)
    if conflicts:
        return "conflict", conflicts
    return ("merged" if merged or not applied else "applied"), conflicts


def resolve_conflict(
    session: Session, scope_id: str, conflict_id: str, keep: str, *, by: str
) -> Record:
    """Close a conflict: ``keep`` "current" leaves the row, "proposed" writes the other value."""
    if keep not in ("current", "proposed"):
        raise Rejected("sync_bad_type")
    conflict = get_record(session, scope_id, "conflicts", conflict_id)
    if conflict is None:
        raise Rejected("sync_not_found")
    info = json.loads(conflict.data)
    if info.get("status") != "open":
        return conflict  # resolved already (by another PC): the first choice stands
    target = get_record(session, scope_id, info["entity"], info["row_id"])
    if keep == "proposed" and target is not None:
        proposed = json.loads(info["proposed_value"])
        data = json.loads(target.data)
        field = info["field"]
        if field == "deleted" and isinstance(proposed, dict):
            target.deleted = False
            data.update(proposed)
        elif field == "deleted":
            target.deleted = bool(proposed)
        else:
            data[field] = proposed
        stamp(session, target, data, by=by)
    info.update(status="resolved", resolution=keep,
                resolved_at=utcnow().isoformat(timespec="seconds"))
    stamp(session, conflict, info, by=by)
    return conflict


