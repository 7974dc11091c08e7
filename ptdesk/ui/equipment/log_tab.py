"""Equipment → Cleaning log: who cleaned what and when, corrections, the printable log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.errors import PtdeskError
from ptdesk.reports.common import write_atomically
from ptdesk.services import cleaning, documents, equipment
from ptdesk.services import staff as staff_service
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.equipment.dialogs import CorrectionDialog, pydate, qdate
from ptdesk.ui.equipment.models import LogModel
from ptdesk.ui.operations import Op, query, show_problem
from ptdesk.ui.widgets.dialogs import run_dialog
from ptdesk.ui.widgets.table import make_table, selected_rows


def _filter_lists(session: Session) -> tuple[list, list, list]:
    items = [(i.id, i.name) for i in equipment.list_equipment(session, include_retired=True)]
    rooms = sorted(equipment.room_names(session).items(), key=lambda kv: kv[1])
    people = [(p.id, p.name) for p in staff_service.list_staff(session, include_inactive=True)]
    return items, rooms, people


class LogTab(QWidget):
    """The cleaning log between two days, by item, room or person."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        today = qdate(None)
        self.date_from = QDateEdit(today.addDays(-6))
        self.date_to = QDateEdit(today)
        for edit, name in ((self.date_from, "From"), (self.date_to, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.dateChanged.connect(lambda _d: self.reload())
        self.item_filter = QComboBox()
        self.room_filter = QComboBox()
        self.staff_filter = QComboBox()
        for combo, name in (
            (self.item_filter, "Item"),
            (self.room_filter, "Room"),
            (self.staff_filter, "Staff"),
        ):
            combo.setAccessibleName(name)
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        for text, widget in (
            ("&From:", self.date_from),
            ("&To:", self.date_to),
            ("&Item:", self.item_filter),
            ("&Room:", self.room_filter),
            ("&Staff:", self.staff_filter),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.count = QLabel()
        self.count.setObjectName("logCount")
        layout.addWidget(self.count)
        self.model = LogModel(self)
        self.table, self.proxy = make_table(
            "cleaningLog", self.model, accessible="Cleaning log", sort_column=1, descending=True
        )
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.correct_button = QPushButton("C&orrect entry…")
        self.correct_button.clicked.connect(self.correct_selected)
        self.pdf_button = QPushButton("Save &printable log (PDF)…")
        self.pdf_button.setObjectName("saveCleaningLog")
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button = QPushButton("Print &log…")
        self.print_button.setObjectName("printCleaningLog")
        self.print_button.clicked.connect(self.print_log)
        self.preview_dialog: QWidget | None = None
        buttons.addWidget(self.correct_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        layout.addLayout(buttons)
        self._loading = False
        ctx.bus.changed.connect(self._on_changed)
        self._fill_filters()
        self.reload()
        for col, width in enumerate((50, 120, 180, 100, 150, 200, 70, 130)):
            self.table.setColumnWidth(col, width)

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.EQUIPMENT, topics.ROOMS, topics.STAFF):
            self._fill_filters()
        if topics.concerns(topic, topics.CLEANING, topics.EQUIPMENT, topics.ROOMS, topics.STAFF):
            self.reload()

    def _fill_filters(self) -> None:
        items, rooms, people = query(self.ctx, _filter_lists)
        self._loading = True
        for combo, everyone, choices in (
            (self.item_filter, "All items", items),
            (self.room_filter, "All rooms", rooms),
            (self.staff_filter, "All staff", people),
        ):
            current = combo.currentData()
            combo.clear()
            combo.addItem(everyone, None)
            for value, text in choices:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
        self._loading = False

    def show_item(self, equipment_id: int) -> None:
        self._loading = True
        self.item_filter.setCurrentIndex(max(0, self.item_filter.findData(equipment_id)))
        self.date_from.setDate(qdate(None).addDays(-90))
        self.date_to.setDate(qdate(None))
        self._loading = False
        self.reload()

    def filters(self) -> dict[str, Any]:
        return dict(
            start=pydate(self.date_from.date()),
            end=pydate(self.date_to.date()),
            equipment_id=self.item_filter.currentData(),
            room_id=self.room_filter.currentData(),
            staff_id=self.staff_filter.currentData(),
        )

    def reload(self) -> None:
        if self._loading:
            return
        f = self.filters()
        if f["end"] < f["start"]:
            self.count.setText("⚠ The end date is before the start date.")
            self.model.set_rows([])
            return
        entries = query(self.ctx, lambda s: cleaning.history(s, **f))
        self.model.set_rows(entries)
        short = sum(1 for e in entries if e.short_contact and e.counts)
        text = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
        if short:
            text += f" · ⚠ {short} with a contact time shorter than the label"
        self.count.setText(text)

    def correct_selected(self) -> None:
        rows = selected_rows(self.table)
        if not rows:
            QMessageBox.information(self, "Correct entry", "Select the entry to correct.")
            return
        entry = rows[0]
        products = sorted({e.product for e in self.model.rows() if e.product})
        dialog = CorrectionDialog(entry, products, self)
        actor = self.ctx.actor
        dialog.submit_with(
            self.ctx,
            lambda s: cleaning.correct_cleaning(s, actor, entry.id, **dialog.values()),
            "Could not correct the entry",
            topics.CLEANING,
        )
        run_dialog(dialog)

    def _pdf_work(self, f: dict[str, Any]) -> Callable[[Session], bytes]:
        """Building the printable log of the filters ``f`` (a function of the session)."""
        actor = self.ctx.actor
        return lambda s: documents.cleaning_log(
            s, actor, f["start"], f["end"], room_id=f["room_id"], staff_id=f["staff_id"]
        )

    def print_log(self) -> None:
        """Build the log for the chosen range off the main thread, then preview it to print."""
        f = self.filters()
        if f["end"] < f["start"]:
            show_problem(self, "Cleaning log", "The end date is before the start date.")
            return
        self.print_button.setEnabled(False)
        self.print_button.setText("Preparing the log…")

        def reset() -> None:
            self.print_button.setEnabled(True)
            self.print_button.setText("Print &log…")

        def done(data: bytes) -> None:
            reset()
            from ptdesk.ui.widgets.pdf_preview import PdfPreviewDialog

            name = f"cleaning-log-{f['start']}-to-{f['end']}.pdf"
            title = f"Cleaning log {f['start']} to {f['end']}"
            dialog = PdfPreviewDialog(data, title, name, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.preview_dialog = dialog
            dialog.open()

        Op(self.ctx, self, self._pdf_work(f), title="Could not prepare the cleaning log").success(
            done
        ).failure(lambda _e: reset()).run_in_background()

    def save_pdf(self) -> None:
        f = self.filters()
        if f["end"] < f["start"]:
            show_problem(self, "Cleaning log", "The end date is before the start date.")
            return
        suggested = f"cleaning-log-{f['start']}-to-{f['end']}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the cleaning log", str(Path.home() / suggested), "PDF files (*.pdf)"
        )
        if not path:
            return
        self.pdf_button.setEnabled(False)
        self.pdf_button.setText("Preparing the PDF…")
        build = self._pdf_work(f)

        def save(session: Session) -> Path:
            data = build(session)
            try:
                write_atomically(Path(path), data)
            except OSError as exc:
                raise PtdeskError(f"Could not write the file: {exc.strerror}.") from exc
            return Path(path)

        Op(self.ctx, self, save, title="Could not save the cleaning log").success(
            self._pdf_done
        ).failure(lambda _e: self._pdf_reset()).run_in_background()

    def _pdf_reset(self) -> None:
        self.pdf_button.setEnabled(True)
        self.pdf_button.setText("Save &printable log (PDF)…")

    def _pdf_done(self, path: Path) -> None:
        self._pdf_reset()
        QMessageBox.information(self, "Cleaning log", f"The cleaning log was saved as {path}.")
