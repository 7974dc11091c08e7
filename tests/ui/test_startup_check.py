"""The start-up check installers and the smoke test run: open the window, quit, ask nobody."""

from __future__ import annotations

import os
import subprocess
import sys

from ptdesk import __version__
from ptdesk.db import head_revision, open_database
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import SYSTEM
from ptdesk.ui.app import choose_actor


def start(data_dir, *args):
    env = {**os.environ, "PTDESK_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PTDESK_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "ptdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_startup_check_on_a_fresh_data_folder_creates_and_migrates_the_file(tmp_path):
    data = tmp_path / "fresh"
    proc = start(data, "--startup-check")
    assert proc.returncode == 0, proc.stderr
    assert "startup ok: window shown=True" in proc.stdout
    assert f"version={__version__}" in proc.stdout
    db = open_database(data / "ptdesk.sqlite3", backup=False)
    try:
        assert db.revision() == head_revision()
        with db.session() as session:
            # no owner was asked for or invented: the first real start still asks
            assert not staff_service.has_any_staff(session)
    finally:
        db.close()
    again = start(data, "--startup-check")
    assert again.returncode == 0, again.stderr
    assert "startup ok: window shown=True" in again.stdout


def test_new_file_needs_no_dialog_in_the_startup_check(db, monkeypatch):
    def no_dialog(*_args, **_kwargs):
        raise AssertionError("the start-up check must not ask for the owner")

    monkeypatch.setattr("ptdesk.ui.app.SetupWizard", no_dialog)
    monkeypatch.setattr("ptdesk.ui.app.SignInDialog", no_dialog)
    assert choose_actor(db, ask=False, startup_check=True) is SYSTEM


def test_startup_check_with_staff_uses_the_default_member(db, owner, monkeypatch):
    def no_dialog(*_args, **_kwargs):
        raise AssertionError("the start-up check must not ask anyone to sign in")

    monkeypatch.setattr("ptdesk.ui.app.SignInDialog", no_dialog)
    assert choose_actor(db, ask=False, startup_check=True) == owner


def _fingerprints(folder):
    """Every file under ``folder`` and its SHA-256, but for SQLite's transient journal files and
    the single-instance lock (they come and go with every start)."""
    import hashlib

    transient = ("-wal", "-shm", ".lock")
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(transient)
    }


def test_startup_check_changes_neither_the_clinic_file_nor_its_backups(demo_template, tmp_path):
    import shutil
    from datetime import datetime, timedelta

    from ptdesk.backup import create_backup, list_backups

    folder = tmp_path / "clinic"
    folder.mkdir()
    path = folder / "ptdesk.sqlite3"
    shutil.copy(demo_template, path)
    now = datetime.now()
    for days in (40, 9, 2):  # the newest is two days old: a normal start would take a daily one
        create_backup(path, reason="daily", now=now - timedelta(days=days))
    before = _fingerprints(folder)
    assert len(before) == 4 and len(list_backups(path)) == 3
    proc = start(tmp_path / "data", "--db", str(path), "--startup-check")
    assert proc.returncode == 0, proc.stderr
    assert "window shown" in proc.stdout and "startup ok" in proc.stdout
    assert _fingerprints(folder) == before  # no backup written, none thinned, no byte changed
