"""The PC's side of the convergence check (reliability R5).

After the records of a sync are done and nothing waits in the outbox, the PC sends
the digest of what it holds (``protocol.digest``) and the server compares it with its own
at the same cursor. An entity that differs is repaired here: the PC pulls the whole
entity again and re-applies every row whose copy differs, its own unsent edits on top
(they stay in the outbox). A row the PC holds but the server does not is sent up again as
a create when the branch may write it (nothing the PC holds is thrown away), and removed
when it is the province's (units, conflict records). Then the records are synced and
checked once more; the result is kept in ``meta`` for the Sync screen, and the server logs
both the difference and the repair for the province.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from sotay_core.protocol import PROTOCOL_VERSION, Change
from sotay_core.protocol.digest import (
    EMPTY_VALUES,
    ROUTE_CHECK,
    ROUTE_REPAIR,
    CheckRequest,
    CheckResponse,
    EntityDigest,
    RepairRequest,
    RepairResponse,
    digest,
    row_hash,
)
from sotay_core.protocol.entities import ENTITIES, to_wire
from sotay_desktop.db import schema_version, tables
from sotay_desktop.db.engine import Database
from sotay_desktop.db.meta import get_meta, set_meta
from sotay_desktop.db.tables import OutboxRow, SyncParkedRow
from sotay_desktop.services import outbox
from sotay_desktop.services.sync import pull
from sotay_desktop.services.sync.account import account, cursors
from sotay_desktop.services.sync.rows import TABLES, row_fields
from sotay_desktop.services.sync.transport import SyncCancelled, SyncFailure, error_from

CHECK_KEY = "sync_check"            # meta: the last check's outcome (JSON)
# Pulled rows set aside because they break the record rules (``quarantine``).
QUARANTINE: Any = getattr(tables, "SyncQuarantineRow", None)
Answer = TypeVar("Answer", bound=BaseModel)


@dataclass
class CheckOutcome:
    """``status``: "match"; "repaired" (differed, repaired in this sync; ``confirmed`` when
    the check after the repair matched); "unrepaired" (still differs after the repair);
    "skipped" (changes waiting, the server ahead, or no answer: checked at the next sync)."""

    status: str
    at: str = ""
    entities: list[str] = field(default_factory=list)
    fixed: int = 0           # rows re-applied, sent up again or removed by the repair
    confirmed: bool = True


def last_outcome(session: Session) -> CheckOutcome | None:
    raw = get_meta(session, CHECK_KEY)
    if not raw:
        return None
    try:
        values = json.loads(raw)
        return CheckOutcome(**values)
    except (ValueError, TypeError):
        return None


def describe(outcome: CheckOutcome | None) -> str:
    """The outcome in words for the Sync screen and ``sotay sync`` ("" when nothing to say)."""
    from sotay_core.domain.dates import local_time
    from sotay_core.i18n import t

    if outcome is None or outcome.status not in ("match", "repaired", "unrepaired"):
        return ""
    entities = ", ".join(t(f"entity_kind.{e}") for e in outcome.entities)
    at = local_time(outcome.at) if outcome.at else "—"
    if outcome.status == "match":
        return t("ui.sync_check_match", at=at)
    if outcome.status == "unrepaired":
        return t("ui.sync_check_unrepaired", at=at, entities=entities)
    key = "ui.sync_check_repaired" if outcome.confirmed else "ui.sync_check_repaired_unconfirmed"
    return t(key, at=at, entities=entities, fixed=outcome.fixed)


def _diverged_before(last: CheckOutcome | None) -> bool:
    return last is not None and (last.status == "unrepaired"
                                 or (last.status == "repaired" and not last.confirmed))


# --- the digest of this PC's copy ----------------------------------------------------


def held_changes(session: Session) -> dict[tuple[str, str], Change]:
    """The server's rows this PC holds outside the entity tables: parked until their parent
    comes, or set aside in quarantine (they break the record rules). They count as held, as
    the server sent them, unless the table has a newer version of the row."""
    held: dict[tuple[str, str], Change] = {}
    stored = list(session.scalars(select(SyncParkedRow.change)))
    if QUARANTINE is not None:
        stored += list(session.scalars(select(QUARANTINE.change)))
    for raw in stored:
        c = Change.model_validate_json(raw)
        key = (c.entity, c.id)
        if c.entity in TABLES and (key not in held or
                                              c.version > held[key].version):
            held[key] = c
    for key, c in list(held.items()):
        cls = TABLES[c.entity]
        version = session.scalar(select(cls.version).where(cls.id == c.id))
        if version is not None and version >= c.version:
            del held[key]
    return held


def _rows(session: Session) -> Iterator[tuple[str, str, int, bool, dict[str, Any]]]:
    held = held_changes(session)
    for entity, cls in TABLES.items():
        spec = ENTITIES[entity]
        names = [k for k in spec.fields if k not in spec.wire_only]
        table = cls.__table__
        query = (select(table.c.id, table.c.version, table.c.deleted,
                        *[table.c[k] for k in names]).where(table.c.version > 0))
        for row in session.execute(query):
            if (entity, row[0]) in held:
                continue
            data = {k: to_wire(v) for k, v in zip(names, row[3:], strict=True)}
            yield entity, row[0], row[1], bool(row[2]), data
    for c in held.values():
        yield c.entity, c.id, c.version, c.deleted, c.data


def local_digest(session: Session) -> dict[str, EntityDigest]:
    """This PC's digest: every row the server has sent (version > 0); rows never sent
    (version 0, waiting in the outbox) are not the server's yet."""
    return digest(_rows(session), TABLES)


