"""The selected member: key facts, derived dates, and the history as a table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_core.domain.entities import MemberEvent, MemberRecord, MemberStatus
from sotay_core.domain.lifecycle import event_label
from sotay_core.domain.rules import next_badge, party_age, probation_end
from sotay_desktop.ui.table_model import ListTableModel

if TYPE_CHECKING:   # not at run time: the first paint comes before SQLAlchemy is imported
    from sotay_core.domain.study_view import MemberStudy
    from sotay_desktop.services.dues_read import MemberDuesView
    from sotay_desktop.services.review_history import DecidedGrade
    from sotay_desktop.services.tasks import TaskView

Qt = QtCore.Qt
EVENT_COLUMNS = ("date", "event", "decision", "place", "detail")


class EventsModel(ListTableModel[MemberEvent]):
    columns = EVENT_COLUMNS

    def set_events(self, events: tuple[MemberEvent, ...] | list[MemberEvent]) -> None:
        self.set_rows(list(events))

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        event = self.rows[index.row()]
        return {
            "date": event.date.strftime("%d/%m/%Y"),
            "event": event_label(event.kind),
            "decision": event.decision,
            "place": event.place,
            "detail": event.detail,
        }[EVENT_COLUMNS[index.column()]]


class MemberPanel(QtWidgets.QWidget):
    edit_requested = QtCore.Signal()
    event_requested = QtCore.Signal()
    remove_requested = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.today = today
        self.record: MemberRecord | None = None
        self.title = QtWidgets.QLabel(i18n.t("ui.no_member_selected"), self)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.facts = QtWidgets.QLabel(self)
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                           | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dues = QtWidgets.QLabel(self)      # the paid-up month and the dues basis
        self.dues.setWordWrap(True)
        self.dues.setTextFormat(Qt.TextFormat.PlainText)
        self.dues.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tasks = QtWidgets.QLabel(self)     # the resolution tasks in their charge
        self.tasks.setWordWrap(True)
        self.tasks.setTextFormat(Qt.TextFormat.PlainText)
        self.tasks.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                           | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reviews = QtWidgets.QLabel(self)   # the decided grades (issue 20), read apart
        self.reviews.setWordWrap(True)
        self.reviews.setTextFormat(Qt.TextFormat.PlainText)
        self.reviews.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                             | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reviews.hide()
        self.study = QtWidgets.QLabel(self)     # the year's study (issue 21), read apart
        self.study.setWordWrap(True)
        self.study.setTextFormat(Qt.TextFormat.PlainText)
        self.study.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                           | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.study.hide()
        self.edit_button = QtWidgets.QPushButton(i18n.t("ui.edit_member"), self)
        self.event_button = QtWidgets.QPushButton(i18n.t("ui.record_event"), self)
        self.edit_button.clicked.connect(self.edit_requested)
        self.event_button.clicked.connect(self.event_requested)
        self.remove_button = QtWidgets.QPushButton(i18n.t("ui.remove_member"), self)
        self.remove_button.clicked.connect(self.remove_requested)
        self.events = EventsModel(self)
        self.history = QtWidgets.QTableView(self)
        self.history.setModel(self.events)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setAccessibleName(i18n.t("ui.history"))
        history_label = QtWidgets.QLabel(i18n.t("ui.history"), self)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.event_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.dues)
        layout.addWidget(self.tasks)
        layout.addWidget(self.study)
        layout.addLayout(buttons)
        layout.addWidget(history_label)
        layout.addWidget(self.reviews)
        layout.addWidget(self.history, 1)
        self.show_record(None)

    def show_record(self, record: MemberRecord | None) -> None:
        self.record = record
        self.edit_button.setEnabled(record is not None)
        self.event_button.setEnabled(record is not None)
        self.remove_button.setEnabled(record is not None)
        self.tasks.clear()   # read apart (show_tasks)
        self.dues.clear()    # read apart (show_dues)
        self.reviews.clear()  # read apart (show_reviews)
        self.reviews.hide()
        self.study.clear()    # read apart (show_study)
        self.study.hide()
        if record is None:
            self.title.setText(i18n.t("ui.no_member_selected"))
            self.facts.clear()
            self.events.set_events([])
            return
        member = record.member
        self.title.setText(f"{member.full_name} — {i18n.t(f'status.{record.status.value}')}")
        lines = []
        for name in ("date_of_birth", "hometown", "residence", "card_number", "phone"):
            value = getattr(member, name)
            if value:
                shown = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value
                lines.append(f"{i18n.field_label(name)}: {shown}")
        today = self.today()
        if record.status is MemberStatus.PROBATIONARY and record.admitted_on:
            lines.append(i18n.t("ui.probation_ends",
                                date=probation_end(record.admitted_on).strftime("%d/%m/%Y")))
        age = party_age(record.events, today)
        if age is not None:
            lines.append(i18n.t("ui.party_age", years=age.years))
            badge = next_badge(record.events, today)
            if badge is not None:
                lines.append(i18n.t("ui.next_badge", years=badge.years,
                                    date=badge.reached_on.strftime("%d/%m/%Y")))
        self.facts.setText("\n".join(lines))
        self.events.set_events(record.events)
        self.history.resizeColumnsToContents()

    def show_dues(self, member_id: str, view: MemberDuesView | None) -> None:
        """The paid-up month, the basis in force and this year's unpaid months."""
        if self.record is None or self.record.member.id != member_id or view is None:
            return
        from sotay_desktop.ui.dues.models import money

        lines = [i18n.t("dues_ui.panel_paid_up", month=str(view.paid_up_to))
                 if view.paid_up_to else i18n.t("dues_ui.panel_never")]
        basis = (i18n.t(f"dues_ui.category_{view.basis.category.value}")
                 + (f": {money(view.basis.amount)} đ" if view.basis.amount else "")
                 if view.basis else i18n.t("dues_ui.no_basis_yet"))
        lines.append(i18n.t("dues_ui.panel_basis", basis=basis, due=money(view.due_now)))
        if view.unpaid:
            lines.append(i18n.t("dues_ui.panel_unpaid", count=len(view.unpaid),
                                months=", ".join(str(m) for m in view.unpaid)))
        self.dues.setText("\n".join(lines))

    def show_tasks(self, member_id: str, tasks: list[TaskView]) -> None:
        """The resolution tasks in the member's charge, newest first, with their status."""
        if self.record is None or self.record.member.id != member_id:
            return
        lines = [i18n.t("ui.member_tasks", count=len(tasks))] if tasks else []
        for task in tasks[:8]:
            due = task.due_on.strftime("%d/%m/%Y") if task.due_on else ""
            late = f" — {i18n.t('ui.tasks.overdue')}" if task.overdue else ""
            lines.append(f"• {task.text} ({task.resolution_number}, {due}): "
                         f"{i18n.t(f'task.status.{task.status.value}')}{late}")
        self.tasks.setText("\n".join(lines))

    def show_reviews(self, member_id: str, grades: list[DecidedGrade]) -> None:
        """The grades the level above decided, newest first, at the head of the history:
        "Năm 2025: Hoàn thành tốt nhiệm vụ (Số 45-QĐ/ĐU, 15/01/2026)"."""
        if self.record is None or self.record.member.id != member_id:
            return
        lines = [i18n.t("review_history.panel_title"), *(g.text for g in grades)]
        self.reviews.setText("\n".join(lines) if grades else "")
        self.reviews.setVisible(bool(grades))

    def show_study(self, member_id: str, record: MemberStudy) -> None:
        """"Học tập năm 2026": each plan of the year with the days studied, the quiz score
        and the points, and the year's total (it feeds the annual review)."""
        if self.record is None or self.record.member.id != member_id:
            return
        from sotay_desktop.ui.study.words import day_text, score_text

        lines = [i18n.t("study_ui.panel_title", year=record.year, plans=len(record.lines),
                        studied=record.plans_studied, points=record.total_points)]
        for line in record.lines[:8]:
            if not line.sessions:
                lines.append(i18n.t("study_ui.panel_not_studied", title=line.title))
                continue
            lines.append(i18n.t("study_ui.panel_line", title=line.title,
                                days=", ".join(day_text(d) for d in line.sessions),
                                score=score_text(line.score) or i18n.t("study_ui.no_sheet"),
                                points=line.points))
        self.study.setText("\n".join(lines) if record.lines else "")
        self.study.setVisible(bool(record.lines))
