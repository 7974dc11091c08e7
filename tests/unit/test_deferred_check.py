"""The whole-file integrity check can run after the window is shown; everything else that
refuses a file (not SQLite, newer, foreign) still refuses it on opening."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading

import pytest

from ptdesk.backup import latest_backup
from ptdesk.db import IntegrityCheck, inspect_file, open_database, quick_check
from ptdesk.errors import DatabaseProblem


def damage(path) -> None:
    """Overwrite pages in the middle of the file; the header and schema page stay intact."""
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek((size // 2) // 4096 * 4096)
        fh.write(b"\xa5" * 4096 * 16)


@pytest.fixture
def damaged(demo_template, tmp_path):
    path = tmp_path / "clinic" / "ptdesk.sqlite3"
    path.parent.mkdir()
    shutil.copy(demo_template, path)
    damage(path)
    return path


def test_damage_is_found_by_the_quick_check_not_by_the_cheap_checks(damaged):
    state = inspect_file(damaged, check=False)  # header, tables and version are readable
    assert state.revision is not None
    with pytest.raises(DatabaseProblem) as found:
        quick_check(damaged)
    assert found.value.kind == "corrupt"
    with pytest.raises(DatabaseProblem):
        inspect_file(damaged)  # the default still checks everything


def test_newer_files_are_refused_without_the_quick_check(demo_template, tmp_path):
    path = tmp_path / "newer.sqlite3"
    shutil.copy(demo_template, path)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseProblem) as refused:
        open_database(path, check=False)
    assert refused.value.kind == "newer"


def test_a_file_due_a_migration_is_checked_before_it_is_rewritten(damaged):
    con = sqlite3.connect(damaged)
    con.execute("UPDATE alembic_version SET version_num = '0008'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseProblem) as found:
        open_database(damaged, check=False)
    assert found.value.kind == "corrupt"
    assert latest_backup(damaged) is None  # no backup of the damaged file was taken


def test_startup_check_reports_damage_found_after_the_window_and_takes_no_backup(damaged):
    env = {**os.environ, "PTDESK_DATA_DIR": str(damaged.parent), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PTDESK_DB", None)
    proc = subprocess.run(
        [sys.executable, "-m", "ptdesk", "--db", str(damaged), "--startup-check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 1
    assert "startup FAILED" in proc.stderr and "damaged" in proc.stderr
    assert "startup ok" not in proc.stdout
    assert latest_backup(damaged) is None


def test_backups_wait_for_the_check(qtbot, db):
    from ptdesk.ui.backups import BackupScheduler

    scheduler = BackupScheduler(db.path)
    scheduler.suspended = True
    scheduler.on_close()
    scheduler.run(reason="auto", min_age=None)
    scheduler.backup_now()
    assert latest_backup(db.path) is None
    scheduler.suspended = False
    scheduler.on_close()
    assert latest_backup(db.path) is not None


# -- writes wait for the check's verdict -------------------------------------------------------
def _add_room(db, name: str) -> None:
    from ptdesk.models import Room

    with db.session() as s:
        s.add(Room(name=name))


def _room_names(db) -> set[str]:
    from sqlmodel import select

    from ptdesk.models import Room

    with db.session() as s:
        return set(s.exec(select(Room.name)).all())


def test_reads_go_ahead_and_writes_wait_until_the_check_passes(db):
    check = IntegrityCheck(db.path)
    db.hold_writes_until(check)
    assert _room_names(db) == set()  # a read does not wait: the check has not even started
    writer = threading.Thread(target=_add_room, args=(db, "Gym"))
    writer.start()
    writer.join(timeout=0.5)
    assert writer.is_alive(), "the write went ahead before the file was checked"
    check.run()
    writer.join(timeout=30)
    assert not writer.is_alive()
    assert _room_names(db) == {"Gym"}
    _add_room(db, "Pool")  # once passed, writes go straight through
    assert _room_names(db) == {"Gym", "Pool"}


def test_a_write_is_refused_and_nothing_written_when_the_check_finds_damage(damaged):
    database = open_database(damaged, check=False, backup=False)
    try:
        check = IntegrityCheck(damaged)
        database.hold_writes_until(check)
        with pytest.raises(DatabaseProblem):
            check.run()
        before = hashlib.sha256(damaged.read_bytes()).hexdigest()
        with pytest.raises(DatabaseProblem) as refused:
            _add_room(database, "Gym")
        assert refused.value.kind == "corrupt"
        assert "backup" in refused.value.message.lower()
    finally:
        database.close()
    assert hashlib.sha256(damaged.read_bytes()).hexdigest() == before


def test_a_pragma_that_sets_something_waits_like_any_write(db):
    from sqlalchemy import text

    check = IntegrityCheck(db.path)
    db.hold_writes_until(check)

    def set_version() -> None:
        with db.engine.begin() as conn:
            conn.execute(text("PRAGMA user_version = 7"))

    with db.engine.connect() as conn:  # reading a pragma does not wait
        assert conn.execute(text("PRAGMA user_version")).scalar() == 0
    writer = threading.Thread(target=set_version)
    writer.start()
    writer.join(timeout=0.5)
    assert writer.is_alive(), "a setting pragma went ahead before the file was checked"
    check.run()
    writer.join(timeout=30)
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA user_version")).scalar() == 7
