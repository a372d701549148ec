"""The outbox: mutations waiting for the province server, in the caller's transaction.

A change the secretary made goes through ``recording.record_change``, which writes its audit
row too; ``append`` alone is for rows that are no change of hers (the audit rows themselves,
pulled rows queued again, reports of quarantined rows).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from sotay_desktop.db import schema_version
from sotay_desktop.db.tables import OutboxRow


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def append(
    session: Session,
    *,
    entity: str,
    row_id: str,
    op: str,
    base_version: int,
    fields: dict[str, Any],
) -> None:
    """Append one mutation, unaudited; for updates ``fields`` maps each changed field to
    [old, new]."""
    session.add(
        OutboxRow(
            entity=entity,
            row_id=row_id,
            op=op,
            base_version=base_version,
            fields=json.dumps(fields, ensure_ascii=False, default=_json_default, sort_keys=True),
            schema_version=schema_version.HEAD,
        )
    )


def pending_count(session: Session) -> int:
    """Changes waiting to be sent, as the secretary counts them (their audit rows go up with
    them and are not counted twice; reports of quarantined rows are not her changes)."""
    return session.execute(select(func.count()).select_from(OutboxRow).where(
        OutboxRow.entity.not_in(("audit_log", "quarantine_reports")))).scalar_one()


def close_gap(session: Session, last: int) -> int:
    """Number the waiting mutations again from ``last + 1`` when the first of them is above
    it; the count renumbered (0 when there was no gap).

    The province applies a PC's mutations strictly in id order and stops at a gap (sync
    design §4), so a mutation taken back before it was sent (an undone import, a twin the
    server merged) would otherwise stop this PC's sync for good. ``last`` is the province's
    last applied id: every waiting id is above it and was never seen there, so it may be
    given again; ids at or below it never are. Renumbered in increasing order, each new id
    is below every old id still waiting, so no two rows ever share one."""
    ids = list(session.scalars(select(OutboxRow.mutation_id).order_by(OutboxRow.mutation_id)))
    if not ids or ids[0] <= last + 1:
        return 0
    for offset, old in enumerate(ids):
        session.execute(update(OutboxRow).where(OutboxRow.mutation_id == old)
                        .values(mutation_id=last + 1 + offset))
    # AUTOINCREMENT continues after the new highest id, so the next edit leaves no gap.
    session.execute(text("UPDATE sqlite_sequence SET seq = :top WHERE name = 'outbox'"),
                    {"top": last + len(ids)})
    session.flush()
    return len(ids)
