"""The review's two settings: the policy (quarterly reviews, who is graded: exempted members,
members attending temporarily, the months since admission) and the points scheme, shown
in words and kept as JSON (checked before anything is kept; "Mặc định" puts the QĐ 366
default back). Campaigns already open keep the scheme they were opened with."""

from __future__ import annotations

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.review import Scheme
from sotay_core.domain.review_setting import Policy, scheme_from_json, scheme_to_json
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.review.fields import read_only_label, text_edit
from sotay_desktop.ui.review.models import points_text
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, plain
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace

FLAGS = (("quarters", "review_ui.set_quarters"),
         ("exempted_reviewed", "review_ui.set_exempted"),
         ("temporary_in_reviewed", "review_ui.set_temporary"))


def scheme_words(scheme: Scheme) -> str:
    t, c = scheme.thresholds, scheme.conditions
    criteria = "; ".join(f"{k.label} ({points_text(k.max_points)})" for k in scheme.criteria)
    cap = (i18n.t("review_ui.scheme_cap", percent=c.excellent_cap_percent)
           if c.excellent_cap_percent is not None else i18n.t("review_ui.scheme_no_cap"))
    return i18n.t("review_ui.scheme_words", name=scheme.name, criteria=criteria,
                  excellent=points_text(t.excellent), good=points_text(t.good),
                  fulfilled=points_text(t.fulfilled), cap=cap,
                  vote=c.vote_more_than_percent)


class SettingsDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, policy: Policy,
                 scheme: Scheme, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner = workspace, runner
        self.setWindowTitle(plain("review_ui.settings_title"))
        self.flags: dict[str, QtWidgets.QCheckBox] = {}
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        for name, key in FLAGS:
            box = QtWidgets.QCheckBox(i18n.t(key), self)
            box.setChecked(bool(getattr(policy, name)))
            self.flags[name] = box
            form.addRow(box)
        self.months = QtWidgets.QSpinBox(self)
        self.months.setRange(0, 24)
        self.months.setValue(policy.min_months_admitted)
        self.errors["months"] = add_field_row(form, self, i18n.t("review_ui.set_months"),
                                              self.months, plain("review_ui.set_months"))
        form.addRow(read_only_label(i18n.t("review_ui.set_unconfirmed"), self,
                                    plain("review_ui.set_unconfirmed")))
        self.words = read_only_label(scheme_words(scheme), self, plain("review_ui.set_scheme"))
        form.addRow(i18n.t("review_ui.set_scheme"), self.words)
        self.original = scheme_to_json(scheme)
        self.scheme = text_edit(self, 10)
        self.scheme.setPlainText(self.original)
        self.errors["review_scheme"] = add_field_row(
            form, self, i18n.t("review_ui.set_scheme_json"), self.scheme,
            plain("review_ui.set_scheme_json"))
        self.editors = {"months": self.months, "review_scheme": self.scheme}
        self.lay_out(form)
        assert self.buttons is not None
        self.default_button = self.buttons.addButton(
            i18n.t("review_ui.set_default"), QtWidgets.QDialogButtonBox.ButtonRole.ResetRole)
        self.default_button.setAccessibleName(plain("review_ui.set_default"))
        self.default_button.clicked.connect(self._default)
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 90, metrics.lineSpacing() * 36)

    def _default(self) -> None:
        from sotay_core.domain.review import DEFAULT_SCHEME

        self.scheme.setPlainText(scheme_to_json(DEFAULT_SCHEME))

    def save(self) -> None:
        self.clear_errors()
        text = self.scheme.toPlainText()
        try:   # checked before anything is kept: a bad scheme leaves the policy as it was
            scheme = scheme_from_json(text)
        except ValidationError as exc:
            self.show_error(exc)
            return
        self.words.setText(scheme_words(scheme))
        policy = Policy(min_months_admitted=self.months.value(),
                        **{name: box.isChecked() for name, box in self.flags.items()})
        ws, changed = self.workspace, text != self.original

        def job() -> tuple[str, Changes]:
            changes = review.set_policy(ws, policy)
            if changed:
                changes |= review.set_scheme(ws, text)
            return "", changes

        self.submit(self.runner, job)
