"""Admin actions (organisation tree, devices, publishing), shared by the CLI and the pages.

Each function works in the caller's session and logs itself in ``admin_log``.
Credentials: a device token is 32 random bytes; the server keeps its SHA-256
(a random token needs no slow hash: there is nothing to guess), and an
enrollment code is stored the same way, used once and expires.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import mimetypes
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sotay_core.domain.text import TextError
from sotay_core.domain.text import clean_block as _clean_block
from sotay_core.domain.text import clean_line as _clean_line
from sotay_core.i18n import t
from sotay_core.protocol import bundle_key
from sync_server import files, rollup, study_late
from sync_server.models import AdminLog, Device, EnrollCode, Record, StatBranch, Unit, utcnow
from sync_server.records import PROVINCE, put_copies, put_record

LEVELS = ("province", "commune", "branch")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
CODE_DAYS = 14


class AdminError(Exception):
    """A refused admin action; ``code`` is an i18n code, ``params`` fill its message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def clean_line(text: str, field: str = "") -> str:
    """One line of text from a form or a command: a control character is refused plainly,
    naming the field (``field``: the i18n key of its label, ``server_field.*``)."""
    try:
        return _clean_line(text)
    except TextError:
        raise AdminError("server_bad_text", field=t(field) if field else "") from None


def clean_block(text: str, field: str = "") -> str:
    """Lines of text (a comment): as ``clean_line``, tabs and line breaks kept."""
    try:
        return _clean_block(text)
    except TextError:
        raise AdminError("server_bad_text", field=t(field) if field else "") from None


def clean_label(text: str) -> str:
    """A device's own label (its host name): control characters are dropped, not refused."""
    return _clean_line("".join(ch for ch in text if ch.isprintable() or ch == " "))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def log_action(session: Session, actor: str, action: str, **detail: object) -> None:
    """One row of the admin log: who (an admin, a device, an address), what, with details."""
    _log(session, actor, action, **detail)


def _log(session: Session, actor: str, action: str, **detail: object) -> None:
    session.add(AdminLog(actor=actor, action=action,
                         detail=json.dumps(detail, ensure_ascii=False, default=str)))


def _unit(session: Session, unit_id: str) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise AdminError("server_unit_not_found", id=unit_id)
    return unit


def ancestors(session: Session, unit: Unit) -> list[Unit]:
    """The unit and the units above it, nearest first."""
    chain = [unit]
    while chain[-1].parent_id is not None and len(chain) < 16:
        chain.append(_unit(session, chain[-1].parent_id))
    return chain


def _unit_data(unit: Unit, *, symbol: str) -> dict[str, object]:
    return {"level": unit.level, "name": unit.name, "parent_id": unit.parent_id,
            "symbol": symbol, "is_grassroots": unit.level == "commune",
            "has_chi_uy": unit.level == "commune", "former_names": ""}


_SYMBOLS = {"province": "T", "commune": "ĐU", "branch": "CB"}


def add_unit(session: Session, *, name: str, level: str, parent_id: str | None,
             actor: str = "admin") -> Unit:
    if level not in LEVELS:
        raise AdminError("server_bad_level", value=level, choices=", ".join(LEVELS))
    clean = clean_line(name, "server_field.unit_name")
    if not clean:
        raise AdminError("server_name_required")
    if len(clean) > 200:   # the record rules' limit (a PC would set the unit's row aside)
        raise AdminError("too_long", max=200)
    parent = _unit(session, parent_id) if parent_id else None
    if level != "province" and parent is None:
        raise AdminError("server_parent_required", level=level)
    if parent is not None and parent.level == "branch":
        raise AdminError("server_parent_is_branch")
    unit_id = new_id()
    path = f"{parent.path if parent else '/'}{unit_id}/"
    unit = Unit(id=unit_id, name=clean, level=level, parent_id=parent_id, path=path)
    session.add(unit)
    session.flush()
    rollup.mark(session, [unit_id], units_only=True)     # its parent's branches
    if level == "branch":
        session.add(StatBranch(scope_id=unit_id))
        # The branch's scope starts with its own unit and the units above it (read-only).
        for u in ancestors(session, unit):
            put_record(session, scope_id=unit_id, entity="org_units", row_id=u.id,
                       data=_unit_data(u, symbol=_SYMBOLS[u.level]), by=PROVINCE,
                       province_owned=True)
    _log(session, actor, "org_add", id=unit_id, name=clean, level=level, parent=parent_id)
    if level == "branch":
        # The study plans still open that were sent to a unit above it before it existed.
        late = study_late.give_open_plans(session, unit)
        if late.plans:
            _log(session, actor, "study_late", branch=unit_id, plans=list(late.plans),
                 documents=list(late.documents), lacking=list(late.lacking))
    return unit


