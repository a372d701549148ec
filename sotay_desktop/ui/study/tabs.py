"""The chosen plan's tabs besides the quiz: its members (with the make-up filter), its
sessions, and its survey with the totals entered so far."""

from __future__ import annotations

import html

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.study import LETTERS
from sotay_core.domain.study_view import PlanView, SessionLine
from sotay_desktop.ui.study.models import MembersModel, SessionsModel
from sotay_desktop.ui.widgets import plain
from sotay_desktop.usecases.study import SurveyCount


class ElidedLabel(QtWidgets.QLabel):
    """One line, cut with "…" when narrower than its text; the whole text in its tooltip
    and for a screen reader."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.full = ""
        self.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored,
                           QtWidgets.QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self.full = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._elide()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self.full, QtCore.Qt.TextElideMode.ElideRight,
                                                   max(self.width(), 40)))


def _table(parent: QtWidgets.QWidget, model: QtCore.QAbstractItemModel,
           name: str) -> QtWidgets.QTableView:
    table = QtWidgets.QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(plain(name))
    table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _button_row(*buttons: QtWidgets.QPushButton) -> QtWidgets.QHBoxLayout:
    row = QtWidgets.QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def _button(key: str, parent: QtWidgets.QWidget) -> QtWidgets.QPushButton:
    button = QtWidgets.QPushButton(i18n.t(key), parent)
    button.setAccessibleName(plain(key))
    return button


class MembersTab(QtWidgets.QWidget):
    """Roster order; "chưa học" keeps the make-up list."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: PlanView | None = None
        self.makeup = QtWidgets.QCheckBox(i18n.t("study_ui.makeup_only"), self)
        self.model = MembersModel(self)
        self.table = _table(self, self.model, "study_ui.tab_members")
        self.summary = QtWidgets.QLabel(self)
        self.summary.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.makeup)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.makeup.toggled.connect(lambda _on: self.set_view(self.view))

    def set_view(self, view: PlanView | None) -> None:
        self.view = view
        self.model.set_members(view.members if view else (), self.makeup.isChecked())
        self.table.resizeColumnsToContents()
        if view is None:
            self.summary.clear()
            return
        progress = view.progress
        self.summary.setText(i18n.t(
            "study_ui.members_summary", targeted=len(progress.targeted),
            studied=len(progress.studied), makeup=len(progress.makeup),
            sat=view.figures.quiz_sat, passed=view.figures.quiz_passed))


class SessionsTab(QtWidgets.QWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SessionsModel(self)
        self.table = _table(self, self.model, "study_ui.tab_sessions")
        self.add_button = _button("study_ui.add_session", self)
        self.makeup_button = _button("study_ui.add_makeup", self)
        self.attend_button = _button("study_ui.attend_session", self)
        self.remove_button = _button("study_ui.remove_session", self)
        self.empty = QtWidgets.QLabel(i18n.t("study_ui.no_sessions"), self)
        self.empty.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(_button_row(self.add_button, self.makeup_button))
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(_button_row(self.attend_button, self.remove_button))

    def set_view(self, view: PlanView | None) -> None:
        kept = self.current()
        sessions = sorted(view.sessions, key=lambda s: s.held_on) if view else []
        self.model.set_rows(sessions)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(view is not None and not sessions)
        for button in (self.add_button, self.makeup_button):
            button.setEnabled(view is not None)
        if sessions:
            at = next((i for i, s in enumerate(sessions) if kept and s.id == kept.id),
                      len(sessions) - 1)
            self.table.setCurrentIndex(self.model.index(at, 0))
        for button in (self.attend_button, self.remove_button):
            button.setEnabled(bool(sessions))

    def current(self) -> SessionLine | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()]


def survey_html(view: PlanView) -> str:
    survey, totals = view.plan.survey, view.survey
    if survey is None:
        return f"<p>{html.escape(i18n.t('study_ui.no_survey'))}</p>"
    parts = []
    if totals is None or not totals.sheets:
        parts.append(f"<p>{html.escape(i18n.t('study_ui.survey_none_yet'))}</p>")
    else:
        words = i18n.t("study_ui.survey_totals", sheets=totals.sheets, present=totals.present)
        parts.append(f"<p><b>{html.escape(words)}</b></p>")
    for n, q in enumerate(survey.questions, 1):
        extra = " " + i18n.t("study_ui.survey_multiple") if q.multiple else ""
        lines = [f"<b>{n}. {html.escape(q.text)}</b>{html.escape(extra)}"]
        counts = totals.tallies[n - 1] if totals and len(totals.tallies) >= n else ()
        for i, choice in enumerate(q.choices):
            count = counts[i] if i < len(counts) else 0
            shown = i18n.t("study_ui.survey_count", count=count, percent=(
                (count * 200 + totals.present) // (2 * totals.present)
                if totals and totals.present else 0)) if totals and totals.sheets else ""
            lines.append(f"{LETTERS[i]}. {html.escape(choice)} {html.escape(shown)}")
        if q.free_text:
            text = totals.texts[n - 1] if totals and len(totals.texts) >= n else ""
            lines.append(f"<i>{html.escape(text or i18n.t('study_ui.survey_free_text'))}</i>")
        parts.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(parts)


class SurveyTab(QtWidgets.QWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QtWidgets.QTextBrowser(self)
        self.text.setAccessibleName(plain("study_ui.tab_survey"))
        self.enter_button = _button("study_ui.enter_survey", self)
        self.edit_button = _button("study_ui.edit_survey", self)
        self.counts_label = QtWidgets.QLabel(i18n.t("study_more.counts"), self)
        self.counts = QtWidgets.QListWidget(self)       # each collection entered, to remove one
        self.counts.setAccessibleName(plain("study_more.counts"))
        self.counts_label.setBuddy(self.counts)
        self.counts.setMaximumHeight(self.fontMetrics().lineSpacing() * 3)   # the totals first
        self.counts.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                                  QtWidgets.QSizePolicy.Policy.Preferred)
        self.remove_button = _button("study_more.remove_count", self)
        self.entries: tuple[SurveyCount, ...] = ()
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addLayout(_button_row(self.enter_button, self.edit_button))
        layout.addWidget(self.counts_label)
        layout.addWidget(self.counts, 0)
        layout.addLayout(_button_row(self.remove_button))
        self.counts.currentRowChanged.connect(lambda _r: self._enable())

    def set_view(self, view: PlanView | None) -> None:
        self.text.setHtml(survey_html(view) if view else "")
        self.enter_button.setEnabled(view is not None and view.plan.survey is not None)
        own = view is not None and not view.plan.read_only
        self.edit_button.setVisible(own)

    def set_counts(self, counts: tuple[SurveyCount, ...]) -> None:
        self.entries = counts
        self.counts.clear()
        for c in counts:
            self.counts.addItem(i18n.t("study_more.count_line",
                                       date=c.collected_on.strftime("%d/%m/%Y"),
                                       present=c.present))
        self._enable()

    def current(self) -> SurveyCount | None:
        row = self.counts.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _enable(self) -> None:
        self.remove_button.setEnabled(self.current() is not None)
