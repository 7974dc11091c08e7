"""Dialogs opened from the schedule and the patients list are freed when they close: opening and
closing them again and again leaves no widgets behind (combo-box popups and models included)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QMessageBox

from ptdesk.models import Patient, Role, Staff
from ptdesk.services import clock
from ptdesk.services import scheduling as sched
from ptdesk.services.scheduling import BookingRequest
from ptdesk.ui.patients.view import PatientsView
from ptdesk.ui.schedule.view import ScheduleView

DAY = date(2026, 3, 11)  # a Wednesday
NOW = datetime(2026, 3, 11, 8, 0)
TIMES = 20
# Opening a combo box's list grabs the keyboard, which the headless test platform cannot do.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")


def live_widgets() -> int:
    """Widgets alive once everything waiting to be deleted is gone."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    return len(QApplication.allWidgets())


def close_when_shown(seen: list[str]) -> None:
    """Once a modal dialog runs, open and close each combo box's list, then close the dialog
    (as Escape would)."""

    def close() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, (QDialog, QMessageBox)):
            QTimer.singleShot(5, close)
            return
        seen.append(dialog.objectName() or type(dialog).__name__)
        for combo in dialog.findChildren(QComboBox):
            if combo.isVisible():
                combo.showPopup()
                combo.hidePopup()
        dialog.reject()

    QTimer.singleShot(0, close)


def open_and_close(action: Callable[[], None], seen: list[str]) -> None:
    close_when_shown(seen)
    action()


def assert_no_growth(actions: list[Callable[[], None]]) -> list[str]:
    seen: list[str] = []
    for action in actions:  # once first: whatever Qt keeps for the whole run is made now
        open_and_close(action, seen)
    before = live_widgets()
    for _ in range(TIMES):
        for action in actions:
            open_and_close(action, seen)
    after = live_widgets()
    assert len(seen) == (TIMES + 1) * len(actions)  # every dialog did open
    assert after <= before, f"{after - before} widgets left behind by {TIMES} rounds"
    return seen


@pytest.fixture(autouse=True)
def clinic_time() -> Iterator[None]:
    clock.pin(NOW)
    yield
    clock.pin(None)


@pytest.fixture
def clinic(ctx) -> dict[str, int]:
    with ctx.db.session() as s:
        ana = Staff(name="Ana Therapist", role=Role.THERAPIST.value)
        mia = Patient(chart_number="000001", first_name="Mia", last_name="Lopez")
        s.add_all([ana, mia])
        s.flush()
        start = datetime.combine(DAY, time(10))
        booked = sched.book(s, ctx.actor, BookingRequest(mia.id, ana.id, start, 45))
        later = start + timedelta(days=7)
        sched.book(s, ctx.actor, BookingRequest(mia.id, ana.id, later, 45))
        return {"ana": ana.id, "mia": mia.id, "appointment": booked.id}


def test_schedule_dialogs_are_freed_when_they_close(qtbot, ctx, clinic):
    view = ScheduleView(ctx)
    qtbot.addWidget(view)
    view.clock = lambda: NOW
    view.set_day(DAY)
    view.show()
    qtbot.waitExposed(view)
    view.select(clinic["appointment"])
    assert view.selected() is not None

    def book_new() -> None:
        view.new_appointment(start=datetime.combine(DAY, time(13)), staff_id=clinic["ana"])

    seen = assert_no_growth(
        [view.open_selected, book_new, view.cancel_selected, view.correct_selected]
    )
    assert {"bookingDialog", "cancelDialog", "correctStatusDialog"} <= set(seen)
    assert view.selected() is not None and view.selected().status == "scheduled"


def test_patient_dialogs_are_freed_when_they_close(qtbot, ctx, clinic):
    view = PatientsView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert view.select_patient(clinic["mia"])

    seen = assert_no_growth(
        [
            view.edit_patient,
            view.new_patient,
            view.add_authorization,
            view.toggle_discharge,  # visits still booked: asks what to do with them
        ]
    )
    assert {"patientDialog", "authorizationDialog", "QMessageBox"} <= set(seen)
    assert view.current is not None and view.current.active
