"""Recording a change the secretary made: its outbox row for the province and its audit row.

Every write service calls ``record_change`` (or ``apply_update``) in its own transaction, so
a change, its audit row and the mutation that carries it to the province commit or vanish
together. Rows that are not the secretary's change (pulled rows queued again, quarantine
reports, the audit rows themselves) go to ``outbox.append`` directly, unaudited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sotay_desktop.services import audit, outbox


def record_change(
    session: Session,
    *,
    entity: str,
    row_id: str,
    op: str,
    base_version: int,
    fields: dict[str, Any],
) -> None:
    """One mutation for the province and its audit row ("change", the field names, never the
    values); for updates ``fields`` maps each changed field to [old, new]."""
    audit.record(session, "change", entity=entity, row_id=row_id,
                 detail=",".join(sorted(str(k) for k in fields)))
    outbox.append(session, entity=entity, row_id=row_id, op=op, base_version=base_version,
                  fields=fields)


def apply_update(session: Session, *, entity: str, row: Any, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``row`` and record the fields that really changed; True if any did."""
    changed = {k: [getattr(row, k), v] for k, v in values.items() if getattr(row, k) != v}
    for key, value in values.items():
        setattr(row, key, value)
    if changed:
        record_change(session, entity=entity, row_id=row.id, op="update",
                      base_version=row.version, fields=changed)
    return bool(changed)
