"""The ``meta`` table: this folder's own settings (its branch, its sync account, its marks).

One key, one text value, in the caller's transaction. The key names belong to the modules
that use them (``services/branch.py``, ``services/sync/account.py``, ``services/audit.py``…).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from sotay_desktop.db.tables import Meta


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key)
    if row is None:
        session.add(Meta(key=key, value=value))
    else:
        row.value = value
