"""Conflicts for the secretary to review, in plain words with people's names.

A conflict record comes from the server (two edits of one field met there). The
server's value stays current until someone chooses; the choice goes up as an
ordinary "resolve" mutation, and is shown at once on this PC.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.dates import local_time
from sotay_core.domain.errors import NotFoundError, ValidationError
from sotay_core.domain.record_rules import split_reason
from sotay_core.i18n import field_label, has_message, t
from sotay_core.protocol.entities import ENTITIES, to_column
from sotay_desktop.db.meta import get_meta
from sotay_desktop.db.tables import (
    ConflictRow,
    MeetingRow,
    MemberEventRow,
    MemberRow,
    SyncNoticeRow,
    SyncQuarantineRow,
)
from sotay_desktop.services import outbox
from sotay_desktop.services.recording import record_change
from sotay_desktop.services.sync.account import DEVICE_KEY
from sotay_desktop.services.sync.rows import TABLES


@dataclass(frozen=True)
class ConflictView:
    id: str
    entity: str
    row_id: str
    field: str
    text: str          # the whole question, in the UI language
    mine: str          # what this PC holds or proposed, as shown
    theirs: str
    made_at: str


def _show(value: Any) -> str:
    if value is None or value == "":
        return t("ui.nobody")
    if isinstance(value, bool):
        return t("word.yes") if value else t("word.no")
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {_show(v)}" for k, v in value.items())
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            pass
    return str(value)


def record_label(session: Session, entity: str, row_id: str,
                 data: dict[str, Any] | None = None) -> str:
    """The record in plain words; ``data``: its values when this PC does not hold it."""
    data = data or {}
    if entity == "members":
        member = session.get(MemberRow, row_id)
        return t("entity.members", name=member.full_name if member else
                 str(data.get("full_name") or row_id[:8])[:120])
    if entity == "meetings":
        meeting = session.get(MeetingRow, row_id)
        day = meeting.date.isoformat() if meeting else str(data.get("date") or "")
        return t("entity.meetings", name=_show(day) if day else row_id[:8])
    if entity == "member_events":
        event = session.get(MemberEventRow, row_id)
        member_id = event.member_id if event else str(data.get("member_id") or "")
        kind = event.kind if event else str(data.get("kind") or "")
        member = session.get(MemberRow, member_id) if member_id else None
        label = t(f"event.{kind}") if has_message(f"event.{kind}") else kind[:40]
        return t("entity.member_events", kind=label,
                 name=member.full_name if member else member_id[:8])
    if entity == "dues_payments":   # the member and the month, never the row's id
        payment = session.get(TABLES[entity], row_id)
        member_id = str(payment.member_id if payment else data.get("member_id") or "")
        member = session.get(MemberRow, member_id) if member_id else None
        month = str(payment.month if payment else data.get("month") or "")
        return t("entity.dues_payments", month="/".join(reversed(month.split("-"))),
                 name=member.full_name if member else member_id[:8])
    row = session.get(TABLES[entity], row_id) if entity in TABLES else None
    name = (getattr(row, "title", "") or getattr(row, "full_name", "")
            or str(data.get("title") or data.get("name") or "")[:120] or row_id[:8])
    kind_code = f"entity_kind.{entity}"
    return t("entity.other", entity=t(kind_code) if has_message(kind_code) else entity,
             name=name)


def rule_text(reason: str) -> str:
    """A refusal's reason in plain words: ``code:field`` from the record rules names the
    field; the older codes (sync_bad_type …) read as before."""
    code, field = split_reason(reason)
    if field and has_message(f"rule.{code}"):
        return t(f"rule.{code}", field=field_label(field))
    return t(reason)


def _who(session: Session, device: str, label: str) -> str:
    if device and device == get_meta(session, DEVICE_KEY):
        return t("conflict_this_pc")
    return label or t("conflict_province")


def describe(session: Session, row: ConflictRow) -> ConflictView:
    current = json.loads(row.current_value)
    proposed = json.loads(row.proposed_value)
    mine_is_proposed = row.proposed_device == get_meta(session, DEVICE_KEY)
    record = record_label(session, row.entity, row.row_id)
    who_proposed = _who(session, row.proposed_device, row.proposed_by)
    who_current = row.current_by if row.current_by and row.current_by != "province" else \
        t("conflict_province")
    if mine_is_proposed and who_current == who_proposed:
        who_current = t("conflict_province")
    when = local_time(row.made_at)
    params = {"record": record, "who_current": who_current, "who_proposed": who_proposed,
              "when": when}
    if row.field == "deleted" and isinstance(proposed, dict):
        text = t("conflict_deleted", **params)
    elif row.field == "deleted":
        text = t("conflict_delete_vs_edit", **params)
    else:
        text = t("conflict_describe", field=field_label(row.field), current=_show(current),
                 proposed=_show(proposed), **params)
    mine, theirs = (proposed, current) if mine_is_proposed else (current, proposed)
    return ConflictView(row.id, row.entity, row.row_id, row.field, text, _show(mine),
                        _show(theirs), row.made_at)


def open_conflicts(session: Session) -> list[ConflictView]:
    rows = session.scalars(select(ConflictRow).where(
        ConflictRow.status == "open", ConflictRow.deleted.is_(False)
    ).order_by(ConflictRow.made_at, ConflictRow.id))
    return [describe(session, r) for r in rows]


def count_open(session: Session) -> int:
    return len(session.scalars(select(ConflictRow.id).where(
        ConflictRow.status == "open", ConflictRow.deleted.is_(False))).all())


def resolve(session: Session, conflict_id: str, keep: str) -> None:
    """``keep`` "mine" (what this PC has or proposed) or "theirs"; applied here at once."""
    if keep not in ("mine", "theirs"):
        raise ValidationError("conflict_bad_keep", field="keep")
    row = session.get(ConflictRow, conflict_id)
    if row is None or row.status != "open":
        raise NotFoundError("conflict_not_found", id=conflict_id)
    mine_is_proposed = row.proposed_device == get_meta(session, DEVICE_KEY)
    take_proposed = (keep == "mine") == mine_is_proposed
    choice = "proposed" if take_proposed else "current"
    if take_proposed and row.entity in TABLES:
        target = session.get(TABLES[row.entity], row.row_id)
        proposed = json.loads(row.proposed_value)
        spec = ENTITIES[row.entity]
        if target is not None:
            if row.field == "deleted" and isinstance(proposed, dict):
                target.deleted = False
                for k, v in proposed.items():
                    if k in spec.fields and k not in spec.wire_only:
                        setattr(target, k, to_column(spec, k, v))
            elif row.field == "deleted":
                target.deleted = bool(proposed)
            elif row.field in spec.fields:
                setattr(target, row.field, to_column(spec, row.field, proposed))
    row.status = "resolved"
    row.resolution = choice
    record_change(session, entity="conflicts", row_id=row.id, op="resolve",
                  base_version=row.version, fields={"keep": choice})
    session.flush()


@dataclass(frozen=True)
class Notice:
    id: int
    text: str
    at: dt.datetime


def notices(session: Session, *, unseen_only: bool = True) -> list[Notice]:
    query = select(SyncNoticeRow).order_by(SyncNoticeRow.id)
    if unseen_only:
        query = query.where(SyncNoticeRow.seen.is_(False))
    out = []
    for row in session.scalars(query):
        what = record_label(session, row.entity, row.row_id)
        out.append(Notice(row.id, t("sync_rejected_change", what=what,
                                    reason=rule_text(row.reason)), row.created_at))
    return out


def quarantined(session: Session) -> list[Notice]:
    """Rows pulled from the server that break the record rules, set aside (newest first)."""
    out = []
    for row in session.scalars(select(SyncQuarantineRow).order_by(
            SyncQuarantineRow.id.desc()).limit(200)):
        try:
            data = json.loads(row.change).get("data")
        except ValueError:
            data = None
        what = record_label(session, row.entity, row.row_id,
                            data if isinstance(data, dict) else None)
        out.append(Notice(row.id, t("sync_quarantined_row", what=what,
                                    reason=rule_text(row.reason)), row.created_at))
    return out


def pending_changes(session: Session) -> int:
    return outbox.pending_count(session)

