"""The audit log: who viewed, changed, exported or printed member data, and when.

Rows are written in the caller's transaction (a change and its audit row commit or
vanish together), append-only, one chain per PC: each row's hash covers its own
fields and the previous row's hash (SHA-256), so ``verify`` finds a changed,
removed or inserted row and says where. Rows hold field names, never values, so the
log itself carries no personal data beyond who did what. They sync add-only.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sotay_core.domain.spreadsheet import csv_cell
from sotay_desktop.db.meta import get_meta, set_meta
from sotay_desktop.db.tables import AuditRow
from sotay_desktop.services import audit_head, outbox

ACTIONS = ("view", "change", "export", "print")
PC_KEY = "install_id"
# "<seq> <hash>" of this PC's last audit row the server has confirmed: the server keeps a
# copy it will not let anyone change or delete, so a chain cut short below it is caught.
ANCHOR_KEY = "audit_anchor"
GENESIS = "0" * 64
_FIELDS = ("pc", "seq", "at", "actor", "action", "entity", "row_id", "detail", "prev_hash")


def current_actor(session: Session) -> str:
    """The person at the keyboard: the unlocked profile's user (set by the window and the
    CLI as ``session.info["actor"]``), else, in a folder without a password, the OS login."""
    actor = session.info.get("actor")
    if actor:
        return str(actor)
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "?"


def pc_id(session: Session) -> str:
    value = get_meta(session, PC_KEY)
    if not value:
        value = new_id()
        set_meta(session, PC_KEY, value)
    return value


def _digest(values: dict[str, object]) -> str:
    canonical = json.dumps([values[k] for k in _FIELDS], ensure_ascii=False,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(session: Session, action: str, *, entity: str = "", row_id: str = "",
           detail: str = "") -> None:
    if action not in ACTIONS:
        raise ValueError(action)
    pc = pc_id(session)
    last = session.execute(select(AuditRow.seq, AuditRow.hash).where(AuditRow.pc == pc)
                           .order_by(AuditRow.seq.desc()).limit(1)).first()
    values: dict[str, object] = {
        "pc": pc, "seq": (last[0] + 1) if last else 1,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "actor": current_actor(session)[:120], "action": action, "entity": entity,
        "row_id": row_id, "detail": detail[:2000], "prev_hash": last[1] if last else GENESIS}
    values["hash"] = _digest(values)
    row = AuditRow(id=new_id(), **values)
    session.add(row)
    session.flush()
    outbox.append(session, entity="audit_log", row_id=row.id, op="add", base_version=0,
                  fields=dict(values))
    audit_head.note(session, pc, row.seq, row.hash)


@dataclass(frozen=True)
class Problem:
    pc: str
    seq: int
    what: str   # "changed", "missing before", "out of order"


def set_anchor(session: Session) -> None:
    """After a sync: remember this PC's last audit row that reached the server."""
    from sotay_desktop.db.tables import OutboxRow

    waiting = select(OutboxRow.row_id).where(OutboxRow.entity == "audit_log")
    last = session.execute(select(AuditRow.seq, AuditRow.hash).where(
        AuditRow.pc == pc_id(session), AuditRow.id.not_in(waiting))
        .order_by(AuditRow.seq.desc()).limit(1)).first()
    if last is not None:
        set_meta(session, ANCHOR_KEY, f"{last[0]} {last[1]}")


def verify(session: Session) -> list[Problem]:
    """Every chain (one per PC) checked from its first row; an empty list means intact.

    A row changed, removed or inserted breaks the chain where it happened; rows removed
    from the end leave an intact but shorter chain, caught against the anchor (the last row
    the server confirmed, ``set_anchor``) and, before any sync, against the end mark kept
    outside the database (``audit_head``), which also catches a chain recomputed after a
    change. Reads only."""
    problems: list[Problem] = []
    rows = session.scalars(select(AuditRow).order_by(AuditRow.pc, AuditRow.seq)).all()
    by_pc: dict[str, list[AuditRow]] = {}
    for row in rows:
        by_pc.setdefault(row.pc, []).append(row)
    for pc, chain in by_pc.items():
        prev_hash, expected_seq = GENESIS, 1
        for row in chain:
            values = {k: getattr(row, k) for k in _FIELDS}
            if row.seq != expected_seq or row.prev_hash != prev_hash:
                problems.append(Problem(pc, row.seq, "missing before"))
            if _digest(values) != row.hash:
                problems.append(Problem(pc, row.seq, "changed"))
            prev_hash, expected_seq = row.hash, row.seq + 1
    problems += [Problem(*found) for found in audit_head.problems(
        session, get_meta(session, PC_KEY))]
    anchor = (get_meta(session, ANCHOR_KEY) or "").split()
    if len(anchor) == 2 and anchor[0].isdigit():
        seq, digest = int(anchor[0]), anchor[1]
        mine = {r.seq: r.hash for r in by_pc.get(pc_id(session), [])}
        if seq not in mine:
            problems.append(Problem(pc_id(session), seq, "missing at the end"))
        elif mine[seq] != digest:
            problems.append(Problem(pc_id(session), seq, "changed"))
    return problems


@dataclass(frozen=True)
class Entry:
    at: str
    actor: str
    action: str
    entity: str
    row_id: str
    detail: str


def entries(session: Session, limit: int = 1000) -> list[Entry]:
    rows = session.scalars(select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.seq.desc())
                           .limit(limit))
    return [Entry(r.at, r.actor, r.action, r.entity, r.row_id, r.detail) for r in rows]


def export_csv(session: Session, target: Path) -> int:
    """The whole log as CSV (UTF-8 with BOM, so Excel shows Vietnamese)."""
    rows = session.scalars(select(AuditRow).order_by(AuditRow.pc, AuditRow.seq)).all()
    tmp = target.with_name(target.name + ".tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["at_utc", "actor", "action", "entity", "row_id", "fields", "pc", "seq",
                         "hash"])
        for r in rows:   # text that could start a formula gets OWASP's leading quote
            writer.writerow([csv_cell(v) for v in (r.at, r.actor, r.action, r.entity,
                                                   r.row_id, r.detail, r.pc, r.seq, r.hash)])
    tmp.replace(target)
    return len(rows)
