"""Damage the background integrity check (or the first reads) finds before the window is up
must still end in the explanation and the offer of the backup, never in silence."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from ptdesk.backup import create_backup

SIGN_IN = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import ptdesk.ui.app as app_module
from ptdesk.ui.signin import SignInDialog

asked = []

def ask(problem, has_backup):
    asked.append(problem.kind)
    return "quit"

app_module.ask_database_problem = ask
seen = {}

def drive():
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, SignInDialog) and widget.isVisible() and "tried" not in seen:
            seen["tried"] = True
            widget.panel.names.setCurrentRow(0)
            widget.panel.pin.setText(sys.argv[2])
            widget.panel.button.click()  # waits for the check's verdict, like a person would
            seen["error"] = widget.panel.error.text()
            if widget.isVisible():
                widget.reject()  # the person cannot get in and quits
            return
    QTimer.singleShot(50, drive)

app_module.make_application()
QTimer.singleShot(50, drive)
code = app_module.run_app(Path(sys.argv[1]))
print("error:", seen.get("error"))
print("asked:", asked)
print("code:", code)
"""


def _env(folder: Path) -> dict[str, str]:
    env = {**os.environ, "PTDESK_DATA_DIR": str(folder), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PTDESK_DB", None)
    return env


def _damage_middle(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek((size // 2) // 4096 * 4096)
        fh.write(b"\xa5" * 4096 * 16)


def _damage_table(path: Path, table: str) -> None:
    con = sqlite3.connect(path)
    (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    (page,) = con.execute("PRAGMA page_size").fetchone()
    con.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page)
        fh.write(b"\xa5" * page)


def test_damage_found_while_signing_in_still_offers_the_backup(demo_template, tmp_path):
    from ptdesk.demo import DEMO_PINS

    path = tmp_path / "ptdesk.sqlite3"
    shutil.copy(demo_template, path)
    create_backup(path, reason="manual")  # a good backup exists
    _damage_middle(path)
    proc = subprocess.run(
        [sys.executable, "-c", SIGN_IN, str(path), DEMO_PINS["owner"]],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert "code:" in proc.stdout, proc.stderr
    # The person is offered the backup (as when damage is found on opening), instead of a
    # sign-in that can only fail and a quit that says nothing more.
    assert "asked: ['corrupt']" in proc.stdout, proc.stdout


def test_startup_check_reports_damage_met_before_the_window(demo_template, tmp_path):
    path = tmp_path / "ptdesk.sqlite3"
    shutil.copy(demo_template, path)
    _damage_table(path, "staff")  # read by the sign-in step, before any event loop runs
    proc = subprocess.run(
        [sys.executable, "-m", "ptdesk", "--db", str(path), "--startup-check"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 1
    assert "startup FAILED" in proc.stderr and "damaged" in proc.stderr, (
        proc.stdout,
        proc.stderr,
    )
