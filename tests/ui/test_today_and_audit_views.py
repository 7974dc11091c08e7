"""The Today page per role and its links to other screens; the Audit page; record viewing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import col, select

from ptdesk.models import Appointment, AuditEvent, Patient
from ptdesk.services import staff
from ptdesk.services.audit import Actor
from ptdesk.ui.main_window import MainWindow
from ptdesk.ui.today.view import TodayView

DAY = date(2026, 3, 9)
NOW = datetime.combine(DAY, time(10, 30))


def _clinic(db, owner):
    with db.session() as s:
        tina = Actor.from_staff(staff.create_staff(s, owner, "Tina Tech", "technician"))
        desk = Actor.from_staff(staff.create_staff(s, owner, "Dee Desk", "front_desk"))
        p = Patient(chart_number="1", first_name="Mia", last_name="Lopez", precautions="Fall risk")
        q = Patient(chart_number="2", first_name="Noah", last_name="Kim")
        s.add_all([p, q])
        s.flush()
        for patient, hour in ((p, 11), (q, 12)):
            start = datetime.combine(DAY, time(hour))
            s.add(
                Appointment(
                    patient_id=patient.id,
                    staff_id=tina.id,
                    start=start,
                    end=start + timedelta(minutes=45),
                )
            )
    return tina, desk, p.id


def _today(qtbot, ctx) -> TodayView:
    view = TodayView(ctx)
    qtbot.addWidget(view)
    view.clock = lambda: NOW
    view.reload()
    return view


def test_today_differs_per_role(qtbot, qtmodeltester, ctx):
    tina, desk, _ = _clinic(ctx.db, ctx.actor)
    ctx.actor = tina
    view = _today(qtbot, ctx)
    assert list(view.sections) == ["my_patients", "cleaning_due"]
    mine = view.sections["my_patients"]
    qtmodeltester.check(mine.model)
    assert [mine.model.index(r, 1).data() for r in range(2)] == ["Mia Lopez", "Noah Kim"]
    assert "Fall risk" in mine.model.index(0, 2).data()
    assert view.findChild(type(view.refresh_button), "printTodaySheets").isEnabled()
    assert "Tina Tech" in view.heading.text() and "9 March 2026" in view.heading.text()

    ctx.actor = desk
    view.reload()
    assert list(view.sections) == ["arrivals", "late", "unresolved", "authorizations"]
    assert view.sections["late"].empty.text() == "Nobody is late."
    assert view.sections["late"].table.isHidden()


def test_an_item_opens_its_screen(qtbot, ctx):
    tina, desk, mia = _clinic(ctx.db, ctx.actor)
    ctx.actor = desk
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.pages["today"].clock = lambda: NOW
    window.pages["today"].reload()
    arrivals = window.pages["today"].sections["arrivals"]
    arrivals.table.activated.emit(arrivals.model.index(0, 0))  # Enter or double-click
    assert window.current_key() == "schedule"
    schedule = window.pages["schedule"]
    assert schedule.day == DAY
    assert schedule.selected() is not None and schedule.selected().patient_name == "Mia Lopez"

    window.open_target("patients", {"patient_id": mia})
    assert window.current_key() == "patients"
    assert window.pages["patients"].selected_id() == mia


def test_viewing_a_patient_is_logged_once_per_opening(qtbot, ctx):
    from ptdesk.ui.patients.view import PatientsView

    _, _, mia = _clinic(ctx.db, ctx.actor)
    view = PatientsView(ctx)
    qtbot.addWidget(view)
    assert view.select_patient(mia)
    view.reload(select_id=mia)  # a refresh is not a new viewing
    with ctx.db.session() as s:
        views = list(s.exec(select(AuditEvent).where(AuditEvent.action == "view")))
    assert len(views) == 1 and views[0].patient_id == mia
    assert views[0].summary == "Viewed the record of Mia Lopez"


def test_technician_cannot_book_or_edit_patients_from_the_screens(qtbot, ctx):
    from ptdesk.ui.patients.view import PatientsView
    from ptdesk.ui.schedule.view import ScheduleView

    tina, _, mia = _clinic(ctx.db, ctx.actor)
    ctx.actor = tina
    patients = PatientsView(ctx)
    qtbot.addWidget(patients)
    patients.select_patient(mia)
    assert not patients.new_button.isEnabled() and not patients.edit_button.isEnabled()
    assert not patients.add_auth_button.isEnabled()
    schedule = ScheduleView(ctx)
    qtbot.addWidget(schedule)
    assert not schedule.act_new.isEnabled()


def test_audit_page_filters_and_exports(qtbot, qtmodeltester, ctx, tmp_path):
    _, desk, mia = _clinic(ctx.db, ctx.actor)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.show_page("audit")
    assert view is not None and view.objectName() == "auditView"
    qtmodeltester.check(view.model)
    assert view.model.rowCount() >= 3  # the owner and two staff members added
    view.kind.setCurrentIndex(view.kind.findData("Staff and rooms"))
    assert {r.entity for r in view.model.rows()} == {"staff"}
    view.kind.setCurrentIndex(0)
    view.person.setCurrentIndex(view.person.findData(desk.id))
    assert view.model.rowCount() == 0 and view.count.text() == "0 events"
    view.person.setCurrentIndex(0)
    out = view.export_csv(str(tmp_path / "audit.csv"))
    assert out is not None and "Staff member Dee Desk added" in out.read_text(encoding="utf-8")
    with ctx.db.session() as s:
        last = s.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert last.action == "export"


def test_the_selected_audit_event_is_shown_in_full_below_the_table(qtbot, ctx):
    _clinic(ctx.db, ctx.actor)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    view = window.show_page("audit")
    assert view.detail.text().startswith("Select an event")
    rows = [r for r in range(view.proxy.rowCount()) if view.proxy.index(r, 6).data()]
    assert rows, "an event with changes"
    view.table.setCurrentIndex(view.proxy.index(rows[0], 0))
    shown = view.detail.text()
    changes = view.proxy.index(rows[0], 6).data()
    assert f"Changes (before → after): {changes}" in shown
    assert view.proxy.index(rows[0], 5).data() in shown  # the summary too
    assert view.detail.isVisible()


def test_the_audit_page_shows_an_event_recorded_while_it_was_open(qtbot, ctx):
    from ptdesk.services import rooms
    from ptdesk.ui.operations import Op

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.show_page("audit")
    assert view is not None
    before = view.model.rowCount()
    # A change made elsewhere while the page shows: the page reloads by itself.
    Op(ctx, window, lambda s: rooms.create_room(s, ctx.actor, rooms.RoomData("Gym", "gym"))).run()
    assert view.model.rowCount() == before + 1
    assert any("Gym" in r.summary for r in view.model.rows())
    # And a change made while another page shows appears when the page is shown again.
    window.show_page("today")
    Op(ctx, window, lambda s: rooms.create_room(s, ctx.actor, rooms.RoomData("Pool", "pool"))).run()
    assert view.model.rowCount() == before + 1  # not reloaded while hidden
    window.show_page("audit")
    assert any("Pool" in r.summary for r in view.model.rows())


def test_refreshing_today_reuses_its_tables_and_shows_the_change(qtbot, ctx):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from ptdesk.services import scheduling as sched

    tina, desk, _ = _clinic(ctx.db, ctx.actor)
    ctx.actor = desk
    view = _today(qtbot, ctx)
    arrivals = view.sections["arrivals"]
    table = arrivals.table
    expected = arrivals.model.rowCount()
    assert expected == 2

    def live() -> int:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        return len(QApplication.allWidgets())

    view.reload()
    widgets = live()
    for _ in range(5):
        view.reload()
    assert live() == widgets  # nothing made or left behind by a refresh
    assert view.sections["arrivals"] is arrivals and arrivals.table is table
    # A visit checked in shows so in the same table.
    assert "✓ Checked in" not in [arrivals.model.index(r, 3).data() for r in range(expected)]
    with ctx.db.session() as s:
        visit = sched.day_appointments(s, DAY)[0]
        sched.check_in(s, ctx.actor, visit.id, now=NOW)
    view.reload()
    assert arrivals.table is table and arrivals.model.rowCount() == expected
    flags = [arrivals.model.index(r, 3).data() for r in range(expected)]
    assert flags.count("✓ Checked in") == 1
