"""The Patients page: search-as-you-type list, detail panel with precautions and authorizations."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.errors import NotFound
from ptdesk.models import Patient
from ptdesk.services import authorizations as auth_service
from ptdesk.services import clock
from ptdesk.services import patients as patient_service
from ptdesk.services import scheduling as sched
from ptdesk.services.authorizations import AuthorizationStatus
from ptdesk.services.patients import ASSISTANCE_LABELS, COOPERATION_LABELS, WEIGHT_BEARING_LABELS
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, query
from ptdesk.ui.patients.dialogs import AuthorizationDialog, PatientDialog, bmi_text
from ptdesk.ui.patients.model import (
    STATUS_ACTIVE,
    STATUS_ALL,
    STATUS_DISCHARGED,
    AuthorizationTableModel,
    PatientFilterProxy,
    PatientTableModel,
)
from ptdesk.ui.widgets.precautions import PrecautionBanner
from ptdesk.ui.widgets.table import ROW_ROLE, table_view


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _strength(value: bool | None) -> str:
    return {None: "not assessed", True: "yes", False: "no"}[value]


def mobility_lines(p: Patient) -> list[tuple[str, str]]:
    bmi = bmi_text(p.weight_kg, p.height_cm) if p.weight_kg or p.height_cm else "Not recorded"
    height = f"{p.height_cm:g} cm" if p.height_cm else "Not recorded"
    return [
        ("Weight bearing", WEIGHT_BEARING_LABELS.get(p.weight_bearing, "Not assessed")),
        ("Usual assistance", ASSISTANCE_LABELS.get(p.assistance_level, "Not assessed")),
        ("Assistive device", p.assistive_device or "None recorded"),
        (
            "Arms can push/pull",
            f"left {_strength(p.upper_limb_strength_left)}, "
            f"right {_strength(p.upper_limb_strength_right)}",
        ),
        ("Cooperation", COOPERATION_LABELS.get(p.cooperation, "Not assessed")),
        ("Height", height),
        ("Weight / BMI", bmi),
    ]


class PatientDetail(QWidget):
    """The selected patient: precautions first, then mobility, contact, notes, authorizations."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientDetail")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("patientTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        self.precautions = PrecautionBanner()
        layout.addWidget(self.precautions)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("patientTabs")
        mobility = QWidget()
        self.mobility_form = QFormLayout(mobility)
        contact = QWidget()
        contact_box = QVBoxLayout(contact)
        self.contact_form = QFormLayout()
        contact_box.addLayout(self.contact_form)
        self.notes = QLabel()
        self.notes.setObjectName("patientNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        contact_box.addWidget(self.notes)
        contact_box.addStretch(1)
        self.tabs.addTab(mobility, "&Mobility profile")
        self.tabs.addTab(contact, "&Contact and notes")
        layout.addWidget(self.tabs, 1)

    @staticmethod
    def _fill(form: QFormLayout, rows: list[tuple[str, str]]) -> None:
        labels = [form.itemAt(i, QFormLayout.ItemRole.LabelRole) for i in range(form.rowCount())]
        if [item.widget().text() if item else None for item in labels] == [
            f"{label}:" for label, _ in rows
        ]:  # same rows as shown: change the values only (no widgets made or deleted)
            for i, (_label, value) in enumerate(rows):
                field = form.itemAt(i, QFormLayout.ItemRole.FieldRole)
                if field is not None and isinstance(field.widget(), QLabel):
                    field.widget().setText(value)
            return
        while form.rowCount():
            form.removeRow(0)
        for label, value in rows:
            text = QLabel(value)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{label}:", text)

    def show_patient(self, p: Patient | None, today: date) -> None:
        if p is None:
            self.title.setText("<i>Choose a patient in the list to see their details.</i>")
            self.precautions.hide()
            self._fill(self.mobility_form, [])
            self._fill(self.contact_form, [])
            self.notes.clear()
            return
        born = (
            f"born {p.date_of_birth.isoformat()} (age {age_on(p.date_of_birth, today)})"
            if p.date_of_birth
            else "date of birth not recorded"
        )
        status = (
            "active patient"
            if p.active
            else f"DISCHARGED {p.discharged_on.isoformat() if p.discharged_on else ''}".strip()
        )
        self.title.setText(
            f"<h2 style='margin:0'>{_escape(p.sort_name)}</h2>"
            f"Chart {_escape(p.chart_number)} · {born} · {status}"
        )
        self.precautions.show()
        self.precautions.set_precautions(p.precaution_list)
        self._fill(self.mobility_form, mobility_lines(p))
        emergency = " ".join(x for x in (p.emergency_contact_name, p.emergency_contact_phone) if x)
        self._fill(
            self.contact_form,
            [
                ("Phone", p.phone or "—"),
                ("E-mail", p.email or "—"),
                ("Address", p.address or "—"),
                ("Emergency contact", emergency or "—"),
            ],
        )
        self.notes.setText(f"<b>Notes:</b> {_escape(p.notes)}" if p.notes else "")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class PatientsView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.today = clock.today()
        self.current: Patient | None = None
        self._viewed_id: int | None = None

        self.search = QLineEdit()
        self.search.setObjectName("patientSearch")
        self.search.setAccessibleName("Search patients")
        self.search.setPlaceholderText("Search name, chart number, phone or date of birth (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("patientStatusFilter")
        self.status_filter.setAccessibleName("Show")
        self.status_filter.addItem("Active patients", STATUS_ACTIVE)
        self.status_filter.addItem("Discharged patients", STATUS_DISCHARGED)
        self.status_filter.addItem("All patients", STATUS_ALL)
        self.new_button = QPushButton("&New patient…")
        self.new_button.setObjectName("newPatient")
        self.new_button.setShortcut(QKeySequence("Ctrl+N"))
        self.new_button.setToolTip("Add a patient (Ctrl+N)")
        self.new_button.clicked.connect(self.new_patient)
        self.new_button.setEnabled(allowed(ctx.actor, "edit_patient"))
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        show_label = QLabel("S&how:")
        show_label.setBuddy(self.status_filter)
        top.addWidget(show_label)
        top.addWidget(self.status_filter)
        top.addWidget(self.new_button)

        self.model = PatientTableModel(self)
        self.proxy = PatientFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        # One line per patient: long precautions are cut short with "…" (the tooltip and the
        # detail show them whole), and painting skips the word-wrapping layout of every cell.
        self.table = table_view(
            "patientTable",
            self.proxy,
            accessible="Patients",
            sort=0,
            fit=QHeaderView.ResizeMode.Interactive,
            stretch=4,
            row_height=24,
        )
        for column, width in ((0, 170), (1, 70), (2, 95), (3, 110), (5, 90)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _index: self.edit_patient())
        self.count_label = QLabel()
        self.count_label.setObjectName("patientCount")
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addLayout(top)
        left_box.addWidget(self.table, 1)
        left_box.addWidget(self.count_label)

        # -- detail panel --------------------------------------------------------------
        self.detail = PatientDetail()
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setObjectName("editPatient")
        self.edit_button.setToolTip("Edit the selected patient (Enter)")
        self.edit_button.clicked.connect(self.edit_patient)
        self.discharge_button = QPushButton("&Discharge…")
        self.discharge_button.setObjectName("dischargePatient")
        self.discharge_button.clicked.connect(self.toggle_discharge)
        patient_buttons = QHBoxLayout()
        patient_buttons.addWidget(self.edit_button)
        patient_buttons.addWidget(self.discharge_button)
        patient_buttons.addStretch(1)

        auth_box = QGroupBox("Insurance authorizations")
        auth_layout = QVBoxLayout(auth_box)
        self.auth_model = AuthorizationTableModel(self)
        self.auth_table = table_view(
            "authorizationTable",
            self.auth_model,
            accessible="Insurance authorizations",
            stretch=3,
            stripes=False,
            wrap=True,
        )
        self.auth_table.setMinimumHeight(110)
        self.auth_table.doubleClicked.connect(lambda _index: self.edit_authorization())
        self.auth_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_auth_toggle()
        )
        self.auth_warnings = QLabel()
        self.auth_warnings.setObjectName("authorizationWarnings")
        self.auth_warnings.setWordWrap(True)
        self.auth_warnings.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.add_auth_button = QPushButton("&Add…")
        self.add_auth_button.setObjectName("addAuthorization")
        self.add_auth_button.setToolTip("Add an insurance authorization")
        self.add_auth_button.clicked.connect(self.add_authorization)
        self.edit_auth_button = QPushButton("Ed&it…")
        self.edit_auth_button.clicked.connect(self.edit_authorization)
        self.toggle_auth_button = QPushButton("Deac&tivate…")
        self.toggle_auth_button.setObjectName("toggleAuthorization")
        self.toggle_auth_button.clicked.connect(self.toggle_authorization)
        auth_buttons = QHBoxLayout()
        for b in (self.add_auth_button, self.edit_auth_button, self.toggle_auth_button):
            auth_buttons.addWidget(b)
        auth_buttons.addStretch(1)
        self.auth_summary = QLabel()
        self.auth_summary.setObjectName("authorizationSummary")
        self.auth_summary.setWordWrap(True)
        auth_layout.addWidget(self.auth_summary)
        auth_layout.addWidget(self.auth_table)
        auth_layout.addLayout(auth_buttons)

        auth_box.setTitle("")
        auth_box.setFlat(True)
        self.detail.tabs.addTab(auth_box, "Insurance a&uthorizations")
        detail_layout = self.detail.layout()
        detail_layout.insertWidget(2, self.auth_warnings)
        detail_layout.insertLayout(3, patient_buttons)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(6, 0, 0, 0)
        right_box.addWidget(self.detail)
        right.setMinimumWidth(440)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([640, 460])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._shown_id: int | None = None
        # While typing, the detail panel follows one event-loop turn after the list is painted,
        # so a keystroke never waits for the selected patient's record to load.
        self._typing = False
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(0)
        self._detail_timer.timeout.connect(self._selection_changed)
        self.search.textChanged.connect(self._search_changed)
        self.status_filter.currentIndexChanged.connect(self._status_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.search.returnPressed.connect(self._search_enter)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table, self.edit_patient)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        ctx.bus.changed.connect(self._on_changed)
        self.reload()

    # -- loading ------------------------------------------------------------------------
    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.PATIENTS):
            self.reload()
        elif topics.concerns(topic, topics.SCHEDULE):
            self.show_selected()

    def reload(self, select_id: int | None = None) -> None:
        """Load every patient as plain rows (one query) and keep the selection if possible."""
        keep = select_id if select_id is not None else self.selected_id()
        self.today = clock.today()
        rows = query(self.ctx, patient_service.list_patient_rows)
        self.model.set_rows(rows)
        self._update_count()
        if keep is None or not self.select_patient(keep):
            self.show_selected()

    def _update_count(self) -> None:
        shown = self.proxy.rowCount()
        total = self.model.rowCount()
        self.count_label.setText(f"{shown} of {total} patients shown")

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_changed(self, text: str) -> None:
        self._typing = True
        try:
            self.proxy.set_search(text)
            self._after_filter()
        finally:
            self._typing = False

    def _status_changed(self) -> None:
        self.proxy.set_status(self.status_filter.currentData())
        self._after_filter()

    def _after_filter(self) -> None:
        self._update_count()
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        if self._typing:
            self._detail_timer.start()
        elif self.selected_id() != self._shown_id:
            self.show_selected()

    def _search_enter(self) -> None:
        if self.proxy.rowCount():
            if not self.table.selectionModel().hasSelection():
                self.table.selectRow(0)
            self.table.setFocus()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].data(ROW_ROLE)
        return row.id if row is not None else None

    def select_patient(self, patient_id: int) -> bool:
        """Select the patient in the list; False when the filter hides them."""
        source_row = self.model.row_of_id(patient_id)
        if source_row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self.show_selected()
        return True

    def _selection_changed(self) -> None:
        # A search keystroke moves the selected row without changing the patient: no reload.
        if self._typing:
            self._detail_timer.start()
        elif self.selected_id() != self._shown_id:
            self.show_selected()

    def show_selected(self) -> None:
        patient_id = self.selected_id()
        self._shown_id = patient_id
        self.current = None
        statuses: list[AuthorizationStatus] = []
        if patient_id is not None:
            actor, today = self.ctx.actor, self.today
            opening = patient_id != self._viewed_id  # opening a record is logged, a refresh not
            try:
                record = query(
                    self.ctx,
                    lambda s: patient_service.open_record(
                        s, actor, patient_id, today=today, log_view=opening
                    ),
                )
            except NotFound:
                self.current = None
            else:
                self.current, statuses = record.patient, record.authorizations
                self._viewed_id = patient_id
        self.detail.show_patient(self.current, self.today)
        self.auth_model.set_rows(statuses)
        for column in range(3):
            self.auth_table.resizeColumnToContents(column)
        active = [s for s in statuses if s.active]
        self.auth_summary.setText(
            "\n".join(f"{s.payer}: {s.text}" for s in active)
            if active
            else "No active authorization on file."
        )
        warnings = [f"\u26a0 {s.payer}: {w}" for s in active for w in s.warnings]
        self.auth_warnings.setText("\n".join(warnings))
        self.auth_warnings.setVisible(bool(warnings))
        has = self.current is not None
        may_edit = allowed(self.ctx.actor, "edit_patient")
        may_auth = allowed(self.ctx.actor, "manage_authorizations")
        for b in (self.edit_button, self.discharge_button):
            b.setEnabled(has and may_edit)
        for b in (self.add_auth_button, self.edit_auth_button, self.toggle_auth_button):
            b.setEnabled(has and may_auth)
        if self.current is not None and not self.current.active:
            self.discharge_button.setText("&Reactivate…")
        else:
            self.discharge_button.setText("&Discharge…")
        if not statuses:
            self.edit_auth_button.setEnabled(False)
            self.toggle_auth_button.setEnabled(False)
        self._update_auth_toggle()

    def _update_auth_toggle(self) -> None:
        status = self.selected_authorization()
        if status is not None and not status.active:
            self.toggle_auth_button.setText("Reac&tivate…")
        else:
            self.toggle_auth_button.setText("Deac&tivate…")

    def selected_authorization(self) -> AuthorizationStatus | None:
        model = self.auth_table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        if rows:
            return rows[0].data(ROW_ROLE)
        if self.auth_model.rowCount() == 1:
            return self.auth_model.row_at(0)
        return None

    # -- actions ----------------------------------------------------------------------------
    def open_patient_dialog(self, patient_id: int | None) -> PatientDialog:
        """Made separately so tests can drive the dialog without running its event loop."""
        return PatientDialog(self.ctx, patient_id, self)

    def after_patient_saved(self, patient_id: int) -> None:
        """The save announced the change (the list is reloaded): show the saved patient."""
        if not self.select_patient(patient_id):
            # The filter hides the saved patient: clear the search so they show.
            self.search.clear()
            self.status_filter.setCurrentIndex(self.status_filter.findData(STATUS_ALL))
            self.select_patient(patient_id)

    def _run_patient_dialog(self, patient_id: int | None) -> None:
        dialog = self.open_patient_dialog(patient_id)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        saved_id = dialog.saved_id
        dialog.deleteLater()
        if accepted and saved_id is not None:
            self.after_patient_saved(saved_id)

    def new_patient(self) -> None:
        self._run_patient_dialog(None)

    def edit_patient(self) -> None:
        patient_id = self.selected_id()
        if patient_id is None or not allowed(self.ctx.actor, "edit_patient"):
            return
        self._run_patient_dialog(patient_id)

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_future_visits(self, name: str, count: int) -> bool | None:
        """Discharging with visits still booked: True cancels them, False keeps them."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Discharge patient?")
        plural = "s" if count != 1 else ""
        box.setText(
            f"{name} still has {count} visit{plural} booked from now on. Discharge today and "
            f"cancel th{'ose' if count != 1 else 'at'} visit{plural}, or keep them?"
        )
        cancel_them = box.addButton(
            f"Discharge and &cancel {count} visit{plural}", QMessageBox.ButtonRole.AcceptRole
        )
        keep = box.addButton("Discharge, &keep the visits", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel_them)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        return True if clicked is cancel_them else False if clicked is keep else None

    def toggle_discharge(self) -> None:
        p = self.current
        if p is None or p.id is None:
            return
        patient_id, actor = p.id, self.ctx.actor
        if p.active:
            now = clock.now()
            upcoming = len(query(self.ctx, lambda s: sched.future_visits(s, patient_id, now=now)))
            cancel_visits = False
            if upcoming:
                answer = self.ask_future_visits(p.full_name, upcoming)
                if answer is None:
                    return
                cancel_visits = answer
            elif not self.confirm(
                "Discharge patient?",
                f"Discharge {p.full_name} today? They leave the active list; their "
                "appointments, records and authorizations stay on file.",
            ):
                return

            # The change reads the clinic clock again: the question may have waited a while.
            def change(s: Session) -> object:
                if cancel_visits:
                    return patient_service.discharge_and_cancel_visits(s, actor, patient_id)
                return patient_service.discharge_patient(s, actor, patient_id, on=clock.today())

        else:
            if not self.confirm(
                "Reactivate patient?", f"Make {p.full_name} an active patient again?"
            ):
                return

            def change(s: Session) -> object:
                return patient_service.reactivate_patient(s, actor, patient_id)

        op = Op(self.ctx, self, change, title="Not changed")
        op.run()
        if op.ok and not self.select_patient(patient_id):
            self.show_selected()

    def _run_authorization_dialog(self, dialog: AuthorizationDialog) -> None:
        dialog.exec()  # a save announces the change itself
        dialog.deleteLater()

    def add_authorization(self) -> None:
        if self.current is None or self.current.id is None:
            return
        self._run_authorization_dialog(AuthorizationDialog(self.ctx, self.current.id, parent=self))

    def edit_authorization(self) -> None:
        status = self.selected_authorization()
        if self.current is None or self.current.id is None or status is None:
            return
        self._run_authorization_dialog(
            AuthorizationDialog(self.ctx, self.current.id, status.authorization_id, parent=self)
        )

    def toggle_authorization(self) -> None:
        status = self.selected_authorization()
        if status is None:
            return
        make_active = not status.active
        verb = "Reactivate" if make_active else "Deactivate"
        if not self.confirm(
            f"{verb} authorization?",
            f"{verb} the authorization from {status.payer} ({status.text})? "
            "It stays on file either way.",
        ):
            return
        actor, authorization_id = self.ctx.actor, status.authorization_id
        Op(
            self.ctx,
            self,
            lambda s: auth_service.set_authorization_active(
                s, actor, authorization_id, make_active
            ),
            title="Not changed",
        ).run()
