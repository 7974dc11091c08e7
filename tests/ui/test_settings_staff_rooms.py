"""Settings → Staff and Rooms: add, edit hours, deactivate instead of delete, owner only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QMessageBox

from ptdesk.models import Appointment, Patient
from ptdesk.services import rooms as room_service
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import Actor
from ptdesk.services.rooms import RoomData
from ptdesk.services.staff import StaffData
from ptdesk.ui.bus import Bus
from ptdesk.ui.context import AppContext
from ptdesk.ui.settings.rooms_tab import RoomDialog, RoomsTab, RoomTableModel
from ptdesk.ui.settings.staff_tab import StaffDialog, StaffTab, StaffTableModel
from ptdesk.ui.settings.view import SettingsView


def names(tab) -> list[str]:
    return [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]


def column(tab, name: str, col: int) -> str:
    row = names(tab).index(name)
    return tab.proxy.index(row, col).data()


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []

    def answer(box: QMessageBox) -> int:
        shown.append(box.text())
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", answer)
    return shown


def test_settings_has_staff_and_rooms_tabs(qtbot, ctx):
    view = SettingsView(ctx)
    qtbot.addWidget(view)
    titles = [view.tabs.tabText(i).replace("&", "") for i in range(view.tabs.count())]
    assert titles[:3] == ["Clinic", "Staff", "Rooms"]
    assert titles[-1] == "Data and backups"
    view.focus_section("rooms")
    assert view.tabs.currentWidget() is view.rooms_tab


def test_add_staff_member_with_hours_and_colour(qtbot, ctx, monkeypatch):
    tab = StaffTab(ctx)
    qtbot.addWidget(tab)

    def fill(dialog: StaffDialog) -> int:
        dialog.name.setText("Tara Tech")
        dialog.role.setCurrentIndex(dialog.role.findData("technician"))
        dialog.credentials.setCurrentText("PT Tech")
        check, start, end = dialog.day_boxes[1]
        check.setChecked(True)
        start.setTime(QTime(7, 0))
        end.setTime(QTime(16, 0))
        dialog.copy_monday()
        dialog.save()
        return dialog.result()

    original = tab.open_dialog

    def opener(row_id):
        dialog = original(row_id)
        monkeypatch.setattr(dialog, "exec", lambda: fill(dialog))
        return dialog

    monkeypatch.setattr(tab, "open_dialog", opener)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert names(tab) == ["Olivia Owner", "Tara Tech"]
    assert column(tab, "Tara Tech", 1) == "Technician / aide"
    assert column(tab, "Tara Tech", 3) == "Mon–Fri 07:00–16:00"
    assert tab.selected().name == "Tara Tech"
    with ctx.db.session() as s:
        tara = [m for m in staff_service.list_staff(s) if m.name == "Tara Tech"][0]
        owner = staff_service.get_staff(s, ctx.actor.id)
    assert tara.working_hours["5"] == ["07:00", "16:00"] and "6" not in tara.working_hours
    assert tara.color != owner.color


def test_staff_dialog_shows_hour_errors_by_the_field(qtbot, ctx):
    dialog = StaffDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Late Person")
    check, start, end = dialog.day_boxes[3]
    check.setChecked(True)
    start.setTime(QTime(18, 0))
    end.setTime(QTime(9, 0))
    assert dialog.save() is False
    error = dialog.findChild(type(dialog.color_preview), "error_working_hours")
    assert error.isVisible() and "Wednesday" in error.text()
    with ctx.db.session() as s:
        assert len(staff_service.list_staff(s)) == 1


def test_deactivate_instead_of_delete_when_there_is_history(qtbot, ctx, monkeypatch, warnings):
    with ctx.db.session() as s:
        tara = staff_service.create_staff(s, ctx.actor, StaffData(name="Tara", role="technician"))
        patient = Patient(chart_number="1", first_name="A", last_name="B")
        s.add(patient)
        s.flush()
        start = datetime(2026, 3, 9, 9)
        s.add(
            Appointment(
                patient_id=patient.id,
                staff_id=tara.id,
                start=start,
                end=start + timedelta(minutes=45),
            )
        )
    tab = StaffTab(ctx)
    qtbot.addWidget(tab)
    monkeypatch.setattr(tab, "confirm", lambda *_: True)
    tab.select_id(tara.id)
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert warnings and "Deactivate them instead" in warnings[0]
    assert "Tara" in names(tab)
    qtbot.mouseClick(tab.toggle_button, Qt.MouseButton.LeftButton)
    assert names(tab) == ["Olivia Owner"]
    tab.show_inactive.setChecked(True)
    assert column(tab, "Tara", 5) == "Inactive"
    tab.select_id(tara.id)
    assert tab.toggle_button.text() == "&Reactivate…"
    qtbot.mouseClick(tab.toggle_button, Qt.MouseButton.LeftButton)
    assert column(tab, "Tara", 5) == "Active"


def test_rooms_tab_add_and_take_out_of_use(qtbot, ctx, monkeypatch):
    tab = RoomsTab(ctx)
    qtbot.addWidget(tab)

    def fill(dialog: RoomDialog) -> int:
        dialog.name.setText("Gym")
        dialog.kind.setCurrentIndex(dialog.kind.findData("gym"))
        dialog.save()
        return dialog.result()

    original = tab.open_dialog

    def opener(row_id):
        dialog = original(row_id)
        monkeypatch.setattr(dialog, "exec", lambda: fill(dialog))
        return dialog

    monkeypatch.setattr(tab, "open_dialog", opener)
    monkeypatch.setattr(tab, "confirm", lambda *_: True)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert names(tab) == ["Gym"] and column(tab, "Gym", 1) == "Gym"
    # A second room with the same name is refused next to the name field.
    dialog = RoomDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("gym")
    assert dialog.save() is False
    assert dialog.findChild(type(dialog.kind).__mro__[0], "kind") is dialog.kind
    error = [w for w in dialog.findChildren(object) if w.objectName() == "error_name"][0]
    assert error.isVisible() and "already a room called Gym" in error.text()
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.toggle_button, Qt.MouseButton.LeftButton)
    assert names(tab) == []
    tab.show_inactive.setChecked(True)
    assert column(tab, "Gym", 2) == "Out of use"


def test_only_the_owner_may_change_staff_or_rooms(qtbot, ctx):
    with ctx.db.session() as s:
        desk = staff_service.create_staff(s, ctx.actor, StaffData(name="Dee", role="front_desk"))
    other = AppContext(db=ctx.db, actor=Actor.from_staff(desk), bus=Bus())
    for tab in (StaffTab(other), RoomsTab(other)):
        qtbot.addWidget(tab)
        tab.table.selectRow(0)
        assert not tab.add_button.isEnabled()
        assert not tab.edit_button.isEnabled()
        assert "Only the owner" in tab.notice.text()


def test_staff_and_room_models_pass_the_model_tester(qtmodeltester, ctx):
    with ctx.db.session() as s:
        staff_service.create_staff(
            s,
            ctx.actor,
            StaffData(name="Tara", role="technician", working_hours={"1": ["07:00", "16:00"]}),
        )
        room_service.create_room(s, ctx.actor, RoomData(name="Gym", kind="gym"))
        members = staff_service.list_staff(s)
        rooms = room_service.list_rooms(s)
    model = StaffTableModel()
    model.set_rows(members)
    qtmodeltester.check(model)
    assert model.index(0, StaffTableModel.COLOR_COLUMN).data(Qt.ItemDataRole.DecorationRole)
    room_model = RoomTableModel()
    room_model.set_rows(rooms)
    qtmodeltester.check(room_model)
