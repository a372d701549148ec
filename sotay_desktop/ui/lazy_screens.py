"""Screens of the secretary's year (issue 20), built the first time they are shown.

They follow the six screens the window makes itself (so Ctrl+7 … Ctrl+9 reach them; the
tenth, "Học tập", has Ctrl+H, as Ctrl+0 is the normal type size: ``BEYOND_NINE``). Each
entry is (navigation label key, module, class); the class is made as
``Class(workspace, runner, settings, parent)`` and has ``load()``. The module is imported
only then, so first paint never pays for it.
"""

from __future__ import annotations

import importlib
from typing import Any

from PySide6 import QtWidgets

LAZY_SCREENS: tuple[tuple[str, str, str], ...] = (
    ("ui.nav_review", "sotay_desktop.ui.review.screen", "ReviewScreen"),
    ("ui.nav_candidates", "sotay_desktop.ui.candidates.screen", "CandidatesScreen"),
    ("ui.nav_transfers", "sotay_desktop.ui.transfers.screen", "TransfersScreen"),
    ("ui.nav_study", "sotay_desktop.ui.study.screen", "StudyScreen"),
)


class LazyScreens:
    """Placeholders in ``stack`` until each screen is first asked for."""

    BEYOND_NINE = ("Ctrl+H",)    # the shortcuts of the screens past Ctrl+9, in order

    def __init__(self, window: Any, stack: QtWidgets.QStackedWidget) -> None:
        self.window = window
        self.stack = stack
        self.first = stack.count()
        self.made: dict[int, QtWidgets.QWidget] = {}
        for _ in LAZY_SCREENS:
            stack.addWidget(QtWidgets.QWidget(window))

    @staticmethod
    def keys() -> list[str]:
        return [key for key, _module, _name in LAZY_SCREENS]

    def holds(self, row: int) -> bool:
        return self.first <= row < self.first + len(LAZY_SCREENS)

    def get(self, row: int) -> QtWidgets.QWidget:
        """The screen at ``row`` of the stack, made and loaded on first use."""
        if row not in self.made:
            _key, module, name = LAZY_SCREENS[row - self.first]
            w = self.window
            screen = getattr(importlib.import_module(module), name)(
                w.workspace, w.runner, w.settings, w)
            self.made[row] = screen
            w._replace(row, screen)
            screen.load()
        return self.made[row]

    def named(self, name: str) -> QtWidgets.QWidget:
        """A screen by its class name (tests, links from Home); shown in the navigation."""
        index = next(i for i, (_k, _m, c) in enumerate(LAZY_SCREENS) if c == name)
        self.window.nav.setCurrentRow(self.first + index)
        return self.get(self.first + index)
