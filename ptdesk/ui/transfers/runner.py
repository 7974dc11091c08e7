"""The checklist runner: assessment, method, checks and outcome, one step at a time."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.models import Cooperation, Incident, TransferMethod, TransferType, WeightBearing
from ptdesk.models.transfers import CONDITIONS
from ptdesk.services import transfers as tr
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, query
from ptdesk.ui.transfers.models import ChecklistItemsModel
from ptdesk.ui.transfers.start import ChecklistStart, load_start
from ptdesk.ui.widgets.dialogs import run_dialog
from ptdesk.ui.widgets.forms import ErrorForm, FieldError, link_labels
from ptdesk.ui.widgets.table import table_view

STEPS = ["1. Assessment", "2. Method", "3. Checks", "4. Outcome"]
ASSESSMENT, METHOD, CHECKS, OUTCOME = range(4)
ARM_CHOICES = [("Not assessed", None), ("Strong enough to push up", True), ("Weak", False)]


class CheckTable(QTableView):
    """The checks list: Space ticks or unticks the current check, whichever column has focus."""

    def __init__(self, model: ChecklistItemsModel) -> None:
        super().__init__()
        self.setModel(model)
        self._items = model

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select):
            index = self.currentIndex()
            if index.isValid():
                self._items.toggle(index.row())
                event.accept()
                return
        super().keyPressEvent(event)


class ChecklistDialog(QDialog):
    """Run one transfer checklist from the assessment to the outcome.

    Give ``checklist_id`` to continue a started checklist, or ``patient_id`` (and optionally
    ``appointment_id``) to start a new one: it is saved once the assessment is confirmed.
    ``start`` is what ``load_start`` loaded for it, when that was done already.
    """

    def __init__(
        self,
        ctx: AppContext,
        *,
        patient_id: int | None = None,
        appointment_id: int | None = None,
        checklist_id: int | None = None,
        start: ChecklistStart | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("transferChecklistDialog")
        self.setWindowTitle("Transfer checklist")
        if start is None:
            start = query(ctx, lambda s: load_start(s, patient_id, appointment_id, checklist_id))
        self.appointment_id = start.appointment_id
        self.checklist: tr.ChecklistData | None = start.checklist
        self.patient = start.patient
        self.staff = start.staff
        self.threshold = start.threshold
        self.recommendation: tr.Recommendation | None = None

        layout = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setObjectName("patientBanner")
        self.banner.setWordWrap(True)
        layout.addWidget(self.banner)
        self.step_label = QLabel()
        self.step_label.setObjectName("stepLabel")
        layout.addWidget(self.step_label)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_assessment())
        self.pages.addWidget(self._build_method())
        self.pages.addWidget(self._build_checks())
        self.pages.addWidget(self._build_outcome())
        for form in (self.assessment_form, self.method_form, self.outcome_form):
            link_labels(form)
        layout.addWidget(self.pages, 1)
        self.message = FieldError("dialog")
        self.message.setObjectName("dialogMessage")
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.back_button = QPushButton("&Back")
        self.back_button.setObjectName("backButton")
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton("&Next")
        self.next_button.setObjectName("nextButton")
        self.next_button.clicked.connect(self.go_next)
        self.abort_button = QPushButton("Abo&rt transfer…")
        self.abort_button.setObjectName("abortButton")
        self.abort_button.clicked.connect(self.abort)
        self.complete_button = QPushButton("&Complete")
        self.complete_button.setObjectName("completeButton")
        self.complete_button.clicked.connect(self.complete)
        self.close_button = QPushButton("Close")
        self.close_button.setObjectName("closeButton")
        self.close_button.setToolTip("A started checklist stays open to finish later.")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.abort_button)
        buttons.addWidget(self.complete_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._ctrl_enter)

        self._load_assessment(self.checklist.assessment if self.checklist else self.patient.profile)
        if self.checklist is not None:
            self.transfer_type.setCurrentIndex(
                self.transfer_type.findData(self.checklist.transfer_type)
            )
        self._show_banner()
        self.resize(760, 620)
        start = ASSESSMENT
        if self.checklist is not None and self.checklist.planned:
            self._refresh_recommendation()
            self.method.setCurrentIndex(self.method.findData(self.checklist.chosen_method))
            self.reason.setPlainText(self.checklist.less_support_reason)
            start = CHECKS
        self._set_checklist(self.checklist)
        self.show_step(start)

    # -- pages -------------------------------------------------------------------
    def _build_assessment(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        form_layout = QFormLayout()
        self.assessment_form = ErrorForm(form_layout)
        f = self.assessment_form
        self.transfer_type = f.add_row("transfer_type", "&Transfer:", QComboBox())
        for t in TransferType:
            self.transfer_type.addItem(t.label, t.value)
        self.weight_bearing = f.add_row("weight_bearing", "&Weight bearing:", QComboBox())
        self.weight_bearing.addItem("Not assessed — choose", "")
        for wb in WeightBearing:
            self.weight_bearing.addItem(wb.label, wb.value)
        self.left_arm = f.add_row("upper_limb_strength_left", "&Left arm:", QComboBox())
        self.right_arm = f.add_row("upper_limb_strength_right", "Ri&ght arm:", QComboBox())
        for combo in (self.left_arm, self.right_arm):
            for label, value in ARM_CHOICES:
                combo.addItem(label, value)
        self.cooperation = f.add_row("cooperation", "C&ooperation:", QComboBox())
        self.cooperation.addItem("Not assessed — choose", "")
        for c in Cooperation:
            self.cooperation.addItem(c.assessment_label, c.value)
        self.height = f.add_row("height_cm", "&Height:", QDoubleSpinBox())
        self.height.setRange(0, 250)
        self.height.setDecimals(0)
        self.height.setSuffix(" cm")
        self.height.setSpecialValueText("not recorded")
        self.weight = f.add_row("weight_kg", "W&eight:", QDoubleSpinBox())
        self.weight.setRange(0, 400)
        self.weight.setDecimals(1)
        self.weight.setSuffix(" kg")
        self.weight.setSpecialValueText("not recorded")
        for w in (self.height, self.weight):
            w.setMaximumWidth(160)
        self.bmi_label = QLabel()
        self.bmi_label.setObjectName("bmiLabel")
        form_layout.addRow("BMI:", self.bmi_label)
        box.addLayout(form_layout)
        self.height.valueChanged.connect(self._update_bmi)
        self.weight.valueChanged.connect(self._update_bmi)

        group = QGroupBox("Conditions that raise the risk")
        grid = QGridLayout(group)
        self.condition_boxes: dict[str, QCheckBox] = {}
        for i, (key, label) in enumerate(CONDITIONS.items()):
            check = QCheckBox(label)
            check.setObjectName(f"condition_{key}")
            self.condition_boxes[key] = check
            grid.addWidget(check, i // 2, i % 2)
        box.addWidget(group)
        box.addStretch(1)
        return page

    def _build_method(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.recommendation_label = QLabel()
        self.recommendation_label.setObjectName("recommendationLabel")
        self.recommendation_label.setWordWrap(True)
        self.recommendation_label.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(self.recommendation_label)
        form_layout = QFormLayout()
        self.method_form = ErrorForm(form_layout)
        self.method = self.method_form.add_row("chosen_method", "Method to &use:", QComboBox())
        for m in TransferMethod:
            self.method.addItem(m.label, m.value)
        self.reason = self.method_form.add_row(
            "less_support_reason", "Wh&y less support:", QPlainTextEdit()
        )
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(64)
        box.addLayout(form_layout)
        self.less_label = QLabel()
        self.less_label.setObjectName("lessSupportLabel")
        self.less_label.setWordWrap(True)
        box.addWidget(self.less_label)
        self.save_profile = QCheckBox()
        self.save_profile.setObjectName("saveProfile")
        box.addWidget(self.save_profile)
        box.addStretch(1)
        self.method.currentIndexChanged.connect(self._method_changed)
        return page

    def _build_checks(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.plan_label = QLabel()
        self.plan_label.setObjectName("planLabel")
        self.plan_label.setWordWrap(True)
        box.addWidget(self.plan_label)
        hint = QLabel("Tick each check as it is done: Space ticks the highlighted check.")
        hint.setWordWrap(True)
        box.addWidget(hint)
        self.items_model = ChecklistItemsModel(self)
        self.items_model.on_toggle = self._toggle_item
        self.items_table = table_view(
            "checksTable",
            self.items_model,
            accessible="Checks",
            fit=QHeaderView.ResizeMode.ResizeToContents,
            stretch=1,
            stripes=False,
            wrap=True,
            view=CheckTable(self.items_model),
        )
        box.addWidget(self.items_table, 1)
        self.open_label = QLabel()
        self.open_label.setObjectName("openChecksLabel")
        box.addWidget(self.open_label)
        return page

    def _build_outcome(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        form_layout = QFormLayout()
        self.outcome_form = ErrorForm(form_layout)
        f = self.outcome_form
        self.performed_by = f.add_row("performed_by_id", "&Performed by:", QComboBox())
        self.assisted_by = f.add_row("assisted_by_id", "A&ssisted by:", QComboBox())
        self.assisted_by.addItem("Nobody", None)
        for s in self.staff:
            self.performed_by.addItem(s.label, s.id)
            self.assisted_by.addItem(s.label, s.id)
        me = self.performed_by.findData(self.ctx.actor.id)
        self.performed_by.setCurrentIndex(max(0, me))
        incident_row = QWidget()
        incident_box = QHBoxLayout(incident_row)
        incident_box.setContentsMargins(0, 0, 0, 0)
        self.incident_group = QButtonGroup(self)
        self.incident_buttons: dict[str, QRadioButton] = {}
        for value, text in (
            ("none", "No &incident"),
            ("near_miss", "Near &miss"),
            ("fall", "&Fall"),
        ):
            button = QRadioButton(text)
            button.setObjectName(f"incident_{value}")
            self.incident_group.addButton(button)
            self.incident_buttons[value] = button
            incident_box.addWidget(button)
        incident_box.addStretch(1)
        self.incident_buttons["none"].setChecked(True)
        f.add_row("incident", "Incident:", incident_row)
        self.description = f.add_row("incident_description", "Wh&at happened:", QPlainTextEdit())
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(70)
        self.therapist_told = f.add_row(
            "therapist_informed", "Therapist:", QCheckBox("Super&vising therapist was told")
        )
        self.notes = f.add_row("notes", "Notes:", QPlainTextEdit())
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)
        box.addLayout(form_layout)
        box.addStretch(1)
        self.incident_group.buttonToggled.connect(lambda *_: self._incident_changed())
        self._incident_changed()
        return page

    # -- state -------------------------------------------------------------------
    def _show_banner(self) -> None:
        p = self.patient
        precautions = "; ".join(p.precautions) if p.precautions else "none recorded"
        when = ""
        if self.checklist and self.checklist.appointment_start:
            when = f" · appointment {self.checklist.appointment_start:%Y-%m-%d %H:%M}"
        self.banner.setText(
            f"<b>{p.name}</b> (chart {p.chart_number}){when}<br>Precautions: {precautions}"
        )

    def _load_assessment(self, a: tr.Assessment) -> None:
        self.weight_bearing.setCurrentIndex(max(0, self.weight_bearing.findData(a.weight_bearing)))
        for combo, value in (
            (self.left_arm, a.upper_limb_strength_left),
            (self.right_arm, a.upper_limb_strength_right),
        ):
            combo.setCurrentIndex(next(i for i, (_, v) in enumerate(ARM_CHOICES) if v is value))
        self.cooperation.setCurrentIndex(max(0, self.cooperation.findData(a.cooperation)))
        self.height.setValue(a.height_cm or 0)
        self.weight.setValue(a.weight_kg or 0)
        for key, check in self.condition_boxes.items():
            check.setChecked(key in a.conditions)
        self._update_bmi()

    def current_assessment(self) -> tr.Assessment:
        return tr.Assessment(
            weight_bearing=self.weight_bearing.currentData() or "",
            upper_limb_strength_left=self.left_arm.currentData(),
            upper_limb_strength_right=self.right_arm.currentData(),
            cooperation=self.cooperation.currentData() or "",
            height_cm=self.height.value() or None,
            weight_kg=self.weight.value() or None,
            conditions=tuple(k for k, c in self.condition_boxes.items() if c.isChecked()),
        )

    def _update_bmi(self) -> None:
        bmi = self.current_assessment().bmi
        if bmi is None:
            self.bmi_label.setText("needs height and weight")
        elif bmi > self.threshold:
            self.bmi_label.setText(
                f"\u26a0 {bmi:g}: above {self.threshold:g}, bariatric-rated equipment needed"
            )
        else:
            self.bmi_label.setText(f"{bmi:g}")

    def _set_checklist(self, c: tr.ChecklistData | None) -> None:
        self.checklist = c
        if c is not None:
            self.items_model.update_items(c.items)
            plan = (
                (
                    f"<b>{c.method_label}</b>"
                    + (
                        f" (recommended: {TransferMethod(c.recommended_method).label})"
                        if c.recommended_method and c.recommended_method != c.chosen_method
                        else ""
                    )
                    + f"<br>Equipment: {', '.join(c.equipment) or 'none'}"
                )
                if c.planned
                else "The plan is not confirmed yet."
            )
            self.plan_label.setText(plan)
        self._update_buttons()

    def _update_buttons(self) -> None:
        c = self.checklist
        step = self.pages.currentIndex()
        self.back_button.setEnabled(step > ASSESSMENT)
        self.next_button.setEnabled(step < OUTCOME)
        self.complete_button.setEnabled(bool(c and c.can_complete))
        self.abort_button.setEnabled(c is not None)
        if c is None or not c.planned:
            self.open_label.setText("")
            self.complete_button.setToolTip("Confirm the assessment and the method first.")
            return
        n = len(c.open_required)
        if n:
            self.open_label.setText(
                f"\u26a0 {n} required check{'s' if n > 1 else ''} still open: "
                "the checklist cannot be completed yet."
            )
            self.complete_button.setToolTip("Every required check must be ticked first.")
        else:
            self.open_label.setText("\u2714 All required checks are done.")
            self.complete_button.setToolTip("Record the outcome and finish the checklist.")

    def show_step(self, step: int) -> None:
        self.pages.setCurrentIndex(step)
        self.step_label.setText(
            "  ›  ".join(f"<b>{s}</b>" if i == step else s for i, s in enumerate(STEPS))
        )
        self.message.clear_message()
        first = {
            ASSESSMENT: self.transfer_type,
            METHOD: self.method,
            CHECKS: self.items_table,
            OUTCOME: self.performed_by,
        }[step]
        if step == CHECKS and self.items_model.rowCount():
            index = self.items_table.currentIndex()
            if not index.isValid():
                self.items_table.setCurrentIndex(self.items_model.index(0, 0))
        first.setFocus()
        self._update_buttons()

    def _ctrl_enter(self) -> None:
        if self.complete_button.isEnabled():
            self.complete()
        elif self.next_button.isEnabled():
            self.go_next()

    # -- steps -------------------------------------------------------------------
    def go_back(self) -> None:
        if self.pages.currentIndex() > ASSESSMENT:
            self.show_step(self.pages.currentIndex() - 1)

    def go_next(self) -> None:
        step = self.pages.currentIndex()
        if step == ASSESSMENT and self._confirm_assessment():
            self.show_step(METHOD)
        elif step == METHOD and self._confirm_method():
            self.show_step(CHECKS)
        elif step == CHECKS:
            self.show_step(OUTCOME)

    def _recommend(self, session: Session) -> tr.Recommendation:
        return tr.recommend(session, self.transfer_type.currentData(), self.current_assessment())

    def _confirm_assessment(self) -> bool:
        self.assessment_form.clear()
        op = Op(self.ctx, self, self._recommend, title="Transfer checklist")
        recommendation = op.form(self._shower(self.assessment_form)).run()
        if recommendation is None:
            return False
        self.recommendation = recommendation
        self._refresh_recommendation()
        return True

    def _refresh_recommendation(self) -> None:
        if self.recommendation is None:
            self.recommendation = query(self.ctx, self._recommend)
        rec = self.recommendation
        advice = "".join(f"<li>{line}</li>" for line in rec.advice)
        self.recommendation_label.setText(
            f"<p>Recommended: <b>{rec.method_label}</b></p>"
            f"<p>Staff needed: <b>{rec.staff}</b><br>"
            f"Equipment: {', '.join(rec.equipment) or 'none'}</p>"
            + (f"<p>Watch for:</p><ul>{advice}</ul>" if advice else "")
        )
        if self.checklist is None or not self.checklist.planned:
            self.method.setCurrentIndex(self.method.findData(rec.method))
        changes = tr.profile_changes(self.patient.profile, self.current_assessment())
        may = allowed(self.ctx.actor, "update_mobility_profile")
        self.save_profile.setVisible(bool(changes))
        self.save_profile.setEnabled(may)
        self.save_profile.setChecked(may and bool(changes))
        self.save_profile.setText(
            f"Up&date {self.patient.name}'s mobility profile with these answers"
            if may
            else "Only a therapist can update the mobility profile; these answers are kept "
            "with this checklist."
        )
        self.save_profile.setToolTip("\n".join(changes))
        self._method_changed()

    def _method_changed(self) -> None:
        rec = self.recommendation
        method = self.method.currentData()
        less = bool(rec and method and tr.is_less_supported(method, rec.method))
        self.reason.setEnabled(less)
        self.less_label.setText(
            f"\u26a0 This gives less support than the recommended {rec.method_label}: "
            "say why before going on."
            if less and rec
            else ""
        )

    def ask_save_profile(self, changes: list[str]) -> bool:
        answer = QMessageBox.question(
            self,
            "Update the mobility profile?",
            f"Save these changes to {self.patient.name}'s mobility profile?\n\n"
            + "\n".join(changes),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _confirm_method(self) -> bool:
        self.method_form.clear()
        assessment = self.current_assessment()
        changes = tr.profile_changes(self.patient.profile, assessment)
        save_back = (
            self.save_profile.isVisible()
            and self.save_profile.isEnabled()
            and self.save_profile.isChecked()
            and bool(changes)
        )
        if save_back and not self.ask_save_profile(changes):
            save_back = False
        actor, patient_id = self.ctx.actor, self.patient.id
        checklist_id = self.checklist.id if self.checklist else None
        kind, method = self.transfer_type.currentData(), self.method.currentData()
        reason = self.reason.toPlainText() if self.reason.isEnabled() else ""

        def plan(s: Session) -> tuple[tr.ChecklistData, tr.PatientBrief | None]:
            # Started and planned in one unit of work: a refused plan leaves nothing behind.
            started = checklist_id
            if started is None:
                started = tr.start_checklist(
                    s, actor, patient_id, appointment_id=self.appointment_id, transfer_type=kind
                ).id
            data = tr.plan_checklist(
                s,
                actor,
                started,
                assessment,
                method,
                less_support_reason=reason,
                transfer_type=kind,
            )
            if not save_back:
                return data, None
            tr.save_assessment_to_profile(s, actor, patient_id, assessment)
            return data, tr.patient_brief(s, patient_id)

        op = Op(self.ctx, self, plan, title="Transfer checklist").form(
            self._shower(self.method_form)
        )
        planned = op.announcing(topics.TRANSFERS).run()
        if planned is None:
            return False
        data, patient = planned
        if patient is not None:
            self.patient = patient
        self.items_model.set_items(data.items)
        self._set_checklist(data)
        self._show_banner()
        return True

    def _toggle_item(self, item_id: int, done: bool) -> bool:
        if self.checklist is None:
            return False
        actor, checklist_id = self.ctx.actor, self.checklist.id
        op = Op(
            self.ctx,
            self,
            lambda s: tr.set_check(s, actor, checklist_id, item_id, done),
            title="Transfer checklist",
        )
        op.form(self._shower(None)).announcing(topics.TRANSFERS).success(self._set_checklist)
        op.run()
        return op.ok

    def _incident_changed(self) -> None:
        has = not self.incident_buttons["none"].isChecked()
        self.description.setEnabled(has)
        self.therapist_told.setEnabled(has)

    def _outcome(self) -> dict:
        incident = next(v for v, b in self.incident_buttons.items() if b.isChecked())
        has = incident != Incident.NONE.value
        return dict(
            performed_by_id=self.performed_by.currentData(),
            assisted_by_id=self.assisted_by.currentData(),
            incident=incident,
            incident_description=self.description.toPlainText() if has else "",
            therapist_informed=self.therapist_told.isChecked() if has else None,
            notes=self.notes.toPlainText(),
        )

    def _shower(self, form: ErrorForm | None) -> Callable[[str, str], bool]:
        """Where a refused value is shown: by its field of ``form``, else under the steps."""

        def show(field: str, message: str) -> bool:
            if form is None or not form.show_error(field, message):
                self.message.show_message(message)
            return True

        return show

    def _outcome_error(self, field: str, message: str) -> bool:
        """A refused outcome: the outcome step is shown first when the field is on it."""
        if field in self.outcome_form.errors:
            self.show_step(OUTCOME)
        return self._shower(self.outcome_form)(field, message)

    def _finish_with(self, work: Callable[[Session], tr.ChecklistData]) -> None:
        """Complete or abort the checklist through ``work``; the dialog closes when done."""
        self.outcome_form.clear()
        op = Op(self.ctx, self, work, title="Transfer checklist").form(self._outcome_error)
        op.announcing(topics.TRANSFERS).success(self._finished).run()

    def complete(self) -> None:
        if self.checklist is None or not self.checklist.can_complete:
            return
        actor, checklist_id, outcome = self.ctx.actor, self.checklist.id, self._outcome()
        self._finish_with(lambda s: tr.complete_checklist(s, actor, checklist_id, **outcome))

    def ask_abort_reason(self) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            "Abort the transfer",
            "Why is the transfer stopped? (For example: patient too dizzy, lift not charged)",
            QLineEdit.EchoMode.Normal,
        )
        return text if ok else None

    def abort(self) -> None:
        if self.checklist is None:
            return
        reason = self.ask_abort_reason()
        if reason is None:
            return
        outcome = self._outcome()
        if outcome["performed_by_id"] is not None and outcome["incident"] == "none":
            outcome["performed_by_id"] = None  # nobody moved the patient
            outcome["assisted_by_id"] = None
        actor, checklist_id = self.ctx.actor, self.checklist.id
        self._finish_with(lambda s: tr.abort_checklist(s, actor, checklist_id, reason, **outcome))

    def _finished(self, data: tr.ChecklistData) -> None:
        self.checklist = data
        self.accept()


def run_checklist(
    ctx: AppContext,
    patient_id: int | None = None,
    *,
    appointment_id: int | None = None,
    checklist_id: int | None = None,
    parent: QWidget | None = None,
) -> tr.ChecklistData | None:
    """Open the runner (for the schedule's "Transfer checklist" action and the Transfers page).

    Returns the checklist as it was left (None when nothing was saved).
    """
    start = Op(
        ctx,
        parent,
        lambda s: load_start(s, patient_id, appointment_id, checklist_id),
        title="Transfer checklist",
    ).run()
    if start is None:
        return None
    dialog = ChecklistDialog(ctx, start=start, parent=parent)
    run_dialog(dialog)
    return dialog.checklist
