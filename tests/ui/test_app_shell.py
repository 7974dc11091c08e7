"""The app shell: About, backups from the window, one window per file, errors shown not lost."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox

from ptdesk import __version__
from ptdesk.backup import list_backups
from ptdesk.single_instance import InstanceLock, is_running
from ptdesk.ui import app as app_module
from ptdesk.ui.about import about_text
from ptdesk.ui.main_window import MainWindow
from ptdesk.ui.pages import PageSpec
from ptdesk.ui.settings.view import SettingsView

# A window with one small page, so its size is not held up by a large page's minimum.
SMALL = [PageSpec("settings", "Settings", "settingsView", SettingsView)]


def test_about_names_version_and_data_folder(ctx):
    text = about_text(ctx.db.path)
    assert __version__ in text
    assert str(ctx.db.path.parent) in text


def test_back_up_now_updates_the_status_bar(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert "never" in window.backup_label.text()
    with qtbot.waitSignal(window.backups.backed_up, timeout=10_000):
        window.action_backup.trigger()
    assert len(list_backups(ctx.db.path)) == 1
    assert "Last backup: today" in window.backup_label.text()


def test_closing_the_window_backs_up_changed_data_and_remembers_geometry(qtbot, ctx):
    window = MainWindow(ctx, pages=SMALL)
    qtbot.addWidget(window)
    window.resize(790, 540)
    window.show()
    window.close()
    assert [b.reason for b in list_backups(ctx.db.path)] == ["close"]
    again = MainWindow(ctx, pages=SMALL)
    qtbot.addWidget(again)
    assert abs(again.size().height() - 540) <= 10  # not the 780 px first-run default


def test_second_instance_on_the_same_file_is_refused(db_path, db):
    first = InstanceLock(db_path)
    assert first.acquire()
    try:
        assert is_running(db_path)
        second = InstanceLock(db_path)
        assert not second.acquire()
    finally:
        first.release()
    assert not is_running(db_path)


def test_second_start_is_told_and_first_window_raised(qtbot, ctx, monkeypatch):
    guard = app_module.InstanceGuard(ctx.db.path)
    assert guard.claim()
    try:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        guard.window = window
        window.showMinimized()
        told = []
        monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
        assert app_module.run_app(ctx.db.path) == 0
        assert "already open" in told[0]
        qtbot.waitUntil(lambda: not window.isMinimized(), timeout=5000)
    finally:
        guard.release()


def test_unexpected_errors_are_logged_and_shown(qtbot, monkeypatch, caplog):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    import sys

    old = sys.excepthook
    try:
        app_module.install_exception_hook()
        with caplog.at_level(logging.ERROR):
            try:
                raise RuntimeError("printer jammed")
            except RuntimeError as exc:
                sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = old
    assert "printer jammed" in caplog.text
    assert shown and "Your saved work is safe" in shown[0]


def test_without_asking_the_owner_is_chosen(qtbot, db, owner):
    from ptdesk.services import staff

    with db.session() as s:
        staff.create_staff(s, owner, "Amy Aide", "technician")
    actor = app_module.choose_actor(db, ask=False)
    assert actor.name == "Olivia Owner"


def test_start_asks_for_a_pin_and_signs_the_person_in(qtbot, db, owner, monkeypatch):
    from ptdesk.services import auth
    from ptdesk.ui.signin import SignInDialog

    with db.session() as s:
        auth.set_pin(s, owner, owner.id, "2468")
    typed = iter(["1111", "2468"])

    def fake_exec(self):
        qtbot.addWidget(self)
        while self.actor is None:
            self.panel.select(owner.id)
            self.panel.pin.setText(next(typed))
            self.panel.sign_in()
        return 1

    monkeypatch.setattr(SignInDialog, "exec", fake_exec)
    actor = app_module.choose_actor(db, ask=True)
    assert actor == owner


def test_new_file_runs_the_setup_wizard(qtbot, db, monkeypatch):
    from ptdesk.ui.signin import SetupWizard

    def fake_exec(self):
        qtbot.addWidget(self)
        self.name.setText("Lakeside PT")
        self.owner_name.setText("Dana Owner")
        self.pin.setText("1357")
        self.pin_again.setText("1357")
        return 1 if self.finish() is not None else 0

    monkeypatch.setattr(SetupWizard, "exec", fake_exec)
    actor = app_module.choose_actor(db, ask=True)
    assert actor is not None and actor.name == "Dana Owner" and actor.role == "owner"


def test_damaged_file_at_start_offers_the_latest_backup(
    qtbot, demo_template, tmp_path, monkeypatch
):
    from ptdesk.backup import create_backup

    path = tmp_path / "clinic.sqlite3"
    path.write_bytes(demo_template.read_bytes())
    create_backup(path, reason="daily")
    damaged = bytearray(path.read_bytes())
    damaged[8192:16384] = b"\x5a" * 8192
    path.write_bytes(bytes(damaged))
    offered = []

    def answer(problem, has_backup, parent=None):
        offered.append((problem.kind, has_backup))
        return "restore"

    monkeypatch.setattr(app_module, "ask_database_problem", answer)
    db = app_module.open_or_recover(path)
    assert offered == [("corrupt", True)]
    assert db is not None
    db.close()
    aside = [
        p
        for p in tmp_path.iterdir()
        if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))
    ]
    assert len(aside) == 1 and aside[0].read_bytes() == bytes(damaged)


def test_newer_file_at_start_offers_no_restore(qtbot, tmp_path, monkeypatch):
    import sqlite3

    from ptdesk.db import open_database

    path = tmp_path / "clinic.sqlite3"
    open_database(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    con.commit()
    con.close()
    seen = []
    monkeypatch.setattr(
        app_module,
        "ask_database_problem",
        lambda problem, has_backup, parent=None: seen.append(problem.kind) or "quit",
    )
    assert app_module.open_or_recover(path) is None
    assert seen == ["newer"]
