"""Fields the review's dialogs share: points typed with a comma or a point, the grade
chooser, and the year's record in one paragraph (what the points are weighed against)."""

from __future__ import annotations

from decimal import Decimal

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.review import Grade
from sotay_core.domain.review_sheet import ReviewSheet
from sotay_desktop.ui.review.models import ABBREVIATIONS

VIETNAMESE = QtCore.QLocale(QtCore.QLocale.Language.Vietnamese, QtCore.QLocale.Country.Vietnam)


class PointsSpin(QtWidgets.QDoubleSpinBox):
    """Points with one decimal place, shown "8,5"; "8.5" typed is read the same. With
    ``optional`` its lowest value reads "chưa chấm" and stands for no points given."""

    def __init__(self, most: Decimal, parent: QtWidgets.QWidget | None = None, *,
                 optional: bool = False) -> None:
        super().__init__(parent)
        self.setLocale(VIETNAMESE)
        self.setDecimals(1)
        self.setSingleStep(1.0)
        self.optional = optional
        self.setRange(-0.1 if optional else 0.0, float(most))
        self.setSuffix(f" / {str(most).replace('.', ',')}")
        if optional:
            self.setSpecialValueText(i18n.t("review_ui.no_points"))
            self.setValue(-0.1)

    def validate(self, text: str, pos: int) -> tuple[QtGui.QValidator.State, str, int]:
        return super().validate(text.replace(".", ","), pos)

    def valueFromText(self, text: str) -> float:
        return super().valueFromText(text.replace(".", ","))

    def points(self) -> Decimal | None:
        """The value as an exact Decimal; None when ``optional`` and left unmarked."""
        if self.optional and self.value() < 0:
            return None
        return Decimal(f"{self.value():.1f}")

    def set_points(self, value: Decimal | None) -> None:
        self.setValue(-0.1 if value is None and self.optional else float(value or 0))


def grade_combo(parent: QtWidgets.QWidget, *, by_points_key: str | None = None
                ) -> QtWidgets.QComboBox:
    """The four grades (data: the Grade); with ``by_points_key`` a first item, data None,
    that leaves the grade to the points."""
    combo = QtWidgets.QComboBox(parent)
    if by_points_key:
        combo.addItem(i18n.t(by_points_key), None)
    for grade in Grade:
        combo.addItem(f"{i18n.t(f'review.grade.{grade.value}')} ({ABBREVIATIONS[grade]})",
                      grade.value)
    return combo


def select_grade(combo: QtWidgets.QComboBox, grade: Grade | None) -> None:
    index = combo.findData(None if grade is None else grade.value)
    combo.setCurrentIndex(max(index, 0))


def chosen_grade(combo: QtWidgets.QComboBox) -> Grade | None:
    value = combo.currentData()
    return None if value is None else Grade(value)


def facts_text(sheet: ReviewSheet) -> str:
    """The year's record as the form prefills it, shortened to one paragraph."""
    facts = sheet.facts
    late = sum(not task.on_time for task in facts.tasks)
    parts = [i18n.t("review_ui.facts_meetings", attended=facts.meetings_attended,
                    held=facts.meetings_held),
             i18n.t("review_ui.facts_tasks", count=len(facts.tasks), late=late),
             i18n.t("review_ui.facts_dues", paid=facts.dues_months_paid,
                    due=facts.dues_months_due)]
    if facts.disciplined:
        parts.append(i18n.t("review_ui.facts_disciplined"))
    if facts.exempted:
        parts.append(i18n.t("review_ui.facts_exempted"))
    return "; ".join(parts) + "."


def text_edit(parent: QtWidgets.QWidget, lines: int = 4) -> QtWidgets.QPlainTextEdit:
    """Several lines of text; Tab leaves it (it never types a tab)."""
    edit = QtWidgets.QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    return edit


def wrapping_label(form: QtWidgets.QFormLayout) -> None:
    """The label of the form's last row wraps, so a long criterion leaves its field room."""
    item = form.itemAt(form.rowCount() - 1, QtWidgets.QFormLayout.ItemRole.LabelRole)
    label = item.widget() if item is not None else None
    if isinstance(label, QtWidgets.QLabel):
        label.setWordWrap(True)


def read_only_label(text: str, parent: QtWidgets.QWidget, name: str) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByKeyboard
                                  | QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    label.setAccessibleDescription(text)
    return label
