"""Encrypted profiles as the screens see them (the screens never import the db layer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sotay_desktop.db import profile


def profile_info(data_dir: Path) -> dict[str, Any]:
    """The branch name and user names: all a login screen may show."""
    return profile.profile_info(data_dir)


def unlock(data_dir: Path, password: str, user: str | None = None) -> bytes:
    """The database key, or ProfileError with a plain message."""
    return profile.unlock(data_dir, password, user)


def is_encrypted(data_dir: Path) -> bool:
    return profile.is_encrypted(data_dir)
