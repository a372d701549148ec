"""The general points rule for study (issue 21): how many points a member earns for studying
a plan, for each further session, and for a passed quiz (a plan may set its own points for
studying it). Three numbers 0–1000 with the current values; saved through ``runner.op``; a
refusal shows in the dialog and what was typed stays."""

from __future__ import annotations

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.study_plan import PointsRule
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, plain
from sotay_desktop.usecases import study
from sotay_desktop.usecases.workspace import Workspace

FIELDS = ("per_plan", "per_session", "quiz_passed")
MOST = 1000


class PointsDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, rule: PointsRule,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner = workspace, runner
        self.setWindowTitle(i18n.t("study_more.points_title"))
        intro = QtWidgets.QLabel(i18n.t("study_more.points_intro"), self)
        intro.setWordWrap(True)
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(intro)
        self.spins: dict[str, QtWidgets.QSpinBox] = {}
        for name in FIELDS:
            spin = QtWidgets.QSpinBox(self)
            spin.setRange(0, MOST)
            spin.setValue(getattr(rule, name))
            self.spins[name] = spin
            self.editors[name] = spin
            key = f"study_more.{name}"
            self.errors[name] = add_field_row(form, self, i18n.t(key), spin, plain(key))
        self.lay_out(form)
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 60, metrics.lineSpacing() * 12)

    def rule(self) -> PointsRule:
        return PointsRule(**{name: spin.value() for name, spin in self.spins.items()})

    def save(self) -> None:
        self.clear_errors()
        ws, rule = self.workspace, self.rule()

        def job() -> tuple[str, Changes]:
            return "", study.set_points_rule(ws, rule)

        self.submit(self.runner, job)
