"""Where data lives by default: the per-user data folder (platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path


def default_data_dir() -> Path:
    """``SOTAY_DATA_DIR`` if set, else e.g. %LOCALAPPDATA%\\SoTay\\branches\\default."""
    override = os.environ.get("SOTAY_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("SoTay", appauthor=False)) / "branches" / "default"
