"""The record dialog (exercises, pain, vitals, interventions with live units, notes, signing)
and the addendum dialog."""

from __future__ import annotations

import logging

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.errors import PtdeskError
from ptdesk.models import RecordStatus
from ptdesk.services import billing, changes, clock, documents, sessions
from ptdesk.services.permissions import allowed
from ptdesk.services.sessions import (
    ExerciseEntry,
    InterventionEntry,
    RecordDetail,
    SessionInput,
)
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, announce, query
from ptdesk.ui.sessions.models import ExercisesModel, InterventionsModel
from ptdesk.ui.widgets.forms import ErrorForm
from ptdesk.ui.widgets.pdf_preview import PdfPreviewDialog
from ptdesk.ui.widgets.table import table_view


def optional_spin(lo: int, hi: int, suffix: str = "", empty: str = "Not taken") -> QSpinBox:
    """A number box whose lowest value means "not entered"."""
    spin = QSpinBox()
    spin.setRange(lo - 1, hi)
    spin.setSpecialValueText(empty)
    spin.setSuffix(suffix)
    spin.setValue(lo - 1)
    return spin


def spin_value(spin: QSpinBox) -> int | None:
    return None if spin.value() == spin.minimum() else spin.value()


def set_spin(spin: QSpinBox, value: int | None) -> None:
    spin.setValue(spin.minimum() if value is None else value)


def _table(model: QAbstractItemModel, name: str, accessible: str) -> QTableView:
    """An editable table of the record's lines: typing in a cell changes it."""
    view = table_view(name, model, accessible=accessible, stripes=False, wrap=True)
    view.horizontalHeader().setStretchLastSection(False)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    view.setTabKeyNavigation(False)
    view.setMinimumHeight(150)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return view


def preview_summary(ctx: AppContext, parent: QWidget, appointment_id: int, patient: bool) -> None:
    """Open the session summary (or the patient's copy) in the preview to print or save."""
    make = documents.patient_copy if patient else documents.session_summary

    def work(s: Session) -> tuple[bytes, sessions.RecordDetail]:
        data = make(s, ctx.actor, appointment_id)
        return data, sessions.record_for_appointment(s, appointment_id)

    made = Op(ctx, parent, work, title="No summary").run()
    if made is None:
        return
    data, detail = made
    kind = "patient copy" if patient else "session summary"
    name = f"{kind.replace(' ', '-')}-{detail.chart_number}-{detail.start:%Y-%m-%d}.pdf"
    title = f"{kind.capitalize()}: {detail.patient_name}, {detail.start:%Y-%m-%d %H:%M}"
    dialog = PdfPreviewDialog(data, title, name, parent)
    dialog.setObjectName("summaryPreview")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.exec()


log = logging.getLogger(__name__)


