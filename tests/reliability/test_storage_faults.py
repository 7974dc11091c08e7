"""Disk full, backup while another process writes, and restore: the copy is whole, nothing lost.

Disk full twice over. At the SQLite layer: the connection's page limit (max_page_count) is set
to the file's current size, so the next write that needs a new page gets SQLite's own
"database or disk is full" error, where a full disk raises it. And at the operating system:
a child process runs with a file-size limit (RLIMIT_FSIZE), which the kernel enforces for root
too, so a write crossing it really fails, as on a full or size-limited disk. (A small tmpfs or
loop mount would need mount rights that containers often lack.)
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import event

from ptdesk.backup import BackupError, create_backup, list_backups, restore_backup
from ptdesk.cli import run
from ptdesk.db import MSG_DISK_ERROR, open_database
from ptdesk.errors import DatabaseProblem
from ptdesk.services import patients
from ptdesk.services.audit import Actor
from ptdesk.services.patients import PatientData
from tests.reliability import faults, workload
from tests.reliability.cases import count
from tests.reliability.checks import check_writes, file_digest, integrity, read_report
from tests.reliability.test_input_properties import dump


@pytest.fixture
def clinic(tmp_path) -> tuple[Path, workload.ClinicIds]:
    path = tmp_path / "clinic" / "ptdesk.sqlite3"
    return path, workload.make_clinic(path)


def test_disk_full_fails_clearly_and_half_writes_nothing(clinic):
    path, ids = clinic
    owner = Actor(ids.owner_id, "Olivia Owner", "owner")
    db = open_database(path)
    before = dump(db)

    def full_disk(dbapi_connection, _record) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(db.engine, "connect", full_disk)
    db.engine.dispose()
    big = PatientData(first_name="Ana", last_name="Ruiz", notes="x" * 3900)
    for n in range(5):  # each needs new pages: all refused, none half-saved
        with pytest.raises(DatabaseProblem) as problem, db.session() as s:
            patients.create_patient(
                s, owner, PatientData(**{**big.__dict__, "chart_number": f"F{n}"})
            )
        assert problem.value.kind == "disk_full"
        assert (
            "disk is full" in problem.value.message
            and "nothing was half-saved" in problem.value.message
        )
    event.remove(db.engine, "connect", full_disk)
    db.engine.dispose()
    assert dump(db) == before
    db.close()
    assert integrity(path) == ["ok"]
    db = open_database(path)  # still opens; with space again the same save works
    with db.session() as s:
        patients.create_patient(s, owner, big)
    db.close()
    count("disk full (SQLite page limit)", 5)


def test_backup_while_another_process_writes_is_whole(clinic, children, tmp_path):
    path, ids = clinic
    report = tmp_path / "committed.txt"
    stop = children.Event()
    writer = children.Process(
        target=workload.write_until_stopped, args=(str(path), ids, str(report), 1, stop)
    )
    writer.start()
    copies = []
    try:
        for n in range(6):
            _wait_for_more(report, 8 if n == 0 else 4)  # a whole write cycle between copies
            seen = len(read_report(report))
            copy = create_backup(path, tmp_path / "copies" / f"copy-{n}.sqlite3")
            copies.append((copy, seen))
    finally:
        stop.set()
        writer.join(30)
    assert writer.exitcode == 0
    counts = []
    for copy, seen in copies:
        assert integrity(copy) == ["ok"]
        found = check_writes(copy, [])  # every write in the copy is whole
        db = open_database(copy, backup=False)
        db.close()
        counts.append(found.appointments)
        assert found.cleanings >= seen // 4  # writes reported before the copy started are in it
    assert counts == sorted(counts) and counts[-1] > counts[0]  # the writer kept writing
    count("backup while another process writes", len(copies))


def _wait_for_more(report: Path, lines: int, timeout: float = 120) -> None:
    target = len(read_report(report)) + lines
    deadline = time.monotonic() + timeout
    while len(read_report(report)) < target:
        assert time.monotonic() < deadline, "the writer stopped writing"
        time.sleep(0.005)


def test_restore_keeps_a_safety_copy(clinic, tmp_path, capsys):
    path, ids = clinic
    backup = create_backup(path, tmp_path / "good.sqlite3")
    db = open_database(path)
    fd = os.open(os.devnull, os.O_WRONLY)
    workload.write_cycle(db, ids, fd, 1, 0)  # a change made after the backup
    os.close(fd)
    db.close()
    assert run(["restore", str(backup), "--db", str(path)]) == 0
    safety = [b.path for b in list_backups(path) if b.reason == "before-restore"]
    assert len(safety) == 1
    assert check_writes(safety[0], []).appointments == 1  # the replaced file, change included
    assert check_writes(path, []).appointments == 0  # the restored one
    count("restore: safety copy of the replaced file")


BAD_BACKUPS = {
    "corrupt": lambda p: faults.corrupt_pages(p, 1),
    "truncated": lambda p: os.truncate(p, p.stat().st_size // 2),
    "not-sqlite": lambda p: p.write_bytes(faults.NOT_SQLITE["pdf"]),
    "empty": lambda p: os.truncate(p, 0),
    "other-program": faults.other_database,
    "newer": faults.mark_newer,
    "header": faults.damage_header,
}


@pytest.mark.parametrize("case", list(BAD_BACKUPS))
def test_a_bad_backup_is_refused_before_anything_is_replaced(case, clinic, tmp_path, capsys):
    path, ids = clinic
    bad = tmp_path / "bad.sqlite3"
    db = open_database(path)
    fd = os.open(os.devnull, os.O_WRONLY)
    for n in range(5):  # some visits, sessions and cleanings to lose
        workload.write_cycle(db, ids, fd, 1, n)
    os.close(fd)
    db.close()
    shutil.copy(path, bad)
    BAD_BACKUPS[case](bad)
    before = file_digest(path)
    with pytest.raises(BackupError):
        restore_backup(path, bad)
    assert run(["restore", str(bad), "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ptdesk: ") and "Traceback" not in err
    assert file_digest(path) == before
    assert list_backups(path) == []  # refused before even the safety copy
    count("restore: bad backup refused")


def test_a_write_the_operating_system_refuses(clinic, children):
    """The real thing at the file-system level: a file-size limit the kernel enforces."""
    path, ids = clinic
    ours, theirs = children.Pipe()
    child = children.Process(
        target=workload.save_until_the_disk_refuses, args=(str(path), ids, 150_000, theirs)
    )
    child.start()
    assert ours.poll(120)
    saved, (kind, message) = ours.recv()
    child.join(30)
    assert kind == "disk_error" and message == MSG_DISK_ERROR
    assert len(saved) > 3
    assert integrity(path) == ["ok"]
    con = sqlite3.connect(path)
    charts = [
        r[0] for r in con.execute("SELECT chart_number FROM patient WHERE chart_number LIKE 'D%'")
    ]
    audits = con.execute("SELECT count(*) FROM audit_event WHERE entity = 'patient'").fetchone()[0]
    con.close()
    assert sorted(charts) == saved  # every save that returned is there; the refused one is not
    assert audits == len(saved) + 1  # each with its audit event (plus the set-up patient)
    count("disk full (file-size limit enforced by the kernel)")
