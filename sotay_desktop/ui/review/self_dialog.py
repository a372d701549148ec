"""A member's self-review (or the branch's own): the text, the points the member gives and
the self-assessed grade (left to the points unless chosen). A refusal stays in the dialog
with what was typed."""

from __future__ import annotations

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.review import MAX_POINTS
from sotay_core.domain.review_sheet import ReviewSheet
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.review.fields import (
    PointsSpin,
    chosen_grade,
    facts_text,
    grade_combo,
    read_only_label,
    select_grade,
    text_edit,
)
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, plain
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace


class SelfReviewDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, year: int,
                 quarter: int | None, sheet: ReviewSheet, title_name: str,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.sheet = workspace, runner, sheet
        self.year, self.quarter = year, quarter
        self.setWindowTitle(i18n.t("review_ui.self_title", name=title_name))
        self.text = text_edit(self, 8)
        self.text.setPlainText(sheet.self_text)
        self.points = PointsSpin(MAX_POINTS, self, optional=True)
        self.points.set_points(sheet.self_points)
        self.grade = grade_combo(self, by_points_key="review_ui.grade_by_points")
        select_grade(self.grade, sheet.self_grade)
        self.editors = {"text": self.text, "points": self.points, "grade": self.grade}
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(read_only_label(i18n.t("review_ui.facts_only", facts=facts_text(sheet)),
                                    self, plain("review_ui.facts")))
        for name, key in (("text", "review_ui.self_text"), ("points", "review_ui.self_points"),
                          ("grade", "review_ui.self_grade")):
            self.errors[name] = add_field_row(form, self, i18n.t(key), self.editors[name],
                                              plain(key))
        self.lay_out(form, ok_key="review_ui.self_save")
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 80, metrics.lineSpacing() * 26)
        self.text.setFocus()

    def save(self) -> None:
        self.clear_errors()
        ws, year, quarter = self.workspace, self.year, self.quarter
        member_id, text = self.sheet.member_id, self.text.toPlainText()
        points, grade = self.points.points(), chosen_grade(self.grade)
        self.submit(self.runner, lambda: (self.sheet.entry_id, review.record_self(
            ws, year, quarter, member_id, points=points, grade=grade, text=text)))
