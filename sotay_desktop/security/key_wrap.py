"""Key derivation and key wrapping: a password or recovery code opens the database key.

The database key is 32 random bytes and never changes: a password change re-wraps it
(milliseconds), it never re-encrypts the data. Passwords are NFC-normalised before
derivation, so a Vietnamese password typed with another input method (NFD) still opens the
profile. Libraries: argon2-cffi (Argon2id, the OWASP choice) and pycryptodome (AES-256-GCM,
96-bit nonce, 128-bit tag; import name ``Crypto``); no hand-made crypto. Both are imported when
first used (they cost start-up time). The stored layout is the one of cryptography's AESGCM,
which wrapped the keys before (ciphertext followed by the 16-byte tag, the label as associated
data): pycryptodome was chosen for the bundle's size (cryptography carries a static OpenSSL of
11 MB), and both read what the other wrote (tests/test_key_wrap.py). pycryptodome, not its twin
pycryptodomex (``Cryptodome``): pypdf takes its AES from ``Crypto`` when cryptography is absent,
so the bundle reads AES-encrypted PDFs with the same library.
"""

from __future__ import annotations

import base64
import os
import secrets
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from sotay_core.domain.errors import DomainError

KEY_BYTES = 32
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
SALT_BYTES, NONCE_BYTES, TAG_BYTES = 16, 12, 16


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


def seal(kek: bytes, nonce: bytes, data: bytes, associated: bytes) -> bytes:
    """AES-256-GCM: ``data`` encrypted, then its 16-byte tag (the layout of AESGCM.encrypt)."""
    from Crypto.Cipher import AES

    cipher = AES.new(kek, AES.MODE_GCM, nonce=nonce, mac_len=TAG_BYTES)
    cipher.update(associated)
    sealed, tag = cipher.encrypt_and_digest(data)
    return bytes(sealed) + bytes(tag)


def open_sealed(kek: bytes, nonce: bytes, data: bytes, associated: bytes) -> bytes | None:
    """What ``seal`` sealed, or None when the key, the nonce, the associated data or a single
    bit of ``data`` differs (the tag does not match)."""
    from Crypto.Cipher import AES

    if len(data) < TAG_BYTES:
        return None
    cipher = AES.new(kek, AES.MODE_GCM, nonce=nonce, mac_len=TAG_BYTES)
    cipher.update(associated)
    try:
        return bytes(cipher.decrypt_and_verify(data[:-TAG_BYTES], data[-TAG_BYTES:]))
    except ValueError:  # "MAC check failed": pycryptodome's only way of saying so
        return None


def wrap(secret: str, key: bytes, label: str, params: KdfParams) -> dict[str, Any]:
    """``key`` encrypted with a key derived from ``secret``, as profile.json stores it."""
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    kek = derive(secret, salt, params)
    wrapped = seal(kek, nonce, key, label.encode("utf-8"))
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


def unwrap(secret: str, entry: dict[str, Any], label: str) -> bytes | None:
    """The key ``wrap`` stored in ``entry``, or None when ``secret`` is not the one."""
    try:
        params = checked_params(entry["kdf"])
        salt, nonce = _unb64(entry["salt"]), _unb64(entry["nonce"])
        wrapped = _unb64(entry["key"])
        if len(salt) != SALT_BYTES or len(nonce) != NONCE_BYTES:
            raise ValueError("salt")
        kek = derive(secret, salt, params)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ProfileError("profile_damaged", detail=type(exc).__name__) from None
    return open_sealed(kek, nonce, wrapped, label.encode("utf-8"))


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * 4))
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def clean_code(code: str) -> str:
    """A recovery code as typed (any case, with or without dashes) as it was wrapped."""
    return "".join(ch for ch in code.upper() if ch.isalnum())
