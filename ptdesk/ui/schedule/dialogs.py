"""Schedule dialogs: book or edit an appointment (single or weekly), cancel, correct a status."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QTime, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.errors import PtdeskError, ValidationError
from ptdesk.models import AppointmentKind, AppointmentStatus
from ptdesk.services import authorizations, clock
from ptdesk.services import scheduling as sched
from ptdesk.services.scheduling import (
    AppointmentChanges,
    AppointmentInfo,
    BookingRequest,
    ConflictWarning,
    PatientHit,
    Recurrence,
)
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, query
from ptdesk.ui.widgets.forms import ErrorForm, FieldError
from ptdesk.ui.widgets.table import Column, RowTableModel, table_view

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class PatientHitModel(RowTableModel[PatientHit]):
    columns = (
        Column("Patient", lambda p: p.sort_name),
        Column("Chart", lambda p: p.chart_number),
        Column("Phone", lambda p: p.phone),
        Column(
            "Born",
            lambda p: p.date_of_birth.isoformat() if p.date_of_birth else "",
            sort=lambda p: p.date_of_birth or date.min,
        ),
        Column("Precautions", lambda p: "⚠ " + "; ".join(p.precautions) if p.precautions else ""),
    )


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class BookingDialog(QDialog):
    """Book a new appointment (optionally repeating weekly) or edit an existing one."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        start: datetime | None = None,
        staff_id: int | None = None,
        room_id: int | None = None,
        existing: AppointmentInfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.existing = existing
        self.result_appointments: list[AppointmentInfo] = []
        self.patient: PatientHit | None = None
        self._duration_touched = False
        self.setObjectName("bookingDialog")
        self.setWindowTitle("Edit appointment" if existing else "Book appointment")
        self.setMinimumWidth(660)
        self.staff, self.rooms, self.profile = query(
            ctx, lambda s: (sched.bookable_staff(s), sched.rooms(s), sched.get_profile(s))
        )

        layout = QVBoxLayout(self)
        form_layout = QFormLayout()
        self.form = ErrorForm(form_layout)

        # Patient: search as you type.
        patient_box = QWidget()
        pv = QVBoxLayout(patient_box)
        pv.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("patientSearch")
        self.search.setPlaceholderText("Type a name, chart number or phone")
        self.search.setAccessibleName("Find patient")
        self.hits = PatientHitModel(self)
        self.hit_table = table_view(
            "patientHits",
            self.hits,
            fit=QHeaderView.ResizeMode.ResizeToContents,
            stripes=False,
            wrap=True,
        )
        self.hit_table.setFixedHeight(120)
        self.hit_table.selectionModel().currentRowChanged.connect(self._hit_chosen)
        self.chosen = QLabel("No patient chosen")
        self.chosen.setObjectName("chosenPatient")
        self.chosen.setWordWrap(True)
        pv.addWidget(self.search)
        pv.addWidget(self.hit_table)
        pv.addWidget(self.chosen)
        self.form.add_row("patient", "&Patient:", patient_box)
        self.search.setObjectName("patientSearch")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.search_now)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._take_first_hit)

        self.precautions = QLabel()
        self.precautions.setObjectName("precautionsLabel")
        self.precautions.setWordWrap(True)
        self.authorization = QLabel()
        self.authorization.setObjectName("authorizationLabel")
        self.authorization.setWordWrap(True)
        form_layout.addRow("Precautions:", self.precautions)
        form_layout.addRow("Authorization:", self.authorization)

        self.staff_box = QComboBox()
        for st in self.staff:
            self.staff_box.addItem(st.name, st.id)
        self.form.add_row("staff", "&With:", self.staff_box)
        self.room_box = QComboBox()
        self.room_box.addItem("No room", None)
        for r in self.rooms:
            self.room_box.addItem(r.name, r.id)
        self.form.add_row("room", "&Room:", self.room_box)

        when = QWidget()
        wh = QHBoxLayout(when)
        wh.setContentsMargins(0, 0, 0, 0)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd yyyy-MM-dd")
        self.date_edit.setAccessibleName("Date")
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setAccessibleName("Start time")
        self.free_button = QPushButton("Find next &free slot")
        self.free_button.setObjectName("findFreeSlot")
        self.free_button.clicked.connect(self.find_free_slot)
        wh.addWidget(self.date_edit)
        wh.addWidget(self.time_edit)
        wh.addWidget(self.free_button)
        wh.addStretch(1)
        self.form.add_row("start", "&Start:", when)

        self.kind_box = QComboBox()
        for k in AppointmentKind:
            self.kind_box.addItem(k.label, k.value)
        self.kind_box.setCurrentIndex(self.kind_box.findData(AppointmentKind.TREATMENT.value))
        self.form.add_row("kind", "&Kind:", self.kind_box)
        self.duration = QSpinBox()
        self.duration.setRange(5, 480)
        self.duration.setSingleStep(5)
        self.duration.setSuffix(" min")
        self.duration.setValue(sched.DEFAULT_MINUTES[AppointmentKind.TREATMENT.value])
        self.form.add_row("duration", "&Duration:", self.duration)
        self.duration.valueChanged.connect(self._duration_edited)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(50)
        self.form.add_row("notes", "&Notes:", self.notes)
        layout.addLayout(form_layout)

        # Repeating visits (new bookings only).
        self.repeat = QGroupBox("Repeat &weekly")
        self.repeat.setObjectName("repeatGroup")
        self.repeat.setCheckable(True)
        self.repeat.setChecked(False)
        rv = QVBoxLayout(self.repeat)
        days = QHBoxLayout()
        self.weekday_boxes: list[QCheckBox] = []
        for i, name in enumerate(WEEKDAYS):
            box = QCheckBox(name)
            box.setObjectName(f"weekday{i + 1}")
            self.weekday_boxes.append(box)
            days.addWidget(box)
        days.addStretch(1)
        rv.addLayout(days)
        self.end_mode = QButtonGroup(self)
        row1 = QHBoxLayout()
        self.until_radio = QRadioButton("Until")
        self.until_date = QDateEdit()
        self.until_date.setCalendarPopup(True)
        self.until_date.setDisplayFormat("yyyy-MM-dd")
        row1.addWidget(self.until_radio)
        row1.addWidget(self.until_date)
        self.count_radio = QRadioButton("For")
        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, 200)
        self.count_spin.setValue(12)
        self.count_spin.setSuffix(" visits")
        row1.addWidget(self.count_radio)
        row1.addWidget(self.count_spin)
        row1.addStretch(1)
        rv.addLayout(row1)
        row2 = QHBoxLayout()
        self.plan_radio = QRadioButton("Plan of care:")
        self.per_week = QSpinBox()
        self.per_week.setRange(1, 7)
        self.per_week.setValue(2)
        self.per_week.setSuffix("× a week")
        self.weeks = QSpinBox()
        self.weeks.setRange(1, 52)
        self.weeks.setValue(6)
        self.weeks.setPrefix("for ")
        self.weeks.setSuffix(" weeks")
        row2.addWidget(self.plan_radio)
        row2.addWidget(self.per_week)
        row2.addWidget(self.weeks)
        row2.addStretch(1)
        rv.addLayout(row2)
        plan_note = QLabel(
            "A plan of care books that many visits each week (Monday to Sunday) on the first "
            "ticked days. If the first week has fewer ticked days left, the visits it misses "
            "are added in one more week at the end."
        )
        plan_note.setObjectName("planNote")
        plan_note.setWordWrap(True)
        rv.addWidget(plan_note)
        for b in (self.until_radio, self.count_radio, self.plan_radio):
            self.end_mode.addButton(b)
        self.count_radio.setChecked(True)
        self.repeat_error = FieldError("weekdays")
        rv.addWidget(self.repeat_error)
        layout.addWidget(self.repeat)

        # Editing a visit of a series: which visits change.
        self.scope_box = QGroupBox("Change")
        self.scope_box.setObjectName("scopeGroup")
        sv = QHBoxLayout(self.scope_box)
        self.scope_this = QRadioButton("This &visit only")
        self.scope_following = QRadioButton("This and &following")
        self.scope_all = QRadioButton("The whole &series")
        self.scope_this.setChecked(True)
        for b in (self.scope_this, self.scope_following, self.scope_all):
            sv.addWidget(b)
        layout.addWidget(self.scope_box)

        # Conflicts: shown after a try, with a reason to book anyway.
        self.conflict_label = QLabel()
        self.conflict_label.setObjectName("conflictLabel")
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setStyleSheet(
            "background: #fff3c4; border: 1px solid #c9a400; padding: 4px;"
        )
        self.override = QLineEdit()
        self.override.setObjectName("overrideReason")
        self.override.setPlaceholderText("Why book anyway (recorded)")
        self.override.setAccessibleName("Reason to book anyway")
        layout.addWidget(self.conflict_label)
        layout.addWidget(self.override)
        self.conflict_label.hide()
        self.override.hide()
        self.general_error = FieldError("general")
        layout.addWidget(self.general_error)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save changes" if existing else "&Book")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        start = start or datetime.combine(clock.today(), self.profile.opens_at)
        if existing is not None:
            self._fill_existing(existing)
        else:
            self._set_start(start)
            if staff_id is not None:
                self.staff_box.setCurrentIndex(max(0, self.staff_box.findData(staff_id)))
            if room_id is not None:
                self.room_box.setCurrentIndex(max(0, self.room_box.findData(room_id)))
            self.weekday_boxes[start.isoweekday() - 1].setChecked(True)
            self.until_date.setDate(_qdate(start.date() + timedelta(weeks=6)))
            self.scope_box.hide()
        for signal in (
            self.staff_box.currentIndexChanged,
            self.room_box.currentIndexChanged,
            self.date_edit.dateChanged,
            self.time_edit.timeChanged,
            self.duration.valueChanged,
            self.repeat.toggled,
        ):
            signal.connect(self._inputs_changed)
        self.search.setFocus()

    def _inputs_changed(self, *_args) -> None:
        """Another time, person or room: earlier warnings no longer apply; recheck on save."""
        if not self.override.isHidden():
            self.conflict_label.hide()
            self.override.hide()
            self.override.clear()
            self.ok_button.setText("Save changes" if self.existing else "&Book")
        if self.patient is not None and self.sender() is self.date_edit:
            self._show_patient()

    # -- filling -----------------------------------------------------------------------
    def _set_start(self, start: datetime) -> None:
        self.date_edit.setDate(_qdate(start.date()))
        self.time_edit.setTime(QTime(start.hour, start.minute))

    def _fill_existing(self, a: AppointmentInfo) -> None:
        self.search.setText(a.patient_name)
        self.search.setEnabled(False)
        self.hit_table.hide()
        found = query(self.ctx, lambda s: sched.search_patients(s, a.chart_number))
        hits = [h for h in found if h.id == a.patient_id]
        self.patient = hits[0] if hits else None
        self._show_patient()
        self.staff_box.setCurrentIndex(max(0, self.staff_box.findData(a.staff_id)))
        self.room_box.setCurrentIndex(max(0, self.room_box.findData(a.room_id)))
        self._set_start(a.start)
        self.kind_box.setCurrentIndex(self.kind_box.findData(a.kind))
        self.duration.setValue(a.duration_min)
        self._duration_touched = True
        self.notes.setPlainText(a.notes)
        self.repeat.hide()
        if a.series_id is None:
            self.scope_box.hide()

    def search_now(self) -> None:
        text = self.search.text().strip()
        if not text:
            self.hits.set_rows([])
            return
        self.hits.set_rows(query(self.ctx, lambda s: sched.search_patients(s, text)))

    def _take_first_hit(self) -> None:
        self.search_now()
        if self.hits.rowCount():
            self.hit_table.setCurrentIndex(self.hits.index(0, 0))
            self.staff_box.setFocus()

    def _hit_chosen(self, current, _previous=None) -> None:
        if not current.isValid():
            return
        self.patient = self.hits.row_at(current.row())
        self._show_patient()

    def choose_patient(self, patient_id: int) -> None:
        for i, hit in enumerate(self.hits.rows()):
            if hit.id == patient_id:
                self.hit_table.setCurrentIndex(self.hits.index(i, 0))
                return

    def _show_patient(self) -> None:
        p = self.patient
        if p is None:
            self.chosen.setText("No patient chosen")
            self.precautions.clear()
            self.authorization.clear()
            return
        self.chosen.setText(f"✔ {p.label}")
        self.precautions.setText("⚠ " + "; ".join(p.precautions) if p.precautions else "None")
        self.precautions.setStyleSheet(
            "color: #b00020; font-weight: bold;" if p.precautions else ""
        )
        start = self.start()
        status, warnings = query(
            self.ctx,
            lambda s: (
                authorizations.current_status(s, p.id),
                authorizations.booking_warnings(s, p.id, start),
            ),
        )
        text = "No authorization on file" if status is None else f"{status.payer}: {status.text}"
        if warnings:
            text += "\n⚠ " + " ".join(warnings)
        self.authorization.setText(text)

    def _kind_changed(self) -> None:
        if not self._duration_touched:
            self.duration.blockSignals(True)
            self.duration.setValue(sched.DEFAULT_MINUTES[self.kind_box.currentData()])
            self.duration.blockSignals(False)

    def _duration_edited(self) -> None:
        self._duration_touched = True

    def start(self) -> datetime:
        t = self.time_edit.time()
        return datetime.combine(_pydate(self.date_edit.date()), time(t.hour(), t.minute()))

    def find_free_slot(self) -> None:
        staff_id = self.staff_box.currentData()
        if staff_id is None:
            self.form.show_error("staff", "Choose who will see the patient.")
            return
        start, minutes, room_id = self.start(), self.duration.value(), self.room_box.currentData()
        found = query(
            self.ctx,
            lambda s: sched.find_next_free_slot(s, staff_id, start, minutes, room_id=room_id),
        )
        if found is None:
            self.form.show_error("start", "No free time in the next 60 days for this person.")
            return
        self.form.clear()
        self._set_start(found)

    def recurrence(self) -> Recurrence | None:
        if self.existing is not None or not self.repeat.isChecked():
            return None
        days = [i + 1 for i, b in enumerate(self.weekday_boxes) if b.isChecked()]
        if self.until_radio.isChecked():
            return Recurrence(days, until=_pydate(self.until_date.date()))
        if self.plan_radio.isChecked():
            return Recurrence(days, per_week=self.per_week.value(), weeks=self.weeks.value())
        return Recurrence(days, count=self.count_spin.value())

    def scope(self) -> str:
        if self.scope_following.isChecked():
            return "following"
        if self.scope_all.isChecked():
            return "all"
        return "this"

    # -- saving ------------------------------------------------------------------------
    def _write(self, s: Session, reason: str) -> list[AppointmentInfo]:
        """Book (one visit or a series) or change the appointment, from the form."""
        if self.existing is not None:
            return sched.update_appointment(
                s,
                self.ctx.actor,
                self.existing.id,
                AppointmentChanges(
                    start=self.start(),
                    duration_min=self.duration.value(),
                    staff_id=self.staff_box.currentData(),
                    room_id=self.room_box.currentData(),
                    clear_room=self.room_box.currentData() is None,
                    kind=self.kind_box.currentData(),
                    notes=self.notes.toPlainText(),
                ),
                scope=self.scope(),
                override_reason=reason,
            )
        if self.patient is None:
            raise ValidationError("patient", "Choose the patient for this appointment.")
        request = BookingRequest(
            patient_id=self.patient.id,
            staff_id=self.staff_box.currentData(),
            start=self.start(),
            duration_min=self.duration.value(),
            kind=self.kind_box.currentData(),
            room_id=self.room_box.currentData(),
            notes=self.notes.toPlainText(),
        )
        rule = self.recurrence()
        if rule is None:
            return [sched.book(s, self.ctx.actor, request, override_reason=reason)]
        return sched.book_series(s, self.ctx.actor, request, rule, override_reason=reason)

    def _show_error(self, field: str, message: str) -> bool:
        """Every field error is shown in the dialog: beside its field, under the repeat
        choices, or above the buttons."""
        if field in ("weekdays", "until", "count", "plan"):
            self.repeat_error.show_message(message)
        elif field == "override_reason" or not self.form.show_error(field, message):
            self.general_error.show_message(message)
        return True

    def save(self) -> None:
        self.form.clear()
        self.repeat_error.clear_message()
        self.general_error.clear_message()
        reason = "" if self.override.isHidden() else self.override.text().strip()

        outcome = (
            Op(self.ctx, self, lambda s: self._write(s, reason))
            .form(self._show_error)
            .expect(ConflictWarning, lambda warning: self.show_conflicts(warning.conflicts))
            .expect(PtdeskError, lambda exc: self.general_error.show_message(exc.message))
            .run()
        )
        if outcome is None:
            return
        self.result_appointments = outcome
        self.accept()

    def show_conflicts(self, conflicts: list[sched.Conflict]) -> None:
        shown = conflicts[:8]
        more = len(conflicts) - len(shown)
        text = "⚠ Please check before booking:\n" + "\n".join(f"• {c.message}" for c in shown)
        if more:
            text += f"\n… and {more} more."
        text += "\nGive a reason below and press the button again to book anyway."
        self.conflict_label.setText(text)
        self.conflict_label.show()
        self.override.show()
        self.override.setFocus()
        self.ok_button.setText("Book &anyway" if self.existing is None else "Save &anyway")


