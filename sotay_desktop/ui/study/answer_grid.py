"""The quiz's quick entry grid (issue 21): a row per member the plan is for, in roster order,
a column per question. One key per answer: A–F or 1–6 (a letter a Vietnamese input method
marked, "â", is read as its letter by the core's ``answer_key``), "-", Space or 0 for a blank.
The cursor moves right after each answer and to the next member at the end of a row; the
completed row is handed over to be saved (``row_completed``) and shows its score once saved.
Backspace clears the answer before the cursor and moves back to it; Delete clears the
answer under it; Enter saves the row as it stands and goes to the next member; the arrow
keys move. A letter outside a question's choices is refused in words (``refused``) and
nothing is written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.study import BLANK, LETTERS, Quiz, Score, answer_key
from sotay_core.domain.study_view import MemberLine
from sotay_desktop.ui.study.words import score_text

Qt = QtCore.Qt
ROOT = QtCore.QModelIndex()
CENTRED = int(Qt.AlignmentFlag.AlignCenter.value)


class AnswerGridModel(QtCore.QAbstractTableModel):
    """A row per member, named in the row's header (which stays in view when the grid
    scrolls sideways); columns 0..n-1 the questions, n the score. A row typed but not saved yet
    keeps its letters here (``drafts``) until its save succeeds, so a failed save loses
    nothing."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.quiz: Quiz | None = None
        self.lines: list[MemberLine] = []
        self.letters: dict[str, list[str]] = {}    # member id -> one letter per question
        self.scores: dict[str, Score | None] = {}
        self.drafts: set[str] = set()              # typed, not saved
        self.saving: set[str] = set()

    @property
    def questions(self) -> int:
        return len(self.quiz.questions) if self.quiz else 0

    def set_sheets(self, quiz: Quiz | None, lines: Sequence[MemberLine]) -> None:
        """The saved sheets; a row still being typed or refused keeps its letters."""
        self.beginResetModel()
        same_quiz = quiz == self.quiz
        self.quiz = quiz
        self.lines = [m for m in lines if m.targeted]
        keep = {m: self.letters[m] for m in self.drafts if m in self.letters} \
            if same_quiz else {}
        self.letters, self.scores = {}, {}
        n = self.questions
        for line in self.lines:
            saved = list(line.answers[:n])
            saved += [""] * (n - len(saved))
            self.letters[line.member_id] = keep.get(line.member_id, saved)
            self.scores[line.member_id] = line.score
        self.drafts = {m for m in keep if m in self.letters}
        self.saving &= set(self.letters)
        self.endResetModel()

    def member_at(self, row: int) -> MemberLine:
        return self.lines[row]

    def row_of(self, member_id: str) -> int:
        return next((i for i, m in enumerate(self.lines) if m.member_id == member_id), -1)

    def answers(self, member_id: str) -> str:
        """The row as the use case takes it: one letter per question, "-" when blank."""
        return "".join(a or BLANK for a in self.letters[member_id])

    def typed(self, member_id: str) -> bool:
        return any(self.letters[member_id])

    def put(self, row: int, question: int, letter: str) -> None:
        member_id = self.lines[row].member_id
        self.letters[member_id][question] = letter
        self.drafts.add(member_id)
        self._row_changed(row)

    def clear(self, row: int, question: int) -> None:
        member_id = self.lines[row].member_id
        self.letters[member_id][question] = ""
        self.drafts.add(member_id)
        self._row_changed(row)

    def mark_saving(self, member_id: str) -> None:
        self.saving.add(member_id)
        self._row_changed(self.row_of(member_id))

    def mark_saved(self, member_id: str, score: Score | None, sent: str) -> None:
        """Saved as ``sent``; a row typed again meanwhile stays a draft."""
        self.saving.discard(member_id)
        self.scores[member_id] = score
        if member_id in self.letters and self.answers(member_id) == sent:
            self.drafts.discard(member_id)
        self._row_changed(self.row_of(member_id))

    def mark_failed(self, member_id: str) -> None:
        self.saving.discard(member_id)
        self._row_changed(self.row_of(member_id))

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self.lines):
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def score_words(self, member_id: str) -> str:
        if member_id in self.saving:
            return i18n.t("study_ui.grid_saving")
        if member_id in self.drafts:
            return i18n.t("study_ui.grid_unsaved")
        return score_text(self.scores.get(member_id))

    # --- Qt

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = ROOT
                    ) -> int:
        return 0 if parent.isValid() or self.quiz is None else self.questions + 1

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        role = getattr(role, "value", role)
        line, column = self.lines[index.row()], index.column()
        member_id = line.member_id
        if role == Qt.ItemDataRole.DisplayRole.value:
            if column >= self.questions:
                return self.score_words(member_id)
            letter = self.letters[member_id][column]
            return letter or ("·" if member_id in self.drafts else "")
        if role in (Qt.ItemDataRole.ToolTipRole.value, Qt.ItemDataRole.AccessibleTextRole.value):
            return self.cell_words(index.row(), column)
        if role == Qt.ItemDataRole.TextAlignmentRole.value:
            return CENTRED
        if role == Qt.ItemDataRole.FontRole.value and member_id in self.drafts:
            font = QtGui.QFont(QtWidgets.QApplication.font())
            font.setItalic(True)
            return font
        return None

    def cell_words(self, row: int, column: int) -> str:
        line = self.lines[row]
        if column >= self.questions:
            return i18n.t("study_ui.grid_row_words", name=line.name,
                          answers=self.answers(line.member_id),
                          score=self.score_words(line.member_id) or i18n.t("study_ui.no_sheet"))
        letter = self.letters[line.member_id][column]
        return i18n.t("study_ui.grid_cell_words", name=line.name, number=column + 1,
                      answer=letter or i18n.t("study_ui.grid_blank"))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = getattr(role, "value", role)
        if orientation == Qt.Orientation.Vertical:
            if 0 <= section < len(self.lines) and role in (
                    Qt.ItemDataRole.DisplayRole.value, Qt.ItemDataRole.ToolTipRole.value):
                return f"{section + 1}. {self.lines[section].name}"
            return None
        if self.quiz is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole.value:
            if section >= self.questions:
                return i18n.t("study_ui.grid_col_score")
            return str(section + 1)
        if role == Qt.ItemDataRole.ToolTipRole.value and 0 <= section < self.questions:
            q = self.quiz.questions[section]
            return i18n.t("study_ui.question_tip", number=section + 1, text=q.text,
                          last=LETTERS[len(q.choices) - 1])
        return None


