"""Transfers screens: the runner from the keyboard, the page, the Settings tab, their models."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialog

from ptdesk.models import Appointment, Patient, TransferChecklist
from ptdesk.services import staff as staff_service
from ptdesk.services import transfers as tr
from ptdesk.services.audit import Actor
from ptdesk.ui.main_window import MainWindow
from ptdesk.ui.transfers import runner as runner_module
from ptdesk.ui.transfers.runner import CHECKS, METHOD, OUTCOME, ChecklistDialog, run_checklist
from ptdesk.ui.transfers.settings_tab import TransferSettingsTab
from ptdesk.ui.transfers.view import PatientPickerDialog, TransfersView


@pytest.fixture
def clinic(screen_clock, ctx):
    """A patient with limited mobility, an assistant, and today's appointment."""
    with ctx.db.session() as s:
        helper = staff_service.create_staff(s, ctx.actor, "Pat Assistant", "assistant")
        p = Patient(
            chart_number="000777",
            first_name="Rosa",
            last_name="Delgado",
            weight_bearing="partial",
            upper_limb_strength_left=True,
            upper_limb_strength_right=False,
            cooperation="cooperative",
            height_cm=165,
            weight_kg=80,
            precautions="Fall risk",
        )
        s.add(p)
        s.flush()
        start = screen_clock.now
        appt = Appointment(
            patient_id=p.id, staff_id=ctx.actor.id, start=start, end=start + timedelta(minutes=45)
        )
        s.add(appt)
        s.flush()
        return {"patient": p.id, "appointment": appt.id, "helper": helper.id}


def key(qtbot, widget, k, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(widget, k, modifier)


def alt(qtbot, dialog, k):
    """Press Alt+key; the mnemonic arrives through the window system, so let it through."""
    qtbot.keyClick(dialog.focusWidget() or dialog, k, Qt.KeyboardModifier.AltModifier)
    QApplication.processEvents()


def open_dialog(qtbot, ctx, **kw) -> ChecklistDialog:
    dialog = ChecklistDialog(ctx, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_running_a_checklist_from_an_appointment_with_the_keyboard(qtbot, ctx, clinic):
    dialog = open_dialog(
        qtbot, ctx, patient_id=clinic["patient"], appointment_id=clinic["appointment"]
    )
    assert "Rosa Delgado" in dialog.banner.text() and "Fall risk" in dialog.banner.text()
    assert dialog.weight_bearing.currentData() == "partial"  # pre-filled from the profile
    assert dialog.condition_boxes["fall_history"].isChecked()
    assert not dialog.complete_button.isEnabled()

    alt(qtbot, dialog, Qt.Key.Key_N)  # Next: assessment confirmed
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == METHOD)
    assert "Two caregivers with gait belt" in dialog.recommendation_label.text()
    assert "Staff needed: <b>2</b>" in dialog.recommendation_label.text()
    alt(qtbot, dialog, Qt.Key.Key_N)  # Next: plan saved, checks copied
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == CHECKS)
    with ctx.db.session() as s:
        row = s.get(TransferChecklist, dialog.checklist.id)
        assert row.appointment_id == clinic["appointment"] and row.planned

    table = dialog.items_table
    assert table.hasFocus()
    n = dialog.items_model.rowCount()
    for row in range(n):
        still_open = any(i.required and not i.done for i in dialog.checklist.items)
        assert dialog.complete_button.isEnabled() is not still_open
        key(qtbot, table, Qt.Key.Key_Space)
        if row < n - 1:
            key(qtbot, table, Qt.Key.Key_Down)
    assert all(i.done for i in dialog.checklist.items)
    assert dialog.complete_button.isEnabled()

    alt(qtbot, dialog, Qt.Key.Key_N)  # to the outcome
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == OUTCOME)
    alt(qtbot, dialog, Qt.Key.Key_C)  # Complete without an assistant: refused at the field
    qtbot.waitUntil(dialog.outcome_form.errors["assisted_by_id"].isVisible)
    assert dialog.result() != QDialog.DialogCode.Accepted
    alt(qtbot, dialog, Qt.Key.Key_S)  # Assisted by
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.assisted_by)
    qtbot.keyClicks(dialog.assisted_by, "Pat")  # typing picks the name
    assert dialog.assisted_by.currentData() == clinic["helper"]
    alt(qtbot, dialog, Qt.Key.Key_M)  # Incident: near miss
    qtbot.waitUntil(dialog.incident_buttons["near_miss"].isChecked)
    alt(qtbot, dialog, Qt.Key.Key_A)  # What happened
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.description)
    qtbot.keyClicks(dialog.description, "Knee buckled at the pivot; caught with the belt.")
    alt(qtbot, dialog, Qt.Key.Key_V)  # the supervising therapist was told
    qtbot.waitUntil(dialog.therapist_told.isChecked)
    with qtbot.waitSignal(ctx.bus.changed):
        alt(qtbot, dialog, Qt.Key.Key_C)
    assert dialog.result() == QDialog.DialogCode.Accepted
    with ctx.db.session() as s:
        done = tr.get_checklist(s, dialog.checklist.id)
    assert done.status == "completed" and done.incident == "near_miss"
    assert done.therapist_informed is True
    assert (done.performed_by, done.assisted_by) == ("Olivia Owner", "Pat Assistant")
    assert done.incident_description.startswith("Knee buckled")


