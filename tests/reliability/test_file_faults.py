"""Damaged, foreign, newer, locked and read-only clinic files: a message to act on, file untouched.

Each case is checked where a person meets it: the command line (exit 1, one sentence, no
traceback) and the window's start-up (the problem dialog), and the file's bytes are compared
before and after.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import ptdesk.db as ptdb
from ptdesk.backup import create_backup, list_backups
from ptdesk.cli import run
from ptdesk.db import (
    MSG_CORRUPT,
    MSG_EMPTIED,
    MSG_LOCKED,
    MSG_MISSING,
    MSG_NEWER,
    MSG_NOT_PTDESK,
    MSG_NOT_SQLITE,
    MSG_READONLY,
    open_database,
)
from ptdesk.errors import DatabaseProblem
from ptdesk.services import patients
from ptdesk.services.audit import Actor
from ptdesk.services.patients import PatientData
from ptdesk.ui.app import open_or_recover
from tests.reliability import faults, workload
from tests.reliability.cases import count
from tests.reliability.checks import check_writes, file_digest, integrity


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, workload.ClinicIds]:
    """A clinic file with a few dozen visits, sessions and cleanings (about 100 pages)."""
    path = tmp_path_factory.mktemp("faults") / "template.sqlite3"
    ids = workload.make_clinic(path)
    db = open_database(path)
    fd = os.open(os.devnull, os.O_WRONLY)
    try:
        for n in range(40):
            workload.write_cycle(db, ids, fd, 1, n)
    finally:
        os.close(fd)
        db.close()
    return path, ids


@pytest.fixture
def clinic(template, tmp_path) -> Path:
    path = tmp_path / "clinic" / "ptdesk.sqlite3"
    path.parent.mkdir()
    shutil.copy(template[0], path)
    return path


@pytest.fixture
def fast_busy_timeout(monkeypatch):
    """The busy timeout cut from 5 s to 0.3 s; the lock is held well past either."""
    monkeypatch.setattr(ptdb, "BUSY_TIMEOUT_MS", 300)


def cli(capsys, *args: str) -> tuple[int, str]:
    code = run(list(args))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def answer_dialog(pick: str, seen: dict) -> None:
    """When the next modal message box shows, note its text and buttons and press ``pick``."""

    def handle() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, handle)
            return
        seen["text"] = box.text()
        seen["buttons"] = [b.text() for b in box.buttons()]
        for button in box.buttons():
            if button.text() == pick:
                button.click()
                return
        box.reject()

    QTimer.singleShot(0, handle)


def assert_nothing_written_beside(path: Path) -> None:
    """Only SQLite's own shared-memory index may appear beside it (readers of a WAL file make
    one); a write-ahead log, if one appears, is empty, so nothing was written."""
    for p in path.parent.iterdir():
        if p.name == f"{path.name}-wal":
            assert p.stat().st_size == 0
        else:
            assert p.name in {path.name, f"{path.name}-shm"}, p.name


# -- damaged, foreign and newer files ----------------------------------------------------------
def _truncate(size: int | None) -> Callable[[Path], None]:
    def cut(path: Path) -> None:
        os.truncate(path, size if size is not None else path.stat().st_size // 2)

    return cut


def _replace_with(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    **{
        f"corrupt-pages-{seed}": (lambda p, s=seed: faults.corrupt_pages(p, s), MSG_CORRUPT)
        for seed in range(12)
    },
    "corrupt-header": (faults.damage_header, MSG_CORRUPT),
    **{f"truncated-{n}": (_truncate(n), MSG_CORRUPT) for n in (50, 100, 1000, 4096, 3 * 4096)},
    "truncated-half": (_truncate(None), MSG_CORRUPT),
    "truncated-to-8-bytes": (_truncate(8), MSG_NOT_SQLITE),
    **{f"not-sqlite-{k}": (_replace_with(v), MSG_NOT_SQLITE) for k, v in faults.NOT_SQLITE.items()},
    "other-program-database": (faults.other_database, MSG_NOT_PTDESK),
    "newer-ptdesk": (faults.mark_newer, MSG_NEWER),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damaged_file_is_explained_on_the_command_line_and_left_alone(case, clinic, capsys):
    damage, message = DAMAGE[case]
    damage(clinic)
    before = file_digest(clinic)
    assert cli(capsys, "check", "--db", str(clinic)) == (1, message + "\n")
    code, err = cli(
        capsys, "export", "appointments", "--from", "2026-03-01", "--to", "2026-12-31",
        "--db", str(clinic),
    )  # fmt: skip
    assert (code, err) == (1, f"ptdesk: {message}\n")
    assert cli(capsys, "backup", "--db", str(clinic)) == (1, f"ptdesk: {message}\n")
    assert file_digest(clinic) == before
    assert_nothing_written_beside(clinic)
    count(f"file: {case.rsplit('-', 1)[0] if case[-1].isdigit() else case} (CLI)")


@pytest.mark.parametrize(
    "case", ["corrupt-pages-0", "corrupt-header", "truncated-half", "not-sqlite-pdf",
             "other-program-database", "newer-ptdesk"],
)  # fmt: skip
def test_damaged_file_is_explained_at_start_up_and_left_alone(case, clinic, qapp):
    damage, message = DAMAGE[case]
    create_backup(clinic)  # a backup exists, yet the quit choice changes nothing
    damage(clinic)
    before = file_digest(clinic)
    seen: dict = {}
    answer_dialog("Quit", seen)
    assert open_or_recover(clinic) is None
    assert seen["text"] == message
    restorable = case != "newer-ptdesk"
    assert ("Restore latest backup" in seen["buttons"]) is restorable
    assert file_digest(clinic) == before
    count("file: damaged/foreign/newer at start-up (UI)")


def test_restore_at_start_up_sets_the_damaged_file_aside_unchanged(clinic, template, qapp):
    create_backup(clinic)
    faults.corrupt_pages(clinic, 5)
    damaged = file_digest(clinic)
    seen: dict = {}
    answer_dialog("Restore latest backup", seen)
    db = open_or_recover(clinic)
    assert db is not None
    db.close()
    assert seen["text"] == MSG_CORRUPT
    aside = [p for p in clinic.parent.iterdir() if ".damaged-" in p.name and p.suffix != ""]
    assert [file_digest(p) for p in aside if not p.name.endswith(("-wal", "-shm"))] == [damaged]
    assert integrity(clinic) == ["ok"]
    check_writes(clinic, [])
    count("file: restore at start-up keeps the damaged file")


def test_an_emptied_file_with_backups_is_not_taken_for_a_new_clinic(clinic, capsys, qapp):
    create_backup(clinic)
    os.truncate(clinic, 0)
    with pytest.raises(DatabaseProblem) as problem:
        open_database(clinic)
    assert (problem.value.kind, problem.value.message) == ("corrupt", MSG_EMPTIED)
    seen: dict = {}
    answer_dialog("Quit", seen)
    assert open_or_recover(clinic) is None
    assert seen["text"] == MSG_EMPTIED
    assert "Restore latest backup" in seen["buttons"]
    assert clinic.stat().st_size == 0
    count("file: emptied (0 bytes) with backups")


# -- locked ------------------------------------------------------------------------------------
def test_a_writer_holding_the_lock_past_the_busy_timeout(clinic, template, fast_busy_timeout):
    ids = template[1]
    owner = Actor(ids.owner_id, "Olivia Owner", "owner")
    db = open_database(clinic)
    try:
        with faults.held_lock(clinic, exclusive=False):
            before = file_digest(clinic)
            with pytest.raises(DatabaseProblem) as problem, db.session() as s:
                patients.create_patient(s, owner, PatientData(first_name="Ana", last_name="Ruiz"))
            assert (problem.value.kind, problem.value.message) == ("locked", MSG_LOCKED)
            assert file_digest(clinic) == before
        with db.session() as s:  # once the other program lets go, the same save works
            patients.create_patient(s, owner, PatientData(first_name="Ana", last_name="Ruiz"))
    finally:
        db.close()
    count("locked: write lock held past the busy timeout")


def test_an_exclusive_lock_at_the_real_busy_timeout(clinic, capsys):
    """Once at the real 5-second timeout: the value ptdesk ships with."""
    with faults.held_lock(clinic, exclusive=True):
        assert cli(capsys, "check", "--db", str(clinic)) == (1, MSG_LOCKED + "\n")
    count("locked: exclusive lock, real busy timeout (CLI)")


def test_an_exclusive_lock_on_the_command_line_and_at_start_up(
    clinic, capsys, qapp, fast_busy_timeout
):
    create_backup(clinic)
    before = file_digest(clinic)
    with faults.held_lock(clinic, exclusive=True):
        code, err = cli(
            capsys, "export", "appointments", "--from", "2026-03-01", "--to", "2026-03-31",
            "--db", str(clinic),
        )  # fmt: skip
        assert (code, err) == (1, f"ptdesk: {MSG_LOCKED}\n")
        seen: dict = {}
        answer_dialog("Quit", seen)
        assert open_or_recover(clinic) is None
    assert seen["text"] == MSG_LOCKED
    assert seen["buttons"] == ["Quit"]  # restoring over a file in use is never offered
    assert file_digest(clinic) == before
    count("locked: exclusive lock (CLI and UI)")


# -- read-only ---------------------------------------------------------------------------------
def test_read_only_file(clinic, template, capsys, qapp):
    ids = template[1]
    owner = Actor(ids.owner_id, "Olivia Owner", "owner")
    os.chmod(clinic, 0o444)
    before = file_digest(clinic)
    try:
        with faults.permissions_apply():
            db = open_database(clinic)
            try:
                with pytest.raises(DatabaseProblem) as problem, db.session() as s:
                    patients.create_patient(s, owner, PatientData(first_name="A", last_name="B"))
            finally:
                db.close()
    finally:
        os.chmod(clinic, 0o644)
    assert (problem.value.kind, problem.value.message) == ("readonly", MSG_READONLY)
    assert file_digest(clinic) == before
    count("read-only: file")


@pytest.mark.parametrize("new", [False, True], ids=["existing-file", "new-file"])
def test_read_only_folder(new, clinic, capsys, qapp):
    folder = clinic.parent
    if new:
        clinic.unlink()
    os.chmod(folder, 0o555)
    try:
        with faults.permissions_apply():
            with pytest.raises(DatabaseProblem) as problem:
                open_database(clinic)
            # The command line never makes a clinic file: for a missing one it says so.
            expected = MSG_MISSING.format(path=clinic) if new else MSG_READONLY
            assert cli(capsys, "export", "appointments", "--from", "2026-03-01", "--to",
                       "2026-03-31", "--db", str(clinic)) == (1, f"ptdesk: {expected}\n")  # fmt: skip
            seen: dict = {}
            answer_dialog("Quit", seen)
            assert open_or_recover(clinic) is None
    finally:
        os.chmod(folder, 0o755)
    assert (problem.value.kind, problem.value.message) == ("readonly", MSG_READONLY)
    assert seen["text"] == MSG_READONLY
    assert [p.name for p in folder.iterdir()] == ([] if new else ["ptdesk.sqlite3"])
    assert list_backups(clinic) == []
    count(f"read-only: folder, {'new' if new else 'existing'} file (CLI and UI)")