class CancelDialog(QDialog):
    """Confirm a cancellation: the reason, and for a series which visits."""

    REASONS = [
        "Patient ill",
        "Transportation problem",
        "Work conflict",
        "Family emergency",
        "Weather",
        "Scheduling conflict",
        "Clinic cancelled",
    ]

    def __init__(self, appointment: AppointmentInfo, late_hours: int, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelDialog")
        self.setWindowTitle("Cancel appointment")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        a = appointment
        intro = QLabel(
            f"Cancel {a.patient_name}'s {a.kind_label.lower()} with {a.staff_name} on "
            f"{a.start:%A %Y-%m-%d} at {a.start:%H:%M}?\n"
            f"Cancelling less than {late_hours} hours before the start counts as a late cancellation."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form_layout = QFormLayout()
        self.form = ErrorForm(form_layout)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(self.REASONS)
        self.reason.setCurrentIndex(-1)
        self.reason.setCurrentText("")
        self.form.add_row("reason", "&Reason:", self.reason)
        layout.addLayout(form_layout)
        self.scope_this = QRadioButton("This visit only")
        self.scope_following = QRadioButton("This and the following visits of the series")
        self.scope_this.setChecked(True)
        if a.series_id is not None:
            layout.addWidget(self.scope_this)
            layout.addWidget(self.scope_following)
        buttons = QDialogButtonBox()
        self.confirm = buttons.addButton(
            "Cancel &appointment", QDialogButtonBox.ButtonRole.AcceptRole
        )
        keep = buttons.addButton("&Keep it", QDialogButtonBox.ButtonRole.RejectRole)
        keep.setDefault(True)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if not self.reason.currentText().strip():
            self.form.show_error("reason", "Say why the appointment is cancelled.")
            return
        self.accept()

    def values(self) -> tuple[str, str]:
        scope = "following" if self.scope_following.isChecked() else "this"
        return self.reason.currentText().strip(), scope


class CorrectStatusDialog(QDialog):
    """Put a wrongly recorded status right, with a reason that is kept."""

    def __init__(self, appointment: AppointmentInfo, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("correctStatusDialog")
        self.setWindowTitle("Correct status")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"{appointment.patient_name}, {appointment.start:%Y-%m-%d %H:%M}: "
                f"now {appointment.status_label.lower()}."
            )
        )
        form_layout = QFormLayout()
        self.form = ErrorForm(form_layout)
        self.status = QComboBox()
        for st in AppointmentStatus:
            if st.value not in (appointment.status, AppointmentStatus.CANCELLED.value):
                self.status.addItem(f"{sched.STATUS_MARKS[st.value]} {st.label}", st.value)
        self.form.add_row("status", "&New status:", self.status)
        self.note = QLineEdit()
        self.form.add_row("note", "&Why:", self.note)
        layout.addLayout(form_layout)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Correct")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if not self.note.text().strip():
            self.form.show_error("note", "Say why the status is corrected.")
            return
        self.accept()

    def values(self) -> tuple[str, str]:
        return self.status.currentData(), self.note.text().strip()


def ask_override(parent: QWidget, conflicts: list[sched.Conflict]) -> str | None:
    """Ask for a reason to go ahead despite warnings; None when the user backs out."""
    text = "\n".join(f"• {c.message}" for c in conflicts[:8])
    reason, ok = QInputDialog.getText(
        parent,
        "Check before moving",
        f"{text}\n\nGive a reason to go ahead (it is recorded):",
    )
    if not ok or not reason.strip():
        return None
    return reason.strip()
