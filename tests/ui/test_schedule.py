"""The Schedule page: booking through the dialog, drag and drop with undo, keyboard, views."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt, QTime
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QLabel

from ptdesk.models import Authorization, Patient, Role, Room, Staff
from ptdesk.services import scheduling as sched
from ptdesk.services.scheduling import BookingRequest
from ptdesk.ui.schedule.grid import CLUSTER_ROLE, appointment_mime
from ptdesk.ui.schedule.view import ScheduleView

DAY = date(2026, 3, 11)  # a Wednesday
NOW = datetime(2026, 3, 11, 10, 20)


def at(hh: int, mm: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm))


@pytest.fixture
def people(ctx):
    with ctx.db.session() as s:
        ana = Staff(name="Ana Therapist", role=Role.THERAPIST.value, color="#2e7d32")
        ben = Staff(name="Ben Assistant", role=Role.ASSISTANT.value, color="#6a1b9a")
        desk = Staff(name="Dee Desk", role=Role.FRONT_DESK.value)
        gym, t1 = Room(name="Gym"), Room(name="Treatment 1")
        mia = Patient(chart_number="000001", first_name="Mia", last_name="Lopez",
                      precautions="Fall risk\nNo heat")  # fmt: skip
        noah = Patient(chart_number="000002", first_name="Noah", last_name="Kim")
        s.add_all([ana, ben, desk, gym, t1, mia, noah])
        s.flush()
        s.add(Authorization(patient_id=mia.id, payer="Acme Health", visits_authorized=12,
                            start_date=date(2026, 3, 1), end_date=date(2026, 6, 30)))  # fmt: skip
        return dict(ana=ana.id, ben=ben.id, gym=gym.id, t1=t1.id, mia=mia.id, noah=noah.id)


@pytest.fixture
def view(qtbot, ctx, people):
    v = ScheduleView(ctx)
    qtbot.addWidget(v)
    v.clock = lambda: NOW
    v.set_day(DAY)
    v.resize(1300, 900)
    v.show()
    qtbot.waitExposed(v)
    return v


def _book(ctx, patient, staff, start, minutes=45, room=None):
    with ctx.db.session() as s:
        return sched.book(s, ctx.actor, BookingRequest(patient, staff, start, minutes, room_id=room),
                          override_reason="test")  # fmt: skip


def _column(grid, title):
    return [c.title for c in grid.grid_model.columns].index(title)


def _block(grid, appointment_id):
    """(row, column, row span) of the cluster holding the appointment."""
    for col, cluster in grid.grid_model.clusters:
        if any(a.id == appointment_id for a, _ in cluster.items):
            return cluster.row, col, grid.rowSpan(cluster.row, col)
    return None


def test_booking_through_the_dialog_shows_the_block_in_its_column_and_row(qtbot, view, people):
    view.tabs.setCurrentIndex(0)
    dialog = view.booking_dialog(start=at(10), staff_id=people["ben"], room_id=people["gym"])
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.search, "lop")
    qtbot.waitUntil(lambda: dialog.hits.rowCount() == 1)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.patient is not None and dialog.patient.id == people["mia"]
    assert "Fall risk" in dialog.precautions.text()
    assert "0 of 12 used" in dialog.authorization.text()
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("evaluation"))
    assert dialog.duration.value() == 60
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    (appt,) = dialog.result_appointments
    view.booked(dialog.result_appointments)
    row, col, span = _block(view.day_grid, appt.id)
    assert view.day_grid.grid_model.columns[col].title == "Ben Assistant"
    assert view.day_grid.grid_model.time_at(row) == time(10, 0)
    assert span == 4  # 60 minutes in 15-minute slots
    assert view.day_grid.selected_id == appt.id
    assert "Mia Lopez" in view.day_grid.grid_model.index(row, col).data()
    assert "PRECAUTIONS" in view.details.text()


def test_dialog_asks_for_a_reason_before_double_booking(qtbot, view, people):
    _book(view.ctx, people["noah"], people["ana"], at(9))
    dialog = view.booking_dialog(start=at(9, 15), staff_id=people["ana"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.search.setText("000001")
    dialog.search_now()
    dialog.choose_patient(people["mia"])
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.conflict_label.isVisible()
    assert "Ana Therapist is already seeing Noah Kim" in dialog.conflict_label.text()
    dialog.time_edit.setTime(QTime(13, 0))  # another time: the old warning no longer applies
    assert not dialog.conflict_label.isVisible() and not dialog.override.isVisible()
    dialog.time_edit.setTime(QTime(9, 15))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.override.isVisible()
    qtbot.keyClicks(dialog.override, "Short check only")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_appointments[0].override_reason == "Short check only"


def test_dialog_books_a_plan_of_care_series(qtbot, view, people):
    dialog = view.booking_dialog(start=at(8), staff_id=people["ana"])
    qtbot.addWidget(dialog)
    dialog.search.setText("kim")
    dialog.search_now()
    dialog.choose_patient(people["noah"])
    dialog.repeat.setChecked(True)
    dialog.weekday_boxes[0].setChecked(True)  # Monday, plus Wednesday (the start day)
    dialog.plan_radio.setChecked(True)
    dialog.per_week.setValue(2)
    dialog.weeks.setValue(3)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    starts = [a.start for a in dialog.result_appointments]
    assert len(starts) == 6  # the first week's Monday, before the start, is made up at the end
    assert starts[-1].date() == DAY + timedelta(weeks=3) - timedelta(days=2)
    assert "one more week at the end" in dialog.findChild(QLabel, "planNote").text()
    assert all(s.time() == time(8) for s in starts)


def test_dragging_a_block_moves_it_and_undo_puts_it_back(qtbot, view, people):
    appt = _book(view.ctx, people["noah"], people["ana"], at(9), room=people["gym"])
    view.refresh()
    grid = view.day_grid
    ben = _column(grid, "Ben Assistant")
    target = grid.visualRect(grid.grid_model.index(grid.grid_model.row_of(time(11)), ben))
    mime = appointment_mime(appt.id, 0)  # the event does not own its data: keep it alive
    event = QDropEvent(
        QPointF(target.center()),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    grid.dropEvent(event)
    with view.ctx.db.session() as s:
        moved = sched.get_appointment(s, appt.id)
    assert (moved.start, moved.staff_id, moved.room_id) == (at(11), people["ben"], people["gym"])
    row, col, _ = _block(grid, appt.id)
    assert (grid.grid_model.time_at(row), col) == (time(11), ben)
    assert view.undo_stack.canUndo()
    view.undo_stack.undo()
    with view.ctx.db.session() as s:
        back = sched.get_appointment(s, appt.id)
    assert (back.start, back.staff_id) == (at(9), people["ana"])
    row, col, _ = _block(grid, appt.id)
    assert (grid.grid_model.time_at(row), col) == (time(9), _column(grid, "Ana Therapist"))
    view.undo_stack.redo()
    with view.ctx.db.session() as s:
        assert sched.get_appointment(s, appt.id).start == at(11)


def test_drop_onto_a_busy_slot_asks_and_can_be_refused(qtbot, view, people):
    appt = _book(view.ctx, people["noah"], people["ana"], at(9))
    _book(view.ctx, people["mia"], people["ben"], at(11))
    view.refresh()
    asked = []
    view.ask_override = lambda conflicts: asked.append(conflicts) or None
    grid = view.day_grid
    # Dropping the 09:00 block so its top lands at 11:00 (grabbed two rows below its top).
    target = grid.visualRect(
        grid.grid_model.index(grid.grid_model.row_of(time(11, 30)), _column(grid, "Ben Assistant"))
    )
    mime = appointment_mime(appt.id, 2)  # the event does not own its data: keep it alive
    event = QDropEvent(
        QPointF(target.center()),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    grid.dropEvent(event)
    assert asked and asked[0][0].kind == "staff"
    with view.ctx.db.session() as s:
        assert sched.get_appointment(s, appt.id).start == at(9)
    assert not view.undo_stack.canUndo()


def _sixty(ctx):
    """Six staff, ten 45-minute visits each, with every status and some precautions."""
    with ctx.db.session() as s:
        staff = [Staff(name=f"Staff {i + 1}", role=Role.THERAPIST.value,
                       color=["#2e7d32", "#1565c0", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457"][i])
                 for i in range(6)]  # fmt: skip
        patients = [
            Patient(chart_number=f"{i:06d}", first_name=f"First{i}", last_name=f"Last{i}",
                    precautions="Fall risk" if (i - 100) % 7 == 0 else "")
            for i in range(100, 160)
        ]  # fmt: skip
        s.add_all(staff + patients)
        s.flush()
        ids = []
        for i, p in enumerate(patients):
            st = staff[i % 6]
            start = at(7) + timedelta(minutes=45 * (i // 6))
            a = sched.book(
                s, ctx.actor, BookingRequest(p.id, st.id, start, 45), override_reason="x"
            )
            ids.append(a.id)
        sched.check_in(s, ctx.actor, ids[6], now=at(7, 40))
        sched.complete(s, ctx.actor, ids[0], now=at(7, 45))
        sched.no_show(s, ctx.actor, ids[1], now=at(7, 30))
    return ids


def test_day_with_sixty_appointments_renders(qtbot, ctx, qtmodeltester, tmp_path: Path):
    ids = _sixty(ctx)
    v = ScheduleView(ctx)
    qtbot.addWidget(v)
    v.clock = lambda: NOW
    v.set_day(DAY)
    v.resize(1400, 1000)
    v.show()
    qtbot.waitExposed(v)
    model = v.day_grid.grid_model
    assert len(model.appointments) == 60
    assert len(model.clusters) == 60
    titles = [c.title for c in model.columns]
    assert titles == ["Olivia Owner", *(f"Staff {i}" for i in range(1, 7))]
    qtmodeltester.check(model)
    qtmodeltester.check(v.agenda_model)
    image = v.grab()
    assert not image.isNull()
    image.save(str(tmp_path / "day60.png"))
    # The first block shows its patient and status as text, not colour alone.
    first = model.index(0, titles.index("Staff 1"))
    cluster = first.data(CLUSTER_ROLE)
    assert cluster.items[0][0].id == ids[0]
    assert "Completed" in first.data()
    assert "(precautions)" in first.data()


def test_keyboard_navigation(qtbot, view, people, monkeypatch):
    a = _book(view.ctx, people["noah"], people["ana"], at(9))
    b = _book(view.ctx, people["mia"], people["ana"], at(11))
    c = _book(view.ctx, people["mia"], people["ben"], at(14))
    view.refresh()
    grid = view.day_grid
    grid.setFocus()
    grid.setCurrentIndex(grid.grid_model.index(0, _column(grid, "Ana Therapist")))
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.selected_id == a.id
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.selected_id == b.id
    qtbot.keyClick(grid, Qt.Key.Key_Up)
    assert grid.selected_id == a.id
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.selected_id == c.id
    with qtbot.waitSignal(grid.open_requested) as opened:
        monkeypatch.setattr(view, "open_selected", lambda: None)
        qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert opened.args == [c.id]
    asked = []
    view.ask_cancel = lambda appt: asked.append(appt.id) or None  # the user says "Keep it"
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    assert asked == [c.id]
    with view.ctx.db.session() as s:
        assert sched.get_appointment(s, c.id).status == "scheduled"
    view.ask_cancel = lambda appt: ("Weather", "this")
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    with view.ctx.db.session() as s:
        assert sched.get_appointment(s, c.id).status == "cancelled"
    opened_dialogs = []

    class FakeDialog:
        result_appointments: list = []

        def exec(self):
            return 0

    def fake(**kwargs):
        opened_dialogs.append(kwargs)
        return FakeDialog()

    monkeypatch.setattr(view, "booking_dialog", fake)
    grid.setCurrentIndex(grid.grid_model.index(grid.grid_model.row_of(time(12)), 0))
    qtbot.keyClick(grid, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened_dialogs and opened_dialogs[0]["start"] == at(12)
    qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    assert view.day == DAY + timedelta(days=1)
    qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    assert view.day == DAY + timedelta(days=2)
    qtbot.keyClick(grid, Qt.Key.Key_PageUp)
    assert view.day == DAY + timedelta(days=1)
    qtbot.keyClick(grid, Qt.Key.Key_T)
    assert view.day == NOW.date()
    assert view.date_edit.date().toPython() == NOW.date()


def test_week_and_room_views(qtbot, view, people, qtmodeltester):
    a = _book(view.ctx, people["noah"], people["ben"], at(9), room=people["t1"])
    friday = _book(view.ctx, people["mia"], people["ben"], at(10, day=DAY + timedelta(days=2)))
    view.refresh()
    view.tabs.setCurrentIndex(2)
    row, col, _ = _block(view.room_grid, a.id)
    assert view.room_grid.grid_model.columns[col].title == "Treatment 1"
    qtmodeltester.check(view.room_grid.grid_model)
    view.week_staff.setCurrentIndex(view.week_staff.findData(people["ben"]))
    view.tabs.setCurrentIndex(1)
    week = view.week_grid.grid_model
    assert [c.day for c in week.columns] == [
        DAY - timedelta(days=2) + timedelta(days=i) for i in range(5)
    ]
    row, col, _ = _block(view.week_grid, friday.id)
    assert week.columns[col].day == DAY + timedelta(days=2) and week.time_at(row) == time(10)
    qtmodeltester.check(week)
    view.step(1)  # a week at a time in the week view
    assert view.day == DAY + timedelta(days=7)


def test_agenda_filters_and_status_actions(qtbot, view, people, qtmodeltester):
    a = _book(view.ctx, people["noah"], people["ana"], at(9))
    _book(view.ctx, people["mia"], people["ben"], at(10))
    view.refresh()
    view.tabs.setCurrentIndex(3)
    assert view.agenda_proxy.rowCount() == 2
    qtbot.keyClicks(view.agenda_search, "noah")
    assert view.agenda_proxy.rowCount() == 1
    view.agenda_table.setCurrentIndex(view.agenda_proxy.index(0, 0))
    assert view.selected().id == a.id
    view.check_in_selected()
    with view.ctx.db.session() as s:
        assert sched.get_appointment(s, a.id).status == "checked_in"
    view.agenda_search.clear()
    view.agenda_status.setCurrentIndex(view.agenda_status.findData("checked_in"))
    assert view.agenda_proxy.rowCount() == 1
    assert "Checked in" in view.agenda_proxy.index(0, 6).data()
    qtmodeltester.check(view.agenda_proxy)
    view.tabs.setCurrentIndex(4)
    # At 10:20 the 09:00 visit is over but still only checked in; the 10:00 one is running.
    assert [r.id for r in view.unresolved_model.rows()] == [a.id]
    assert view.tabs.tabText(4).replace("&", "") == "Unresolved (1)"
    qtmodeltester.check(view.unresolved_model)
    view.unresolved_table.setCurrentIndex(view.unresolved_model.index(0, 0))
    view.complete_selected()
    assert view.unresolved_model.rowCount() == 0
    assert "Every past appointment has an outcome" in view.unresolved_note.text()


def test_day_sheet_saved_from_the_screen(qtbot, view, people, tmp_path):
    _book(view.ctx, people["mia"], people["ana"], at(9))
    out = tmp_path / "sheet.pdf"
    view.save_day_sheet(str(out))
    qtbot.waitUntil(lambda: out.exists() and "saved" in view.details.text(), timeout=10_000)
    from pypdf import PdfReader

    text = PdfReader(str(out)).pages[0].extract_text()
    assert "Mia Lopez" in text and "Fall risk" in text


def test_cancel_dialog_needs_a_reason_and_offers_the_series(qtbot, view, people):
    from ptdesk.ui.schedule.dialogs import CancelDialog

    with view.ctx.db.session() as s:
        visits = sched.book_series(
            s, view.ctx.actor, BookingRequest(people["mia"], people["ana"], at(9), 45),
            sched.Recurrence([3], count=3),
        )  # fmt: skip
    dialog = CancelDialog(visits[0], 24, view)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.scope_following.isVisible()
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.form.errors["reason"].isVisible()
    dialog.reason.setCurrentText("Moving away")
    dialog.scope_following.setChecked(True)
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.values() == ("Moving away", "following")


def test_hours_outside_a_staff_members_working_hours_are_shaded(qtbot, view, people):
    with view.ctx.db.session() as s:
        ben = s.get(Staff, people["ben"])
        ben.working_hours = {"3": ["08:00", "12:00"]}  # Wednesdays, mornings
        s.add(
            Staff(
                name="Zoe Weekends",
                role=Role.THERAPIST.value,
                working_hours={"6": ["09:00", "13:00"]},
            )
        )
    view.ctx.bus.announce("staff")
    grid = view.day_grid
    model = grid.grid_model
    titles = [c.title for c in model.columns]
    assert "Zoe Weekends" not in titles  # not working on a Wednesday, nothing booked
    ben_col, ana_col = titles.index("Ben Assistant"), titles.index("Ana Therapist")
    assert model.off_hours(model.row_of(time(7, 45)), ben_col)
    assert not model.off_hours(model.row_of(time(8)), ben_col)
    assert not model.off_hours(model.row_of(time(11, 45)), ben_col)
    assert model.off_hours(model.row_of(time(12)), ben_col)
    assert not model.off_hours(model.row_of(time(7)), ana_col)  # no hours on file: clinic hours
    assert model.index(model.row_of(time(12)), ben_col).data(Qt.ItemDataRole.BackgroundRole)


def test_editing_a_series_visit_asks_which_visits_change(qtbot, view, people):
    with view.ctx.db.session() as s:
        visits = sched.book_series(
            s, view.ctx.actor, BookingRequest(people["mia"], people["ana"], at(9), 45),
            sched.Recurrence([1, 3], count=4),
        )  # fmt: skip
    dialog = view.booking_dialog(existing=visits[1])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.scope_box.isVisible() and not dialog.repeat.isVisible()
    dialog.time_edit.setTime(QTime(14, 0))
    dialog.scope_following.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    with view.ctx.db.session() as s:
        hours = [sched.get_appointment(s, v.id).start.hour for v in visits]
    assert hours == [9, 14, 14, 14]
    single = _book(view.ctx, people["noah"], people["ben"], at(10))
    plain = view.booking_dialog(existing=single)
    qtbot.addWidget(plain)
    plain.show()
    assert not plain.scope_box.isVisible()


def _drop(grid, appointment_id, t, column):
    target = grid.visualRect(grid.grid_model.index(grid.grid_model.row_of(t), column))
    mime = appointment_mime(appointment_id, 0)  # the event does not own its data: keep it alive
    event = QDropEvent(QPointF(target.center()), Qt.DropAction.MoveAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    grid.dropEvent(event)


def test_dragging_in_the_room_and_week_views(qtbot, view, people):
    appt = _book(view.ctx, people["noah"], people["ben"], at(9), room=people["gym"])
    view.ctx.bus.announce("schedule")
    view.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: view.room_grid.columnWidth(1) > 50)  # laid out once shown
    _drop(view.room_grid, appt.id, time(9), _column(view.room_grid, "Treatment 1"))
    with view.ctx.db.session() as s:
        moved = sched.get_appointment(s, appt.id)
    assert (moved.room_id, moved.staff_id, moved.start) == (people["t1"], people["ben"], at(9))
    view.week_staff.setCurrentIndex(view.week_staff.findData(people["ben"]))
    view.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.week_grid.columnWidth(1) > 50)
    friday = DAY + timedelta(days=2)
    column = [c.day for c in view.week_grid.grid_model.columns].index(friday)
    _drop(view.week_grid, appt.id, time(8, 30), column)
    with view.ctx.db.session() as s:
        moved = sched.get_appointment(s, appt.id)
    assert (moved.start, moved.room_id) == (at(8, 30, day=friday), people["t1"])
    view.undo_stack.undo()
    view.undo_stack.undo()
    with view.ctx.db.session() as s:
        back = sched.get_appointment(s, appt.id)
    assert (back.start, back.room_id) == (at(9), people["gym"])


def _drag_to(view, appt_id, hour, staff_title):
    grid = view.day_grid
    target = grid.visualRect(
        grid.grid_model.index(grid.grid_model.row_of(time(hour)), _column(grid, staff_title))
    )
    mime = appointment_mime(appt_id, 0)  # the event does not own its data: keep it alive
    event = QDropEvent(
        QPointF(target.center()),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    grid.dropEvent(event)


def test_undo_of_a_move_runs_the_checks_and_asks_again(qtbot, view, people):
    appt = _book(view.ctx, people["noah"], people["ana"], at(10))
    view.refresh()
    _drag_to(view, appt.id, 11, "Ana Therapist")
    _book(view.ctx, people["mia"], people["ana"], at(10))  # Ana is busy at 10:00 now
    asked = []
    view.ask_override = lambda conflicts: asked.append(conflicts) or None
    view.undo_stack.undo()
    assert asked and asked[0][0].kind == "staff"
    with view.ctx.db.session() as s:
        assert sched.get_appointment(s, appt.id).start == at(11)  # declined: nothing changed
    view.undo_stack.redo()
    view.undo_stack.undo()
    assert len(asked) == 1  # the refused undo left the history, not a stale step


def test_undo_of_a_move_accepted_records_the_reason(qtbot, view, people):
    appt = _book(view.ctx, people["noah"], people["ana"], at(10))
    view.refresh()
    _drag_to(view, appt.id, 11, "Ana Therapist")
    _book(view.ctx, people["mia"], people["ana"], at(10))
    view.ask_override = lambda conflicts: "Short visit, both fit"
    view.undo_stack.undo()
    with view.ctx.db.session() as s:
        back = s.get(sched.Appointment, appt.id)
        assert (back.start, back.override_reason) == (at(10), "Short visit, both fit")


def test_agenda_and_title_agree_on_cancelled_visits(qtbot, view, people):
    _book(view.ctx, people["mia"], people["ben"], at(10))
    gone = _book(view.ctx, people["noah"], people["ana"], at(9))
    with view.ctx.db.session() as s:
        sched.cancel(s, view.ctx.actor, gone.id, "Weather", now=datetime(2026, 3, 1, 9))
    view.refresh()
    view.tabs.setCurrentIndex(3)
    headers = [
        view.agenda_proxy.headerData(c, Qt.Orientation.Horizontal)
        for c in range(view.agenda_proxy.columnCount())
    ]
    assert all(headers) and "Precautions" in headers
    assert not view.show_cancelled.isChecked()
    assert [a.patient_name for a in view.agenda_model.rows()] == ["Mia Lopez"]
    assert "· 1 appointments" in view.title.text() and "cancelled" not in view.title.text()
    view.show_cancelled.setChecked(True)
    assert sorted(a.patient_name for a in view.agenda_model.rows()) == ["Mia Lopez", "Noah Kim"]
    assert "1 appointments + 1 cancelled" in view.title.text()


def test_long_names_are_elided_in_blocks_and_whole_in_the_tooltip(qtbot, ctx, view, people):
    from PySide6.QtGui import QFont, QFontMetrics

    from ptdesk.ui.schedule.grid import block_lines

    with ctx.db.session() as s:
        long = Patient(chart_number="000009", first_name="Maximiliana-Josefina",
                       last_name="Vandenberghe-Oosterhuis")  # fmt: skip
        s.add(long)
        s.flush()
        pid = long.id
    a = _book(ctx, pid, people["ana"], at(11), room=people["gym"])
    view.refresh()
    view.tabs.setCurrentIndex(0)
    model = view.day_grid.grid_model
    info = model.appointment(a.id)
    font = QFont(view.day_grid.font())
    bold = QFont(font)
    bold.setBold(True)
    title, details = block_lines(info, QFontMetrics(bold), QFontMetrics(font), 90, 90)
    assert title.endswith("…") and "Vandenberghe-Oosterhuis" not in title
    assert QFontMetrics(bold).horizontalAdvance(title) <= 90
    assert all(QFontMetrics(font).horizontalAdvance(line) <= 90 for line in details)
    wide_title, _ = block_lines(info, QFontMetrics(bold), QFontMetrics(font), 2000, 2000)
    assert wide_title.endswith("Maximiliana-Josefina Vandenberghe-Oosterhuis")
    row, col, _ = _block(view.day_grid, a.id)
    tip = model.index(row, col).data(Qt.ItemDataRole.ToolTipRole)
    assert "Maximiliana-Josefina Vandenberghe-Oosterhuis" in tip
    view.day_grid.viewport().grab()  # the delegate paints the elided text without errors
