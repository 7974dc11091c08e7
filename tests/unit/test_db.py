"""Opening the clinic file: pragmas, refusing newer or damaged files without touching them."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from ptdesk.db import check_database, head_revision, inspect_file, open_database
from ptdesk.errors import DatabaseProblem


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_gets_pragmas_and_current_schema(db):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    assert db.revision() == head_revision()


def test_foreign_keys_are_enforced(db, owner):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError) as info, db.session() as s:
        s.exec(
            text(
                'INSERT INTO appointment (patient_id, staff_id, start, "end", status, kind, notes, '
                "cancel_reason, created_at, updated_at) VALUES (999, 999, '2026-01-01 09:00', "
                "'2026-01-01 09:45', 'scheduled', 'treatment', '', '', '2026-01-01', '2026-01-01')"
            )
        )
    assert "FOREIGN KEY" in str(info.value).upper()


def _make_newer(path: Path) -> None:
    open_database(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def test_database_from_newer_ptdesk_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "newer.sqlite3"
    _make_newer(path)
    before = digest(path)
    with pytest.raises(DatabaseProblem) as info:
        open_database(path)
    assert info.value.kind == "newer"
    assert "newer version of ptdesk" in info.value.message
    assert digest(path) == before
    assert not (tmp_path / "backups").exists()  # no backup or migration was attempted


def _corrupt_copy(src: Path, dst: Path) -> None:
    data = bytearray(src.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data), page):
        data[offset + 8 : offset + 200] = b"\xa5" * 192
    dst.write_bytes(bytes(data))


def test_corrupt_file_gives_clear_message_and_is_not_changed(demo_template, tmp_path):
    path = tmp_path / "corrupt.sqlite3"
    _corrupt_copy(demo_template, path)
    before = digest(path)
    with pytest.raises(DatabaseProblem) as info:
        open_database(path)
    assert info.value.kind == "corrupt"
    assert "damaged" in info.value.message and "backup" in info.value.message
    assert digest(path) == before


def test_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("Monday: call Mrs. Rivera about her knee\n" * 50)
    before = digest(path)
    with pytest.raises(DatabaseProblem) as info:
        open_database(path)
    assert info.value.kind == "not_sqlite"
    assert digest(path) == before


def test_truncated_file_is_refused(demo_template, tmp_path):
    path = tmp_path / "truncated.sqlite3"
    path.write_bytes(demo_template.read_bytes()[: 4096 * 3 + 100])
    with pytest.raises(DatabaseProblem) as info:
        open_database(path)
    assert info.value.kind in {"corrupt", "not_sqlite"}


def test_sqlite_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (name TEXT)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseProblem) as info:
        open_database(path)
    assert info.value.kind == "not_ptdesk"


def test_missing_file_is_not_created_when_asked_not_to(tmp_path):
    path = tmp_path / "nope.sqlite3"
    with pytest.raises(DatabaseProblem) as info:
        open_database(path, create=False)
    assert info.value.kind == "missing"
    assert not path.exists()


def test_check_reports_healthy_and_damaged(demo_template, tmp_path):
    report = check_database(demo_template)
    assert report.ok, report.text
    assert "no damage" in report.text and "current" in report.text
    bad = tmp_path / "bad.sqlite3"
    _corrupt_copy(demo_template, bad)
    report = check_database(bad)
    assert not report.ok
    assert "damaged" in report.text


def test_inspect_does_not_create_files(tmp_path):
    state = inspect_file(tmp_path / "absent.sqlite3")
    assert not state.exists
    assert list(tmp_path.iterdir()) == []
