"""The selected candidate: who they are and who sponsors them, the deadlines in words
(overdue said, not only shown bold), every step of the path done or not yet, and the
dossier's checklist."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_desktop.services.candidates_view import CandidateView, deadline_text
from sotay_desktop.ui.candidates.models import ChecklistModel, StepsModel, day

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


def _table(parent: QtWidgets.QWidget, model: QtCore.QAbstractItemModel,
           name: str) -> QtWidgets.QTableView:
    table = QtWidgets.QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)       # Tab leaves the table; arrows move in it
    table.setWordWrap(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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
        self.steps = _table(self, self.steps_model, i18n.t("admission_app.steps"))
        self.checklist = _table(self, self.checklist_model, i18n.t("admission_app.checklist"))
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
            table.resizeColumnsToContents()
            table.resizeRowsToContents()
            self._fit_height(table)
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

    @staticmethod
    def _fit_height(table: QtWidgets.QTableView) -> None:
        """The whole table shown (the panel scrolls, not the table)."""
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(table.model().rowCount()))
        table.setFixedHeight(height + 2)