class AnswerGrid(QtWidgets.QTableView):
    """The grid's keyboard; every key is handled here, nothing opens an editor."""

    refused = QtCore.Signal(str)          # a key refused, in words
    accepted_marked = QtCore.Signal(str, str)   # a marked key read as a letter ("â", "A")
    row_completed = QtCore.Signal(str)    # member id of a row to save

    def __init__(self, model: AnswerGridModel, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = model
        self.setModel(model)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectItems)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        # an input method (IBus, fcitx) would hold keys back to compose them: off here
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)

    def go(self, row: int, column: int) -> None:
        if 0 <= row < self.grid.rowCount() and 0 <= column < self.grid.columnCount():
            index = self.grid.index(row, column)
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def go_to_member(self, member_id: str) -> bool:
        """The member's row, at their first question not answered yet."""
        row = self.grid.row_of(member_id)
        if row < 0:
            return False
        letters = self.grid.letters[member_id]
        first = next((i for i, a in enumerate(letters) if not a), 0)
        self.go(row, first)
        self.setFocus()
        return True

    def _cell(self) -> tuple[int, int]:
        """The current row and question (0-based); a cursor on the score column answers the
        last question."""
        index = self.currentIndex()
        row = max(index.row(), 0)
        question = min(max(index.column(), 0), self.grid.questions - 1)
        return row, question

    def type_key(self, text: str) -> bool:
        """One key as typed; True when it was an answer key (taken or refused)."""
        if self.grid.quiz is None or not self.grid.lines:
            return False
        letter = answer_key(text)
        if letter is None:
            if text.isprintable() and not text.isspace():
                self.refused.emit(i18n.t("study.answer_unreadable", letter=text))
                return True
            return False
        row, question = self._cell()
        choices = self.grid.quiz.questions[question].choices
        if letter != BLANK and LETTERS.index(letter) >= len(choices):
            self.refused.emit(i18n.t("study.answer_outside", number=question + 1,
                                     letter=letter, last=LETTERS[len(choices) - 1]))
            return True
        if not text.isascii():
            self.accepted_marked.emit(text, letter)
        self.grid.put(row, question, letter)
        self._advance(row, question)
        return True

    def _advance(self, row: int, question: int) -> None:
        if question + 1 < self.grid.questions:
            self.go(row, question + 1)
            return
        self.row_completed.emit(self.grid.lines[row].member_id)
        if row + 1 < self.grid.rowCount():
            self.go(row + 1, 0)
        else:
            self.go(row, question + 1)      # the last member: the score column

    def back(self) -> None:
        """Backspace: clear the answer before the cursor and move back to it (the one under
        the cursor on the first question)."""
        if self.grid.quiz is None or not self.grid.lines:
            return
        index = self.currentIndex()
        row, question = self._cell()
        if index.column() >= self.grid.questions:     # on the score: the last answer
            question = self.grid.questions - 1
        elif question > 0:
            question -= 1
        self.grid.clear(row, question)
        self.go(row, question)

    def enter(self) -> None:
        """Enter: save the row as it stands and go to the next member."""
        if self.grid.quiz is None or not self.grid.lines:
            return
        row, _question = self._cell()
        member_id = self.grid.lines[row].member_id
        if member_id in self.grid.drafts:
            self.row_completed.emit(member_id)
        self.go(min(row + 1, self.grid.rowCount() - 1), 0)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier
                                     | Qt.KeyboardModifier.KeypadModifier)
        if mods == Qt.KeyboardModifier.NoModifier:
            if key == Qt.Key.Key_Backspace:
                self.back()
                return
            if key == Qt.Key.Key_Delete:
                row, question = self._cell()
                if self.grid.lines:
                    self.grid.clear(row, question)
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.enter()
                return
            if event.text() and self.type_key(event.text()):
                return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:
        """No jump to a row by its first letter: letters are answers here."""
