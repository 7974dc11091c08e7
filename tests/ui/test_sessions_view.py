"""The Sessions page and the record dialog: record a checked-in visit end to end, co-sign, amend."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlmodel import select

from ptdesk.models import AppointmentStatus, RecordStatus, SessionRecord
from ptdesk.services import sessions
from ptdesk.services.sessions import InterventionEntry
from ptdesk.ui.bus import Bus
from ptdesk.ui.context import AppContext
from ptdesk.ui.sessions import models as session_models
from ptdesk.ui.sessions.codes_tab import BillingCodesTab, CodesModel
from ptdesk.ui.sessions.dialogs import AddendumDialog, RecordDialog
from ptdesk.ui.sessions.view import SessionsView
from tests.session_helpers import DAY, add_visit, make_clinic


@pytest.fixture
def clinic(db, owner):
    return make_clinic(db, owner)


def _ctx(db, actor) -> AppContext:
    return AppContext(db=db, actor=actor, bus=Bus())


@pytest.fixture
def tech_view(qtbot, db, clinic):
    view = SessionsView(_ctx(db, clinic.technician), today=lambda: DAY)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


def _dialog(qtbot, view: SessionsView, appointment_id: int) -> RecordDialog:
    dialog = view.record_dialog(appointment_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _add_code(dialog: RecordDialog, code: str, minutes: int) -> None:
    dialog.code_choice.setCurrentIndex(dialog.code_choice.findData(code))
    dialog.code_minutes.setValue(minutes)
    dialog.add_code_button.click()


def test_technician_records_a_checked_in_visit_end_to_end(qtbot, db, clinic, tech_view):
    view = tech_view
    assert view.visits_model.rowCount() == 1
    view.visits_table.selectRow(0)
    assert view.act_open.isEnabled() and view.act_open.text() == "&Record session…"
    assert not view.act_summary.isEnabled()
    dialog = _dialog(qtbot, view, clinic.appointment_id)
    # Pre-filled from the program; no assessment or plan for a technician.
    assert [r.name for r in dialog.exercises.rows()] == ["Bridge", "Clamshell", "Heel slide"]
    assert not dialog.assessment.isVisible() and not dialog.plan.isVisible()
    assert dialog.supervisor.isVisible() and "Tara Therapist" in dialog.supervisor.currentText()
    assert dialog.sign_button.text() == "Sign and send for co-&sign"
    assert "No lifting over 10 lb" in dialog.precautions.text()
    # What was done: edit the first exercise's reps through the table model.
    model = dialog.exercises
    reps = model.index(0, model.fields.index("reps"))
    assert model.flags(reps) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(reps, 8)
    notes = model.index(0, model.fields.index("notes"))
    assert model.setData(notes, "Felt it in the glutes")
    dialog.pain_before.setValue(6)
    dialog.pain_after.setValue(3)
    dialog.bp_systolic.setValue(124)
    dialog.bp_diastolic.setValue(80)
    dialog.heart_rate.setValue(250)  # mistyped
    dialog.subjective.setPlainText("Knee stiff after the weekend.")
    dialog.treatment.setPlainText("Program exercises with cues.")
    # Units follow the minutes as they are typed.
    _add_code(dialog, "97110", 33)
    assert "Total units: 2" in dialog.units_label.text()
    _add_code(dialog, "97140", 7)
    assert "Total timed minutes: 40" in dialog.units_label.text()
    assert "97110 × 2, 97140 × 1" in dialog.units_label.text()
    minutes = dialog.interventions.index(1, dialog.interventions.fields.index("minutes"))
    assert dialog.interventions.setData(minutes, 2)
    assert "97110 × 2, 97140 × 0" in dialog.units_label.text()
    assert dialog.interventions.setData(minutes, 12)
    assert "Total units: 3" in dialog.units_label.text()
    # The implausible heart rate is shown by its field; nothing is saved.
    asked = []
    dialog.confirm = lambda title, text: asked.append(text) or True
    assert not dialog.submit(sign=True)
    error = dialog.findChild(type(dialog.units_label), "error_heart_rate")
    assert error.isVisible() and "30 and 220" in error.text()
    with db.session() as s:
        assert s.exec(select(SessionRecord)).all() == []
    dialog.heart_rate.setValue(78)
    dialog.sign_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert asked and "co-sign" in asked[-1]
    with db.session() as s:
        record = s.exec(select(SessionRecord)).one()
        detail = sessions.get_record(s, record.id)
    assert detail.status == RecordStatus.AWAITING_COSIGN.value
    assert detail.data.exercises[0].reps == 8
    assert detail.data.exercises[0].notes == "Felt it in the glutes"
    assert (detail.data.pain_before, detail.data.heart_rate) == (6, 78)
    assert [(i.code, i.minutes, i.units) for i in detail.data.interventions] == [
        ("97110", 33, 2),
        ("97140", 12, 1),
    ]
    # The lists follow: the visit shows its record, and it waits for the co-sign.
    qtbot.waitUntil(lambda: "Awaiting co-sign" in view.visits_proxy.index(0, 5).data())
    view.cosigner.setCurrentIndex(0)  # all therapists
    assert view.waiting_model.rowCount() == 1
    assert view.tabs.tabText(view.waiting_index) == "Awaiting &co-sign (1)"


def test_therapist_cosigns_with_an_assessment_then_adds_an_addendum(qtbot, db, clinic):
    with db.session() as s:
        data = sessions.new_input(s, clinic.appointment_id)
        data.interventions = [InterventionEntry("97110", 30)]
        sessions.save_record(s, clinic.technician, clinic.appointment_id, data, sign=True)
    view = SessionsView(_ctx(db, clinic.therapist), today=lambda: DAY)
    qtbot.addWidget(view)
    view.tabs.setCurrentIndex(view.waiting_index)
    assert view.cosigner.currentData() == clinic.therapist.id
    assert view.waiting_model.rowCount() == 1
    dialog = _dialog(qtbot, view, clinic.appointment_id)
    assert dialog.sign_button.text() == "Co-&sign"
    assert not dialog.save_button.isVisible()
    assert not dialog.pain_before.isEnabled()  # what was done stays the technician's
    assert dialog.assessment.isVisible() and not dialog.assessment.isReadOnly()
    dialog.assessment.setPlainText("Tolerating progression.")
    dialog.confirm = lambda *_: True
    assert dialog.submit(sign=True)
    with db.session() as s:
        detail = sessions.record_for_appointment(s, clinic.appointment_id)
    assert detail.status == RecordStatus.SIGNED.value
    assert detail.data.assessment == "Tolerating progression."
    assert view.waiting_model.rowCount() == 0
    # Locked: reopening shows no save or sign, only the addendum.
    again = _dialog(qtbot, view, clinic.appointment_id)
    assert not again.sign_button.isVisible() and not again.save_button.isVisible()
    assert again.addendum_button.isVisible()
    assert not again.exercises.flags(again.exercises.index(0, 3)) & Qt.ItemFlag.ItemIsEditable
    addendum = AddendumDialog(view.ctx, detail.id, again)
    qtbot.addWidget(addendum)
    addendum.submit()  # empty: refused by the field
    assert not addendum.findChild(type(again.state), "error_addendum").isHidden()
    addendum.text.setPlainText("Heat pack given before exercise.")
    addendum.submit()
    assert addendum.result() == addendum.DialogCode.Accepted
    again.load()
    assert "Heat pack given before exercise." in again.state.text()


def test_schedule_offers_record_session_on_checked_in_and_completed_visits(qtbot, db, clinic):
    from ptdesk.ui.schedule.view import ScheduleView

    add_visit(db, clinic.patient_id, clinic.therapist.id, hour=13, status="scheduled")
    ctx = _ctx(db, clinic.technician)
    view = ScheduleView(ctx)
    qtbot.addWidget(view)
    view.set_day(DAY)
    opened = []
    import ptdesk.ui.sessions.dialogs as dialogs_module

    original = dialogs_module.RecordDialog.exec
    dialogs_module.RecordDialog.exec = lambda self: opened.append(self.appointment_id) or 0
    try:
        with db.session() as s:
            from ptdesk.services import scheduling as sched

            infos = sched.day_appointments(s, DAY)
        by_status = {a.status: a for a in infos}
        view._show_details(by_status[AppointmentStatus.CHECKED_IN.value])
        assert view.act_record.isEnabled()
        view.selected = lambda: by_status[AppointmentStatus.CHECKED_IN.value]
        view.act_record.trigger()
        assert opened == [clinic.appointment_id]
        view._show_details(by_status[AppointmentStatus.SCHEDULED.value])
        assert not view.act_record.isEnabled()
    finally:
        dialogs_module.RecordDialog.exec = original
    desk = ScheduleView(_ctx(db, clinic.front_desk))
    qtbot.addWidget(desk)
    desk._show_details(by_status[AppointmentStatus.CHECKED_IN.value])
    assert not desk.act_record.isEnabled()


def test_sessions_page_is_listed_between_equipment_and_settings():
    from ptdesk.ui.pages import all_pages

    keys = [p.object_name for p in all_pages()]
    assert keys.index("sessionsView") == keys.index("equipmentView") + 1
    assert keys.index("sessionsView") < keys.index("settingsView")


def test_billing_codes_are_edited_in_settings(qtbot, ctx):
    tab = BillingCodesTab(ctx)
    qtbot.addWidget(tab)
    codes = [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]
    assert "97110" in codes and "97161" in codes
    row = codes.index("97010")
    tab.table.selectRow(row)
    dialog = tab.code_dialog(tab.selected())
    qtbot.addWidget(dialog)
    dialog.description.setText("")
    assert not dialog.save()
    assert not dialog.findChild(type(tab.notice), "error_description").isHidden()
    dialog.description.setText("Hot or cold packs")
    dialog.timed.setChecked(True)
    assert dialog.save()
    qtbot.waitUntil(lambda: "Timed" in tab.proxy.index(row, 2).data())


def test_billing_codes_are_read_only_for_others(qtbot, db, clinic):
    tab = BillingCodesTab(_ctx(db, clinic.therapist))
    qtbot.addWidget(tab)
    assert not tab.add_button.isEnabled()
    assert "Only the owner" in tab.notice.text()


def test_models_pass_the_model_tester(qtbot, qtmodeltester, db, clinic):
    with db.session() as s:
        data = sessions.new_input(s, clinic.appointment_id)
        data.interventions = [InterventionEntry("97110", 20), InterventionEntry("97010", 0)]
        sessions.save_record(s, clinic.therapist, clinic.appointment_id, data)
        records = sessions.list_records(s, DAY, DAY)
        visits = sessions.visits_to_record(s, DAY)
        detail = sessions.record_for_appointment(s, clinic.appointment_id)
    for model, rows in (
        (session_models.RecordsModel(), records),
        (session_models.VisitsModel(), visits),
        (session_models.ExercisesModel(), detail.data.exercises),
        (session_models.InterventionsModel(lambda: {"97110"}), detail.data.interventions),
    ):
        model.set_rows(rows)
        assert model.rowCount() == len(rows) > 0
        qtmodeltester.check(model)
    codes = CodesModel()
    with db.session() as s:
        from ptdesk.services import billing

        codes.set_rows(billing.list_codes(s))
    qtmodeltester.check(codes)


def test_screens_look_right(qtbot, db, clinic, tech_view, tmp_path):
    dialog = _dialog(qtbot, tech_view, clinic.appointment_id)
    _add_code(dialog, "97110", 23)
    dialog.grab().save(str(tmp_path / "record.png"))
    tech_view.grab().save(str(tmp_path / "sessions.png"))
    assert (tmp_path / "record.png").stat().st_size > 0
    assert date(2026, 3, 11) == DAY


def test_a_record_being_typed_is_kept_as_a_draft_when_the_screen_locks(qtbot, db, clinic):
    from ptdesk.services import auth
    from ptdesk.ui.main_window import MainWindow

    with db.session() as s:
        auth.set_pin(s, clinic.owner, clinic.technician.id, "1357")
    window = MainWindow(_ctx(db, clinic.technician))
    qtbot.addWidget(window)
    window.show()
    window.show_page("sessions")
    view = window.pages["sessions"]
    untouched = view.record_dialog(clinic.appointment_id)
    untouched.show()
    assert untouched.keep_on_lock() is None  # opened, nothing typed: no draft is made
    untouched.reject()
    with db.session() as s:
        assert sessions.record_for_appointment(s, clinic.appointment_id).id is None

    dialog = _dialog(qtbot, view, clinic.appointment_id)
    dialog.subjective.setPlainText("Knee stiff in the morning; walked 20 minutes yesterday.")
    window.idle.timer.timeout.emit()  # the idle lock, while the dialog is open

    assert window.locked and not dialog.isVisible()
    with db.session() as s:
        kept = sessions.record_for_appointment(s, clinic.appointment_id)
    assert kept.status == "draft"
    assert kept.data.subjective.startswith("Knee stiff in the morning")
    panel = window.lock_screen.panel
    panel.pin.setText("1357")
    panel.sign_in()
    assert not window.locked
    note = window.findChild(QMessageBox, "keptOnLock")
    assert note is not None and "saved as a draft" in note.text() and "Maria Lopez" in note.text()
    note.close()


def test_summary_preview_shows_the_document_and_is_freed_when_closed(
    qtbot, db, clinic, tech_view, monkeypatch
):
    import ptdesk.ui.sessions.dialogs as dialogs_module

    shown: list[tuple[str, bool, bytes]] = []

    def fake_exec(dialog) -> int:
        deletes = dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        shown.append((dialog.windowTitle(), deletes, dialog.preview.pdf_bytes()))
        dialog.reject()  # closed at once, as a person would after printing
        return 0

    monkeypatch.setattr(dialogs_module.PdfPreviewDialog, "exec", fake_exec)
    problems: list[str] = []
    monkeypatch.setattr(dialogs_module.Op, "_fail", lambda op, exc: problems.append(exc.message))
    dialogs_module.preview_summary(tech_view.ctx, tech_view, clinic.appointment_id, True)
    assert shown == [] and problems == ["No session has been recorded for that appointment yet."]
    with db.session() as s:
        data = sessions.new_input(s, clinic.appointment_id)
        sessions.save_record(s, clinic.technician, clinic.appointment_id, data, sign=True)
    dialogs_module.preview_summary(tech_view.ctx, tech_view, clinic.appointment_id, True)
    (title, deletes, pdf) = shown[0]
    assert title.startswith("Patient copy: Maria Lopez, 2026-03-11") and deletes
    assert pdf.startswith(b"%PDF")
