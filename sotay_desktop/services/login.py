"""The login screen's use cases: the encrypted profiles it lists and unlocks.

The screens never import ``db`` or ``security`` themselves; this is their door to them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sotay_core.domain.errors import DomainError
from sotay_desktop.db import layout
from sotay_desktop.security import profile


def profile_info(data_dir: Path) -> dict[str, Any]:
    """The branch name and user names: all a login screen may show."""
    return profile.profile_info(data_dir)


def unlock(data_dir: Path, password: str, user: str | None = None) -> bytes:
    """The database key, or ProfileError with a plain message."""
    return profile.unlock(data_dir, password, user)


def is_encrypted(data_dir: Path) -> bool:
    return layout.is_encrypted(data_dir)


def profiles_beside(data_dir: Path) -> list[tuple[Path, str]]:
    """The encrypted profiles in the same parent folder (…/SoTay/branches/*), with their
    branch names: what the login screen lists. Nothing else of them is read."""
    found: list[tuple[Path, str]] = []
    parent = Path(data_dir).parent
    try:
        folders = sorted(p for p in parent.iterdir() if p.is_dir())
    except OSError:
        folders = []
    for folder in folders:
        if layout.is_encrypted(folder):
            try:
                found.append((folder, str(profile.profile_info(folder)["branch"]) or folder.name))
            except DomainError:
                found.append((folder, folder.name))
    if not any(folder == Path(data_dir) for folder, _ in found) and layout.is_encrypted(data_dir):
        found.insert(0, (Path(data_dir), str(profile.profile_info(data_dir)["branch"])))
    return found


def recorded_status(data_dir: Path) -> dict[str, Any]:
    return profile.recorded_status(data_dir)


def set_aside(data_dir: Path, now: str) -> Path:
    return profile.set_aside(data_dir, now)
