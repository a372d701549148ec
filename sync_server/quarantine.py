"""A branch PC's word that it set a pulled row aside (quarantine): kept in the admin log, and
listed for the admin (``sotay-server quarantine``).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.protocol import Mutation, MutationResult
from sync_server.models import AdminLog, Device


def report_quarantine(session: Session, device: Device, scope_id: str, m: Mutation
                      ) -> MutationResult:
    """A PC's word that it set a pulled row aside (quarantine): kept in the admin log."""
    detail = {k: (v if isinstance(v, int | bool) else str(v)[:200])
              for k, v in list(m.fields.items())[:12]}
    session.add(AdminLog(actor=(device.label or device.id)[:120], action="pc_quarantine",
                         detail=json.dumps({"unit": scope_id, "device": device.id,
                                            "report": m.row_id, **detail},
                                           ensure_ascii=False)))
    return MutationResult(id=m.id, status="applied")


def quarantine_reports(session: Session) -> list[dict[str, Any]]:
    """What branch PCs reported setting aside (``sotay-server quarantine``), oldest first."""
    from sync_server.models import Unit

    names = dict(session.execute(select(Unit.id, Unit.name)).all())
    out = []
    for at, actor, detail in session.execute(
            select(AdminLog.at, AdminLog.actor, AdminLog.detail)
            .where(AdminLog.action == "pc_quarantine").order_by(AdminLog.id)):
        try:
            info = json.loads(detail)
        except ValueError:
            continue
        out.append({"at": at.isoformat(timespec="seconds"), "pc": actor,
                    "unit_id": info.get("unit"), "unit_name": names.get(info.get("unit"), ""),
                    "entity": info.get("entity"), "row_id": info.get("row_id"),
                    "version": info.get("version"), "reason": info.get("reason")})
    return out


