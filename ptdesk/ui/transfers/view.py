"""The Transfers page: today's checklists, the history with filters, and the record PDF."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ptdesk.errors import PtdeskError
from ptdesk.reports.common import Letterhead
from ptdesk.reports.transfer_record import build_transfer_record
from ptdesk.services import clinic
from ptdesk.services import transfers as tr
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.tasks import run_in_background
from ptdesk.ui.transfers.models import ChecklistTableModel, ChoiceTableModel
from ptdesk.ui.transfers.runner import run_checklist
from ptdesk.ui.widgets.table import ROW_ROLE, SORT_ROLE

HISTORY_DAYS = 30


def _table(name: str, accessible: str, model) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view, proxy


class PatientPickerDialog(QDialog):
    """Find a patient by name or chart number; Enter picks the highlighted one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("patientPickerDialog")
        self.setWindowTitle("Transfer checklist for…")
        layout = QVBoxLayout(self)
        label = QLabel("&Find the patient (name or chart number):")
        self.search = QLineEdit()
        self.search.setObjectName("patientSearch")
        label.setBuddy(self.search)
        layout.addWidget(label)
        layout.addWidget(self.search)
        self.model = ChoiceTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("patientChoices")
        self.table.setAccessibleName("Patients")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda _i: self.accept())
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self.accept)
        self.resize(420, 420)
        self.refresh()

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            self.model.set_rows(tr.patient_choices(s, self.search.text()))
        if self.model.rowCount():
            self.table.selectRow(0)

    def chosen_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return rows[0].data(ROW_ROLE).id


