"""The branch meeting's proposal for a member (or the branch's own self-grade): points per
criterion of the campaign's scheme with the total as they are typed, the grade the points
and conditions give (changeable: a grade the rules forbid is refused in words, and the
dialog keeps what was typed), the comments, and the vote (open or secret, invalid ballots
of a secret vote; the base prefilled with the voting base)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.review import Scheme, Tally, grade_for, passes
from sotay_core.domain.review_sheet import ReviewSheet
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.review.fields import (
    PointsSpin,
    chosen_grade,
    facts_text,
    grade_combo,
    read_only_label,
    select_grade,
    text_edit,
    wrapping_label,
)
from sotay_desktop.ui.review.models import grade_words, points_text, self_text
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, plain
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace

VOTE_FIELDS = (("base", "review_ui.vote_base"), ("yes", "review_ui.vote_yes"),
               ("no", "review_ui.vote_no"), ("abstain", "review_ui.vote_abstain"),
               ("invalid", "review_ui.vote_invalid"))


class ProposalDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, year: int,
                 quarter: int | None, scheme: Scheme, sheet: ReviewSheet, title_name: str,
                 voting_base: int, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.scheme, self.sheet = workspace, runner, scheme, sheet
        self.year, self.quarter = year, quarter
        self.follow_rules = sheet.grade is None   # the grade follows the points until chosen
        self.setWindowTitle(i18n.t("review_ui.proposal_title", name=title_name))
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(read_only_label(i18n.t("review_ui.facts_line", facts=facts_text(sheet),
                                           self=self_text(sheet) or i18n.t("review_ui.nothing")),
                                    self, plain("review_ui.facts")))
        self.scores: dict[str, PointsSpin] = {}
        for number, criterion in enumerate(scheme.criteria, 1):
            spin = PointsSpin(criterion.max_points, self)
            spin.set_points(sheet.scores.get(criterion.code, Decimal(0)))
            spin.valueChanged.connect(self._recount)
            self.scores[criterion.code] = spin
            self.editors[criterion.code] = spin
            label = i18n.t("review_ui.criterion", n=number, label=criterion.label,
                           most=points_text(criterion.max_points))
            if number > 9:       # one digit per mnemonic
                label = label.replace("&", "", 1)
            self.errors[criterion.code] = add_field_row(form, self, label, spin,
                                                        criterion.label)
            wrapping_label(form)
        if sheet.points is not None and not sheet.scores:
            form.addRow("", read_only_label(i18n.t("review_ui.total_only", points=points_text(
                sheet.points)), self, plain("review_ui.total")))
        self.total = read_only_label("", self, plain("review_ui.total"))
        font = self.total.font()
        font.setBold(True)
        self.total.setFont(font)
        form.addRow(self.total)
        self.grade = grade_combo(self)
        select_grade(self.grade, sheet.grade)
        self.grade.activated.connect(self._grade_chosen)
        self.comments = text_edit(self, 3)
        self.comments.setMaximumHeight(self.comments.fontMetrics().lineSpacing() * 5 + 12)
        self.comments.setPlainText(sheet.comments)
        for name, key, editor in (("grade", "review_ui.proposed_grade", self.grade),
                                  ("comments", "review_ui.comments", self.comments)):
            self.editors[name] = editor
            self.errors[name] = add_field_row(form, self, i18n.t(key), editor, plain(key))
        form.addRow(self._vote_box(voting_base))
        self.lay_out(form, ok_key="review_ui.proposal_save")
        self._recount()
        self._secret_changed()
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 90, metrics.lineSpacing() * 40)
        next(iter(self.scores.values())).setFocus()

    def _vote_box(self, voting_base: int) -> QtWidgets.QGroupBox:
        tally = self.sheet.tally
        box = QtWidgets.QGroupBox(i18n.t("review_ui.vote_box"), self)
        box.setCheckable(True)
        box.setChecked(True)
        box.setAccessibleName(plain("review_ui.vote_box"))
        self.vote_box = box
        form = QtWidgets.QFormLayout(box)
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.secret = QtWidgets.QCheckBox(i18n.t("review_ui.vote_secret_box"), box)
        self.secret.setChecked(bool(tally and tally.secret))
        self.secret.toggled.connect(self._secret_changed)
        form.addRow(self.secret)
        self.votes: dict[str, QtWidgets.QSpinBox] = {}
        values = {"base": tally.base if tally else voting_base,
                  "yes": tally.yes if tally else 0, "no": tally.no if tally else 0,
                  "abstain": tally.abstain if tally else 0,
                  "invalid": tally.invalid if tally else 0}
        for name, key in VOTE_FIELDS:
            spin = QtWidgets.QSpinBox(box)
            spin.setRange(0, 9999)
            spin.setValue(values[name])
            spin.valueChanged.connect(self._recount)
            self.votes[name] = spin
            self.editors[f"vote_{name}"] = spin
            self.errors[f"vote_{name}"] = add_field_row(form, box, i18n.t(key), spin,
                                                        plain(key))
        self.all_yes = QtWidgets.QPushButton(i18n.t("review_ui.vote_all_yes"), box)
        self.all_yes.setAccessibleName(plain("review_ui.vote_all_yes"))
        self.all_yes.clicked.connect(self._all_yes)
        self.vote_note = read_only_label("", box, plain("review_ui.vote_box"))
        form.addRow(self.all_yes, self.vote_note)
        return box

    # --- as one types

    def total_points(self) -> Decimal:
        return sum((spin.points() or Decimal(0) for spin in self.scores.values()), Decimal(0))

    def _recount(self, *_args: Any) -> None:
        total = self.total_points()
        facts = self.sheet.facts
        by_rules = grade_for(total, self.scheme, disciplined=facts.disciplined,
                             tasks_on_time=facts.tasks_on_time)
        if self.follow_rules:
            select_grade(self.grade, by_rules)
        self.total.setText(i18n.t("review_ui.total_text", total=points_text(total),
                                  grade=grade_words(by_rules)))
        self.total.setAccessibleDescription(self.total.text())
        self._vote_words()

    def _grade_chosen(self, *_args: Any) -> None:
        self.follow_rules = False

    def _secret_changed(self, *_args: Any) -> None:
        secret = self.secret.isChecked()
        self.votes["invalid"].setEnabled(secret)
        if not secret:
            self.votes["invalid"].setValue(0)
        self._vote_words()

    def _all_yes(self) -> None:
        for name in ("no", "abstain", "invalid"):
            self.votes[name].setValue(0)
        self.votes["yes"].setValue(self.votes["base"].value())

    def _vote_words(self) -> None:
        if not hasattr(self, "vote_note"):
            return
        v = {name: spin.value() for name, spin in self.votes.items()}
        cast = v["yes"] + v["no"] + v["abstain"] + v["invalid"]
        words = i18n.t("review_ui.vote_rest", rest=max(v["base"] - cast, 0))
        if v["base"] and cast <= v["base"]:
            tally = Tally(v["base"], v["yes"], v["no"], v["abstain"], v["invalid"],
                          self.secret.isChecked())
            ok = not (tally.invalid and not tally.secret) and passes(tally, self.scheme)
            words += " " + i18n.t("review_ui.vote_passes" if ok else "review_ui.vote_fails",
                                  percent=self.scheme.conditions.vote_more_than_percent)
        self.vote_note.setText(words)
        self.vote_note.setAccessibleDescription(words)

    # --- saving

    def save(self) -> None:
        self.clear_errors()
        ws, year, quarter = self.workspace, self.year, self.quarter
        member_id, entry_id = self.sheet.member_id, self.sheet.entry_id
        scores = {code: spin.points() or Decimal(0) for code, spin in self.scores.items()}
        grade, comments = chosen_grade(self.grade), self.comments.toPlainText()
        counts = ({name: spin.value() for name, spin in self.votes.items()}
                  if self.vote_box.isChecked() else None)
        secret = self.secret.isChecked()

        def job() -> tuple[str, Changes]:
            from sotay_desktop.services.review import Votes

            votes = None if counts is None else Votes(
                yes=counts["yes"], no=counts["no"], abstain=counts["abstain"],
                invalid=counts["invalid"], base=counts["base"], secret=secret)
            self.proposed, changes = review.propose(ws, year, quarter, member_id,
                                                    scores=scores, grade=grade, votes=votes,
                                                    comments=comments)
            return entry_id, changes

        self.submit(self.runner, job)
