"""The server's side of the convergence check (reliability R5).

``check`` computes the scope's digest with the same function as the PC
(``sotay_core.protocol.digest``) and compares; a difference is written to the admin log
(``sync_divergence``), and so is the match that follows it (``sync_converged``), so the
province tree can flag a branch whose copy still differs. ``repair_page`` gives a PC every
row of one entity, a page at a time, for its repair. Both run in the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.protocol import Change
from sotay_core.protocol.digest import (
    CheckRequest,
    CheckResponse,
    RepairRequest,
    RepairResponse,
    differing,
    digest,
)
from sotay_core.protocol.entities import ENTITIES
from sync_server import admin
from sync_server.models import AdminLog, Device, Record

DIVERGED = "sync_divergence"
CONVERGED = "sync_converged"


class _Top:
    version = 0


def _rows(session: Session, scope_id: str, entities: list[str], top: _Top
          ) -> Iterator[tuple[str, str, int, bool, dict[str, Any]]]:
    """The scope's rows as the digest reads them, in one statement (one snapshot)."""
    result = session.execute(
        select(Record.entity, Record.id, Record.version, Record.deleted, Record.data)
        .where(Record.scope_id == scope_id, Record.entity.in_(entities))
        .execution_options(yield_per=500))
    for entity, row_id, version, deleted, data in result:
        top.version = max(top.version, version)
        values = _loads(data)
        # An unreadable row differs from any PC's copy.
        yield entity, row_id, version, bool(deleted), values or {"": data}


def _loads(data: str) -> dict[str, Any] | None:
    try:
        values = json.loads(data)
    except ValueError:
        return None
    return values if isinstance(values, dict) else None


def check(session: Session, device: Device, req: CheckRequest) -> CheckResponse:
    scope_id = device.unit_id
    entities = sorted(e for e in req.digest if e in ENTITIES)
    top = _Top()
    theirs = digest(_rows(session, scope_id, entities, top), entities)
    if top.version > req.cursor:
        # A change the PC has not pulled yet: the two copies are not comparable now.
        return CheckResponse(status="behind", cursor=top.version)
    mine = {e: req.digest[e] for e in entities}
    diff = differing(mine, theirs)
    if diff:
        admin.log_action(
            session, f"device:{device.id}", DIVERGED, unit=scope_id, device=device.id,
            entities=diff, after_repair=req.after_repair,
            pc={e: mine[e].count for e in diff}, server={e: theirs[e].count for e in diff})
        return CheckResponse(status="differ", cursor=req.cursor, entities=diff,
                             digest={e: theirs[e] for e in diff})
    if req.after_repair or req.diverged_before:
        admin.log_action(session, f"device:{device.id}", CONVERGED, unit=scope_id,
                         device=device.id)
    return CheckResponse(status="match", cursor=req.cursor)


def _log_rows(session: Session) -> Iterator[dict[str, Any]]:
    query = (select(AdminLog.action, AdminLog.detail, AdminLog.at)
             .where(AdminLog.action.in_((DIVERGED, CONVERGED))).order_by(AdminLog.id))
    for action, detail, at in session.execute(query):
        try:
            info = json.loads(detail)
        except ValueError:
            continue
        if isinstance(info, dict):
            yield info | {"action": action, "at": at}


def open_divergences(session: Session) -> dict[str, dict[str, Any]]:
    """Branches where a device's copy still differs from the server's (its last check ended
    in a difference): branch id -> the last such entry (entities, when). Revoked devices
    do not count."""
    last: dict[tuple[str, str], dict[str, Any]] = {}
    for info in _log_rows(session):
        unit, device = info.get("unit"), info.get("device")
        if isinstance(unit, str) and isinstance(device, str):
            last[(unit, device)] = info
    devices = {d for (_u, d), info in last.items() if info["action"] == DIVERGED}
    revoked = set(session.scalars(select(Device.id).where(
        Device.id.in_(sorted(devices)), Device.revoked_at.is_not(None)))) if devices else set()
    out: dict[str, dict[str, Any]] = {}
    for (unit, device), info in last.items():
        if info["action"] == DIVERGED and device not in revoked:
            out[unit] = info
    return out


def repair_page(session: Session, device: Device, req: RepairRequest) -> RepairResponse:
    """Every row of one entity of the device's scope after ``req.after``, by version."""
    changes: list[Change] = []
    size = 0
    after = req.after
    if req.entity not in ENTITIES:
        return RepairResponse(entity=req.entity, changes=[], after=after, has_more=False)
    batch = 200
    while True:
        rows = session.execute(
            select(Record.id, Record.version, Record.deleted, Record.data)
            .where(Record.scope_id == device.unit_id, Record.entity == req.entity,
                   Record.version > after)
            .order_by(Record.version).limit(batch)).all()
        for row_id, version, deleted, data in rows:
            values = _loads(data)
            if values is not None and changes and size + len(data) + 100 > req.page_bytes:
                return RepairResponse(entity=req.entity, changes=changes, after=after,
                                      has_more=True)
            after = version
            if values is None:
                continue          # unreadable on the server: the pull cannot give it either
            changes.append(Change(entity=req.entity, id=row_id, version=version,
                                  deleted=bool(deleted), data=values))
            size += len(data) + 100
        if len(rows) < batch:
            return RepairResponse(entity=req.entity, changes=changes, after=after,
                                  has_more=False)