def _waiting(session: Session) -> int:
    """Unsent changes of rows (a report for the province, say, changes no row)."""
    return int(session.scalar(select(func.count()).select_from(OutboxRow).where(
        OutboxRow.entity.in_(list(TABLES)))) or 0)


# --- talking to the server -----------------------------------------------------------


def _post(transport: Any, path: str, body: BaseModel, answer: type[Answer]) -> Answer:
    r = transport._call("POST", path, data=body.model_dump_json(),
                        headers={"Content-Type": "application/json"})
    if r.status_code != 200:
        raise error_from(r)
    try:
        return answer.model_validate_json(r.content)
    except ValidationError:
        raise SyncFailure("sync_offline", detail="bad answer") from None


# --- the repair ----------------------------------------------------------------------


def _local_hashes(session: Session, entity: str, ids: list[str]) -> dict[str, int]:
    cls = TABLES[entity]
    spec = ENTITIES[entity]
    out: dict[str, int] = {}
    for i in range(0, len(ids), 500):
        for row in session.scalars(select(cls).where(cls.id.in_(ids[i:i + 500]))):
            data = {k: to_wire(getattr(row, k)) for k in spec.fields if k not in spec.wire_only}
            out[row.id] = row_hash(entity, row.id, row.version, row.deleted, data)
    return out


def _reapply(session: Session, changes: list[Change]) -> int:
    """Write the server's rows whose local copy differs (this PC's unsent edits go back on
    top: ``apply_changes`` rebases them, and the outbox keeps them)."""
    if not changes:
        return 0
    entity = changes[0].entity
    mine = _local_hashes(session, entity, [c.id for c in changes])
    held = held_changes(session)
    wrong = [c for c in changes
             if mine.get(c.id) != row_hash(entity, c.id, c.version, c.deleted, c.data)
             and not _same(held.get((entity, c.id)), c)]
    if wrong:
        pull.apply_changes(session, [_complete(c) for c in wrong], force=True)
    return len(wrong)


def _same(held: Change | None, c: Change) -> bool:
    """A row already held aside as this very version (quarantined): not written again."""
    return held is not None and (held.version, held.deleted, held.data) == (
        c.version, c.deleted, c.data)


def _complete(change: Change) -> Change:
    """The row with every synced field: one the server's copy lacks is written empty, as
    the digest reads it (else a wrong local value there would survive the repair)."""
    spec = ENTITIES[change.entity]
    data = dict(change.data)
    for name, kind in spec.fields.items():
        if name in data or name in spec.wire_only:
            continue
        if name in spec.nullable:
            data[name] = None
        elif kind in EMPTY_VALUES:
            data[name] = EMPTY_VALUES[kind]
    return change.model_copy(update={"data": data})


def _extras(session: Session, entity: str, theirs: set[str]) -> int:
    """Rows this PC holds as the server's (version > 0) that the server does not have."""
    spec = ENTITIES[entity]
    cls = TABLES[entity]
    held = {row_id for (e, row_id) in held_changes(session) if e == entity}
    extra = [row for row in session.scalars(select(cls).where(cls.version > 0))
             if row.id not in theirs and row.id not in held]
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    for row in extra:
        if spec.branch_writable:
            # The branch's own data the server has lost (a restore, a manual delete), or a
            # row written here behind the sync's back: sent up again, never thrown away.
            fields = row_fields(entity, row)
            session.execute(update(cls).where(cls.id == row.id).values(version=0))
            outbox.append(session, entity=entity, row_id=row.id,
                          op="add" if spec.add_only else "create", base_version=0,
                          fields=fields)
        else:
            session.execute(delete(cls).where(cls.id == row.id))
    session.flush()
    return len(extra)


