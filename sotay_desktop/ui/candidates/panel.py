"""The selected candidate: who they are and who sponsors them, the deadlines in words
(overdue said, not only shown bold), every step of the path done or not yet, and the
dossier's checklist."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_desktop.services.candidates_view import CandidateView, deadline_text
from sotay_desktop.ui.candidates.models import ChecklistModel, StepsModel, day
from sotay_desktop.ui.widgets import plain

Qt = QtCore.Qt
SELECTABLE = (Qt.TextInteractionFlag.TextSelectableByKeyboard
              | Qt.TextInteractionFlag.TextSelectableByMouse)


def _label(parent: QtWidgets.QWidget, accessible: str = "") -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(SELECTABLE)
    if accessible:
        label.setAccessibleName(accessible)
    return label


class FittedTable(QtWidgets.QTableView):
    """A table whose columns share its width (the wide ones wrap), whose rows follow their
    text, and which is as tall as its rows (``fixed``: the panel scrolls, not the table)."""

    def __init__(self, parent: QtWidgets.QWidget, stretch: tuple[int, ...],
                 fixed: bool = True) -> None:
        super().__init__(parent)
        self.stretch, self.fixed = stretch, fixed

    def setModel(self, model: QtCore.QAbstractItemModel | None) -> None:
        super().setModel(model)
        header = self.horizontalHeader()
        for column in range(model.columnCount() if model else 0):
            header.setSectionResizeMode(column, QtWidgets.QHeaderView.ResizeMode.Stretch
                                        if column in self.stretch else
                                        QtWidgets.QHeaderView.ResizeMode.ResizeToContents)

    def refit(self) -> None:
        self.resizeRowsToContents()
        if self.fixed and self.model() is not None:
            height = self.horizontalHeader().height() + 2 * self.frameWidth() + 2
            height += sum(self.rowHeight(r) for r in range(self.model().rowCount()))
            self.setFixedHeight(height)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        QtCore.QTimer.singleShot(0, self.refit)   # once the columns have their new width


def _table(parent: QtWidgets.QWidget, model: QtCore.QAbstractItemModel,
           name: str, stretch: tuple[int, ...]) -> FittedTable:
    table = FittedTable(parent, stretch)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)       # Tab leaves the table; arrows move in it
    table.setWordWrap(True)
    table.verticalHeader().hide()
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


class CandidatePanel(QtWidgets.QWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: CandidateView | None = None
        self.title = _label(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setText(i18n.t("admission_app.none_selected"))
        self.facts = _label(self, i18n.t("admission_app.facts"))
        self.deadlines = _label(self, i18n.t("admission_app.deadlines"))
        self.steps_model = StepsModel(self)
        self.checklist_model = ChecklistModel(self)
        self.steps = _table(self, self.steps_model, plain("admission_app.steps"), (0, 1))
        self.checklist = _table(self, self.checklist_model, plain("admission_app.checklist"),
                                (1,))
        self.forms_note = _label(self)
        self.forms_note.setText(i18n.t("admission_app.forms_unconfirmed"))
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.deadlines)
        for key, widget in (("admission_app.steps", self.steps),
                            ("admission_app.checklist", self.checklist)):
            heading = QtWidgets.QLabel(i18n.t(key), self)
            heading.setBuddy(widget)
            bold = heading.font()
            bold.setBold(True)
            heading.setFont(bold)
            layout.addWidget(heading)
            layout.addWidget(widget)
        layout.addWidget(self.forms_note)
        layout.addStretch(1)

    def show_view(self, view: CandidateView | None) -> None:
        self.view = view
        self.steps_model.set_view(view)
        self.checklist_model.set_rows(view.checklist if view else [])
        for table in (self.steps, self.checklist):
            table.refit()
        if view is None:
            self.title.setText(i18n.t("admission_app.none_selected"))
            self.facts.clear()
            self.deadlines.clear()
            return
        s = view.summary
        self.title.setText(f"{s.full_name} — {i18n.t(f'admission_app.status_{s.status.value}')}")
        lines = [i18n.t("admission_app.born", day=day(s.date_of_birth) or "—")]
        for key, value in (("field.residence", view.residence),
                           ("field.occupation_now", view.occupation), ("field.phone", view.phone)):
            if value:
                lines.append(f"{i18n.t(key)}: {value}")
        for sponsor in view.sponsors:
            lines.append(i18n.t("admission_app.sponsor_line", name=sponsor.name,
                                since=day(sponsor.since) or "—"))
        if s.next_step:
            lines.append(i18n.t("admission_app.next_line",
                                step=i18n.t(f"admission_app.step_{s.next_step.value}")))
        if view.note:
            lines.append(view.note)
        self.facts.setText("\n".join(lines))
        words = [deadline_text(d) for d in view.deadlines]
        if view.deadlines and not view.holidays_set:
            words.append(i18n.t("admission_app.no_holidays"))
        self.deadlines.setText("\n".join(words))
        self.deadlines.setVisible(bool(words))
