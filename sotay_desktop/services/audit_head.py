"""The audit chain's end mark, kept outside the database: ``audit-head.json`` beside it.

The hash chain finds a row changed, removed or inserted in the middle. It cannot by itself
find rows cut from the end, or a chain recomputed from a changed row onwards (the hashes are
public SHA-256), because the database is all it sees. The server's anchor (``set_anchor``)
covers that after a sync; this mark covers it before the first sync and between syncs.

After each commit that added an audit row, this PC's last ``seq`` and ``hash`` are written to
the mark (a new file replacing the old, so a power cut leaves the old or the new one). When
the mark names a row the database no longer has, the tail was cut; when the row at that seq
has another hash, the chain was recomputed.

- Encrypted profile: the mark carries an HMAC-SHA256 whose key (32 random bytes) is kept in
  the encrypted database, so only a holder of the database key can read it, exactly as with a
  key derived from the database key. Someone without the key can neither forge a mark nor
  change the database; they can only delete the file or roll both back to older copies.
- Plain folder: there is no secret on the PC to sign with, so the mark is plain. It catches a
  cut or a recomputation by someone who edited ``sotay.db`` without knowing of the mark, and a
  database file put back from an older copy; it does not stop someone who edits both.

A mark that disagrees with the database is never overwritten (the evidence stays until
someone looks); the database notes that a mark exists (meta ``audit_head``), so a deleted
mark file is reported too. See docs/security.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session

from sotay_desktop.db.layout import AUDIT_HEAD_FILE
from sotay_desktop.db.meta import get_meta, set_meta
from sotay_desktop.db.tables import AuditRow

HEAD_META = "audit_head"          # "1" once a mark was written for this folder
KEY_META = "audit_head_key"       # encrypted folders: the mark's HMAC key (hex)
_PENDING = "_audit_head_pending"  # session.info: the mark to write after the commit
_HOOKED = "_audit_head_hooked"
MAX_HEAD_BYTES = 4096


@dataclass(frozen=True)
class Head:
    pc: str
    seq: int
    hash: str
    mac: str = ""


def data_dir_of(session: Session) -> Path | None:
    """The folder of the session's database file (None for an in-memory database)."""
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind  # an Engine or a Connection
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database).parent


def _encrypted(folder: Path) -> bool:
    from sotay_desktop.db.layout import is_encrypted

    return is_encrypted(folder)


def _mac(key_hex: str, pc: str, seq: int, digest: str) -> str:
    message = f"sotay-audit-head-v1|{pc}|{seq}|{digest}".encode()
    return hmac.new(bytes.fromhex(key_hex), message, hashlib.sha256).hexdigest()


def read_head(folder: Path) -> Head | str | None:
    """The mark, None when there is no file, or "bad" when it cannot be read as one."""
    path = folder / AUDIT_HEAD_FILE
    try:
        if path.stat().st_size > MAX_HEAD_BYTES:
            return "bad"
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return "bad"
    if not isinstance(data, dict) or data.get("version") != 1:
        return "bad"
    pc, seq, digest, mac = (data.get(k) for k in ("pc", "seq", "hash", "mac"))
    if (not isinstance(pc, str) or type(seq) is not int or not isinstance(digest, str)
            or not isinstance(mac, str | None)):
        return "bad"
    return Head(pc, seq, digest, mac or "")


def _write(folder: Path, head: Head) -> None:
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".audit-head-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as fh:
            json.dump({"version": 1, "pc": head.pc, "seq": head.seq, "hash": head.hash,
                       **({"mac": head.mac} if head.mac else {})}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, folder / AUDIT_HEAD_FILE)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _disagreement(session: Session, folder: Path, pc: str) -> str | None:
    """Why the stored mark does not fit this database's chain, or None when it fits."""
    head = read_head(folder)
    if head is None:
        return "end mark missing" if get_meta(session, HEAD_META) == "1" else None
    if isinstance(head, str) or head.pc != pc:
        return "end mark forged"
    key = get_meta(session, KEY_META)
    if key and not hmac.compare_digest(head.mac, _mac(key, head.pc, head.seq, head.hash)):
        return "end mark forged"
    found = session.scalar(select(AuditRow.hash).where(AuditRow.pc == pc,
                                                       AuditRow.seq == head.seq))
    if found is None:
        last = session.scalar(select(AuditRow.seq).where(AuditRow.pc == pc)
                              .order_by(AuditRow.seq.desc()).limit(1))
        return "cut at the end" if last is None or head.seq > last else None
    return "rewritten" if found != head.hash else None


def note(session: Session, pc: str, seq: int, digest: str) -> None:
    """Called with each new audit row, in its transaction: the mark is written after the
    commit (never before: a rolled-back row must not be in it), and only while the stored
    mark still fits the chain (a mismatch is evidence, kept for ``verify``)."""
    folder = data_dir_of(session)
    if folder is None or _disagreement(session, folder, pc) is not None:
        return
    key = ""
    if _encrypted(folder):
        key = get_meta(session, KEY_META) or ""
        if not key:
            key = secrets.token_hex(32)
            set_meta(session, KEY_META, key)
    if get_meta(session, HEAD_META) != "1":
        set_meta(session, HEAD_META, "1")
    mac = _mac(key, pc, seq, digest) if key else ""
    session.info[_PENDING] = (folder, Head(pc, seq, digest, mac))
    if not session.info.get(_HOOKED):
        session.info[_HOOKED] = True
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_rollback", _after_rollback)


def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    folder, head = pending
    current = read_head(folder)
    if isinstance(current, Head) and current.pc == head.pc and current.seq >= head.seq:
        return  # another process wrote a later mark already
    try:
        _write(folder, head)
    except OSError:
        pass  # committed already; the mark stays one step behind, which verify accepts


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def reset(session: Session, pc: str | None) -> None:
    """Write the mark for the chain as it is now (after a restore into a new folder, whose
    database says a mark existed): trust on first use, said in docs/security.md."""
    folder = data_dir_of(session)
    if folder is None or not pc:
        return
    last = session.execute(select(AuditRow.seq, AuditRow.hash).where(AuditRow.pc == pc)
                           .order_by(AuditRow.seq.desc()).limit(1)).first()
    if last is None:
        return
    key = get_meta(session, KEY_META) or ""
    _write(folder, Head(pc, last[0], last[1], _mac(key, pc, last[0], last[1]) if key else ""))


def problems(session: Session, pc: str | None) -> list[tuple[str, int, str]]:
    """(pc, seq, what) for a mark that disagrees with the chain; reads only."""
    folder = data_dir_of(session)
    if folder is None or not pc:
        return []
    what = _disagreement(session, folder, pc)
    if what is None:
        return []
    head = read_head(folder)
    if isinstance(head, Head):
        seq = head.seq
    else:
        seq = session.scalar(select(AuditRow.seq).where(AuditRow.pc == pc)
                             .order_by(AuditRow.seq.desc()).limit(1)) or 0
    return [(pc, seq, what)]