class TransfersView(QWidget):
    record_saved = Signal(object)  # Path of a transfer record PDF just written

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        title = QLabel("<h2>Transfers</h2>")
        top.addWidget(title)
        top.addStretch(1)
        self.new_button = QPushButton("&New checklist…")
        self.new_button.setObjectName("newChecklist")
        self.new_button.clicked.connect(self.new_checklist)
        self.continue_button = QPushButton("C&ontinue")
        self.continue_button.setObjectName("continueChecklist")
        self.continue_button.clicked.connect(self.continue_selected)
        self.pdf_button = QPushButton("Save &record as PDF…")
        self.pdf_button.setObjectName("saveRecord")
        self.pdf_button.clicked.connect(self.save_selected_record)
        for b in (self.new_button, self.continue_button, self.pdf_button):
            top.addWidget(b)
        layout.addLayout(top)
        may_run = allowed(ctx.actor, "run_transfer_checklist")
        self.new_button.setEnabled(may_run)
        if not may_run:
            self.new_button.setToolTip("Only clinical staff run transfer checklists.")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        today_box = QGroupBox("Today")
        today_layout = QVBoxLayout(today_box)
        self.summary = QLabel()
        self.summary.setObjectName("todaySummary")
        today_layout.addWidget(self.summary)
        self.today_model = ChecklistTableModel(self)
        self.today_table, self.today_proxy = _table(
            "todayTable", "Today's checklists", self.today_model
        )
        today_layout.addWidget(self.today_table)
        splitter.addWidget(today_box)

        history_box = QGroupBox("History")
        history_layout = QVBoxLayout(history_box)
        filters = QGridLayout()
        self.patient_filter = QLineEdit()
        self.patient_filter.setObjectName("patientFilter")
        self.patient_filter.setPlaceholderText("name or chart number")
        self.patient_filter.setClearButtonEnabled(True)
        self.staff_filter = QComboBox()
        self.staff_filter.setObjectName("staffFilter")
        self.date_from = QDateEdit()
        self.date_from.setObjectName("dateFrom")
        self.date_to = QDateEdit()
        self.date_to.setObjectName("dateTo")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        today = date.today()
        self.date_from.setDate(QDate(today - timedelta(days=HISTORY_DAYS)))
        self.date_to.setDate(QDate(today))
        for i, (text, widget) in enumerate(
            (
                ("&Patient:", self.patient_filter),
                ("&Staff:", self.staff_filter),
                ("&From:", self.date_from),
                ("&To:", self.date_to),
            )
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label, i // 2, (i % 2) * 2)
            filters.addWidget(widget, i // 2, (i % 2) * 2 + 1)
        filters.setColumnStretch(1, 2)
        filters.setColumnStretch(3, 1)
        history_layout.addLayout(filters)
        self.history_model = ChecklistTableModel(self)
        self.history_table, self.history_proxy = _table(
            "historyTable", "Checklist history", self.history_model
        )
        history_layout.addWidget(self.history_table)
        self._focus_table = self.today_table
        self.history_count = QLabel()
        self.history_count.setObjectName("historyCount")
        history_layout.addWidget(self.history_count)
        splitter.addWidget(history_box)
        splitter.setSizes([260, 400])
        layout.addWidget(splitter, 1)

        for table in (self.today_table, self.history_table):
            table.doubleClicked.connect(lambda _i, t=table: self.open_row(t))
            table.activated.connect(lambda _i, t=table: self.open_row(t))
            table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.patient_filter.textChanged.connect(self.refresh_history)
        self.staff_filter.currentIndexChanged.connect(self.refresh_history)
        self.date_from.dateChanged.connect(self.refresh_history)
        self.date_to.dateChanged.connect(self.refresh_history)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_checklist)
        ctx.bus.changed.connect(self._on_changed)
        self._load_staff()
        self.refresh()

    # -- data --------------------------------------------------------------------
    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.STAFF):
            self._load_staff()
        if topics.concerns(topic, topics.TRANSFERS, topics.PATIENTS, topics.STAFF):
            self.refresh()

    def _load_staff(self) -> None:
        current = self.staff_filter.currentData()
        self.staff_filter.blockSignals(True)
        self.staff_filter.clear()
        self.staff_filter.addItem("Anyone", None)
        with self.ctx.db.session() as s:
            for choice in tr.staff_choices(s):
                self.staff_filter.addItem(choice.label, choice.id)
        self.staff_filter.setCurrentIndex(max(0, self.staff_filter.findData(current)))
        self.staff_filter.blockSignals(False)

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            rows = tr.todays_checklists(s)
        self.today_model.set_rows(rows)
        counts = tr.count_by_status(rows)
        self.summary.setText(
            f"Today: {counts['started']} started (still open) · {counts['completed']} completed"
            f" · {counts['aborted']} aborted"
        )
        self.refresh_history()
        self._update_buttons()

    def refresh_history(self) -> None:
        first = self.date_from.date().toPython()
        last = self.date_to.date().toPython()
        with self.ctx.db.session() as s:
            rows = tr.list_checklists(
                s,
                first=first,
                last=last,
                staff_id=self.staff_filter.currentData(),
                patient_text=self.patient_filter.text(),
            )
        self.history_model.set_rows(rows)
        incidents = sum(1 for r in rows if r.incident != "none")
        self.history_count.setText(
            f"{len(rows)} checklist{'s' if len(rows) != 1 else ''} from {first} to {last}; "
            f"{incidents} with an incident."
        )
        self._update_buttons()

    def selected(self) -> tr.ChecklistData | None:
        """The highlighted checklist in the table used last (else in either table)."""
        tables = [self._focus_table, self.today_table, self.history_table]
        for table in tables:
            rows = table.selectionModel().selectedRows()
            if rows:
                return rows[0].data(ROW_ROLE)
        return None

    def _update_buttons(self, *_args) -> None:
        for table in (self.today_table, self.history_table):
            if self.sender() is table.selectionModel():
                self._focus_table = table
        c = self.selected()
        may_run = allowed(self.ctx.actor, "run_transfer_checklist")
        self.continue_button.setEnabled(bool(c and c.status == "started") and may_run)
        self.pdf_button.setEnabled(c is not None)

    # -- actions -----------------------------------------------------------------
    def new_checklist(self) -> None:
        if not allowed(self.ctx.actor, "run_transfer_checklist"):
            return
        picker = PatientPickerDialog(self.ctx, self)
        if picker.exec() != QDialog.DialogCode.Accepted or picker.chosen_id() is None:
            return
        run_checklist(self.ctx, picker.chosen_id(), parent=self)

    def continue_selected(self) -> None:
        c = self.selected()
        if c is not None and c.status == "started":
            run_checklist(self.ctx, checklist_id=c.id, parent=self)

    def open_row(self, table: QTableView) -> None:
        self._focus_table = table
        c = self.selected()
        if c is None:
            return
        if c.status == "started" and allowed(self.ctx.actor, "run_transfer_checklist"):
            self.continue_selected()
        else:
            self.save_selected_record()

    def save_selected_record(self) -> None:
        c = self.selected()
        if c is None:
            return
        default = f"transfer-{c.chart_number}-{c.id}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the transfer record", str(Path.home() / default), "PDF (*.pdf)"
        )
        if path:
            self.save_record(c.id, Path(path))

    def save_record(self, checklist_id: int, path: Path, *, open_after: bool = True) -> None:
        db = self.ctx.db

        def work() -> Path:
            with db.session() as s:
                checklist = tr.get_checklist(s, checklist_id)
                head = Letterhead.from_profile(clinic.get_profile(s))
            build_transfer_record(checklist, head, out=path)
            return path

        def done(out: Path) -> None:
            self.record_saved.emit(out)
            if open_after:
                from ptdesk.ui.widgets.pdf_preview import PdfPreviewDialog

                dialog = PdfPreviewDialog(out.read_bytes(), "Transfer record", out.name, self)
                self.preview_dialog = dialog
                dialog.open()

        def failed(exc: BaseException) -> None:
            text = exc.message if isinstance(exc, PtdeskError) else f"{exc}"
            QMessageBox.warning(self, "The record was not saved", text)

        run_in_background(work, done, failed)
