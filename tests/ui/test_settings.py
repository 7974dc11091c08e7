"""Settings: the clinic profile form and the data and backups tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ptdesk.backup import create_backup, list_backups
from ptdesk.services import clinic, staff
from ptdesk.services.audit import Actor
from ptdesk.ui.settings.clinic_tab import ClinicProfileTab
from ptdesk.ui.settings.data_tab import DataTab
from ptdesk.ui.settings.view import SettingsView


def test_invalid_email_shows_next_to_the_field_and_saves_nothing(qtbot, ctx):
    tab = ClinicProfileTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.email.clear()
    qtbot.keyClicks(tab.email, "frontdesk@")
    assert tab.save() is False
    assert tab.form.errors["email"].isVisible()
    assert "e-mail" in tab.form.errors["email"].text()
    with ctx.db.session() as s:
        assert clinic.get_profile(s).email == ""


def test_saving_the_profile_stores_it_and_tells_other_screens(qtbot, ctx):
    tab = ClinicProfileTab(ctx)
    qtbot.addWidget(tab)
    tab.name.setText("Harbor Physical Therapy")
    tab.day_boxes[5].setChecked(True)  # open on Saturdays
    tab.late_cancel.setValue(12)
    with qtbot.waitSignal(ctx.bus.changed) as signal:
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["clinic"]
    with ctx.db.session() as s:
        saved = clinic.get_profile(s)
    assert saved.name == "Harbor Physical Therapy"
    assert saved.clinic_weekdays == {1, 2, 3, 4, 5, 6}
    assert saved.late_cancel_hours == 12


def test_undo_changes_restores_the_saved_values(qtbot, ctx):
    tab = ClinicProfileTab(ctx)
    qtbot.addWidget(tab)
    tab.name.setText("Something else")
    qtbot.mouseClick(tab.revert_button, Qt.MouseButton.LeftButton)
    assert tab.name.text() == "My Physical Therapy Clinic"


def test_logo_that_is_not_a_picture_is_refused(qtbot, ctx, tmp_path):
    tab = ClinicProfileTab(ctx)
    qtbot.addWidget(tab)
    fake = tmp_path / "logo.png"
    fake.write_text("hello")
    tab.set_logo_file(fake)
    assert "not a picture" in tab.form.errors["logo_png"].text()
    assert tab.current_data().logo_png is None


def test_profile_is_read_only_for_others(qtbot, ctx):
    with ctx.db.session() as s:
        desk = staff.create_staff(s, ctx.actor, "Fran Desk", "front_desk")
    ctx.actor = Actor.from_staff(desk)
    tab = ClinicProfileTab(ctx)
    qtbot.addWidget(tab)
    assert not tab.save_button.isEnabled()
    assert not tab.name.isEnabled()
    assert "Only the owner" in tab.notice.text()


def test_backup_list_model(qtbot, qtmodeltester, ctx):
    create_backup(ctx.db.path, reason="manual")
    tab = DataTab(ctx)
    qtbot.addWidget(tab)
    qtmodeltester.check(tab.model)
    assert tab.proxy.rowCount() == 1
    assert tab.proxy.index(0, 1).data() == "Backed up by hand"
    assert str(ctx.db.path) in tab.location.text()


def test_restore_selected_backup_after_confirmation(qtbot, ctx, monkeypatch):
    create_backup(ctx.db.path, reason="manual")
    with ctx.db.session() as s:
        data = clinic.get_profile(s)
        data.name = "Changed after the backup"
        clinic.update_profile(s, ctx.actor, data)
    view = SettingsView(ctx)
    qtbot.addWidget(view)
    view.focus_section("data")
    tab = view.data_tab
    tab.table.selectRow(0)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes
    )
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    with qtbot.waitSignal(ctx.bus.changed):
        qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert asked, "restore must ask first"
    with ctx.db.session() as s:
        assert clinic.get_profile(s).name == "My Physical Therapy Clinic"
    assert view.clinic_tab.name.text() == "My Physical Therapy Clinic"
    assert any(b.reason == "before-restore" for b in list_backups(ctx.db.path))


def test_restore_cancelled_changes_nothing(qtbot, ctx, monkeypatch):
    create_backup(ctx.db.path, reason="manual")
    with ctx.db.session() as s:
        data = clinic.get_profile(s)
        data.name = "Keep me"
        clinic.update_profile(s, ctx.actor, data)
    tab = DataTab(ctx)
    qtbot.addWidget(tab)
    tab.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        assert clinic.get_profile(s).name == "Keep me"


def test_check_database_shows_a_report(qtbot, ctx):
    tab = DataTab(ctx)
    qtbot.addWidget(tab)
    qtbot.mouseClick(tab.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "healthy" in tab.report.toPlainText(), timeout=10_000)
    assert "no damage" in tab.report.toPlainText()


def test_backups_sort_by_time_not_by_text(qtbot, ctx):
    from datetime import datetime

    for day in (3, 12, 25):  # "12" < "3" as text, 3 < 12 as a date
        create_backup(ctx.db.path, reason="auto", now=datetime(2026, 3, day, 9, 0))
    tab = DataTab(ctx)
    qtbot.addWidget(tab)
    tab.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    shown = [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]
    assert shown == ["2026-03-03 09:00", "2026-03-12 09:00", "2026-03-25 09:00"]


def test_closed_dates_are_saved_checked_and_shown_on_the_schedule(qtbot, ctx):
    from datetime import date

    from ptdesk.ui.schedule.view import ScheduleView

    tab = ClinicProfileTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.closed_days.setPlainText("2026-12-25 Christmas Day\n26/12/2026")
    assert tab.save() is False
    assert tab.form.errors["closed_days"].isVisible()
    assert "Line 2" in tab.form.errors["closed_days"].text()
    with ctx.db.session() as s:
        assert clinic.closed_days(s) == []
    tab.closed_days.setPlainText("2026-12-26\n2026-12-25 Christmas Day")
    with qtbot.waitSignal(ctx.bus.changed):
        assert tab.save() is True
    with ctx.db.session() as s:
        assert [(c.day, c.note) for c in clinic.closed_days(s)] == [
            (date(2026, 12, 25), "Christmas Day"),
            (date(2026, 12, 26), ""),
        ]
    tab.load()
    assert tab.closed_days.toPlainText() == "2026-12-25 Christmas Day\n2026-12-26"
    view = ScheduleView(ctx)
    qtbot.addWidget(view)
    view.set_day(date(2026, 12, 25))  # a Friday, usually open
    assert view.title.text().endswith("— clinic closed (Christmas Day)")
    view.set_day(date(2026, 12, 24))
    assert "closed" not in view.title.text()


def test_the_clinic_time_zone_is_chosen_saved_and_checked_by_its_field(qtbot, ctx):
    from ptdesk.services import clock
    from ptdesk.ui.settings.clinic_tab import COMPUTER_ZONE

    tab = ClinicProfileTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert tab.time_zone.currentText() == COMPUTER_ZONE  # a file from before the setting
    assert tab.time_zone.findText("Europe/Berlin") >= 0
    tab.time_zone.setCurrentIndex(tab.time_zone.findText("America/New_York"))
    announced: list[str] = []
    ctx.bus.changed.connect(announced.append)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert announced == ["*"]  # every time shown moves with the zone: everything refreshes
    with ctx.db.session() as s:
        assert clinic.get_profile(s).time_zone == "America/New_York"
    assert clock.zone_name() == "America/New_York"
    assert tab.time_zone.currentText() == "America/New_York"  # reloaded as saved
    # A name typed by hand that no zone database knows is refused beside the field.
    tab.time_zone.setEditText("Europe/Atlantis")
    assert tab.save() is False
    assert tab.form.errors["time_zone"].isVisible()
    assert "not a time zone" in tab.form.errors["time_zone"].text()
    with ctx.db.session() as s:
        assert clinic.get_profile(s).time_zone == "America/New_York"
    # Back to following the computer's own zone.
    tab.time_zone.setCurrentIndex(tab.time_zone.findData(""))
    assert tab.save() is True
    with ctx.db.session() as s:
        assert clinic.get_profile(s).time_zone == ""
    assert clock.zone_name() == ""