def _planned_dialog(qtbot, ctx, clinic) -> ChecklistDialog:
    with ctx.db.session() as s:
        c = tr.start_checklist(s, ctx.actor, clinic["patient"])
        tr.plan_checklist(s, ctx.actor, c.id, c.assessment, "two_caregivers")
    return open_dialog(qtbot, ctx, checklist_id=c.id)


def test_complete_stays_disabled_while_a_required_check_is_open(qtbot, ctx, clinic):
    dialog = _planned_dialog(qtbot, ctx, clinic)
    assert dialog.pages.currentIndex() == CHECKS  # a planned checklist resumes at the checks
    model = dialog.items_model
    rows = list(enumerate(model.items()))
    required = [r for r, i in rows if i.required]
    optional = [r for r, i in rows if not i.required]
    for r in required[:-1]:
        model.setData(model.index(r, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert not dialog.complete_button.isEnabled()
    assert "1 required check still open" in dialog.open_label.text()
    model.setData(
        model.index(required[-1], 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert dialog.complete_button.isEnabled()
    assert "All required checks are done" in dialog.open_label.text()
    model.setData(
        model.index(required[0], 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
    )
    assert not dialog.complete_button.isEnabled()
    assert optional and all(not model.items()[r].done for r in optional)
    # The ticks are saved as they are made.
    with ctx.db.session() as s:
        saved = tr.get_checklist(s, dialog.checklist.id)
    assert [i.done for i in saved.items] == [i.done for i in model.items()]


def test_checks_model(qtbot, qtmodeltester, ctx, clinic):
    dialog = _planned_dialog(qtbot, ctx, clinic)
    qtmodeltester.check(dialog.items_model)
    index = dialog.items_model.index(0, 0)
    assert index.data() == "Open"  # state in words, not only a tick box
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked


def test_less_support_needs_a_reason_next_to_the_field(qtbot, ctx, clinic):
    dialog = open_dialog(qtbot, ctx, patient_id=clinic["patient"])
    dialog.go_next()
    assert dialog.pages.currentIndex() == METHOD
    dialog.method.setCurrentIndex(dialog.method.findData("contact_guard"))
    assert dialog.reason.isEnabled() and "less support" in dialog.less_label.text()
    dialog.go_next()
    assert dialog.pages.currentIndex() == METHOD
    assert dialog.method_form.errors["less_support_reason"].isVisible()
    with ctx.db.session() as s:
        assert tr.list_checklists(s) == []  # the refused plan left nothing behind
    dialog.reason.setPlainText("Therapist watched and cleared contact guard")
    dialog.go_next()
    assert dialog.pages.currentIndex() == CHECKS
    assert dialog.checklist.less_support_reason == "Therapist watched and cleared contact guard"


def test_changed_assessment_is_saved_to_the_profile_after_confirmation(
    qtbot, ctx, clinic, monkeypatch
):
    asked = []
    monkeypatch.setattr(
        ChecklistDialog, "ask_save_profile", lambda self, changes: asked.append(changes) or True
    )
    dialog = open_dialog(qtbot, ctx, patient_id=clinic["patient"])
    dialog.right_arm.setCurrentIndex(dialog.right_arm.findData(True))
    dialog.weight.setValue(84)
    dialog.go_next()
    assert dialog.save_profile.isVisible() and dialog.save_profile.isChecked()
    assert "Independent / stand-by" not in dialog.recommendation_label.text()
    dialog.go_next()
    assert asked and any("Right arm: weak" in line for line in asked[0])
    with ctx.db.session() as s:
        p = s.get(Patient, clinic["patient"])
    assert p.upper_limb_strength_right is True and p.weight_kg == 84


def test_technician_cannot_update_the_profile_but_can_run_the_checklist(qtbot, ctx, clinic):
    with ctx.db.session() as s:
        tech = staff_service.create_staff(s, ctx.actor, "Tom Tech", "technician")
    ctx.actor = Actor.from_staff(tech)
    dialog = open_dialog(qtbot, ctx, patient_id=clinic["patient"])
    dialog.weight.setValue(90)
    dialog.go_next()
    assert dialog.save_profile.isVisible() and not dialog.save_profile.isEnabled()
    assert "Only a therapist" in dialog.save_profile.text()
    dialog.go_next()
    assert dialog.pages.currentIndex() == CHECKS
    with ctx.db.session() as s:
        assert s.get(Patient, clinic["patient"]).weight_kg == 80
        assert tr.get_checklist(s, dialog.checklist.id).assessment.weight_kg == 90


def test_abort_records_the_reason(qtbot, ctx, clinic, monkeypatch):
    monkeypatch.setattr(ChecklistDialog, "ask_abort_reason", lambda self: "Patient too dizzy")
    dialog = _planned_dialog(qtbot, ctx, clinic)
    dialog.abort()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with ctx.db.session() as s:
        c = tr.get_checklist(s, dialog.checklist.id)
    assert c.status == "aborted" and c.abort_reason == "Patient too dizzy"
    assert c.performed_by_id is None  # nobody moved the patient


def test_run_checklist_finds_the_patient_of_an_appointment(qtbot, ctx, clinic, monkeypatch):
    seen = []

    def fake_exec(self):
        seen.append((self.patient.id, self.appointment_id))
        return 0

    monkeypatch.setattr(runner_module.ChecklistDialog, "exec", fake_exec)
    assert run_checklist(ctx, appointment_id=clinic["appointment"]) is None  # nothing saved
    assert seen == [(clinic["patient"], clinic["appointment"])]
    with ctx.db.session() as s:
        assert tr.list_checklists(s) == []


def test_transfers_page_lists_today_and_filters_history(qtbot, qtmodeltester, ctx, clinic):
    with ctx.db.session() as s:
        other = Patient(chart_number="000900", first_name="Ben", last_name="Okafor")
        s.add(other)
        s.flush()
        tr.start_checklist(s, ctx.actor, other.id)
        c = tr.start_checklist(s, ctx.actor, clinic["patient"])
        tr.abort_checklist(s, ctx.actor, c.id, "Declined")
    view = TransfersView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtmodeltester.check(view.today_model)
    qtmodeltester.check(view.history_model)
    assert view.today_proxy.rowCount() == 2
    assert "1 started (still open) · 0 completed · 1 aborted" in view.summary.text()
    statuses = {view.today_proxy.index(r, 5).data() for r in range(2)}
    assert statuses == {"Started", "Aborted"}
    qtbot.keyClicks(view.patient_filter, "okaf")
    assert view.history_proxy.rowCount() == 1
    assert view.history_proxy.index(0, 1).data() == "Ben Okafor"
    view.patient_filter.clear()
    view.staff_filter.setCurrentIndex(view.staff_filter.findData(clinic["helper"]))
    assert view.history_proxy.rowCount() == 0
    view.staff_filter.setCurrentIndex(0)
    # Another screen finishing a checklist refreshes the page.
    with ctx.db.session() as s:
        started = [r for r in tr.list_checklists(s) if r.status == "started"][0]
        tr.abort_checklist(s, ctx.actor, started.id, "Lift not charged")
    ctx.bus.announce("transfers")
    assert "0 started (still open) · 0 completed · 2 aborted" in view.summary.text()
    # Selecting a row offers the record.
    view.today_table.setFocus()
    view.today_table.selectRow(0)
    assert view.pdf_button.isEnabled() and not view.continue_button.isEnabled()


def test_record_pdf_saved_from_the_page(qtbot, ctx, clinic, tmp_path):
    with ctx.db.session() as s:
        c = tr.start_checklist(s, ctx.actor, clinic["patient"])
    view = TransfersView(ctx)
    qtbot.addWidget(view)
    out = tmp_path / "record.pdf"
    with qtbot.waitSignal(view.record_saved, timeout=10000) as signal:
        view.save_record(c.id, out, open_after=False)
    assert signal.args == [out] and out.read_bytes().startswith(b"%PDF")


def test_patient_picker(qtbot, qtmodeltester, ctx, clinic):
    picker = PatientPickerDialog(ctx)
    qtbot.addWidget(picker)
    qtmodeltester.check(picker.model)
    qtbot.keyClicks(picker.search, "777")
    assert picker.model.rowCount() == 1
    assert picker.chosen_id() == clinic["patient"]


def test_page_is_registered_in_order(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert isinstance(window.pages["transfers"], TransfersView)  # built when first used
    keys = window.page_keys
    assert keys.index("transfers") < keys.index("settings")


def test_settings_decision_table_edited_from_the_keyboard(qtbot, qtmodeltester, ctx):
    tab = TransferSettingsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    qtmodeltester.check(tab.decision_model)
    qtmodeltester.check(tab.template_model)
    table = tab.decision_table
    index = tab.decision_model.index(0, 2)  # full weight bearing, both arms, cooperative
    assert index.data() == "Independent / stand-by"
    table.setFocus()
    table.setCurrentIndex(index)
    key(qtbot, table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: table.findChild(QComboBox) is not None)
    editor = table.findChild(QComboBox)
    key(qtbot, editor, Qt.Key.Key_Down)
    key(qtbot, editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn
    qtbot.waitUntil(lambda: tab.decision_model.index(0, 2).data() == "Contact guard (changed)")
    with ctx.db.session() as s:
        a = tr.Assessment("full", True, True, "cooperative", 170, 70)
        assert tr.recommend(s, "wheelchair_table", a).method == "contact_guard"
        assert tr.recommend(s, "car", a).method == "independent"


def test_settings_checks_can_be_added_and_moved(qtbot, ctx, monkeypatch):
    tab = TransferSettingsTab(ctx)
    qtbot.addWidget(tab)
    tab.transfer_type.setCurrentIndex(tab.transfer_type.findData("car"))

    class Filled:
        def __init__(self, item):
            self.form = None

        def exec(self):
            return QDialog.DialogCode.Accepted

        def values(self):
            return dict(text="Parking brake on", phase="before", required=True, applies_when="")

        def deleteLater(self):  # noqa: N802 - freed like a dialog once answered
            pass

    monkeypatch.setattr(tab, "edit_dialog", lambda item: Filled(item))
    tab.add_item()
    texts = [r.text for r in tab.template_model.rows()]
    assert "Parking brake on" in texts
    position = texts.index("Parking brake on")
    assert tab.selected_item().text == "Parking brake on"
    tab.move_item(-1)
    assert [r.text for r in tab.template_model.rows()].index("Parking brake on") == position - 1
    with ctx.db.session() as s:
        assert [t.text for t in tr.list_template(s, "car")][position - 1] == "Parking brake on"


def test_settings_are_read_only_for_others(qtbot, ctx):
    with ctx.db.session() as s:
        tech = staff_service.create_staff(s, ctx.actor, "Tom Tech", "technician")
    ctx.actor = Actor.from_staff(tech)
    tab = TransferSettingsTab(ctx)
    qtbot.addWidget(tab)
    assert not tab.add_button.isEnabled() and not tab.bmi_save.isEnabled()
    index = tab.decision_model.index(0, 2)
    assert not tab.decision_model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert "Only the owner" in tab.notice.text()


def test_settings_bariatric_threshold(qtbot, ctx):
    tab = TransferSettingsTab(ctx)
    qtbot.addWidget(tab)
    assert tab.bmi.value() == 50
    tab.bmi.setValue(45)
    with qtbot.waitSignal(ctx.bus.changed) as signal:
        qtbot.mouseClick(tab.bmi_save, Qt.MouseButton.LeftButton)
    assert signal.args == ["transfer_rules"]
    with ctx.db.session() as s:
        assert tr.bariatric_threshold(s) == 45