def _release_held(session: Session) -> int:
    """After a repair: quarantined rows the table now holds (at that version or newer) are no
    longer set aside, and one set aside for want of its parent (a row the repair brought
    back) is written now; one whose parent is still missing goes back as it was."""
    if QUARANTINE is None:
        return 0
    released = 0
    for q in session.scalars(select(QUARANTINE).order_by(QUARANTINE.id)).all():
        cls = TABLES.get(q.entity)
        if cls is None:
            continue
        version = session.scalar(select(cls.version).where(cls.id == q.row_id))
        if version is not None and version >= q.version:
            session.delete(q)
            continue
        if not str(q.reason).startswith("unknown_reference"):
            continue
        change = Change.model_validate_json(q.change)
        kept = {c.name: getattr(q, c.name) for c in QUARANTINE.__table__.columns
                if c.name != "id"}
        session.delete(q)
        session.flush()
        pull.apply_changes(session, [change], force=True)
        if session.scalar(select(cls.version).where(cls.id == change.id)) == change.version:
            released += 1
            continue
        for parked in session.scalars(select(SyncParkedRow)).all():
            c = Change.model_validate_json(parked.change)
            if (c.entity, c.id) == (change.entity, change.id):
                session.delete(parked)
        session.add(QUARANTINE(**kept))
        session.flush()
    return released


def repair(db: Database, transport: Any, entity: str) -> int:
    """Pull every row of ``entity`` again and make this PC's copy the server's; returns the
    rows changed. Each page is one transaction; a cut repair is redone at the next check."""
    theirs: set[str] = set()
    after = 0
    fixed = 0
    while True:
        page = _post(transport, ROUTE_REPAIR, RepairRequest(
            protocol=PROTOCOL_VERSION, schema_version=schema_version.HEAD, entity=entity,
            after=after), RepairResponse)
        changes = [c for c in page.changes if c.entity == entity]
        with db.sessions.begin() as session:
            fixed += _reapply(session, changes)
        theirs.update(c.id for c in changes)
        if not page.has_more or page.after <= after:
            break
        after = page.after
    with db.sessions.begin() as session:
        fixed += _extras(session, entity, theirs)
    return fixed


# --- the check -----------------------------------------------------------------------


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _keep(db: Database, outcome: CheckOutcome) -> CheckOutcome:
    outcome.at = outcome.at or _now()
    with db.sessions.begin() as session:
        set_meta(session, CHECK_KEY, json.dumps(asdict(outcome), ensure_ascii=False))
    return outcome


def run_check(db: Database, transport: Any, resync: Any) -> CheckOutcome:
    """Compare, repair what differs, sync and compare once more. ``resync()`` runs the
    records part of a sync (it sends rows queued by the repair and pulls what is new)."""
    with db.reads() as session:
        before = _diverged_before(last_outcome(session))
    repaired: list[str] = []
    fixed = 0
    try:
        for attempt in (0, 1):
            with db.reads() as session:
                acct = account(session)
                if acct is None or _waiting(session):
                    break
                request = CheckRequest(
                    protocol=PROTOCOL_VERSION, schema_version=schema_version.HEAD,
                    cursor=cursors(session).get(acct.unit_id, 0),
                    digest=local_digest(session), after_repair=attempt == 1,
                    diverged_before=before)
            answer = _post(transport, ROUTE_CHECK, request, CheckResponse)
            if answer.status == "behind":
                break
            if answer.status == "match":
                if attempt == 0:
                    return _keep(db, CheckOutcome("match"))
                return _keep(db, CheckOutcome("repaired", entities=repaired, fixed=fixed))
            if attempt == 1:
                return _keep(db, CheckOutcome("unrepaired", entities=answer.entities,
                                              fixed=fixed, confirmed=False))
            repaired = list(answer.entities)
            for entity in repaired:
                if entity in TABLES:
                    fixed += repair(db, transport, entity)
            with db.sessions.begin() as session:
                fixed += _release_held(session)
            resync()
    except SyncCancelled:
        raise
    except SyncFailure:
        pass   # the records are synced; the check waits for the next sync
    if repaired:
        return _keep(db, CheckOutcome("repaired", entities=repaired, fixed=fixed,
                                      confirmed=False))
    with db.reads() as session:
        last = last_outcome(session)
    if last is not None and last.status != "match":
        return last      # nothing new to say: the last finding stands
    return CheckOutcome("skipped", at=_now())
