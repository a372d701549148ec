"""The home panel: the branch, its party numbers and (later) reminders."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from sotay_desktop import i18n
from sotay_desktop.domain.entities import MemberStatus
from sotay_desktop.services.branch import BranchInfo


class HomeScreen(QtWidgets.QWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QtWidgets.QLabel(self)
        self.heading.setObjectName("heading")
        self.heading.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.superior = QtWidgets.QLabel(self)
        self.counts = QtWidgets.QLabel(self)
        self.counts.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.superior)
        layout.addSpacing(12)
        layout.addWidget(self.counts)
        layout.addStretch(1)

    def show_branch(self, info: BranchInfo, counts: dict[MemberStatus, int]) -> None:
        self.heading.setText(info.branch.name)
        self.superior.setText(" – ".join(unit.name for unit in info.parents))
        on_roster = sum(n for status, n in counts.items() if status.on_roster)
        self.counts.setText(i18n.t(
            "ui.home_counts", on_roster=on_roster,
            official=counts.get(MemberStatus.OFFICIAL, 0),
            probationary=counts.get(MemberStatus.PROBATIONARY, 0),
            exempted=counts.get(MemberStatus.EXEMPTED, 0),
            away=counts.get(MemberStatus.AWAY, 0)))
