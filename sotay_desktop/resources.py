"""Where bundled resources (fonts, icons) live: beside the package, or inside a frozen app."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


FONTS = {
    "serif": "Tinos-Regular.ttf",
    "serif-bold": "Tinos-Bold.ttf",
    "serif-italic": "Tinos-Italic.ttf",
    "serif-bold-italic": "Tinos-BoldItalic.ttf",
    "sans": "NotoSans-Regular.ttf",
    "sans-bold": "NotoSans-Bold.ttf",
}


def font_path(key: str) -> Path:
    return resources_dir() / "fonts" / FONTS[key]


# Meaning -> file under resources/icons/ (the one place icon files are named).
ICONS = {"app": "sotay.png"}


def icon_path(key: str) -> Path:
    return resources_dir() / "icons" / ICONS[key]
