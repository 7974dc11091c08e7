"""The Patients page: search as you type, filters, editing, date-of-birth errors, models."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from ptdesk.models import Appointment, AppointmentStatus, Patient
from ptdesk.services import authorizations as auth_service
from ptdesk.services import patients as patient_service
from ptdesk.services.authorizations import AuthorizationData
from ptdesk.services.patients import PatientData
from ptdesk.ui.patients.dialogs import AuthorizationDialog, PatientDialog
from ptdesk.ui.patients.model import (
    STATUS_ALL,
    STATUS_DISCHARGED,
    AuthorizationTableModel,
    PatientTableModel,
)
from ptdesk.ui.patients.view import PatientsView

PEOPLE = [
    ("Ana", "Lopez", date(1961, 4, 23), "555-201-4400"),
    ("Ben", "Okafor", date(1990, 12, 5), "555-777-1234"),
    ("Carla", "Lopes", date(1975, 1, 2), "(555) 300-9999"),
    ("Dmitri", "Novak", None, ""),
]


@pytest.fixture
def ids(ctx) -> dict[str, int]:
    out = {}
    with ctx.db.session() as s:
        for first, last, dob, phone in PEOPLE:
            row = patient_service.create_patient(
                s,
                ctx.actor,
                PatientData(first_name=first, last_name=last, date_of_birth=dob, phone=phone),
            )
            out[first] = row.id
    return out


@pytest.fixture
def view(qtbot, ctx, ids) -> PatientsView:
    widget = PatientsView(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def shown_names(view: PatientsView) -> list[str]:
    return [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())]


def test_search_filters_the_list_as_you_type(qtbot, view):
    assert shown_names(view) == ["Lopes, Carla", "Lopez, Ana", "Novak, Dmitri", "Okafor, Ben"]
    qtbot.keyClicks(view.search, "lo")
    assert shown_names(view) == ["Lopes, Carla", "Lopez, Ana"]
    qtbot.keyClicks(view.search, "pez")
    assert shown_names(view) == ["Lopez, Ana"]
    assert view.count_label.text() == "1 of 4 patients shown"
    # the first match is shown in the detail, right after the list is painted
    qtbot.waitUntil(lambda: view.detail.title.text().count("Lopez, Ana") == 1, timeout=2000)
    view.search.clear()
    qtbot.keyClicks(view.search, "12/05/1990")
    assert shown_names(view) == ["Okafor, Ben"]
    view.search.clear()
    qtbot.keyClicks(view.search, "5553009999")
    assert shown_names(view) == ["Lopes, Carla"]
    view.search.clear()
    qtbot.keyClicks(view.search, "000004")
    assert shown_names(view) == ["Novak, Dmitri"]
    view.search.clear()
    qtbot.keyClicks(view.search, "ana 1961")
    assert shown_names(view) == ["Lopez, Ana"]
    qtbot.keyClicks(view.search, "x")
    assert shown_names(view) == []


def test_discharged_patients_leave_the_active_list(qtbot, view, ctx, ids, monkeypatch):
    view.select_patient(ids["Ben"])
    monkeypatch.setattr(view, "confirm", lambda *_: True)
    qtbot.mouseClick(view.discharge_button, Qt.MouseButton.LeftButton)
    assert "Okafor, Ben" not in shown_names(view)
    view.status_filter.setCurrentIndex(view.status_filter.findData(STATUS_DISCHARGED))
    assert shown_names(view) == ["Okafor, Ben"]
    row = view.proxy.index(0, 5).data()
    assert row.startswith("Discharged ")  # said in words, not only by colour
    view.select_patient(ids["Ben"])
    assert view.discharge_button.text() == "&Reactivate…"
    qtbot.mouseClick(view.discharge_button, Qt.MouseButton.LeftButton)
    assert shown_names(view) == []
    view.status_filter.setCurrentIndex(view.status_filter.findData(STATUS_ALL))
    assert len(shown_names(view)) == 4
    with ctx.db.session() as s:
        assert patient_service.get_patient(s, ids["Ben"]).active


def _drive(dialog: PatientDialog, fill) -> int:
    fill(dialog)
    dialog.save()
    return dialog.result()


def test_editing_a_patient_and_saving_shows_the_change_in_the_list(
    qtbot, view, ctx, ids, monkeypatch
):
    view.select_patient(ids["Ana"])

    def fill(dialog: PatientDialog) -> None:
        assert dialog.first_name.text() == "Ana"
        dialog.last_name.setText("Lopez-Garcia")
        dialog.precautions.setPlainText("Fall risk\nNo hip flexion past 90°")
        dialog.height_cm.setValue(165)
        dialog.weight_kg.setValue(70)
        assert dialog.bmi.text().startswith("BMI 25.7")

    original = view.open_patient_dialog

    def opener(patient_id):
        dialog = original(patient_id)
        monkeypatch.setattr(dialog, "exec", lambda: _drive(dialog, fill))
        return dialog

    monkeypatch.setattr(view, "open_patient_dialog", opener)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)  # Enter edits the selected patient
    assert "Lopez-Garcia, Ana" in shown_names(view)
    assert view.selected_id() == ids["Ana"]
    row = view.proxy.index(shown_names(view).index("Lopez-Garcia, Ana"), 4).data()
    assert row == "\u26a0 Fall risk; No hip flexion past 90°"
    assert "PRECAUTIONS" in view.detail.precautions.text()
    assert "No hip flexion past 90°" in view.detail.precautions.text()
    with ctx.db.session() as s:
        saved = patient_service.get_patient(s, ids["Ana"])
    assert (saved.last_name, saved.bmi) == ("Lopez-Garcia", 25.7)


def test_new_patient_gets_a_chart_number_and_is_selected(qtbot, view, monkeypatch):
    qtbot.keyClicks(view.search, "lopez")

    def fill(dialog: PatientDialog) -> None:
        dialog.first_name.setText(" Eva ")
        dialog.last_name.setText("Stone")
        dialog.date_of_birth.setText("03/04/1950")

    original = view.open_patient_dialog

    def opener(patient_id):
        dialog = original(patient_id)
        monkeypatch.setattr(dialog, "exec", lambda: _drive(dialog, fill))
        return dialog

    monkeypatch.setattr(view, "open_patient_dialog", opener)
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    assert "Stone, Eva" in shown_names(view)
    assert "Chart 000005" in view.detail.title.text()
    assert "born 1950-03-04" in view.detail.title.text()


IN_TWO_DAYS = "two days from today"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        (IN_TWO_DAYS, "cannot be in the future"),
        ("31/31/1961", "not a date"),
        ("1850-01-01", "too far in the past"),
    ],
)
def test_invalid_date_of_birth_shows_message_by_the_field_and_saves_nothing(
    qtbot, screen_clock, ctx, ids, typed, words
):
    if typed == IN_TWO_DAYS:
        typed = (screen_clock.today + timedelta(days=2)).isoformat()
    dialog = PatientDialog(ctx, ids["Ana"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.last_name.setText("Changed")
    dialog.date_of_birth.setText(typed)
    assert dialog.save() is False
    error = dialog.findChild(type(dialog.bmi), "error_date_of_birth")
    assert error.isVisible() and words in error.text()
    assert dialog.result() != PatientDialog.DialogCode.Accepted
    assert dialog.focusWidget() is dialog.date_of_birth
    with ctx.db.session() as s:
        assert patient_service.get_patient(s, ids["Ana"]).last_name == "Lopez"
    # Correcting the date saves, and the message goes away.
    dialog.date_of_birth.setText("1961-04-24")
    assert dialog.save() is True
    assert not error.isVisible()


def test_other_field_errors_show_by_their_fields(qtbot, ctx, ids):
    dialog = PatientDialog(ctx, ids["Ana"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.weight_kg.setValue(480)
    assert dialog.save() is False
    error = dialog.findChild(type(dialog.bmi), "error_weight_kg")
    assert error.isVisible() and "between 2 and 400 kg" in error.text()
    dialog.weight_kg.setValue(0)
    dialog.email.setText("ana@")
    assert dialog.save() is False
    assert not error.isVisible()
    assert dialog.findChild(type(dialog.bmi), "error_email").isVisible()


def test_duplicate_name_and_birth_date_asks_first(qtbot, ctx, ids, monkeypatch):
    asked = []
    dialog = PatientDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.first_name.setText("ana")
    dialog.last_name.setText("LOPEZ")
    dialog.date_of_birth.setText("1961-04-23")
    monkeypatch.setattr(dialog, "ask_duplicate", lambda exc: asked.append(exc) or False)
    assert dialog.save() is False
    assert "chart 000001" in asked[0].message
    with ctx.db.session() as s:
        assert len(s.exec(select(Patient)).all()) == 4
    monkeypatch.setattr(dialog, "ask_duplicate", lambda exc: True)
    assert dialog.save() is True
    with ctx.db.session() as s:
        assert len(s.exec(select(Patient)).all()) == 5


def test_authorizations_show_status_and_warnings(qtbot, screen_clock, view, ctx, ids):
    today = screen_clock.today
    with ctx.db.session() as s:
        auth_service.add_authorization(
            s,
            ctx.actor,
            ids["Ben"],
            AuthorizationData(
                payer="Aetna",
                member_number="W123",
                visits_authorized=2,
                start_date=today - timedelta(days=20),
                end_date=today + timedelta(days=10),
            ),
        )
        start = datetime.combine(today - timedelta(days=3), datetime.min.time()).replace(hour=9)
        s.add(
            Appointment(
                patient_id=ids["Ben"],
                staff_id=ctx.actor.id,
                start=start,
                end=start + timedelta(minutes=45),
                status=AppointmentStatus.COMPLETED.value,
            )
        )
    view.reload()
    view.select_patient(ids["Ben"])
    assert view.auth_model.rowCount() == 1
    assert view.auth_model.index(0, 2).data() == "1 of 2"
    end = (today + timedelta(days=10)).isoformat()
    assert view.auth_summary.text() == f"Aetna: 1 of 2 used, expires {end}"
    warnings = view.auth_warnings.text()
    assert "Only 1 authorized visit left." in warnings
    assert "within 14 days" in warnings
    assert view.auth_model.index(0, 3).data() == "\u26a0 1 left"


def test_authorization_dialog_names_the_bad_field(qtbot, ctx, ids):
    dialog = AuthorizationDialog(ctx, ids["Ana"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.payer.setText("Cigna")
    dialog.end_date.setDate(dialog.start_date.date().addDays(-1))
    assert dialog.save() is False
    assert dialog.findChild(type(dialog.payer).__mro__[0], "payer") is dialog.payer
    error = [w for w in dialog.findChildren(object) if w.objectName() == "error_end_date"][0]
    assert error.isVisible() and "before the first day" in error.text()
    with ctx.db.session() as s:
        assert auth_service.list_for_patient(s, ids["Ana"]) == []


def test_models_pass_the_model_tester(qtmodeltester, ctx, ids):
    with ctx.db.session() as s:
        rows = patient_service.list_patient_rows(s)
        auth_service.add_authorization(
            s,
            ctx.actor,
            ids["Ana"],
            AuthorizationData(
                payer="Medicare",
                visits_authorized=10,
                start_date=date(2026, 1, 1),
                end_date=date(2026, 3, 31),
            ),
        )
        statuses = auth_service.statuses_for_patient(s, ids["Ana"], today=date(2026, 2, 1))
    model = PatientTableModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    auth_model = AuthorizationTableModel()
    auth_model.set_rows(statuses)
    qtmodeltester.check(auth_model)


def test_list_loads_in_one_query_without_per_row_queries(qtbot, ctx, ids, monkeypatch):
    from sqlalchemy import event

    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", count)
    try:
        widget = PatientsView(ctx)
        qtbot.addWidget(widget)
        widget.search.setText("zzz")  # nothing selected: only the list itself is read
        statements.clear()
        widget.reload()
        widget.search.setText("o")
        widget.table.model().sort(2)
        for r in range(widget.proxy.rowCount()):
            for c in range(widget.proxy.columnCount()):
                widget.proxy.index(r, c).data()
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", count)
    patient_selects = [s for s in statements if "FROM patient" in s]
    assert len(patient_selects) <= 3  # the list, then at most the selected patient's detail


def test_sorting_by_a_column_keeps_the_filter_and_the_selection(qtbot, view, ids):
    view.select_patient(ids["Ben"])
    view.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # date of birth, as dates
    assert shown_names(view) == ["Novak, Dmitri", "Lopez, Ana", "Lopes, Carla", "Okafor, Ben"]
    assert view.selected_id() == ids["Ben"]
    qtbot.keyClicks(view.search, "lo")
    view.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert shown_names(view) == ["Lopes, Carla", "Lopez, Ana"]
    view.search.clear()
    assert shown_names(view)[0] == "Okafor, Ben"
    view.reload()  # new rows keep the chosen order
    assert shown_names(view)[0] == "Okafor, Ben"


def test_changes_made_elsewhere_show_after_the_announcement(qtbot, view, ctx, ids):
    from ptdesk.ui import bus as topics

    view.select_patient(ids["Dmitri"])
    assert "No precautions recorded." in view.detail.precautions.text()
    with ctx.db.session() as s:
        data = PatientData.from_patient(patient_service.get_patient(s, ids["Dmitri"]))
        data.precautions = "Latex allergy"
        patient_service.update_patient(s, ctx.actor, ids["Dmitri"], data)
    ctx.bus.announce(topics.PATIENTS)
    assert "Latex allergy" in view.detail.precautions.text()
    assert view.proxy.index(shown_names(view).index("Novak, Dmitri"), 4).data() == (
        "\u26a0 Latex allergy"
    )
    assert view.selected_id() == ids["Dmitri"]


def test_typing_on_narrows_and_backspace_widens_again(qtbot, view):
    qtbot.keyClicks(view.search, "lop")
    assert shown_names(view) == ["Lopes, Carla", "Lopez, Ana"]
    qtbot.keyClicks(view.search, "ez")
    assert shown_names(view) == ["Lopez, Ana"]
    qtbot.keyClick(view.search, Qt.Key.Key_Backspace)
    qtbot.keyClick(view.search, Qt.Key.Key_Backspace)
    qtbot.keyClick(view.search, Qt.Key.Key_Backspace)
    assert shown_names(view) == ["Lopes, Carla", "Lopez, Ana"]
    qtbot.keyClicks(view.search, " ana")  # a second word narrows within the first
    assert shown_names(view) == ["Lopez, Ana"]
    view.search.clear()
    assert len(shown_names(view)) == 4


def test_filter_proxy_is_a_sound_model_and_keeps_the_selected_patient(
    qtbot, qtmodeltester, view, ids
):
    qtmodeltester.check(view.proxy)
    view.select_patient(ids["Ana"])
    qtbot.keyClicks(view.search, "lo")  # Ana still matches: still selected, same row data
    assert view.selected_id() == ids["Ana"]
    qtbot.keyClicks(view.search, "pes")  # Ana no longer matches: the first match is chosen
    assert view.selected_id() != ids["Ana"]
    qtbot.waitUntil(lambda: "Lopes, Carla" in view.detail.title.text(), timeout=2000)
    qtmodeltester.check(view.proxy)
    view.search.clear()
    view.status_filter.setCurrentIndex(view.status_filter.findData("all"))
    qtmodeltester.check(view.proxy)


def test_front_desk_sees_precautions_and_mobility_read_only(qtbot, ctx, ids):
    import dataclasses

    from PySide6.QtWidgets import QLabel

    from ptdesk.services.audit import Actor

    with ctx.db.session() as s:
        data = PatientData.from_patient(patient_service.get_patient(s, ids["Ana"]))
        data.precautions, data.weight_kg, data.weight_bearing = "Fall risk", 70.26, "partial"
        patient_service.update_patient(s, ctx.actor, ids["Ana"], data)
    desk = dataclasses.replace(ctx, actor=Actor(id=None, name="Dee Desk", role="front_desk"))
    dialog = PatientDialog(desk, ids["Ana"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.precautions.isReadOnly() and dialog.weight_kg.isReadOnly()
    assert not dialog.weight_bearing.isEnabled()
    note = dialog.findChild(QLabel, "mobilityLocked")
    assert note.isVisible() and "therapist" in note.text()
    dialog.phone.setText("555-201-9999")
    assert dialog.save() is True  # the stored weight is kept exactly, so nothing is refused
    with ctx.db.session() as s:
        got = patient_service.get_patient(s, ids["Ana"])
    assert (got.phone, got.precautions, got.weight_kg) == ("555-201-9999", "Fall risk", 70.26)
    own = PatientDialog(ctx, ids["Ana"])
    qtbot.addWidget(own)
    assert not own.precautions.isReadOnly() and own.findChild(QLabel, "mobilityLocked") is None


def _book_ahead(ctx, patient_id: int, days: int, today: date) -> int:
    from ptdesk.models import Role, Staff
    from ptdesk.services import scheduling as sched

    start = datetime.combine(today + timedelta(days=days), datetime.min.time())
    with ctx.db.session() as s:
        ana = Staff(name=f"Ana Therapist {days}", role=Role.THERAPIST.value)
        s.add(ana)
        s.flush()
        request = sched.BookingRequest(patient_id, ana.id, start.replace(hour=10), 45)
        return sched.book(s, ctx.actor, request, override_reason="test").id


def test_discharge_with_future_visits_offers_to_cancel_them(
    qtbot, screen_clock, view, ctx, ids, monkeypatch
):
    today = screen_clock.today
    first, second = _book_ahead(ctx, ids["Ben"], 2, today), _book_ahead(ctx, ids["Ben"], 9, today)
    asked = []
    monkeypatch.setattr(view, "confirm", lambda *_: pytest.fail("the visits were not mentioned"))
    monkeypatch.setattr(view, "ask_future_visits", lambda name, n: asked.append((name, n)))
    view.select_patient(ids["Ben"])
    qtbot.mouseClick(view.discharge_button, Qt.MouseButton.LeftButton)
    assert asked == [("Ben Okafor", 2)]
    with ctx.db.session() as s:  # backed out: nothing changed
        assert patient_service.get_patient(s, ids["Ben"]).active
    monkeypatch.setattr(view, "ask_future_visits", lambda name, n: True)
    qtbot.mouseClick(view.discharge_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        assert not patient_service.get_patient(s, ids["Ben"]).active
        statuses = {s.get(Appointment, i).status for i in (first, second)}
    assert statuses == {AppointmentStatus.CANCELLED.value}