class AddendumDialog(QDialog):
    """Add a dated, signed note to a signed record."""

    def __init__(self, ctx: AppContext, record_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addendumDialog")
        self.setWindowTitle("Add an addendum")
        self.ctx = ctx
        self.record_id = record_id
        layout = QVBoxLayout(self)
        note = QLabel(
            "A signed record is not changed. Your addendum is added below it with your name "
            "and the time."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        form_layout = QFormLayout()
        self.form = ErrorForm(form_layout)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.form.add_row("addendum", "&Addendum:", self.text)
        layout.addLayout(form_layout)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add addendum")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 300)

    def submit(self) -> None:
        text = self.text.toPlainText()
        Op(
            self.ctx,
            self,
            lambda s: sessions.add_addendum(s, self.ctx.actor, self.record_id, text),
            title="Could not add the addendum",
        ).form(self.form).success(lambda _detail: self.accept()).run()


class RecordDialog(QDialog):
    """Record a visit, or read a recorded one; sign, co-sign or add an addendum."""

    def __init__(self, ctx: AppContext, appointment_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordDialog")
        self.ctx = ctx
        self.appointment_id = appointment_id
        self.detail: RecordDetail | None = None
        self.codes, self.signers, self.licensed = query(
            ctx,
            lambda s: (
                billing.list_codes(s, include_inactive=False),
                sessions.signers(s),
                sessions.can_sign(s, ctx.actor),
            ),
        )
        self._timed = {c.code for c in self.codes if c.timed}
        self._build()
        self.load()

    # -- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.header = QLabel()
        self.header.setObjectName("recordHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.precautions = QLabel()
        self.precautions.setObjectName("recordPrecautions")
        self.precautions.setWordWrap(True)
        self.precautions.setTextFormat(Qt.TextFormat.PlainText)
        self.precautions.setStyleSheet("font-weight: bold; border: 2px solid black; padding: 4px;")
        self.state = QLabel()
        self.state.setObjectName("recordState")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)

        body = QWidget()
        form_layout = QFormLayout(body)
        form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form = ErrorForm(form_layout)

        # Exercises
        self.exercises = ExercisesModel(self)
        self.exercise_table = _table(self.exercises, "exerciseTable", "Exercises done")
        self.exercise_table.setMinimumHeight(250)
        header = self.exercise_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((160, 170, 45, 45, 70, 62)):
            self.exercise_table.setColumnWidth(column, width)
        self.add_exercise_button = QPushButton("Add e&xercise")
        self.add_exercise_button.clicked.connect(self.add_exercise)
        self.remove_exercise_button = QPushButton("Remove exercise")
        self.remove_exercise_button.clicked.connect(
            lambda: self.exercises.remove(self.exercise_table.currentIndex().row())
        )
        ex_box = QWidget()
        ex_layout = QVBoxLayout(ex_box)
        ex_layout.setContentsMargins(0, 0, 0, 0)
        ex_layout.addWidget(self.exercise_table)
        row = QHBoxLayout()
        row.addWidget(self.add_exercise_button)
        row.addWidget(self.remove_exercise_button)
        hint = QLabel("Double-click or press F2 on a cell to change what was done.")
        hint.setStyleSheet("color: #555;")
        row.addWidget(hint, 1)
        ex_layout.addLayout(row)
        self.form.add_row("exercises", "E&xercises:", ex_box)
        self.exercise_table.setObjectName("exerciseTable")

        # Pain and vitals
        self.pain_before = optional_spin(0, 10, empty="—")
        self.pain_after = optional_spin(0, 10, empty="—")
        self.form.add_row("pain_before", "Pain &before (0–10):", self.pain_before)
        self.form.add_row("pain_after", "Pain &after (0–10):", self.pain_after)
        self.bp_systolic = optional_spin(1, 400, " mmHg")
        self.bp_diastolic = optional_spin(1, 400, " mmHg")
        self.heart_rate = optional_spin(1, 400, " bpm")
        self.spo2 = optional_spin(1, 100, " %")
        self.form.add_row("bp_systolic", "Blood pressure, top (s&ystolic):", self.bp_systolic)
        self.form.add_row("bp_diastolic", "Blood pressure, bottom (&diastolic):", self.bp_diastolic)
        self.form.add_row("heart_rate", "&Heart rate:", self.heart_rate)
        self.form.add_row("spo2", "Sp&O2:", self.spo2)

        # Interventions
        self.interventions = InterventionsModel(lambda: self._timed, self)
        self.intervention_table = _table(self.interventions, "", "Interventions given")
        self.intervention_table.setMinimumHeight(120)
        ih = self.intervention_table.horizontalHeader()
        ih.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.code_choice = QComboBox()
        self.code_choice.setObjectName("codeChoice")
        self.code_choice.setAccessibleName("Intervention code")
        self.code_choice.setMinimumContentsLength(24)
        self.code_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        for c in self.codes:
            self.code_choice.addItem(
                f"{c.code}  {c.description}" + ("" if c.timed else " (untimed)"), c.code
            )
        self.code_minutes = QSpinBox()
        self.code_minutes.setObjectName("codeMinutes")
        self.code_minutes.setAccessibleName("Minutes for the intervention")
        self.code_minutes.setRange(0, 240)
        self.code_minutes.setSuffix(" min")
        self.add_code_button = QPushButton("Add &intervention")
        self.add_code_button.clicked.connect(self.add_intervention)
        self.remove_code_button = QPushButton("Remove intervention")
        self.remove_code_button.clicked.connect(
            lambda: self.interventions.remove(self.intervention_table.currentIndex().row())
        )
        self.units_label = QLabel()
        self.units_label.setObjectName("unitsLabel")
        self.interventions.edited.connect(self._show_units)
        self.interventions.dataChanged.connect(lambda *_: self._show_units())
        iv_box = QWidget()
        iv_layout = QVBoxLayout(iv_box)
        iv_layout.setContentsMargins(0, 0, 0, 0)
        pick = QHBoxLayout()
        pick.addWidget(self.code_choice, 1)
        pick.addWidget(self.code_minutes)
        pick.addWidget(self.add_code_button)
        pick.addWidget(self.remove_code_button)
        iv_layout.addLayout(pick)
        iv_layout.addWidget(self.intervention_table)
        iv_layout.addWidget(self.units_label)
        self.form.add_row("interventions", "I&nterventions:", iv_box)
        self.intervention_table.setObjectName("interventionTable")

        # Notes
        self.subjective = self._text_box()
        self.treatment = self._text_box()
        self.assessment = self._text_box()
        self.plan = self._text_box()
        self.form.add_row("subjective", "Patient &reported:", self.subjective)
        self.form.add_row("treatment", "&What was done:", self.treatment)
        self.form.add_row("assessment", "Assess&ment:", self.assessment)
        self.form.add_row("plan", "P&lan:", self.plan)
        self.supervisor = QComboBox()
        for s in self.signers:
            self.supervisor.addItem(s.label, s.id)
        self.form.add_row("supervisor_id", "&Co-signing therapist:", self.supervisor)

        self.scroll = scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.save_button = QPushButton("&Save draft")
        self.save_button.setObjectName("saveDraftButton")
        self.save_button.clicked.connect(lambda: self.submit(sign=False))
        self.sign_button = QPushButton()
        self.sign_button.setObjectName("signButton")
        self.sign_button.clicked.connect(lambda: self.submit(sign=True))
        self.addendum_button = QPushButton("Add adden&dum…")
        self.addendum_button.setObjectName("addendumButton")
        self.addendum_button.clicked.connect(self.add_addendum)
        self.summary_button = QPushButton("Summar&y PDF…")
        self.summary_button.clicked.connect(lambda: self._preview(False))
        self.patient_button = QPushButton("Patien&t copy…")
        self.patient_button.clicked.connect(lambda: self._preview(True))
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.sign_button, self.addendum_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.summary_button, self.patient_button, close):
            buttons.addWidget(b)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, lambda: self._shortcut_save())

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.precautions)
        layout.addWidget(self.state)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        screen = self.screen().availableGeometry() if self.screen() else None
        self.resize(960, min(860, screen.height() - 60) if screen else 860)

    def _text_box(self) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setTabChangesFocus(True)
        box.setMinimumHeight(60)
        box.setMaximumHeight(90)
        return box

    # -- filling -------------------------------------------------------------------------
    def load(self) -> None:
        actor = self.ctx.actor

        def read(s: Session) -> tuple[RecordDetail, bool]:
            detail = sessions.record_for_appointment(s, self.appointment_id)
            technician_record = sessions.needs_cosign(
                s,
                detail.provider_id if detail.id else actor.id,
                detail.provider_role if detail.id else actor.role,
            )
            return detail, technician_record

        detail, technician_record = query(self.ctx, read)
        self.detail = detail
        status = detail.status
        own = detail.id is None or detail.provider_id == actor.id
        may_record = allowed(actor, "record_session")
        if status == RecordStatus.SIGNED.value:
            self.editable = False
        elif status == RecordStatus.AWAITING_COSIGN.value:
            self.editable = self.licensed
        else:
            self.editable = may_record and (own or self.licensed)
        self.cosigning = status == RecordStatus.AWAITING_COSIGN.value and self.licensed
        self.setWindowTitle(f"Session record: {detail.patient_name}, {detail.start:%Y-%m-%d %H:%M}")
        lines = [
            f"{detail.patient_name} (chart #{detail.chart_number}) · "
            f"{detail.start:%A %Y-%m-%d %H:%M}–{detail.end:%H:%M} · booked with "
            f"{detail.booked_with}" + (f" · {detail.room_name}" if detail.room_name else "")
        ]
        self.header.setText("\n".join(lines))
        self.precautions.setText("⚠ PRECAUTIONS: " + "; ".join(detail.precautions))
        self.precautions.setVisible(bool(detail.precautions))
        self.state.setText(self._state_text(detail))

        d = detail.data
        self.exercises.set_rows(d.exercises)
        self.interventions.set_rows(d.interventions)
        for spin, value in (
            (self.pain_before, d.pain_before),
            (self.pain_after, d.pain_after),
            (self.bp_systolic, d.bp_systolic),
            (self.bp_diastolic, d.bp_diastolic),
            (self.heart_rate, d.heart_rate),
            (self.spo2, d.spo2),
        ):
            set_spin(spin, value)
        for box, text in (
            (self.subjective, d.subjective),
            (self.treatment, d.treatment),
            (self.assessment, d.assessment),
            (self.plan, d.plan),
        ):
            box.setPlainText(text)
        index = self.supervisor.findData(d.supervisor_id)
        if index >= 0:
            self.supervisor.setCurrentIndex(index)

        editable = self.editable and not self.cosigning
        self.exercises.read_only = not editable
        self.interventions.read_only = not editable
        for w in (
            self.pain_before, self.pain_after, self.bp_systolic, self.bp_diastolic,
            self.heart_rate, self.spo2, self.subjective, self.treatment, self.code_choice,
            self.code_minutes, self.add_code_button, self.remove_code_button,
            self.add_exercise_button, self.remove_exercise_button,
        ):  # fmt: skip
            w.setEnabled(editable)
        for box in (self.subjective, self.treatment):
            box.setReadOnly(not editable)
        # Technicians record what was done: the assessment and plan are the therapist's.
        clinical_visible = self.licensed or bool(d.assessment or d.plan)
        for field in ("assessment", "plan"):
            self._set_row_visible(field, clinical_visible)
        for box in (self.assessment, self.plan):
            box.setReadOnly(not (self.editable and self.licensed))
        self._set_row_visible("supervisor_id", technician_record)
        self.supervisor.setEnabled(editable and technician_record)

        self.save_button.setVisible(self.editable and not self.cosigning)
        self.sign_button.setVisible(self.editable)
        if self.cosigning:
            self.sign_button.setText("Co-&sign")
        elif technician_record and not self.licensed:
            self.sign_button.setText("Sign and send for co-&sign")
        else:
            self.sign_button.setText("Si&gn and lock")
        signed = status == RecordStatus.SIGNED.value
        self.addendum_button.setVisible(signed and allowed(actor, "amend_session"))
        self.summary_button.setEnabled(detail.id is not None)
        self.patient_button.setEnabled(detail.id is not None)
        self._show_units()
        if self.cosigning:  # the co-signer's part is the assessment: bring it into view
            self.assessment.setFocus()
            self.scroll.ensureWidgetVisible(self.assessment)
        self.loaded_values = self.values()  # what "nothing typed yet" looks like

    def keep_on_lock(self) -> str | None:
        """The screen is locking and this dialog will close: keep what was typed as a draft.

        Returns a sentence for the person when they sign in again, or None if nothing was
        typed (or the record cannot be saved as a draft, as when co-signing)."""
        if not self.save_button.isVisible() or self.detail is None:
            return None
        data = self.values()
        if data == self.loaded_values:
            return None
        name = self.detail.patient_name

        def keep(s: Session) -> frozenset[str]:
            sessions.save_record(s, self.ctx.actor, self.appointment_id, data, sign=False)
            return changes.marked(s)

        # Not an Op: the screen is locking, so a failure goes into the sentence returned, not
        # into a message box.
        try:
            marked = query(self.ctx, keep)
        except PtdeskError as exc:
            log.warning("a session record could not be kept when the screen locked: %s", exc)
            return (
                f"The session record for {name} could not be kept as a draft when the screen "
                f"locked: {exc.message}"
            )
        announce(self.ctx, marked)
        return (
            f"The session record for {name} was saved as a draft when the screen locked; "
            "open it again to finish it."
        )

    def _set_row_visible(self, field: str, visible: bool) -> None:
        widget = self.form.widgets[field]
        self.form.layout.setRowVisible(widget.parentWidget(), visible)

    def _state_text(self, detail: RecordDetail) -> str:
        if detail.id is None:
            source = (
                "pre-filled from the home program" if detail.data.exercises else "no home program"
            )
            return f"Not recorded yet ({source})."
        text = f"Status: {detail.status_label}. Recorded by {detail.provider_name}."
        if detail.signed_at:
            text += f" Signed {clock.exact_local(detail.signed_at):%Y-%m-%d %H:%M}."
        if detail.cosigned_at:
            text += (
                f" Co-signed by {detail.cosigned_by_name} "
                f"{clock.exact_local(detail.cosigned_at):%Y-%m-%d %H:%M}."
            )
        elif detail.status == RecordStatus.AWAITING_COSIGN.value:
            text += f" Waiting for {detail.supervisor_name or 'a therapist'} to co-sign."
        if detail.status == RecordStatus.SIGNED.value:
            text += " The record is locked; add an addendum to correct or add to it."
        for a in detail.addenda:
            at = clock.exact_local(a.at)
            text += f"\nAddendum {at:%Y-%m-%d %H:%M} by {a.author_name}: {a.text}"
        return text

    def _show_units(self) -> None:
        model = self.interventions
        if not model.rowCount():
            self.units_label.setText("No interventions yet: units 0.")
            return
        parts = ", ".join(f"{r.code} × {r.units}" for r in model.rows())
        self.units_label.setText(
            f"Total timed minutes: {model.timed_minutes} · Units: {parts} · "
            f"Total units: {model.total_units}"
        )

    # -- editing -------------------------------------------------------------------------
    def add_exercise(self) -> None:
        self.exercises.append(ExerciseEntry(name="New exercise", sets=1, reps=10))
        index = self.exercises.index(self.exercises.rowCount() - 1, 0)
        self.exercise_table.setCurrentIndex(index)
        self.exercise_table.edit(index)

    def add_intervention(self) -> None:
        code = self.code_choice.currentData()
        if code is None:
            return
        existing = [r for r in self.interventions.rows() if r.code == code]
        minutes = self.code_minutes.value()
        if existing:
            row = self.interventions.rows().index(existing[0])
            existing[0].minutes = (existing[0].minutes or 0) + minutes
            self.interventions.changed_row(row)
            self.interventions.edited.emit()
            return
        info = next(c for c in self.codes if c.code == code)
        self.interventions.append(InterventionEntry(code, minutes, info.description, info.timed))
        self.code_minutes.setValue(0)

    def values(self) -> SessionInput:
        return SessionInput(
            pain_before=spin_value(self.pain_before),
            pain_after=spin_value(self.pain_after),
            bp_systolic=spin_value(self.bp_systolic),
            bp_diastolic=spin_value(self.bp_diastolic),
            heart_rate=spin_value(self.heart_rate),
            spo2=spin_value(self.spo2),
            subjective=self.subjective.toPlainText(),
            treatment=self.treatment.toPlainText(),
            assessment=self.assessment.toPlainText() if self.licensed else "",
            plan=self.plan.toPlainText() if self.licensed else "",
            supervisor_id=self.supervisor.currentData(),
            exercises=self.exercises.rows(),
            interventions=self.interventions.rows(),
        )

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _shortcut_save(self) -> None:
        if self.save_button.isVisible():
            self.submit(sign=False)

    def submit(self, *, sign: bool) -> bool:
        """Save (and sign); closes the dialog on success."""
        assert self.detail is not None
        self.form.clear()
        if sign:
            if self.cosigning:
                question = "Co-sign this record? It is then locked; later changes are addenda."
            elif self.licensed:
                question = "Sign this record? It is then locked; later changes are addenda."
            else:
                question = (
                    "Sign this record and send it for co-sign? You cannot change it afterwards."
                )
            if not self.confirm("Sign the record", question):
                return False
        data = self.values()
        record_id = self.detail.id if self.cosigning else None
        actor = self.ctx.actor

        def save(s: Session) -> RecordDetail:
            if record_id is not None:
                return sessions.cosign(s, actor, record_id, data.assessment, data.plan)
            return sessions.save_record(s, actor, self.appointment_id, data, sign=sign)

        saved = Op(self.ctx, self, save, title="Could not save the record").form(self.form).run()
        if saved is None:
            return False
        self.result_detail = saved
        self.accept()
        return True

    def add_addendum(self) -> None:
        if self.detail is None or self.detail.id is None:
            return
        dialog = AddendumDialog(self.ctx, self.detail.id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if dialog.exec():
            self.load()

    def _preview(self, patient: bool) -> None:
        preview_summary(self.ctx, self, self.appointment_id, patient)
