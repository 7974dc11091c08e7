"""The backup on close: taken only when something changed since the last backup, with a note
when it takes longer than a second."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

import ptdesk.ui.backups as backups_module
from ptdesk.backup import backup_if_changed, list_backups
from ptdesk.db import open_database
from ptdesk.services import rooms, staff
from ptdesk.services.audit import Actor
from ptdesk.ui.bus import Bus
from ptdesk.ui.context import AppContext
from ptdesk.ui.main_window import MainWindow
from ptdesk.ui.operations import Op
from ptdesk.ui.pages import PageSpec
from ptdesk.ui.settings.view import SettingsView

SMALL = [PageSpec("settings", "Settings", "settingsView", SettingsView)]


def _window(qtbot, ctx, pages=None) -> MainWindow:
    window = MainWindow(ctx, pages=pages)
    qtbot.addWidget(window)
    window.show()
    return window


def _reasons(path) -> list[str]:
    return [b.reason for b in list_backups(path)]


def test_closing_backs_up_only_what_changed_since_the_last_backup(qtbot, demo_db):
    path = demo_db.path
    assert backup_if_changed(path, reason="daily") is not None
    demo_db.close()  # the day ends; the next day the file is opened afresh
    db = open_database(path)
    try:
        with db.session() as s:
            actor = Actor.from_staff(staff.default_actor(s))
        ctx = AppContext(db=db, actor=actor, bus=Bus(), demo=True)
        window = _window(qtbot, ctx)
        for row in range(window.navigation.count()):  # every page reads what it shows
            window.navigation.setCurrentRow(row)
            QApplication.processEvents()
        window.close()
        assert _reasons(path) == ["daily"]  # opened, read, closed: nothing to back up

        window = _window(qtbot, ctx, SMALL)
        room = Op(ctx, window, lambda s: rooms.create_room(s, actor, rooms.RoomData("Pool", "gym")))
        assert room.run() is not None
        window.close()
        assert _reasons(path) == ["close"]  # the day's earlier one is thinned out
    finally:
        db.close()


def _recording(monkeypatch) -> list[str]:
    notes: list[str] = []

    class Recording(QProgressDialog):
        def __init__(self, *args) -> None:
            super().__init__(*args)
            notes.append(self.labelText())

    monkeypatch.setattr(backups_module, "QProgressDialog", Recording)
    return notes


def test_a_backup_on_close_longer_than_a_second_says_so(qtbot, ctx, monkeypatch):
    notes = _recording(monkeypatch)
    real = backups_module.backup_if_changed

    def slow(path, **kwargs):
        time.sleep(1.5)  # a ten-year clinic's copy
        return real(path, **kwargs)

    monkeypatch.setattr(backups_module, "backup_if_changed", slow)
    window = _window(qtbot, ctx, SMALL)
    shown: list[str] = []

    def look() -> None:
        shown.extend(w.objectName() for w in QApplication.topLevelWidgets() if w.isVisible())

    QTimer.singleShot(1250, look)
    window.close()
    assert notes == [backups_module.CLOSE_NOTE]
    assert "closingBackupNote" in shown and "mainWindow" in shown  # over the closing window
    assert _reasons(ctx.db.path) == ["close"]
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not [w for w in QApplication.topLevelWidgets() if w.objectName() == "closingBackupNote"]


def test_a_quick_backup_on_close_shows_nothing(qtbot, ctx, monkeypatch):
    notes = _recording(monkeypatch)
    window = _window(qtbot, ctx, SMALL)
    window.close()
    assert notes == [] and _reasons(ctx.db.path) == ["close"]
