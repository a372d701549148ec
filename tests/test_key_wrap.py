"""The database key's wrapping: AES-256-GCM through pycryptodome, in the layout cryptography's
AESGCM wrote before (profile.json files written by either open with the other)."""

from __future__ import annotations

import base64
import os
from dataclasses import asdict

import pytest

from sotay_desktop.security import key_wrap
from sotay_desktop.security.key_wrap import KdfParams, ProfileError

aead = pytest.importorskip("cryptography.hazmat.primitives.ciphers.aead",
                           reason="cryptography (pulled in by the dev extra) is the reference")

FAST = KdfParams(memory_kib=8 * 1024, time_cost=1, parallelism=1)
LABEL = "secretary"
PASSWORD = "Mật khẩu thử"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _old_wrap(secret: str, key: bytes, label: str) -> dict[str, object]:
    """profile.json's entry as the cryptography-based code wrote it."""
    salt, nonce = os.urandom(16), os.urandom(12)
    kek = key_wrap.derive(secret, salt, FAST)
    wrapped = aead.AESGCM(kek).encrypt(nonce, key, label.encode("utf-8"))
    return {"salt": _b64(salt), "nonce": _b64(nonce), "key": _b64(wrapped),
            "kdf": {"alg": "argon2id", **asdict(FAST)}}


def _old_unwrap(secret: str, entry: dict[str, object], label: str) -> bytes:
    salt, nonce, wrapped = (base64.b64decode(str(entry[name])) for name in ("salt", "nonce", "key"))
    kek = key_wrap.derive(secret, salt, FAST)
    result: bytes = aead.AESGCM(kek).decrypt(nonce, wrapped, label.encode("utf-8"))
    return result


def _flip(text: object, index: int) -> str:
    raw = bytearray(base64.b64decode(str(text)))
    raw[index] ^= 0x01
    return _b64(bytes(raw))


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 32, 100])
def test_seal_is_byte_for_byte_what_aesgcm_writes(size: int) -> None:
    kek, nonce, data = os.urandom(32), os.urandom(12), os.urandom(size)
    expected = aead.AESGCM(kek).encrypt(nonce, data, b"label")
    assert key_wrap.seal(kek, nonce, data, b"label") == expected
    assert key_wrap.open_sealed(kek, nonce, expected, b"label") == data


def test_a_key_wrapped_by_the_old_code_unwraps_and_the_other_way_round() -> None:
    key = os.urandom(32)
    assert key_wrap.unwrap(PASSWORD, _old_wrap(PASSWORD, key, LABEL), LABEL) == key
    entry = key_wrap.wrap(PASSWORD, key, LABEL, FAST)
    assert _old_unwrap(PASSWORD, entry, LABEL) == key
    assert key_wrap.unwrap(PASSWORD, entry, LABEL) == key
    # the wrapped key is the 32 bytes then the 16-byte tag, as before
    assert len(base64.b64decode(entry["key"])) == 48


@pytest.mark.parametrize("field,index", [("key", 0), ("key", 31), ("key", 47), ("nonce", 0),
                                         ("nonce", 11), ("salt", 5)])
def test_a_flipped_bit_is_refused(field: str, index: int) -> None:
    key = os.urandom(32)
    for entry in (key_wrap.wrap(PASSWORD, key, LABEL, FAST), _old_wrap(PASSWORD, key, LABEL)):
        damaged = {**entry, field: _flip(entry[field], index)}
        assert key_wrap.unwrap(PASSWORD, damaged, LABEL) is None


def test_a_wrong_password_label_or_cut_key_is_refused_without_an_exception() -> None:
    key = os.urandom(32)
    entry = key_wrap.wrap(PASSWORD, key, LABEL, FAST)
    assert key_wrap.unwrap("Mật khẩu khác", entry, LABEL) is None
    assert key_wrap.unwrap(PASSWORD, entry, "deputy") is None
    for length in (0, 15, 16, 47):
        cut = {**entry, "key": _b64(base64.b64decode(entry["key"])[:length])}
        assert key_wrap.unwrap(PASSWORD, cut, LABEL) is None


def test_a_malformed_entry_is_a_damaged_profile() -> None:
    entry = key_wrap.wrap(PASSWORD, os.urandom(32), LABEL, FAST)
    for damaged in ({**entry, "key": "not base64!"}, {**entry, "nonce": _b64(b"short")},
                    {k: v for k, v in entry.items() if k != "salt"}):
        with pytest.raises(ProfileError) as caught:
            key_wrap.unwrap(PASSWORD, damaged, LABEL)
        assert caught.value.code == "profile_damaged"