def branches_under(session: Session, unit_id: str) -> list[Unit]:
    unit = _unit(session, unit_id)
    return list(session.scalars(select(Unit).where(
        Unit.path.startswith(unit.path), Unit.level == "branch").order_by(Unit.path)))


@dataclass(frozen=True)
class Enrollment:
    device_id: str
    code: str          # shown once, e.g. "K7QM-2XPA-9TRD"
    expires_at: dt.datetime


def enroll_device(session: Session, *, unit_id: str, label: str = "",
                  actor: str = "admin") -> Enrollment:
    unit = _unit(session, unit_id)
    if unit.level != "branch":
        raise AdminError("server_enroll_branch_only")
    device = Device(id=new_id(), unit_id=unit_id, label=clean_label(label) or unit.name)
    session.add(device)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    expires = utcnow() + dt.timedelta(days=CODE_DAYS)
    session.add(EnrollCode(code_hash=sha256_hex(raw), device_id=device.id, expires_at=expires))
    _log(session, actor, "device_enroll", device=device.id, unit=unit_id)
    code = "-".join(raw[i:i + 4] for i in range(0, 12, 4))
    return Enrollment(device.id, code, expires)


@dataclass(frozen=True)
class Credential:
    device: Device
    token: str
    unit: Unit


def redeem_code(session: Session, code: str, *, label: str = "",
                mutation_floor: int = 0) -> Credential:
    """Turn a one-time code into the device's token (the code is spent)."""
    entry = session.get(EnrollCode, sha256_hex(normalise_code(code)), with_for_update=True)
    if entry is None or entry.used_at is not None or entry.expires_at < utcnow():
        raise AdminError("server_bad_code")
    device = session.get(Device, entry.device_id)
    if device is None or device.revoked_at is not None:
        raise AdminError("server_bad_code")
    secret = secrets.token_urlsafe(32)
    token = f"{device.id}.{secret}"
    device.token_hash = sha256_hex(token)
    device.bundle_key = bundle_key(token)
    device.enrolled_at = utcnow()
    device.last_mutation_id = mutation_floor
    if label:
        device.label = clean_label(label)[:120]
    entry.used_at = utcnow()
    _log(session, f"device:{device.id}", "device_enrolled", device=device.id)
    return Credential(device, token, _unit(session, device.unit_id))


def device_for_token(session: Session, token: str) -> Device | None:
    """The device holding ``token``, revoked or not (the caller tells the two apart)."""
    return session.scalars(select(Device).where(Device.token_hash == sha256_hex(token))).first()


def revoke_device(session: Session, device_id: str, *, actor: str = "admin") -> Device:
    device = session.get(Device, device_id)
    if device is None:
        raise AdminError("server_device_not_found", id=device_id)
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        rollup.mark(session, [device.unit_id], units_only=True)   # its PCs' last sync
        _log(session, actor, "device_revoke", device=device_id)
    return device


@dataclass(frozen=True)
class Published:
    document_id: str
    sha256: str
    branches: int


