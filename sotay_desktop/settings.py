"""Every settings key with its default, in one place, with a version and upgrades.

Settings are per PC user (a JSON file in the config folder); branch data never
lives here. An unreadable or damaged file falls back to the defaults (and is
kept aside as ``settings.json.bad``) rather than stopping the app.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

VERSION = 1

DEFAULTS: dict[str, Any] = {
    "language": "vi",
    "ui_scale": 1.0,           # 1.0 normal, 1.5 large type, up to 2.0
    "lock_minutes": 10.0,      # an encrypted profile locks after this long without input
    "backup_dir": "",          # where the weekly backup goes (chosen with Tệp → Sao lưu…)
    "high_contrast": False,
    "printer_name": "",        # the last printer used; "" for the system default
    "paper": "A4",
    # a document read aloud by espeak-ng's Vietnamese voice (issue 21): off until someone
    # has judged it understandable by ear (docs/hoc_tap.md, "Đọc to")
    "read_aloud": False,
}

# version N -> N+1
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def default_path() -> Path:
    override = os.environ.get("SOTAY_CONFIG_DIR")
    if override:
        return Path(override) / "settings.json"
    from platformdirs import user_config_dir

    return Path(user_config_dir("SoTay", appauthor=False)) / "settings.json"


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self._values = dict(DEFAULTS)
        self._load()

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("not an object")
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            self._set_aside()
            return
        version = raw.pop("_version", 1)
        if not isinstance(version, int) or isinstance(version, bool):
            self._set_aside()
            return
        version = max(1, version)   # a newer app's file: read the keys we know
        while version < VERSION:
            raw = UPGRADES[version](raw)
            version += 1
        for key, value in raw.items():
            if key in DEFAULTS and _fits(DEFAULTS[key], value):
                self._values[key] = value

    def _set_aside(self) -> None:
        """Keep a damaged file as settings.json.bad and start from the defaults.

        If even the rename fails (read-only folder), the defaults still apply; the
        next save reports the problem to whoever saves.
        """
        try:
            self.path.replace(self.path.with_suffix(".json.bad"))
        except OSError:
            return

    def get(self, key: str) -> Any:
        return self._values[key]

    def set(self, key: str, value: Any) -> None:
        if key not in DEFAULTS:
            raise KeyError(key)
        self._values[key] = value

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"_version": VERSION, **self._values}, ensure_ascii=False,
                                  indent=2), encoding="utf-8")
        tmp.replace(self.path)


def _fits(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))
