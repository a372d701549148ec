"""An encrypted profile: the branch database under SQLCipher, its key wrapped for each user.

Layout::

    profile.json   not secret: the branch name, and for each local user (secretary,
                   deputy) and for the recovery code: an Argon2id salt and parameters,
                   and the database key encrypted (AES-256-GCM) with the key derived
                   from that password or code
    sotay.db       SQLCipher 4 (AES-256, HMAC per page), opened with the raw key

The database key is 32 random bytes and never changes: a password change re-wraps
it (milliseconds), it never re-encrypts the data. Passwords are NFC-normalised
before derivation, so a Vietnamese password typed with another input method (NFD)
still opens the profile. Libraries: argon2-cffi (Argon2id, the OWASP choice),
cryptography (AES-GCM), sqlcipher3-wheels (SQLCipher with wheels for Windows and
Linux).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sotay_core.domain.errors import DomainError

PROFILE_FILE = "profile.json"
KEY_BYTES = 32
MIN_PASSWORD = 8
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols: 5 bits each
RECOVERY_GROUPS = 6                                      # 6 × 4 = 24 symbols = 120 bits


class ProfileError(DomainError):
    """A profile that cannot be opened or changed; never says which part was wrong."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The desktop unlocks once per session, so it can afford more than the
    OWASP minimum (19 MiB, t=2): 64 MiB, t=3 (see docs/benchmarks.md for the time)."""

    memory_kib: int = 64 * 1024
    time_cost: int = 3
    parallelism: int = 1


DEFAULT_PARAMS = KdfParams()
# What profile.json may ask for. The file is in clear and anyone can edit it: without bounds,
# "memory_kib": 2**40 would make the login allocate until the PC swaps and dies, before the
# password is even checked. 1 GiB and t = 10 are far above what Sổ tay writes (64 MiB, t = 3)
# and still finish on a 4 GB village-hall PC; refused before anything is derived.
MIN_MEMORY_KIB, MAX_MEMORY_KIB = 8 * 1024, 1024 * 1024
MAX_TIME_COST = 10
MAX_PARALLELISM = 8
MAX_PROFILE_BYTES = 1024 * 1024
SALT_BYTES, NONCE_BYTES = 16, 12


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def normalise(secret: str) -> bytes:
    return unicodedata.normalize("NFC", secret).encode("utf-8")


def derive(secret: str, salt: bytes, params: KdfParams) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(normalise(secret), salt, time_cost=params.time_cost,
                           memory_cost=params.memory_kib, parallelism=params.parallelism,
                           hash_len=KEY_BYTES, type=Type.ID)


def _wrap(secret: str, key: bytes, label: str, params: KdfParams) -> dict[str, Any]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(16), os.urandom(12)
    kek = derive(secret, salt, params)
    wrapped = AESGCM(kek).encrypt(nonce, key, label.encode("utf-8"))
    return {"salt": _b64(salt), "nonce": _b64(nonce), "key": _b64(wrapped),
            "kdf": {"alg": "argon2id", **asdict(params)}}


def checked_params(kdf: object) -> KdfParams:
    """The Argon2id settings of a wrapped key, refused when outside sane bounds (a tampered
    profile.json must not make the login exhaust the PC's memory or time)."""
    if not isinstance(kdf, dict) or kdf.get("alg", "argon2id") != "argon2id":
        raise ProfileError("profile_damaged", detail="kdf")
    values = [kdf.get(name) for name in ("memory_kib", "time_cost", "parallelism")]
    numbers = [v for v in values if type(v) is int]
    if len(numbers) != len(values):
        raise ProfileError("profile_damaged", detail="kdf")
    params = KdfParams(*numbers)
    if not (1 <= params.parallelism <= MAX_PARALLELISM
            and 1 <= params.time_cost <= MAX_TIME_COST
            and max(MIN_MEMORY_KIB, 8 * params.parallelism) <= params.memory_kib
            <= MAX_MEMORY_KIB):
        raise ProfileError("profile_cost", detail=f"m = {params.memory_kib} KiB, "
                           f"t = {params.time_cost}, p = {params.parallelism}")
    return params


def _unwrap(secret: str, entry: dict[str, Any], label: str) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        params = checked_params(entry["kdf"])
        salt, nonce = _unb64(entry["salt"]), _unb64(entry["nonce"])
        if len(salt) != SALT_BYTES or len(nonce) != NONCE_BYTES:
            raise ValueError("salt")
        kek = derive(secret, salt, params)
        return AESGCM(kek).decrypt(nonce, _unb64(entry["key"]), label.encode("utf-8"))
    except InvalidTag:
        return None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ProfileError("profile_damaged", detail=type(exc).__name__) from None


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * 4))
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def _clean_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def profile_path(data_dir: Path) -> Path:
    return Path(data_dir) / PROFILE_FILE


def is_encrypted(data_dir: Path) -> bool:
    return profile_path(data_dir).exists()


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
        "users": {user: {"role": "secretary", **_wrap(password, key, f"user:{user}", params)}},
        "recovery": _wrap(_clean_code(code), key, "recovery", params),
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
            key = _unwrap(password, entry, f"user:{name}")
            if key is not None:
                return key, name
    raise ProfileError("profile_wrong_password")


def unlock_with_recovery(data_dir: Path, code: str) -> bytes:
    key = _unwrap(_clean_code(code), _read(data_dir).get("recovery", {}), "recovery")
    if key is None:
        raise ProfileError("profile_wrong_recovery")
    return key


def set_password(data_dir: Path, key: bytes, user: str, password: str,
                 params: KdfParams | None = None, role: str = "secretary") -> None:
    """Wrap the key for ``user`` with a new password (a change, a reset by recovery code,
    or a new deputy); the data is not touched."""
    _check_password(password)
    data = _read(data_dir)
    data.setdefault("users", {})[user] = {"role": role, **_wrap(
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
    from sotay_desktop.db.connection import raw_connect
    from sotay_desktop.db.engine import DB_NAME

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
        "users": {user: {"role": "secretary", **_wrap(password, key, f"user:{user}", params)}},
        "recovery": _wrap(_clean_code(code), key, "recovery", params),
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
