"""Printing exercise sheets from any screen: the day's batch or one patient, off the UI thread."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.services import clock, documents, patients, programs
from ptdesk.services import staff as staff_service
from ptdesk.ui.context import AppContext
from ptdesk.ui.exercises.models import DaySheetsModel
from ptdesk.ui.operations import Op, Progress, query
from ptdesk.ui.widgets.pdf_preview import PdfPreviewDialog
from ptdesk.ui.widgets.table import table_view


def print_sheets(
    ctx: AppContext,
    parent: QWidget,
    day: date,
    *,
    staff_id: int | None = None,
    patient_id: int | None = None,
    on_shown=None,
) -> None:
    """Build the sheets in the background with a progress window, then preview them."""

    def work(s: Session, progress: Progress) -> documents.SheetBatch | None:
        try:
            if patient_id is None:
                return documents.exercise_sheets_for_day(
                    s, ctx.actor, day, staff_id=staff_id, progress=progress
                )
            pdf = documents.exercise_sheet_for_patient(
                s, ctx.actor, patient_id, day, progress=progress
            )
        except documents.NothingToPrint:
            return None
        return documents.SheetBatch(pdf, [patients.get_patient(s, patient_id).full_name])

    def done(result: documents.SheetBatch | None) -> None:
        if result is None:
            what = (
                "this patient has no active home program"
                if patient_id
                else ("nobody booked that day has an active home program")
            )
            QMessageBox.information(
                parent, "No exercise sheets", f"Nothing to print: {what} on {day.isoformat()}."
            )
            if on_shown:
                on_shown(None)
            return
        name = f"exercise-sheets-{day.isoformat()}.pdf"
        n = len(result.patients)
        title = f"Exercise sheets for {day.isoformat()} ({n} patient{'s' if n != 1 else ''})"
        dialog = PdfPreviewDialog(result.pdf, title, name, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        if result.left_out:
            QMessageBox.warning(
                dialog,
                "Exercise sheets",
                "These sheets could not be laid out and were left out: "
                f"{', '.join(result.left_out)}. Shorten their steps or change the picture, "
                "then print them again.",
            )
        if on_shown:
            on_shown(dialog)

    def failed(_exc: BaseException) -> None:
        if on_shown:
            on_shown(None)

    # The work handed to run_in_background takes the place of the op's own function.
    op = Op(ctx, parent, lambda s: None, title="Exercise sheets").success(done).failure(failed)
    op.run_in_background("Laying out the exercise sheets…", work=work)


class DaySheetsPanel(QWidget):
    """Pick a day (and optionally a staff member), then print every sheet in one action."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._printing = 0
        self.last_dialog = None
        self.day = QDateEdit(QDate(clock.today()))
        self.day.setObjectName("sheetsDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd yyyy-MM-dd")
        self.staff = QComboBox()
        self.staff.setObjectName("sheetsStaff")
        self.print_button = QPushButton("&Print today's exercise sheets…")
        self.print_button.setObjectName("printDaySheets")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_day)
        self.day.dateChanged.connect(lambda _d: self.refresh_overview())
        self.staff.currentIndexChanged.connect(lambda _i: self.refresh_overview())
        self.overview = DaySheetsModel(self)
        self.overview_view = table_view(
            "daySheetsTable",
            self.overview,
            accessible="Patients expected that day",
            multi=True,
            stripes=False,
        )
        self.count_label = QLabel()
        self.count_label.setObjectName("sheetsCount")
        self.summary = QLabel()
        self.summary.setObjectName("sheetsSummary")
        self.summary.setWordWrap(True)

        self.day.setMaximumWidth(200)
        self.staff.setMaximumWidth(300)
        form = QFormLayout()
        form.addRow("&Day:", self.day)
        form.addRow("&Staff member:", self.staff)
        intro = QLabel(
            "One PDF with a home exercise sheet for every patient booked on the day "
            "(cancelled visits and no-shows left out) who has an active program. "
            "You can look through it, print it, or save it."
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.count_label)
        layout.addWidget(self.overview_view, 1)
        self.refresh()

    def refresh(self) -> None:
        current = self.staff.currentData()
        self.staff.blockSignals(True)
        self.staff.clear()
        self.staff.addItem("Everyone", None)
        people = query(self.ctx, staff_service.list_staff)
        for person in people:
            self.staff.addItem(person.name, person.id)
        index = self.staff.findData(current)
        self.staff.setCurrentIndex(max(0, index))
        self.staff.blockSignals(False)
        self.refresh_overview()

    def refresh_overview(self) -> None:
        day = self.day.date().toPython()
        staff_id = self.staff.currentData()
        rows = query(self.ctx, lambda s: programs.day_overview(s, day, staff_id))
        self.overview.set_rows(rows)
        self.overview_view.resizeColumnsToContents()
        printing = self._printing = sum(1 for r in rows if r.prints)
        self.count_label.setText(
            f"{_count(len(rows), 'patient')} expected; {_count(printing, 'sheet')} will print. "
            "Patients without a current program need their therapist to set one."
            if rows
            else "Nobody is booked for this day."
        )
        self.print_button.setEnabled(printing > 0)
        self._update_label()

    def _update_label(self) -> None:
        day = self.day.date().toPython()
        text = "today's" if day == clock.today() else f"{day:%a %b} {day.day}"
        self.print_button.setText(f"&Print {text} exercise sheets…")

    def print_day(self) -> None:
        day = self.day.date().toPython()
        self.print_button.setEnabled(False)
        self.summary.setText("Preparing the sheets…")

        def shown(dialog) -> None:
            self.print_button.setEnabled(self._printing > 0)
            if dialog is None:
                self.summary.setText("")
            else:
                self.summary.setText(dialog.windowTitle())
            self.last_dialog = dialog

        print_sheets(self.ctx, self, day, staff_id=self.staff.currentData(), on_shown=shown)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
