"""Backups: online copy, restore round trip, thinning, and backing up only after changes."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ptdesk.backup import (
    BackupError,
    BackupInfo,
    backup_if_changed,
    backups_to_delete,
    create_backup,
    list_backups,
    restore_backup,
    thin_backups,
)
from ptdesk.config import backup_dir_for
from ptdesk.db import open_database


def table_dump(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}
    finally:
        con.close()


def test_backup_then_restore_keeps_every_row(demo_db):
    path = demo_db.path
    original = table_dump(path)
    assert len(original["appointment"]) > 1000
    copy = create_backup(path, reason="manual")
    assert copy.parent == backup_dir_for(path)
    assert table_dump(copy) == original

    with demo_db.session() as s:  # the clinic keeps working after the backup...
        s.connection().exec_driver_sql("UPDATE patient SET first_name = 'Changed'")
    assert table_dump(path) != original
    demo_db.close()

    safety = restore_backup(path, copy)  # ...and then restores the backup
    assert table_dump(path) == original
    assert safety is not None and safety.exists()
    assert "Changed" in {row[2] for row in table_dump(safety)["patient"]}
    reopened = open_database(path)
    reopened.close()


def test_restore_refuses_a_file_that_is_not_a_backup(db_path, db, tmp_path):
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("not a database")
    before = db_path.read_bytes()
    with pytest.raises(BackupError) as info:
        restore_backup(db_path, bogus)
    assert "cannot be restored" in info.value.message
    assert db_path.read_bytes() == before


def test_restore_over_a_damaged_file_sets_it_aside(demo_template, tmp_path):
    path = tmp_path / "clinic.sqlite3"
    good = tmp_path / "good.sqlite3"
    good.write_bytes(demo_template.read_bytes())
    damaged = bytearray(demo_template.read_bytes())
    damaged[8192:12000] = b"\x00\xff" * ((12000 - 8192) // 2)
    path.write_bytes(bytes(damaged))
    aside = restore_backup(path, good)
    assert aside is not None and ".damaged-" in aside.name
    assert aside.read_bytes() == bytes(damaged)  # the damaged file is kept as it was
    assert table_dump(path) == table_dump(good)


def _infos(stamps: list[datetime]) -> list[BackupInfo]:
    return [BackupInfo(Path(f"b-{t:%Y%m%d-%H%M%S}.sqlite3"), t, "auto") for t in stamps]


def test_thinning_keeps_7_daily_4_weekly_12_monthly():
    now = datetime(2026, 11, 27, 18, 0)
    # Three backups a day for 500 days.
    stamps = [now - timedelta(days=d, hours=h) for d in range(500) for h in (0, 4, 8)]
    infos = _infos(stamps)
    doomed = {b.path for b in backups_to_delete(infos)}
    kept = sorted(
        (b for b in infos if b.path not in doomed), key=lambda b: b.taken_at, reverse=True
    )
    days = {b.taken_at.date() for b in kept}
    # The newest of each of the last 7 days...
    for d in range(7):
        day = (now - timedelta(days=d)).date()
        newest = max(b.taken_at for b in infos if b.taken_at.date() == day)
        assert any(b.taken_at == newest for b in kept)
    # ...one per week for 4 weeks and one per month for 12 months, and nothing older.
    weeks = {b.taken_at.isocalendar()[:2] for b in kept}
    months = {(b.taken_at.year, b.taken_at.month) for b in kept}
    assert len(months) == 12
    assert len(weeks) >= 4
    assert len(kept) <= 7 + 4 + 12
    assert len(kept) == len(days)  # never two from the same day
    oldest_month = min(months)
    assert oldest_month == (2025, 12)


def test_thinning_deletes_files_and_keeps_the_newest(db_path, db):
    base = datetime(2026, 1, 1, 12, 0)
    for d in range(40):
        create_backup(db_path, reason="auto", now=base + timedelta(days=d))
    assert len(list_backups(db_path)) == 40
    removed = thin_backups(db_path)
    left = list_backups(db_path)
    assert len(removed) + len(left) == 40
    assert left[0].taken_at == base + timedelta(days=39)
    assert len(left) < 40
    assert all(not p.exists() for p in removed)


def test_backup_only_when_data_changed(db_path, db, owner):
    first = backup_if_changed(db_path, reason="auto")
    assert first is not None
    assert backup_if_changed(db_path, reason="auto") is None  # nothing changed since
    # Make the last backup look an hour old, then change data.
    old = first.stat().st_mtime - 3600
    os.utime(first, (old, old))
    from ptdesk.services import clinic

    with db.session() as s:
        profile = clinic.get_profile(s)
        profile.phone = "555-201-7777"
        clinic.update_profile(s, owner, profile)
    assert backup_if_changed(db_path, reason="auto") is not None


def test_no_partial_backup_left_when_copy_fails(db_path, db, tmp_path, monkeypatch):
    import ptdesk.backup as backup_module

    def boom(path):
        raise BackupError("The file is damaged and cannot be used.")

    monkeypatch.setattr(backup_module, "verify_copy", boom)
    with pytest.raises(BackupError):
        create_backup(db_path, reason="manual")
    folder = backup_dir_for(db_path)
    assert not any(folder.iterdir())


def test_safety_copies_survive_thinning_for_30_days():
    now = datetime(2026, 11, 27, 18, 0)
    infos = [
        BackupInfo(Path("c-old-auto.sqlite3"), now - timedelta(hours=5), "auto"),
        BackupInfo(Path("c-restore.sqlite3"), now - timedelta(hours=3), "before-restore"),
        BackupInfo(Path("c-upgrade.sqlite3"), now - timedelta(days=20, hours=1), "before-upgrade"),
        BackupInfo(Path("c-upgrade-same-day.sqlite3"), now - timedelta(days=20), "auto"),
        BackupInfo(Path("c-ancient.sqlite3"), now - timedelta(days=45), "before-restore"),
        BackupInfo(Path("c-ancient-newer.sqlite3"), now - timedelta(days=45, hours=-1), "auto"),
        BackupInfo(Path("c-new.sqlite3"), now - timedelta(hours=1), "close"),
    ]
    doomed = {b.path.name for b in backups_to_delete(infos, now=now)}
    # Same-day automatic copies thin as before; safety copies under 30 days old stay.
    assert "c-old-auto.sqlite3" in doomed
    assert "c-restore.sqlite3" not in doomed
    assert "c-upgrade.sqlite3" not in doomed
    # After 30 days a safety copy is thinned like any other.
    assert "c-ancient.sqlite3" in doomed


def test_the_copy_a_restore_kept_survives_the_next_backup(demo_db):
    path = demo_db.path
    copy = create_backup(path, reason="manual")
    demo_db.close()
    safety = restore_backup(path, copy)
    create_backup(path, reason="auto")
    thin_backups(path)
    assert safety.exists()


def test_only_the_owner_may_restore_whatever_screen_asks(db_path, db, owner):
    from ptdesk.errors import PermissionDenied
    from ptdesk.services import data_files, staff
    from ptdesk.services.audit import Actor

    copy = create_backup(db_path, reason="manual")
    with db.session() as s:
        desk = Actor.from_staff(staff.create_staff(s, owner, "Fran Desk", "front_desk"))
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(PermissionDenied) as info:
        data_files.restore(desk, db_path, copy)
    assert "may not restore a backup" in info.value.message
    assert db_path.read_bytes() == before
    assert not any(b.reason == "before-restore" for b in list_backups(db_path))
    assert data_files.restore(owner, db_path, copy) is not None
