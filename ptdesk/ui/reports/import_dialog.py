"""The Import… dialog: pick what the file holds and the file, see every row and every problem,
and import only when the whole file is valid."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ptdesk.config import data_dir
from ptdesk.errors import PtdeskError
from ptdesk.services import imports
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import query
from ptdesk.ui.reports.models import ImportRowsModel, ProblemsModel
from ptdesk.ui.tasks import run_in_background
from ptdesk.ui.widgets.table import table_view

log = logging.getLogger(__name__)
TOPICS = {
    "staff": topics.STAFF,
    "patients": topics.PATIENTS,
    "appointments": topics.SCHEDULE,
    "equipment": topics.EQUIPMENT,
}


class ImportDialog(QDialog):
    """Check a CSV file, show its rows and problems, then import it whole (or not at all)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("importDialog")
        self.setWindowTitle("Import from a CSV file")
        self.path: Path | None = None
        self.data = b""
        self.preview: imports.ImportPreview | None = None
        self.busy = False

        self.kind = QComboBox()
        self.kind.setObjectName("importKind")
        for kind in imports.KINDS:
            self.kind.addItem(imports.KIND_LABELS[kind], kind)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.file_label = QLabel("No file chosen")
        self.file_label.setObjectName("importFile")
        self.choose_button = QPushButton("Choose &file…")
        self.choose_button.setObjectName("chooseFile")
        self.choose_button.clicked.connect(self.choose_file)
        self.columns_label = QLabel()
        self.columns_label.setObjectName("importColumns")
        self.columns_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow("&What the file holds:", self.kind)
        file_row = QHBoxLayout()
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.file_label, 1)
        form.addRow("File:", file_row)
        form.addRow("Columns:", self.columns_label)

        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setObjectName("importWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.hide()

        self.rows_model = ImportRowsModel(self)
        self.rows_view = table_view(
            "importRows", self.rows_model, accessible="Rows in the file", multi=True, stripes=False
        )
        self.problems_model = ProblemsModel(self)
        self.problems_view = table_view(
            "importProblems",
            self.problems_model,
            accessible="Problems by row",
            multi=True,
            stripes=False,
        )
        self.problems_view.doubleClicked.connect(self._show_problem_row)
        rows_box = QWidget()
        rows_layout = QVBoxLayout(rows_box)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        rows_caption = QLabel("&Rows in the file (row 1 is the header):")
        rows_caption.setBuddy(self.rows_view)
        rows_layout.addWidget(rows_caption)
        rows_layout.addWidget(self.rows_view)
        problems_box = QWidget()
        problems_layout = QVBoxLayout(problems_box)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        problems_caption = QLabel("&Problems (double-click to see the row):")
        problems_caption.setBuddy(self.problems_view)
        problems_layout.addWidget(problems_caption)
        problems_layout.addWidget(self.problems_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(rows_box)
        splitter.addWidget(problems_box)
        splitter.setSizes([300, 160])

        self.import_button = QPushButton("&Import")
        self.import_button.setObjectName("importButton")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        close = QPushButton("&Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.warnings)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.resize(900, 620)
        self._kind_changed()

    # -- choosing ----------------------------------------------------------------------------
    @property
    def current_kind(self) -> str:
        return self.kind.currentData()

    def _kind_changed(self) -> None:
        kind = self.current_kind
        needed = ", ".join(imports.REQUIRED[kind])
        optional = ", ".join(imports.OPTIONAL[kind])
        self.columns_label.setText(
            f"Needed: {needed}. Optional: {optional}. Header names may be in any case; "
            "dates as 2026-03-31, times as 2026-03-31 14:30."
        )
        if self.data:
            self.check()

    def choose_file(self) -> None:
        settings = QSettings(str(data_dir() / "window.ini"), QSettings.Format.IniFormat)
        folder = settings.value("import/last_folder", str(Path.home()))
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a CSV file", folder, "CSV files (*.csv *.txt);;All files (*)"
        )
        if path:
            settings.setValue("import/last_folder", str(Path(path).parent))
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        try:
            self.data = path.read_bytes()
        except OSError as exc:
            self._show_message(f"⚠ The file could not be read: {exc.strerror}.")
            return
        self.path = path
        self.file_label.setText(str(path))
        self.check()

    # -- checking and importing ----------------------------------------------------------------
    def _start(self, text: str) -> None:
        self.busy = True
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.kind.setEnabled(False)
        self.setCursor(Qt.CursorShape.BusyCursor)
        self._show_message(text)

    def _finish(self) -> None:
        self.busy = False
        self.choose_button.setEnabled(True)
        self.kind.setEnabled(True)
        self.unsetCursor()

    def check(self) -> None:
        ctx, kind, data = self.ctx, self.current_kind, self.data
        self._start("Checking the file…")
        run_in_background(
            lambda: query(ctx, lambda s: imports.preview(s, kind, data)),
            self._checked,
            self._failed,
        )

    def _checked(self, preview: imports.ImportPreview) -> None:
        self._finish()
        self.preview = preview
        self.rows_model.set_preview(preview.columns, preview.rows)
        self.problems_model.set_rows(preview.errors)
        self.rows_view.resizeColumnsToContents()
        self.problems_view.resizeColumnToContents(0)
        self.problems_view.resizeColumnToContents(1)
        marker = "✓ " if preview.ok else "⚠ "
        self._show_message(marker + preview.summary())
        if preview.warnings:
            self.warnings.setText("Notes: " + " ".join(preview.warnings))
            self.warnings.show()
        else:
            self.warnings.hide()
        self.import_button.setEnabled(preview.ok and preview.to_add > 0)
        if preview.ok:
            n = preview.to_add
            self.import_button.setText(f"&Import {n} row{'s' if n != 1 else ''}")
        else:
            self.import_button.setText("&Import")

    def run_import(self) -> None:
        if self.preview is None or not self.preview.ok or self.busy:
            return
        ctx, kind, data, actor = self.ctx, self.current_kind, self.data, self.ctx.actor

        def work() -> imports.ImportResult:
            # One unit of work, all or nothing. Not an operation: every outcome, a refused
            # file included, is told in this dialog, and the kind imported is announced below.
            return query(ctx, lambda s: imports.import_csv(s, actor, kind, data))

        self._start("Importing…")
        run_in_background(work, self._imported, self._failed)

    def _imported(self, result: imports.ImportResult) -> None:
        self._finish()
        self.import_button.setEnabled(False)
        self.import_button.setText("&Import")
        what = imports.KIND_LABELS[result.kind].lower()
        self._show_message(
            f"✓ Imported {result.added} {what}; {result.on_file} were already on file."
        )
        self.last_result = result
        self.ctx.bus.announce(TOPICS[result.kind])

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, imports.ImportRejected):
            self._checked(exc.preview)
            return
        if isinstance(exc, PtdeskError):
            self._show_message(f"⚠ {exc.message}")
            return
        log.error("import failed", exc_info=exc)
        self._show_message(f"⚠ The import failed and nothing was written: {exc}")

    def _show_message(self, text: str) -> None:
        self.summary.setText(text)
        self.summary.setAccessibleName(text)

    def _show_problem_row(self, index) -> None:
        problem = self.problems_model.row_at(index.row())
        for i, row in enumerate(self.rows_model.rows()):
            if row.row == problem.row:
                self.rows_view.selectRow(i)
                self.rows_view.scrollTo(self.rows_model.index(i, 0))
                self.rows_view.setFocus()
                return

    def reject(self) -> None:
        if self.busy:
            return  # the import finishes (or rolls back) before the window closes
        super().reject()
