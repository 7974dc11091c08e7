"""Dialogs to add or edit a patient (contact, precautions, mobility profile) and an authorization."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.services import authorizations as auth_service
from ptdesk.services import clock
from ptdesk.services import patients as patient_service
from ptdesk.services.authorizations import AuthorizationData
from ptdesk.services.patients import (
    ASSISTANCE_LABELS,
    COOPERATION_LABELS,
    WEIGHT_BEARING_LABELS,
    DuplicatePatient,
    PatientData,
)
from ptdesk.services.permissions import allowed
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, query
from ptdesk.ui.widgets.forms import ErrorForm

PRECAUTION_STYLE = (
    "QPlainTextEdit { background: #fff6d6; border: 2px solid #c98a00; font-weight: bold; }"
)
DEVICES = ["", "Cane", "Quad cane", "Crutches", "Walker", "Rolling walker", "Wheelchair"]
LB_PER_KG = 2.20462


class ErrorForms:
    """Several ErrorForms (one per group box) that show an error by field name."""

    def __init__(self, *forms: ErrorForm) -> None:
        self.forms = forms

    @property
    def widgets(self) -> dict[str, QWidget]:
        out: dict[str, QWidget] = {}
        for form in self.forms:
            out.update(form.widgets)
        return out

    def clear(self) -> None:
        for form in self.forms:
            form.clear()

    def show_error(self, field: str, message: str) -> bool:
        self.clear()
        return any(form.show_error(field, message) for form in self.forms if field in form.errors)


def _choice_combo(labels: dict[str, str], empty: str = "Not assessed") -> QComboBox:
    box = QComboBox()
    box.addItem(empty, "")
    for value, label in labels.items():
        box.addItem(label, value)
    return box


def _strength_combo() -> QComboBox:
    box = QComboBox()
    box.addItem("Not assessed", None)
    box.addItem("Yes, strong enough to help", True)
    box.addItem("No, cannot help", False)
    return box


def _set_data(box: QComboBox, value: object) -> None:
    index = box.findData(value)
    box.setCurrentIndex(max(0, index))


def _spin(suffix: str, high: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0, high)
    spin.setDecimals(1)
    spin.setSuffix(suffix)
    spin.setSpecialValueText("Not recorded")
    return spin


def bmi_text(weight_kg: float | None, height_cm: float | None) -> str:
    value = patient_service.bmi(weight_kg, height_cm)
    parts = []
    if weight_kg:
        parts.append(f"{weight_kg:g} kg = {weight_kg * LB_PER_KG:.0f} lb")
    if value is None:
        return "Enter height and weight" + (f" ({parts[0]})" if parts else "")
    return f"BMI {value:.1f} ({parts[0]})"


class PatientDialog(QDialog):
    """Add a patient (``patient_id`` None) or edit one. Saves through the patient service."""

    def __init__(
        self, ctx: AppContext, patient_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id = patient_id
        self.saved_id: int | None = None
        self.setObjectName("patientDialog")
        self.setWindowTitle("New patient" if patient_id is None else "Edit patient")

        left_col = QVBoxLayout()
        right_col = QVBoxLayout()

        who = QGroupBox("Patient")
        who_form = ErrorForm(QFormLayout(who))
        self.first_name = who_form.add_row("first_name", "&First name:", QLineEdit())
        self.last_name = who_form.add_row("last_name", "&Last name:", QLineEdit())
        self.date_of_birth = who_form.add_row("date_of_birth", "Date of &birth:", QLineEdit())
        self.date_of_birth.setPlaceholderText("YYYY-MM-DD or MM/DD/YYYY")
        self.chart_number = who_form.add_row("chart_number", "C&hart number:", QLineEdit())
        self.chart_number.setPlaceholderText("Left blank: the next number")
        left_col.addWidget(who)

        contact = QGroupBox("Contact")
        contact_form = ErrorForm(QFormLayout(contact))
        self.phone = contact_form.add_row("phone", "&Phone:", QLineEdit())
        self.email = contact_form.add_row("email", "&E-mail:", QLineEdit())
        self.address = contact_form.add_row("address", "A&ddress:", QPlainTextEdit())
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(56)
        self.emergency_contact_name = contact_form.add_row(
            "emergency_contact_name", "Emergency contact:", QLineEdit()
        )
        self.emergency_contact_name.setPlaceholderText("Name and relation, e.g. Maria Lopez (wife)")
        self.emergency_contact_phone = contact_form.add_row(
            "emergency_contact_phone", "Emergency phone:", QLineEdit()
        )
        left_col.addWidget(contact)

        notes = QGroupBox("Notes")
        notes_form = ErrorForm(QFormLayout(notes))
        self.notes = notes_form.add_row("notes", "N&otes:", QPlainTextEdit())
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(64)
        left_col.addWidget(notes)
        left_col.addStretch(1)

        safety = QGroupBox("\u26a0 Precautions (shown wherever this patient appears)")
        safety_form = ErrorForm(QFormLayout(safety))
        self.precautions = safety_form.add_row("precautions", "Pre&cautions:", QPlainTextEdit())
        self.precautions.setTabChangesFocus(True)
        self.precautions.setPlaceholderText(
            "One per line, e.g.\nFall risk\nNo hip flexion past 90°\nPartial weight bearing left leg"
        )
        self.precautions.setStyleSheet(PRECAUTION_STYLE)
        self.precautions.setFixedHeight(90)
        right_col.addWidget(safety)

        mobility = QGroupBox("Mobility profile (used by transfer checklists)")
        mobility_form = ErrorForm(QFormLayout(mobility))
        self.weight_bearing = mobility_form.add_row(
            "weight_bearing", "&Weight bearing:", _choice_combo(WEIGHT_BEARING_LABELS)
        )
        self.upper_limb_strength_left = mobility_form.add_row(
            "upper_limb_strength_left", "Left arm can push/pull:", _strength_combo()
        )
        self.upper_limb_strength_right = mobility_form.add_row(
            "upper_limb_strength_right", "Right arm can push/pull:", _strength_combo()
        )
        self.cooperation = mobility_form.add_row(
            "cooperation", "Coo&peration:", _choice_combo(COOPERATION_LABELS)
        )
        self.assistance_level = mobility_form.add_row(
            "assistance_level", "Usual &assistance:", _choice_combo(ASSISTANCE_LABELS)
        )
        device = QComboBox()
        device.setEditable(True)
        device.addItems(DEVICES)
        self.assistive_device = mobility_form.add_row(
            "assistive_device", "Assistive de&vice:", device
        )
        self.height_cm = mobility_form.add_row("height_cm", "Hei&ght:", _spin(" cm", 300))
        self.weight_kg = mobility_form.add_row("weight_kg", "Wei&ght:", _spin(" kg", 500))
        self.bmi = QLabel()
        self.bmi.setObjectName("bmiLabel")
        mobility_form.layout.addRow("BMI:", self.bmi)
        self.height_cm.valueChanged.connect(self._update_bmi)
        self.weight_kg.valueChanged.connect(self._update_bmi)
        right_col.addWidget(mobility)
        self.may_change_mobility = allowed(ctx.actor, "update_mobility_profile")
        self._loaded = PatientData()
        if not self.may_change_mobility:
            for name in patient_service.MOBILITY_FIELDS:
                box = getattr(self, name)
                if isinstance(box, QComboBox):
                    box.setEnabled(False)
                else:
                    box.setReadOnly(True)
            locked = QLabel(
                "Only a therapist, an assistant or the owner can change the precautions and "
                "the mobility profile."
            )
            locked.setObjectName("mobilityLocked")
            locked.setWordWrap(True)
            right_col.addWidget(locked)
        right_col.addStretch(1)

        self.form = ErrorForms(who_form, contact_form, notes_form, safety_form, mobility_form)
        for part in self.form.forms:
            part.layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.setMinimumWidth(860)

        columns = QHBoxLayout()
        columns.addLayout(left_col, 1)
        columns.addLayout(right_col, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.buttons)

        if patient_id is not None:
            self.load(patient_id)
        self._update_bmi()
        self.first_name.setFocus()

    # -- loading and reading the form -----------------------------------------------------
    def load(self, patient_id: int) -> None:
        data = query(
            self.ctx,
            lambda s: PatientData.from_patient(patient_service.get_patient(s, patient_id)),
        )
        self._loaded = data
        self.set_data(data)

    def set_data(self, data: PatientData) -> None:
        self.first_name.setText(data.first_name)
        self.last_name.setText(data.last_name)
        self.date_of_birth.setText(data.date_of_birth.isoformat() if data.date_of_birth else "")
        self.chart_number.setText(data.chart_number)
        self.phone.setText(data.phone)
        self.email.setText(data.email)
        self.address.setPlainText(data.address)
        self.emergency_contact_name.setText(data.emergency_contact_name)
        self.emergency_contact_phone.setText(data.emergency_contact_phone)
        self.notes.setPlainText(data.notes)
        self.precautions.setPlainText(data.precautions)
        _set_data(self.weight_bearing, data.weight_bearing)
        _set_data(self.upper_limb_strength_left, data.upper_limb_strength_left)
        _set_data(self.upper_limb_strength_right, data.upper_limb_strength_right)
        _set_data(self.cooperation, data.cooperation)
        _set_data(self.assistance_level, data.assistance_level)
        self.assistive_device.setCurrentText(data.assistive_device)
        self.height_cm.setValue(data.height_cm or 0)
        self.weight_kg.setValue(data.weight_kg or 0)

    def current_data(self) -> PatientData:
        """The form as plain values; raises ValidationError for a date it cannot read."""
        dob = patient_service.parse_date(
            self.date_of_birth.text(), "date_of_birth", "The date of birth"
        )
        data = PatientData(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            date_of_birth=dob,
            chart_number=self.chart_number.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            address=self.address.toPlainText(),
            emergency_contact_name=self.emergency_contact_name.text(),
            emergency_contact_phone=self.emergency_contact_phone.text(),
            notes=self.notes.toPlainText(),
            precautions=self.precautions.toPlainText(),
            weight_kg=self.weight_kg.value() or None,
            height_cm=self.height_cm.value() or None,
            weight_bearing=self.weight_bearing.currentData() or "",
            upper_limb_strength_left=self.upper_limb_strength_left.currentData(),
            upper_limb_strength_right=self.upper_limb_strength_right.currentData(),
            cooperation=self.cooperation.currentData() or "",
            assistance_level=self.assistance_level.currentData() or "",
            assistive_device=self.assistive_device.currentText(),
        )
        if not self.may_change_mobility:  # read-only here: keep exactly what was stored
            for name in patient_service.MOBILITY_FIELDS:
                setattr(data, name, getattr(self._loaded, name))
        return data

    def _update_bmi(self) -> None:
        self.bmi.setText(bmi_text(self.weight_kg.value() or None, self.height_cm.value() or None))

    # -- saving ---------------------------------------------------------------------------------
    def ask_duplicate(self, exc: DuplicatePatient) -> bool:
        answer = QMessageBox.question(
            self,
            "Same patient already on file?",
            f"{exc.message}\n\nIs this a different person with the same name and birthday? "
            "Choose Yes to add them anyway, or No to go back and check.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _write(self, session: Session, allow_duplicate: bool) -> int:
        """Add or change the patient from the form: the saved id (a possible duplicate is
        raised for the user to decide about; nothing is kept then)."""
        data = self.current_data()
        if self.patient_id is None:
            row = patient_service.create_patient(
                session, self.ctx.actor, data, allow_duplicate=allow_duplicate
            )
        else:
            row = patient_service.update_patient(
                session, self.ctx.actor, self.patient_id, data, allow_duplicate=allow_duplicate
            )
        assert row.id is not None
        return row.id

    def save(self) -> bool:
        self.form.clear()
        allow_duplicate = False
        while True:
            duplicates: list[DuplicatePatient] = []
            outcome = (
                Op(
                    self.ctx,
                    self,
                    partial(self._write, allow_duplicate=allow_duplicate),
                    title="Not saved",
                )
                .form(self.form)
                .expect(DuplicatePatient, duplicates.append)
                .run()
            )
            if not duplicates:
                break
            if allow_duplicate or not self.ask_duplicate(duplicates[0]):
                return False
            allow_duplicate = True
        if outcome is None:
            return False
        self.saved_id = outcome
        self.accept()
        return True


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class AuthorizationDialog(QDialog):
    """Add or edit one insurance authorization of a patient."""

    def __init__(
        self,
        ctx: AppContext,
        patient_id: int,
        authorization_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id = patient_id
        self.authorization_id = authorization_id
        self.setObjectName("authorizationDialog")
        self.setWindowTitle(
            "New authorization" if authorization_id is None else "Edit authorization"
        )
        layout = QVBoxLayout(self)
        form_layout = QFormLayout()
        self.form = ErrorForm(form_layout)
        self.payer = self.form.add_row("payer", "&Payer (insurance):", QLineEdit())
        self.member_number = self.form.add_row("member_number", "&Member number:", QLineEdit())
        self.visits = self.form.add_row("visits_authorized", "&Visits authorized:", QSpinBox())
        self.visits.setRange(0, 999)
        self.start_date = self.form.add_row("start_date", "&First day covered:", QDateEdit())
        self.end_date = self.form.add_row("end_date", "&Last day covered:", QDateEdit())
        for edit in (self.start_date, self.end_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.notes = self.form.add_row("notes", "N&otes:", QPlainTextEdit())
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)
        layout.addLayout(form_layout)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        today = clock.today()
        self.start_date.setDate(_qdate(today))
        self.end_date.setDate(_qdate(today).addDays(89))
        self.visits.setValue(12)
        if authorization_id is not None:
            data = query(
                ctx,
                lambda s: AuthorizationData.from_row(
                    auth_service.get_authorization(s, authorization_id)
                ),
            )
            self.payer.setText(data.payer)
            self.member_number.setText(data.member_number)
            self.visits.setValue(data.visits_authorized)
            if data.start_date:
                self.start_date.setDate(_qdate(data.start_date))
            if data.end_date:
                self.end_date.setDate(_qdate(data.end_date))
            self.notes.setPlainText(data.notes)

    def current_data(self) -> AuthorizationData:
        return AuthorizationData(
            payer=self.payer.text(),
            member_number=self.member_number.text(),
            visits_authorized=self.visits.value(),
            start_date=self.start_date.date().toPython(),
            end_date=self.end_date.date().toPython(),
            notes=self.notes.toPlainText(),
        )

    def save(self) -> bool:
        self.form.clear()
        actor, data = self.ctx.actor, self.current_data()
        patient_id, authorization_id = self.patient_id, self.authorization_id

        def write(s: Session) -> object:
            if authorization_id is None:
                return auth_service.add_authorization(s, actor, patient_id, data)
            return auth_service.update_authorization(s, actor, authorization_id, data)

        op = Op(self.ctx, self, write, title="Not saved").form(self.form)
        op.run()
        if not op.ok:
            return False
        self.accept()
        return True
