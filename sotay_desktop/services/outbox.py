"""The outbox: mutations waiting for the province server, in the caller's transaction.

A change the secretary made goes through ``recording.record_change``, which writes its audit
row too; ``append`` alone is for rows that are no change of hers (the audit rows themselves,
pulled rows queued again, reports of quarantined rows).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import func, select
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
