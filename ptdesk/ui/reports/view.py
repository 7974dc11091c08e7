"""The Reports page: pick a month, make the report off the UI thread, preview, print, save;
save its figures as JSON or CSV; import and export data as CSV."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ptdesk.config import data_dir
from ptdesk.errors import PtdeskError
from ptdesk.reports.common import write_atomically
from ptdesk.services import clock, documents, exports, reporting
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import query
from ptdesk.ui.reports.import_dialog import ImportDialog
from ptdesk.ui.reports.models import FiguresModel, figure_rows
from ptdesk.ui.tasks import run_in_background
from ptdesk.ui.widgets.pdf_preview import PdfPreview
from ptdesk.ui.widgets.table import table_view

log = logging.getLogger(__name__)
MONTHS_OFFERED = 36
EXPORT_KINDS = [
    ("appointments", "Appointments"),
    ("patients", "Patients"),
    ("cleaning", "Cleaning log"),
    ("sessions", "Session records"),
    ("staff", "Staff"),
    ("equipment", "Equipment"),
]
# Topics whose changes make a report on screen out of date.
WATCHED = (
    topics.SCHEDULE,
    topics.PATIENTS,
    topics.STAFF,
    topics.CLEANING,
    topics.EQUIPMENT,
    topics.TRANSFERS,
    topics.CLINIC,
)


@dataclass(frozen=True)
class MadeReport:
    report: reporting.MonthlyReport
    pdf: bytes


def make_report(ctx: AppContext, month: date) -> MadeReport:
    """Figures and PDF for ``month`` (runs in the worker thread)."""
    made = query(ctx, lambda s: documents.monthly_report_and_figures(s, ctx.actor, month))
    return MadeReport(made.figures, made.pdf)


def _settings() -> QSettings:
    return QSettings(str(data_dir() / "window.ini"), QSettings.Format.IniFormat)


class ReportsView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("reportsView")
        self.made: MadeReport | None = None
        self.last_export: tuple[Path, int] | None = None
        self.progress: QProgressDialog | None = None
        self.may_report = allowed(ctx.actor, "export_report")

        # -- the monthly report ----------------------------------------------------------------
        report_box = QGroupBox("Monthly report")
        self.month = QComboBox()
        self.month.setObjectName("reportMonth")
        self.month.setAccessibleName("Month")
        first = clock.today().replace(day=1)
        for _ in range(MONTHS_OFFERED):
            self.month.addItem(reporting.month_label(first), first)
            first = reporting.previous_month(first)
        self.month.setCurrentIndex(1)  # last month: the one the owner usually reviews
        month_caption = QLabel("&Month:")
        month_caption.setBuddy(self.month)
        self.make_button = QPushButton("Ma&ke report")
        self.make_button.setObjectName("makeReport")
        self.make_button.setDefault(True)
        self.make_button.clicked.connect(self.make)
        self.json_button = QPushButton("Save figures as &JSON…")
        self.json_button.setObjectName("saveJson")
        self.json_button.clicked.connect(lambda: self.save_figures("json"))
        self.csv_button = QPushButton("Save figures as CS&V…")
        self.csv_button.setObjectName("saveFiguresCsv")
        self.csv_button.clicked.connect(lambda: self.save_figures("csv"))
        self.status = QLabel()
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(month_caption)
        top.addWidget(self.month)
        top.addWidget(self.make_button)
        top.addStretch(1)
        top.addWidget(self.json_button)
        top.addWidget(self.csv_button)

        self.figures = FiguresModel(self)
        self.figures_view = table_view(
            "reportFigures",
            self.figures,
            accessible="Headline figures",
            multi=True,
            stretch=0,
            stripes=False,
            wrap=True,
        )
        self.preview = PdfPreview()
        self.preview.setObjectName("reportPreview")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.figures_view)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([420, 700])

        report_layout = QVBoxLayout(report_box)
        report_layout.addLayout(top)
        report_layout.addWidget(self.status)
        report_layout.addWidget(splitter, 1)

        # -- data in and out -------------------------------------------------------------------
        data_box = QGroupBox("Data in and out (CSV files for spreadsheets)")
        self.import_button = QPushButton("&Import from CSV…")
        self.import_button.setObjectName("openImport")
        self.import_button.clicked.connect(self.open_import)
        self.export_kind = QComboBox()
        self.export_kind.setObjectName("exportKind")
        self.export_kind.setAccessibleName("What to export")
        for kind, label in EXPORT_KINDS:
            self.export_kind.addItem(label, kind)
        self.export_kind.currentIndexChanged.connect(self._export_kind_changed)
        now = clock.today()
        today = QDate(now.year, now.month, now.day)
        self.export_from = QDateEdit(today.addDays(1 - today.day()))
        self.export_from.setObjectName("exportFrom")
        self.export_from.setCalendarPopup(True)
        self.export_from.setDisplayFormat("yyyy-MM-dd")
        self.export_to = QDateEdit(today)
        self.export_to.setObjectName("exportTo")
        self.export_to.setCalendarPopup(True)
        self.export_to.setDisplayFormat("yyyy-MM-dd")
        self.export_button = QPushButton("&Export CSV…")
        self.export_button.setObjectName("exportCsv")
        self.export_button.clicked.connect(self.export_dialog)
        kind_caption = QLabel("E&xport:")
        kind_caption.setBuddy(self.export_kind)
        from_caption = QLabel("&From:")
        from_caption.setBuddy(self.export_from)
        to_caption = QLabel("&To:")
        to_caption.setBuddy(self.export_to)
        data_row = QHBoxLayout(data_box)
        data_row.addWidget(self.import_button)
        data_row.addSpacing(24)
        data_row.addWidget(kind_caption)
        data_row.addWidget(self.export_kind)
        data_row.addWidget(from_caption)
        data_row.addWidget(self.export_from)
        data_row.addWidget(to_caption)
        data_row.addWidget(self.export_to)
        data_row.addWidget(self.export_button)
        data_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(report_box, 1)
        layout.addWidget(data_box)

        self._apply_permissions()
        self._update_buttons()
        ctx.bus.changed.connect(self._on_changed)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.preview.close_document)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.preview.close_document()
        super().closeEvent(event)

    # -- permissions ---------------------------------------------------------------------------
    def _apply_permissions(self) -> None:
        if not self.may_report:
            self.make_button.setEnabled(False)
            self.month.setEnabled(False)
            self._say("Only the owner can make the monthly report.")
        else:
            self._say("Choose a month and press Make report.")
        may_import = allowed(self.ctx.actor, "import_data")
        self.import_button.setEnabled(may_import)
        if not may_import:
            self.import_button.setToolTip("Only the owner can import data.")
        may_export = allowed(self.ctx.actor, "export_data")
        for w in (self.export_kind, self.export_from, self.export_to, self.export_button):
            w.setEnabled(may_export)
        if not may_export:
            self.export_button.setToolTip("Only the owner and the front desk can export data.")

    def _update_buttons(self) -> None:
        has = self.made is not None
        self.json_button.setEnabled(has)
        self.csv_button.setEnabled(has)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleName(text)

    # -- the report ----------------------------------------------------------------------------
    @property
    def selected_month(self) -> date:
        return self.month.currentData()

    def set_month(self, month: date) -> None:
        index = self.month.findData(month.replace(day=1))
        if index < 0:
            self.month.insertItem(0, reporting.month_label(month), month.replace(day=1))
            index = 0
        self.month.setCurrentIndex(index)

    def make(self) -> None:
        if not self.may_report or self.progress is not None:
            return
        month = self.selected_month
        label = reporting.month_label(month)
        self.progress = QProgressDialog(f"Making the report for {label}…", "", 0, 0, self)
        self.progress.setObjectName("reportProgress")
        self.progress.setWindowTitle("Monthly report")
        self.progress.setCancelButton(None)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.make_button.setEnabled(False)
        self._say(f"Making the report for {label}…")
        ctx = self.ctx
        run_in_background(lambda: make_report(ctx, month), self._made, self._failed)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.make_button.setEnabled(self.may_report)

    def _made(self, made: MadeReport) -> None:
        self._close_progress()
        self.made = made
        report = made.report
        self.figures.set_rows(figure_rows(report))
        self.figures_view.resizeColumnsToContents()
        self.figures_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        name = f"monthly-report-{report.month:%Y-%m}.pdf"
        self.preview.set_pdf(made.pdf, name)
        stamp = report.generated_at.strftime("%Y-%m-%d %H:%M") if report.generated_at else ""
        self._say(
            f"Report for {reporting.month_label(report.month)}, made {stamp}: "
            f"{self.preview.page_count} pages. Print or save it with the buttons above the page."
        )
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self._close_progress()
        if isinstance(exc, PtdeskError):
            self._say(f"⚠ {exc.message}")
            return
        log.error("making the monthly report failed", exc_info=exc)
        self._say(f"⚠ The report could not be made: {exc}")

    def _on_changed(self, topic: str) -> None:
        if self.made is not None and topics.concerns(topic, *WATCHED):
            self._say(
                "ⓘ Data changed since this report was made; press Make report to bring it "
                "up to date."
            )

    def save_figures(self, fmt: str) -> None:
        if self.made is None:
            return
        report = self.made.report
        settings = _settings()
        folder = settings.value("reports/last_folder", str(Path.home()))
        suggested = Path(folder) / f"monthly-report-{report.month:%Y-%m}.{fmt}"
        path, _ = QFileDialog.getSaveFileName(
            self, f"Save figures as {fmt.upper()}", str(suggested), f"{fmt.upper()} (*.{fmt})"
        )
        if not path:
            return
        if not path.lower().endswith(f".{fmt}"):
            path += f".{fmt}"
        self.save_figures_to(Path(path), fmt)
        settings.setValue("reports/last_folder", str(Path(path).parent))

    def save_figures_to(self, path: Path, fmt: str) -> bool:
        assert self.made is not None
        report = self.made.report
        text = reporting.report_json(report) if fmt == "json" else reporting.report_csv(report)
        try:
            write_atomically(path, text.encode("utf-8"))
        except OSError as exc:
            QMessageBox.warning(self, "Could not save", f"{path} could not be written: {exc}.")
            return False
        self._say(f"Figures saved to {path}.")
        return True

    # -- data in and out -----------------------------------------------------------------------
    def open_import(self) -> ImportDialog:
        dialog = ImportDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.import_dialog = dialog
        return dialog

    def _export_kind_changed(self) -> None:
        ranged = exports.KINDS[self.export_kind.currentData()][1]
        self.export_from.setEnabled(ranged)
        self.export_to.setEnabled(ranged)

    def export_dialog(self) -> None:
        kind = self.export_kind.currentData()
        settings = _settings()
        folder = settings.value("reports/last_folder", str(Path.home()))
        path, _ = QFileDialog.getSaveFileName(
            self, "Export as CSV", str(Path(folder) / f"{kind}.csv"), "CSV files (*.csv)"
        )
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        settings.setValue("reports/last_folder", str(Path(path).parent))
        self.export_to_file(Path(path))

    def export_to_file(self, path: Path) -> bool:
        """Write the chosen kind and dates to ``path`` in the background; False if refused."""
        kind = self.export_kind.currentData()
        start = self.export_from.date().toPython()
        end = self.export_to.date().toPython()
        if exports.KINDS[kind][1] and end < start:
            self._say("⚠ The 'To' date is before the 'From' date.")
            return False
        ctx = self.ctx

        def work() -> int:
            partial = path.with_name(path.name + ".partial")
            try:
                with partial.open("w", newline="", encoding="utf-8") as fh:
                    n = query(ctx, lambda s: exports.write_csv(s, kind, fh, start, end))
                partial.replace(path)
            finally:
                partial.unlink(missing_ok=True)
            return n

        self.export_button.setEnabled(False)
        self._say(f"Exporting to {path}…")
        run_in_background(work, lambda n: self._exported(path, n), self._export_failed)
        return True

    def _exported(self, path: Path, n: int) -> None:
        self.export_button.setEnabled(True)
        self.last_export = (path, n)
        self._say(f"✓ {n} rows exported to {path}.")

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        if isinstance(exc, PtdeskError):
            self._say(f"⚠ {exc.message}")
        elif isinstance(exc, OSError):
            self._say(f"⚠ The file could not be written: {exc.strerror}.")
        else:
            log.error("CSV export failed", exc_info=exc)
            self._say(f"⚠ The export failed: {exc}")
