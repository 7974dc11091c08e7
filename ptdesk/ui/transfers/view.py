"""The Transfers page: today's checklists, the history with filters, and the record PDF."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QDate, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
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
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.errors import PtdeskError
from ptdesk.services import clock, documents
from ptdesk.services import transfers as tr
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, query
from ptdesk.ui.transfers.models import ChecklistTableModel, ChoiceTableModel
from ptdesk.ui.transfers.runner import run_checklist
from ptdesk.ui.widgets.dialogs import run_dialog
from ptdesk.ui.widgets.table import ROW_ROLE, make_table, table_view

HISTORY_DAYS = 30


def _table(
    name: str, accessible: str, model: QAbstractItemModel
) -> tuple[QTableView, QSortFilterProxyModel]:
    """A list of checklists, newest first."""
    return make_table(
        name,
        model,
        accessible=accessible,
        descending=True,
        fit=QHeaderView.ResizeMode.ResizeToContents,
        stripes=False,
    )


def _save_transfer_record(session: Session, actor: Actor, checklist_id: int, path: Path) -> Path:
    """Write the record of one checklist as a PDF at ``path``."""
    try:
        documents.transfer_record(session, actor, checklist_id, out=path)
    except OSError as exc:
        raise PtdeskError(f"Could not write the file: {exc.strerror}.") from exc
    return path


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
        self.table = table_view(
            "patientChoices", self.model, accessible="Patients", stripes=False, wrap=True
        )
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
        text = self.search.text()
        self.model.set_rows(query(self.ctx, lambda s: tr.patient_choices(s, text)))
        if self.model.rowCount():
            self.table.selectRow(0)

    def chosen_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return rows[0].data(ROW_ROLE).id


class TransfersView(QWidget):
    """Today's transfer checklists and the history, with the record of each as a PDF."""

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
        today = clock.today()
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
        for choice in query(self.ctx, tr.staff_choices):
            self.staff_filter.addItem(choice.label, choice.id)
        self.staff_filter.setCurrentIndex(max(0, self.staff_filter.findData(current)))
        self.staff_filter.blockSignals(False)

    def refresh(self) -> None:
        rows = query(self.ctx, lambda s: tr.todays_checklists(s, clock.today()))
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
        staff_id, text = self.staff_filter.currentData(), self.patient_filter.text()
        rows = query(
            self.ctx,
            lambda s: tr.list_checklists(
                s, first=first, last=last, staff_id=staff_id, patient_text=text
            ),
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
        accepted = run_dialog(picker) == QDialog.DialogCode.Accepted
        patient_id = picker.chosen_id() if accepted else None
        if patient_id is not None:
            run_checklist(self.ctx, patient_id, parent=self)

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
        def done(out: Path) -> None:
            self.record_saved.emit(out)
            if open_after:
                from ptdesk.ui.widgets.pdf_preview import PdfPreviewDialog

                dialog = PdfPreviewDialog(out.read_bytes(), "Transfer record", out.name, self)
                dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                self.preview_dialog = dialog
                dialog.open()

        actor = self.ctx.actor
        Op(
            self.ctx,
            self,
            lambda s: _save_transfer_record(s, actor, checklist_id, path),
            title="The record was not saved",
        ).success(done).run_in_background()
