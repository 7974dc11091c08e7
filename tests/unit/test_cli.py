"""The command line: exit codes, messages without tracebacks, backup/restore/check/export."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ptdesk import __version__
from ptdesk.cli import run
from ptdesk.services.exports import APPOINTMENT_COLUMNS


def ptdesk(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "ptdesk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_version_and_help():
    result = ptdesk("--version")
    assert result.returncode == 0 and __version__ in result.stdout
    result = ptdesk("--help")
    assert result.returncode == 0
    for command in ("demo", "backup", "restore", "check", "export"):
        assert command in result.stdout


def test_usage_errors_exit_2_without_traceback():
    result = ptdesk("no-such-command")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = ptdesk("export", "appointments", "--from", "yesterday", "--to", "2026-01-01")
    assert result.returncode == 2 and "not a date" in result.stderr


def test_demo_without_a_file_is_a_usage_error(capsys):
    assert run(["demo"]) == 2
    assert "--db PATH" in capsys.readouterr().err


def test_check_healthy_and_damaged(demo_template, tmp_path, capsys):
    assert run(["check", "--db", str(demo_template)]) == 0
    assert "no damage" in capsys.readouterr().out
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x13" * 9000)
    result = ptdesk("check", "--db", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "damaged" in result.stderr or "not a ptdesk" in result.stderr


def test_backup_restore_round_trip(demo_db, tmp_path, capsys):
    path = str(demo_db.path)
    demo_db.close()
    out = tmp_path / "copy.sqlite3"
    assert run(["backup", "--db", path, "--out", str(out)]) == 0
    assert out.exists()
    assert run(["--db", path, "restore", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Restored" in text and "kept as" in text


def test_restore_of_a_missing_file_fails_cleanly(db_path, db, capsys):
    assert run(["restore", "--db", str(db_path), "/nonexistent/backup.sqlite3"]) == 1
    assert "There is no file" in capsys.readouterr().err


def test_db_from_environment(demo_template, monkeypatch, capsys):
    monkeypatch.setenv("PTDESK_DB", str(demo_template))
    assert run(["check"]) == 0


def test_export_appointments_columns_and_local_times(demo_db, tmp_path, capsys):
    path = str(demo_db.path)
    assert (
        run(["export", "appointments", "--db", path, "--from", "2026-03-11", "--to", "2026-03-11"])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and list(rows[0].keys()) == APPOINTMENT_COLUMNS
    assert all(r["start"].startswith("2026-03-11 ") and len(r["start"]) == 16 for r in rows)
    assert {r["duration_min"] for r in rows} == {"45"}
    out = tmp_path / "appts.csv"
    assert (
        run(
            [
                "export",
                "appointments",
                "--db",
                path,
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-31",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    lines = out.read_text().splitlines()
    assert lines[0] == ",".join(APPOINTMENT_COLUMNS)
    assert len(lines) > len(rows)


def test_export_with_dates_reversed_fails(demo_db, capsys):
    assert (
        run(
            [
                "export",
                "appointments",
                "--db",
                str(demo_db.path),
                "--from",
                "2026-03-31",
                "--to",
                "2026-03-01",
            ]
        )
        == 1
    )
    assert "before the start date" in capsys.readouterr().err


def test_export_from_missing_file_fails(tmp_path, capsys):
    missing = tmp_path / "none.sqlite3"
    assert (
        run(
            [
                "export",
                "appointments",
                "--db",
                str(missing),
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-02",
            ]
        )
        == 1
    )
    assert "no clinic file" in capsys.readouterr().err
    assert not missing.exists()


@pytest.mark.parametrize("years", ["0", "-1", "abc", "50"])
def test_demo_years_are_checked(years, tmp_path):
    result = ptdesk("demo", "--db", str(tmp_path / "x.sqlite3"), "--years", years)
    assert result.returncode == 2
    assert not Path(tmp_path / "x.sqlite3").exists()


def test_app_starts_on_the_demo_clinic_and_quits(tmp_path):
    data = tmp_path / "appdata"
    result = ptdesk(
        "--demo",
        "--startup-check",
        env_extra={"PTDESK_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "startup ok: window shown=True" in result.stdout
    assert (data / "demo" / "ptdesk-demo.sqlite3").exists()
    assert not (data / "ptdesk.sqlite3").exists()  # the demo never touches the real clinic file


def test_startup_check_never_waits_on_a_dialog(tmp_path):
    import sqlite3

    from ptdesk.db import open_database

    newer = tmp_path / "newer.sqlite3"
    open_database(newer).close()
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    con.commit()
    con.close()
    result = ptdesk(
        "--db",
        str(newer),
        "--startup-check",
        env_extra={"PTDESK_DATA_DIR": str(tmp_path / "d"), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 1
    assert "startup FAILED" in result.stderr and "newer version" in result.stderr


def test_demo_flag_with_a_command_is_a_usage_error(tmp_path):
    result = ptdesk("--demo", "check", env_extra={"PTDESK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "do not go with a command" in result.stderr


def test_interrupted_demo_leaves_no_file_under_the_real_name(tmp_path, monkeypatch):
    import ptdesk.demo as demo

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(demo, "generate", fail)
    target = tmp_path / "demo.sqlite3"
    with pytest.raises(KeyboardInterrupt):
        demo.create_demo_file(target, years=0.1)
    assert list(tmp_path.iterdir()) == []


def test_command_errors_show_no_log_lines(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x13" * 9000)
    result = ptdesk("check", "--db", str(bad))
    assert result.returncode == 1
    assert "ERROR" not in result.stderr and "quick_check" not in result.stderr
