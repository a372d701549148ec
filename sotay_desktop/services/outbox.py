"""Recording mutations for the province server, inside the caller's transaction."""

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


def record(
    session: Session,
    *,
    entity: str,
    row_id: str,
    op: str,
    base_version: int,
    fields: dict[str, Any],
    audited: bool = True,
) -> None:
    """Append one mutation; for updates ``fields`` maps each changed field to [old, new].

    Every mutation is also an audit row ("change", the field names, never the values)."""
    if audited:
        from sotay_desktop.services import audit

        audit.record(session, "change", entity=entity, row_id=row_id,
                     detail=",".join(sorted(str(k) for k in fields)))
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


def apply_update(session: Session, *, entity: str, row: Any, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``row`` and record the fields that really changed; True if any did."""
    changed = {k: [getattr(row, k), v] for k, v in values.items() if getattr(row, k) != v}
    for key, value in values.items():
        setattr(row, key, value)
    if changed:
        record(session, entity=entity, row_id=row.id, op="update", base_version=row.version,
               fields=changed)
    return bool(changed)
