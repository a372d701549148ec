"""The documents library: search as you type, filters, the matching passage, add and open."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.entities import DocumentOrigin
from sotay_core.domain.errors import DomainError
from sotay_core.domain.text import match_spans
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.documents import DocumentAdded, DocumentHit
from sotay_desktop.ui.documents.add_dialog import AddDocumentDialog
from sotay_desktop.ui.documents.model import COLUMNS, DocumentsModel
from sotay_desktop.ui.flow_layout import labelled, screen_budget, wrapped_rows
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import error_text, report_in_status
from sotay_desktop.usecases import documents
from sotay_desktop.usecases.workspace import Workspace

LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI", "cp1258": "Windows-1258"}
# Widest values worth showing whole, in characters of today's type size; longer ones are cut
# (the tooltip has them whole).
NUMBER_SAMPLE = "00-HD/BTGDVTU"
ISSUER_SAMPLE = "Chi bộ thôn Đông Hòa"
NUMBER_LEAST = "00-HD/TU"
ISSUER_LEAST = "Tỉnh ủy Hưng"
TITLE_SAMPLE = "Hướng dẫn nội dung sinh hoạt"
TITLE_LEAST = "Hướng dẫn nội dung"


class ElideDelegate(QtWidgets.QStyledItemDelegate):
    """Cuts a column's text where it says least: in the middle for a number or an issuer
    ("Ban Tuyên…Tỉnh ủy": the kind of body and the place both stay), at the end elsewhere."""

    def __init__(self, mode: QtCore.Qt.TextElideMode, parent: QtCore.QObject | None = None
                 ) -> None:
        super().__init__(parent)
        self.mode = mode

    def initStyleOption(self, option: QtWidgets.QStyleOptionViewItem,
                        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = self.mode


class DocumentsScreen(QtWidgets.QWidget):
    results_shown = QtCore.Signal(int)
    documents_added = QtCore.Signal(list)   # messages for the user, once all files are done

    def __init__(self, workspace: Workspace, runner: TaskRunner,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.model = DocumentsModel(self)
        self._generation = 0
        self._adding_many = False   # one search after the batch, not one per file
        runner.operation_did_execute.connect(self.on_changes)

        self.search = QtWidgets.QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(i18n.t("ui.doc_search_placeholder"))
        self.search.setAccessibleName(i18n.t("ui.doc_search").replace("&", "").rstrip(":"))
        search_label = QtWidgets.QLabel(i18n.t("ui.doc_search"), self)
        search_label.setBuddy(self.search)
        self.origin = QtWidgets.QComboBox(self)
        self.origin.addItem(i18n.t("ui.origin_all"), "")
        for origin in DocumentOrigin:
            self.origin.addItem(i18n.t(f"origin.{origin.value}"), origin.value)
        origin_label = QtWidgets.QLabel(i18n.t("ui.doc_origin"), self)
        origin_label.setBuddy(self.origin)
        self.later_only = QtWidgets.QCheckBox(i18n.t("ui.bookmarked_only"), self)
        self.add_button = QtWidgets.QPushButton(i18n.t("ui.add_documents"), self)

        self.table = QtWidgets.QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            int(self.table.fontMetrics().height() * 1.7))
        self.table.setWordWrap(False)
        middle = ElideDelegate(QtCore.Qt.TextElideMode.ElideMiddle, self.table)
        for name in ("number", "issuer"):
            self.table.setItemDelegateForColumn(COLUMNS.index(name), middle)
        self._widths: dict[int, tuple[int, int]] = {}
        self._title_width = (0, 0)
        self.fit_columns()
        self.table.installEventFilter(self)
        self.table.setAccessibleName(i18n.t("ui.nav_documents").replace("&", ""))
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.activated.connect(lambda _index: self.open_selected())

        self.preview = QtWidgets.QTextBrowser(self)
        self.preview.setAccessibleName(i18n.t("ui.col_title"))
        self.open_button = QtWidgets.QPushButton(i18n.t("ui.open_file"), self)
        self.later_button = QtWidgets.QPushButton(i18n.t("ui.bookmark"), self)
        self.count_label = QtWidgets.QLabel(self)

        bar = wrapped_rows(   # more lines at large type instead of leaving the screen
            (labelled(search_label, self.search, self), labelled(origin_label, self.origin, self),
             self.later_only, self.add_button), screen_budget(self, 0.75))
        side = QtWidgets.QWidget(self)
        side_layout = QtWidgets.QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.preview, 1)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.later_button)
        side_layout.addLayout(buttons)
        splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 2)   # the list first; the passage beside it
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([2000, 1000])   # in that proportion, whatever the window's width
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

        self._debounce = QtCore.QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.origin.currentIndexChanged.connect(lambda _i: self.run_search())
        self.later_only.toggled.connect(lambda _c: self.run_search())
        self.add_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_selected)
        self.later_button.clicked.connect(self.toggle_later)
        self._show_hit(None)

    def fit_columns(self) -> None:
        """Widths from today's type size. The date and the star are never cut; the number and
        the issuer get a sensible width (cut in the middle beyond it); the title takes the
        rest. When the table is narrow (large type) the issuer gives way first, then the
        number, each down to a few characters, so the title keeps a readable width; only
        below its least width does the table scroll sideways."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        pad = metrics.horizontalAdvance("  ") + 2 * self.table.style().pixelMetric(
            QtWidgets.QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table)
        mode = QtWidgets.QHeaderView.ResizeMode
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(metrics.horizontalAdvance("★") + pad)
        for name in ("issued", "later"):
            header.setSectionResizeMode(COLUMNS.index(name), mode.ResizeToContents)
        self._widths = {}   # column: (least, best), in the order they give way
        for name, least, best in (("issuer", ISSUER_LEAST, ISSUER_SAMPLE),
                                  ("number", NUMBER_LEAST, NUMBER_SAMPLE)):
            column = COLUMNS.index(name)
            header.setSectionResizeMode(column, mode.Interactive)
            widest = max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column))
            best_width = min(widest, metrics.horizontalAdvance(best) + pad)
            self._widths[column] = (min(best_width, metrics.horizontalAdvance(least) + pad),
                                    best_width)
        self._title_width = (metrics.horizontalAdvance(TITLE_LEAST) + pad,
                             metrics.horizontalAdvance(TITLE_SAMPLE) + pad)
        self._fit_title()

    def _fit_title(self) -> None:
        header = self.table.horizontalHeader()
        title = COLUMNS.index("title")
        whole = sum(header.sectionSize(COLUMNS.index(n)) for n in ("issued", "later"))
        room = self.table.viewport().width() - whole
        title_least, title_good = self._title_width
        wanted = title_good - (room - sum(best for _least, best in self._widths.values()))
        for column, (least, best) in self._widths.items():
            give = min(max(0, wanted), best - least)
            header.resizeSection(column, best - give)
            wanted -= give
        others = sum(header.sectionSize(column) for column in self._widths)
        if room - others >= title_least:
            header.setSectionResizeMode(title, QtWidgets.QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(title, QtWidgets.QHeaderView.ResizeMode.Interactive)
            header.resizeSection(title, title_least)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if watched is self.table and event.type() == QtCore.QEvent.Type.Resize:
            self._fit_title()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange:
            self.fit_columns()

    # --- searching

    def on_changes(self, changes: Changes) -> None:
        """A write somewhere (here, a sync, a resolved conflict): search again if it
        touched the documents."""
        if changes.documents and not self._adding_many:
            self.run_search()

    def run_search(self) -> None:
        self._generation += 1
        generation = self._generation
        query = self.search.text()
        origin = DocumentOrigin(self.origin.currentData()) if self.origin.currentData() else None
        later = self.later_only.isChecked()
        workspace = self.workspace
        self.runner.query(
            lambda: documents.search_documents(workspace, query, origin=origin,
                                               bookmarked_only=later),
            lambda hits: self._show_results(generation, hits), self._failed)

    def _show_results(self, generation: int, hits: list[DocumentHit]) -> None:
        if generation != self._generation:
            return  # an older search answered late: a newer one is on its way
        selected = self.selected_hit()
        self.model.set_hits(hits)
        self.fit_columns()
        self.count_label.setText(i18n.t("ui.doc_count", count=len(hits)))
        row = next((i for i, h in enumerate(hits) if selected and h.id == selected.id), 0)
        if hits:
            self.table.setCurrentIndex(self.model.index(row, 0))
        else:
            self._show_hit(None)
        self.results_shown.emit(len(hits))

    def selected_hit(self) -> DocumentHit | None:
        index = self.table.currentIndex()
        return self.model.hits[index.row()] if index.isValid() else None

    def _current_changed(self, current: QtCore.QModelIndex, _previous: Any) -> None:
        self._show_hit(self.model.hits[current.row()] if current.isValid() else None)

    def _show_hit(self, hit: DocumentHit | None) -> None:
        self.open_button.setEnabled(bool(hit and hit.has_file))
        self.later_button.setEnabled(hit is not None)
        if hit is None:
            self.preview.clear()
            return
        self.later_button.setText(i18n.t("ui.unbookmark" if hit.bookmarked else "ui.bookmark"))
        date = hit.issued_on.strftime("%d/%m/%Y") if hit.issued_on else ""
        head = " – ".join(x for x in (hit.number, date, hit.issuer) if x)
        self.preview.setHtml(
            f"<h3>{_esc(hit.title)}</h3>"
            f"<p><i>{_esc(head)}</i></p><p>{_highlight(hit.passage, self.search.text())}</p>")

    # --- actions

    def toggle_later(self) -> None:
        hit = self.selected_hit()
        if hit is None:
            return
        workspace = self.workspace
        self.runner.op(lambda: documents.set_bookmark(workspace, hit.id, not hit.bookmarked),
                       None, self._failed)   # the broadcast Changes search again

    def open_selected(self) -> None:
        hit = self.selected_hit()
        if hit is None or not hit.has_file:
            return
        workspace = self.workspace
        self.runner.query(lambda: documents.document_copy(workspace, hit.id), self._open_path,
                          self._failed)

    def _open_path(self, path: Path) -> None:
        QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(path)))

    def choose_files(self) -> None:
        names, _filter = QtWidgets.QFileDialog.getOpenFileNames(
            self, i18n.t("ui.add_documents").replace("&", ""), "", i18n.t("ui.file_filter"))
        self.add_files([Path(n) for n in names])

    def run_dialog(self, dialog: QtWidgets.QDialog) -> bool:
        return dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted

    def add_files(self, paths: list[Path]) -> None:
        """One file: ask for its metadata. Several: add them all, with progress and cancel."""
        if not paths:
            return
        if len(paths) == 1:
            self._add_single(paths[0], AddDocumentDialog(paths[0], self))
            return
        self._add_many(paths)

    def _add_single(self, path: Path, dialog: AddDocumentDialog) -> None:
        if not self.run_dialog(dialog):
            return
        metadata = dialog.values()
        workspace = self.workspace

        def failed(exc: Exception) -> None:
            if isinstance(exc, DomainError) and exc.field:   # a metadata problem: fix it
                dialog.show_error(exc)
                self._add_single(path, dialog)
            else:
                self._report([exc], 1)

        self.runner.op(lambda: documents.add_document(workspace, path, metadata),
                       lambda added: self._report([added[0]], 1), failed)

    def _add_many(self, paths: list[Path]) -> None:
        progress = QtWidgets.QProgressDialog(i18n.t("ui.adding_documents"), i18n.t("ui.cancel"),
                                             0, len(paths), self)
        progress.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        outcomes: list[Any] = []
        workspace = self.workspace
        self._adding_many = True

        def step(index: int) -> None:
            if index >= len(paths) or progress.wasCanceled():
                self._adding_many = False
                progress.setValue(len(paths))
                self._report(outcomes, len(paths), cancelled=index < len(paths))
                return
            progress.setLabelText(f"{i18n.t('ui.adding_documents')}\n{paths[index].name}")
            path = paths[index]

            def done(outcome: Any) -> None:
                outcomes.append(outcome)
                progress.setValue(index + 1)
                QtCore.QTimer.singleShot(0, lambda: step(index + 1))

            self.runner.op(lambda: documents.add_document(workspace, path, {}),
                           lambda added: done(added[0]), done)

        step(0)

    def _report(self, outcomes: list[Any], total: int, *, cancelled: bool = False) -> None:
        lines = []
        added = [o for o in outcomes if isinstance(o, DocumentAdded)]
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                lines.append(error_text(outcome))
        for item in added:
            name = item.title
            if not item.has_text:
                lines.append(i18n.t("ui.no_text_notice", name=name))
            if item.legacy_encoding:
                lines.append(i18n.t("ui.legacy_notice", name=name,
                                    encoding=LEGACY_NAMES.get(item.legacy_encoding,
                                                              item.legacy_encoding)))
        summary = i18n.t("ui.add_report", added=len(added), total=total)
        if cancelled:
            summary += " " + i18n.t("ui.add_cancelled")
        messages = [summary, *lines]
        self.documents_added.emit(messages)
        if added and total > 1:   # a single file: its broadcast Changes searched already
            self.run_search()
        if lines or cancelled or total > 1:
            box = (QtWidgets.QMessageBox.warning if any(
                isinstance(o, BaseException) for o in outcomes)
                else QtWidgets.QMessageBox.information)
            box(self, i18n.t("ui.add_documents").replace("&", ""), "\n\n".join(messages))

    def _failed(self, exc: Exception) -> None:
        report_in_status(self, exc)


def _highlight(text: str, query: str) -> str:
    """HTML of ``text`` with the words that match the query in bold."""
    out, last = [], 0
    for start, end in match_spans(text, query):
        out.append(_esc(text[last:start]) + "<b>" + _esc(text[start:end]) + "</b>")
        last = end
    return "".join(out) + _esc(text[last:])


def _esc(text: str) -> str:
    return html.escape(text)
