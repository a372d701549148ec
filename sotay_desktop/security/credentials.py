"""Where the device credential lives: the system keyring, else the branch database.

Windows has Credential Manager; a Linux PC without a Secret Service (and CI) has
no usable backend (keyring then chooses ``fail`` or ``null``, priority ≤ 0), and
the token goes into the branch's own database instead (the ``meta`` table), which an
encrypted profile encrypts; never into a loose plain file.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sotay_desktop.db.meta import get_meta, set_meta

SERVICE = "sotay"
TOKEN_KEY = "sync_device_token"
STORE_KEY = "sync_token_store"


def _keyring() -> Any | None:
    try:
        import keyring
        backend = keyring.get_keyring()
    except Exception:  # a broken or missing backend is the same as none
        return None
    priority = getattr(backend, "priority", 0)
    try:
        usable = float(priority) > 0
    except (TypeError, ValueError):
        usable = False
    return keyring if usable else None


def save_token(session: Session, device_id: str, token: str) -> str:
    """Keep the token; returns where ("keyring" or "database")."""
    kr = _keyring()
    if kr is not None:
        try:
            kr.set_password(SERVICE, device_id, token)
            if kr.get_password(SERVICE, device_id) == token:
                set_meta(session, STORE_KEY, "keyring")
                set_meta(session, TOKEN_KEY, "")
                return "keyring"
        except Exception:  # a locked or failing keyring: keep the token in the database
            pass
    set_meta(session, STORE_KEY, "database")
    set_meta(session, TOKEN_KEY, token)
    return "database"


def load_token(session: Session, device_id: str) -> str | None:
    if get_meta(session, STORE_KEY) == "keyring":
        kr = _keyring()
        if kr is None:
            return None
        try:
            value = kr.get_password(SERVICE, device_id)
        except Exception:  # the keyring went away: the caller asks to enrol again
            return None
        return str(value) if value else None
    return get_meta(session, TOKEN_KEY) or None


def forget_token(session: Session, device_id: str) -> None:
    kr = _keyring()
    if kr is not None and get_meta(session, STORE_KEY) == "keyring":
        try:
            kr.delete_password(SERVICE, device_id)
        except Exception:  # nothing to forget there
            pass
    set_meta(session, TOKEN_KEY, "")
