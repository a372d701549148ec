"""An encrypted profile: the branch database under SQLCipher, its key wrapped for each user.

Layout::

    profile.json   not secret: the branch name, and for each local user (secretary,
                   deputy) and for the recovery code: an Argon2id salt and parameters,
                   and the database key encrypted (AES-256-GCM) with the key derived
                   from that password or code (``key_wrap``)
    sotay.db       SQLCipher 4 (AES-256, HMAC per page), opened with the raw key

The key derivation and wrapping are in ``key_wrap``; this module keeps profile.json and
turns a plain folder into an encrypted one. sqlcipher3-wheels gives SQLCipher with wheels
for Windows and Linux.
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sotay_desktop.db.connection import raw_connect
from sotay_desktop.db.layout import DB_NAME, is_encrypted, profile_path
from sotay_desktop.security.key_wrap import (
    DEFAULT_PARAMS,
    KEY_BYTES,
    KdfParams,
    ProfileError,
    clean_code,
    new_recovery_code,
    unwrap,
    wrap,
)

MIN_PASSWORD = 8
MAX_PROFILE_BYTES = 1024 * 1024


def _read(data_dir: Path) -> dict[str, Any]:
    try:
        path = profile_path(data_dir)
        if path.stat().st_size > MAX_PROFILE_BYTES:
            raise ValueError("too large")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProfileError("profile_damaged", detail=str(exc)) from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise ProfileError("profile_damaged", detail="version")
    return data


def _write(data_dir: Path, data: dict[str, Any]) -> None:
    path = profile_path(data_dir)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _check_password(password: str) -> None:
    if len(unicodedata.normalize("NFC", password)) < MIN_PASSWORD:
        raise ProfileError("password_too_short", minimum=MIN_PASSWORD)


@dataclass(frozen=True)
class NewProfile:
    key: bytes
    recovery_code: str   # shown and printed once, never stored in clear


def create_profile(data_dir: Path, *, branch_name: str, user: str, password: str,
                   params: KdfParams | None = None) -> NewProfile:
    """A new profile for an empty data folder: a random key, wrapped for the user and for a
    new recovery code."""
    params = params or DEFAULT_PARAMS
    if is_encrypted(data_dir):
        raise ProfileError("profile_exists", path=str(data_dir))
    _check_password(password)
    key = os.urandom(KEY_BYTES)
    code = new_recovery_code()
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    _write(data_dir, {
        "version": 1, "branch": branch_name,
        "users": {user: {"role": "secretary", **wrap(password, key, f"user:{user}", params)}},
        "recovery": wrap(clean_code(code), key, "recovery", params),
    })
    return NewProfile(key, code)


def profile_info(data_dir: Path) -> dict[str, Any]:
    """What a login screen may show: the branch name and the user names, nothing secret."""
    data = _read(data_dir)
    return {"branch": str(data.get("branch", "")), "users": sorted(data.get("users", {}))}


def unlock(data_dir: Path, password: str, user: str | None = None) -> bytes:
    """The database key, or ProfileError("profile_wrong_password")."""
    return unlock_as(data_dir, password, user)[0]


def unlock_as(data_dir: Path, password: str, user: str | None = None) -> tuple[bytes, str]:
    """The database key and the user whose password it is (the name the audit log records
    for this session), or ProfileError("profile_wrong_password")."""
    data = _read(data_dir)
    users = data.get("users", {})
    if not isinstance(users, dict):
        raise ProfileError("profile_damaged", detail="users")
    names = [user] if user is not None else sorted(users)
    for name in names:
        entry = users.get(name)
        if isinstance(entry, dict):
            key = unwrap(password, entry, f"user:{name}")
            if key is not None:
                return key, name
    raise ProfileError("profile_wrong_password")


def unlock_with_recovery(data_dir: Path, code: str) -> bytes:
    key = unwrap(clean_code(code), _read(data_dir).get("recovery", {}), "recovery")
    if key is None:
        raise ProfileError("profile_wrong_recovery")
    return key


def set_password(data_dir: Path, key: bytes, user: str, password: str,
                 params: KdfParams | None = None, role: str = "secretary") -> None:
    """Wrap the key for ``user`` with a new password (a change, a reset by recovery code,
    or a new deputy); the data is not touched."""
    _check_password(password)
    data = _read(data_dir)
    data.setdefault("users", {})[user] = {"role": role, **wrap(
        password, key, f"user:{user}", params or DEFAULT_PARAMS)}
    _write(data_dir, data)


def change_password(data_dir: Path, user: str, old: str, new: str,
                    params: KdfParams | None = None) -> None:
    key = unlock(data_dir, old, user)
    set_password(data_dir, key, user, new, params)


def encrypt_existing(data_dir: Path, *, branch_name: str, user: str, password: str,
                     params: KdfParams | None = None) -> NewProfile:
    """Encrypt a folder that was made without a password, keeping every row.

    The plain database is exported into a SQLCipher copy (``sqlcipher_export``), the copy
    is checked, then it replaces the plain file; the plain file is overwritten with zeros
    before it is removed (on a hard disk; an SSD may keep old blocks). Until the swap, the
    plain folder is untouched, so a power cut loses nothing.
    """
    data_dir = Path(data_dir)
    plain = data_dir / DB_NAME
    if is_encrypted(data_dir):
        raise ProfileError("profile_exists", path=str(data_dir))
    _check_password(password)
    key = os.urandom(KEY_BYTES)
    target = data_dir / (DB_NAME + ".encrypting")
    target.unlink(missing_ok=True)
    import sqlcipher3.dbapi2 as cipher

    source = cipher.connect(str(plain))
    try:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        source.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        source.execute("SELECT sqlcipher_export('encrypted')")
        version = source.execute("PRAGMA user_version").fetchone()[0]
        source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        source.execute("DETACH DATABASE encrypted")
    finally:
        source.close()
    check = raw_connect(target, key)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise ProfileError("profile_damaged", detail="integrity")
    finally:
        check.close()
    code = new_recovery_code()
    params = params or DEFAULT_PARAMS
    _write(data_dir, {
        "version": 1, "branch": branch_name,
        "users": {user: {"role": "secretary", **wrap(password, key, f"user:{user}", params)}},
        "recovery": wrap(clean_code(code), key, "recovery", params),
    })
    size = plain.stat().st_size
    with plain.open("r+b") as fh:
        fh.write(b"\0" * size)
        fh.flush()
        os.fsync(fh.fileno())
    for suffix in ("-wal", "-shm"):
        (data_dir / (DB_NAME + suffix)).unlink(missing_ok=True)
    os.replace(target, plain)
    return NewProfile(key, code)


def record_status(data_dir: Path, *, pending: int, last_sync: str) -> None:
    """Note, in clear, how many changes wait to be sent and when the last sync was: the one
    thing the PC must be able to say when both the password and the code are lost."""
    data = _read(data_dir)
    data["status"] = {"pending": int(pending), "last_sync": last_sync}
    _write(data_dir, data)


def recorded_status(data_dir: Path) -> dict[str, Any]:
    status = _read(data_dir).get("status") or {}
    return {"pending": int(status.get("pending", 0)), "last_sync": str(status.get("last_sync", ""))}


def set_aside(data_dir: Path, now: str) -> Path:
    """Rename a profile that nobody can open any more (kept, never deleted)."""
    target = Path(data_dir).with_name(f"{Path(data_dir).name}.forgotten-{now}")
    Path(data_dir).rename(target)
    return target