def publish(session: Session, store: files.FileStore | Path, path: Path, *, to_unit: str,
            title: str = "", number: str = "", doc_type: str = "", issued_on: dt.date | None = None,
            summary: str = "", file_name: str = "", issuer_id: str | None = None,
            actor: str = "admin") -> Published:
    """Store the file once and address one read-only document record to every branch below
    ``to_unit`` (the unit itself, if it is a branch). ``issuer_id``: the unit sending it
    (the staff member's own unit; by default the addressed unit)."""
    source = _unit(session, to_unit)
    targets = [source] if source.level == "branch" else branches_under(session, to_unit)
    if not targets:
        raise AdminError("server_no_branches", id=to_unit)
    name = clean_label(file_name) or path.name
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    issuer = _unit(session, issuer_id) if issuer_id else source
    meta = {
        "origin": "from_above", "doc_type": clean_line(doc_type, "server_field.doc_type")[:16],
        "number": clean_line(number, "server_field.number"),
        "issued_on": (issued_on or dt.date.today()).isoformat(), "issuer": issuer.name,
        "title": clean_line(title, "server_field.title") or clean_label(Path(name).stem),
        "summary": clean_line(summary, "server_field.summary"), "tags": "", "file_name": name,
        "body_text": "", "file_mime": mime,
    }
    _keep_rules("documents", meta)   # before the file is stored
    stored = files.store_path(session, store, path, mime=mime)
    document_id = new_id()
    data = meta | {"file_sha256": stored.sha256, "file_size": stored.size}
    # The grants that let the branches' devices download the file (a record naming a hash
    # grants nothing): addressed to the branch itself, or covered by a unit above.
    files.grant_many(session, {
        branch.id: ("published" if branch.id == source.id else "covered", source.id)
        for branch in targets}, stored.sha256)
    # Last, the copies (each branch's counter is locked from their stamping to the commit).
    put_copies(session, entity="documents", row_id=document_id, by=issuer.name,
               copies={branch.id: data | {"unit_id": branch.id} for branch in targets})
    _log(session, actor, "publish", document=document_id, sha256=stored.sha256, to=to_unit,
         branches=len(targets))
    return Published(document_id, stored.sha256, len(targets))


MAX_COMMENT = 5000


def add_comment(session: Session, *, branch_id: str, resolution_id: str, body: str,
                author: str, actor: str) -> str:
    """A comment from above on a draft resolution: an add-only record of the branch's scope,
    so it reaches the branch's PCs at their next sync. Returns the comment's id."""
    rec = session.get(Record, (branch_id, "resolutions", resolution_id))
    if rec is None or rec.deleted:
        raise AdminError("server_record_not_found", id=resolution_id)
    if json.loads(rec.data).get("status") not in ("draft", "circulated"):
        raise AdminError("server_comment_closed")
    comment_id = comment_down(session, branch_id=branch_id, target_type="resolution",
                              target_id=resolution_id, body=body, author=author, actor=actor)
    _log(session, actor, "comment", branch=branch_id, resolution=resolution_id, id=comment_id)
    return comment_id


def comment_down(session: Session, *, branch_id: str, target_type: str, target_id: str,
                 body: str, author: str, actor: str) -> str:
    """A comment from above on one of the branch's records, written as an add-only
    ``comments`` record of its scope (it reaches the branch's PCs at their next sync).
    The caller has checked the target; returns the comment's id."""
    text = clean_block(body, "server_field.comment")
    if not text:
        raise AdminError("server_comment_empty")
    if len(text) > MAX_COMMENT:
        raise AdminError("server_comment_long", max=MAX_COMMENT)
    comment_id = new_id()
    put_record(session, scope_id=branch_id, entity="comments", row_id=comment_id,
               data={"target_type": target_type, "target_id": target_id,
                     "author_member_id": None, "author_text": clean_label(author)[:200],
                     "body": text}, by=actor, province_owned=True)
    return comment_id


def _keep_rules(entity: str, values: Mapping[str, object]) -> None:
    """The province keeps the record rules a branch PC keeps (domain.record_rules): a value
    breaking them would be set aside by every PC of the branch."""
    from sotay_core.domain import record_rules
    from sotay_core.i18n import field_label

    try:
        record_rules.check_fields(entity, values, today=utcnow().date())
    except record_rules.RecordError as exc:
        raise AdminError(f"rule.{exc.code}", field=field_label(exc.field)) from None


def province_edit(session: Session, *, scope_id: str, entity: str, row_id: str,
                  values: dict[str, object], actor: str) -> int:
    """An edit made above the branch (the province pages): written as the current value.

    Returns the record's new version. A branch PC that edited the same field
    meanwhile gets a conflict when it next syncs, never a silent overwrite.
    """
    import json as _json

    from sotay_core.protocol.entities import ENTITIES, FieldError, check_value
    from sync_server.records import stamp

    rec = session.get(Record, (scope_id, entity, row_id), with_for_update=True)
    if rec is None or entity not in ENTITIES:
        raise AdminError("server_record_not_found", id=row_id)
    spec = ENTITIES[entity]
    data = _json.loads(rec.data)
    for name, value in values.items():
        try:
            data[name] = check_value(spec, name, value)
        except FieldError as exc:
            raise AdminError(exc.code) from None
    _keep_rules(entity, values)
    stamp(session, rec, data, by=actor)
    _log(session, actor, "province_edit", entity=entity, id=row_id, fields=sorted(values))
    return rec.version
