"""What the fault tests run in another process: a clinic set-up, and writers through the services.

The functions here are started in child processes (multiprocessing, forkserver), so they
take only plain arguments and import what they need themselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

BASE = datetime(2026, 3, 2, 8, 0)  # the first slot the writers book; each write has its own
SLOT = timedelta(minutes=15)
OVERRIDE = "written by the fault test"


@dataclass(frozen=True)
class ClinicIds:
    owner_id: int
    therapist_id: int
    patient_id: int
    equipment_id: int


def make_clinic(path: Path) -> ClinicIds:
    """A new clinic file with an owner, a therapist, a patient and one item to clean."""
    from ptdesk.db import open_database
    from ptdesk.services import equipment, patients
    from ptdesk.services import staff as staff_service
    from ptdesk.services.audit import Actor
    from ptdesk.services.equipment import EquipmentData
    from ptdesk.services.patients import PatientData

    db = open_database(path)
    try:
        with db.session() as s:
            owner = Actor.from_staff(staff_service.create_first_owner(s, "Olivia Owner", "PT, DPT"))
        with db.session() as s:
            therapist = staff_service.create_staff(s, owner, "Tara Therapist", "therapist", "PT")
            patient = patients.create_patient(
                s, owner, PatientData(first_name="Maria", last_name="Lopez")
            )
            item = equipment.create_equipment(
                s,
                owner,
                EquipmentData(name="Treatment table 1", product="Wipes", contact_minutes=2),
            )
            return ClinicIds(owner.id, therapist.id, patient.id, item.id)  # type: ignore[arg-type]
    finally:
        db.close()


def _report(fd: int, line: str) -> None:
    os.write(fd, (line + "\n").encode())


def write_cycle(db, ids: ClinicIds, fd: int, round_no: int, n: int) -> None:
    """Book, check in, record the session, log a cleaning: one commit each, reported as it returns.

    Each reported line is written only after the unit of work has committed, so every line
    names a write that must survive whatever happens to this process next.
    """
    from ptdesk.services import cleaning, scheduling, sessions
    from ptdesk.services.audit import Actor
    from ptdesk.services.scheduling import BookingRequest
    from ptdesk.services.sessions import SessionInput

    therapist = Actor(ids.therapist_id, "Tara Therapist", "therapist")
    token = f"r{round_no}-{n}"
    start = BASE + SLOT * (round_no * 10_000 + n)
    with db.session() as s:
        appt = scheduling.book(
            s,
            therapist,
            BookingRequest(
                patient_id=ids.patient_id,
                staff_id=ids.therapist_id,
                start=start,
                duration_min=10,
                notes=token,
            ),
            override_reason=OVERRIDE,
        )
    _report(fd, f"book {appt.id} {token}")
    with db.session() as s:
        scheduling.check_in(s, therapist, appt.id, now=start)
    _report(fd, f"checkin {appt.id} {token}")
    with db.session() as s:
        record = sessions.save_record(
            s,
            therapist,
            appt.id,
            SessionInput(pain_before=3, subjective=token, treatment="Gait training"),
            sign=True,
        )
    _report(fd, f"session {record.id} {token}")
    with db.session() as s:
        entries = cleaning.log_cleaning(s, therapist, [ids.equipment_id], notes=token)
    _report(fd, f"clean {entries[0].id} {token}")


def write_until_stopped(path: str, ids: ClinicIds, report_path: str, round_no: int, stop) -> None:
    """Write cycles until ``stop`` is set (the backup-under-write test)."""
    from ptdesk.db import open_database

    fd = os.open(report_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    db = open_database(path, backup=False)
    try:
        n = 0
        while not stop.is_set():
            write_cycle(db, ids, fd, round_no, n)
            n += 1
    finally:
        db.close()
        os.close(fd)


def writer_spawner(path: str, ids: ClinicIds, report_path: str, conn) -> None:
    """Fork a fresh writer for each round on request; the test kills it, this process reaps it.

    The database is opened (and its statements compiled) once here; every writer starts
    from a copy of this process with no connection open, so it writes within milliseconds.
    """
    from ptdesk.db import open_database

    fd = os.open(report_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    db = open_database(path, backup=False)
    write_cycle(db, ids, fd, 0, 0)  # warms the statement cache the writers inherit
    conn.send("warm")
    while True:
        command = conn.recv()
        if command == "stop":
            break
        round_no = int(command)
        db.engine.dispose()  # no SQLite connection may cross a fork
        pid = os.fork()
        if pid == 0:  # the writer
            try:
                n = 0
                while True:
                    write_cycle(db, ids, fd, round_no, n)
                    n += 1
            finally:
                os._exit(1)
        conn.send(pid)
        conn.recv()  # "killed"
        _, status = os.waitpid(pid, 0)
        conn.send(os.waitstatus_to_exitcode(status))
    db.close()
    os.close(fd)


def save_until_the_disk_refuses(path: str, ids: ClinicIds, room_bytes: int, conn) -> None:
    """Save patients with this process's file-size limit set ``room_bytes`` above the files.

    The operating system itself refuses the write that crosses the limit (as on a full
    disk), and that works the same for root. Sends back what was saved and what was said.
    """
    import resource
    import signal

    from ptdesk.db import open_database
    from ptdesk.errors import DatabaseProblem
    from ptdesk.services import patients
    from ptdesk.services.audit import Actor
    from ptdesk.services.patients import PatientData

    owner = Actor(ids.owner_id, "Olivia Owner", "owner")
    db = open_database(path, backup=False)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
    sizes = [Path(path).stat().st_size]
    wal = Path(f"{path}-wal")
    if wal.exists():
        sizes.append(wal.stat().st_size)
    resource.setrlimit(resource.RLIMIT_FSIZE, (max(sizes) + room_bytes, resource.RLIM_INFINITY))
    saved: list[str] = []
    outcome: tuple[str, str] = ("", "")
    for n in range(2000):
        chart = f"D{n:04d}"
        try:
            with db.session() as s:
                patients.create_patient(
                    s,
                    owner,
                    PatientData(
                        first_name="Ana", last_name="Ruiz", chart_number=chart, notes="x" * 3000
                    ),  # fmt: skip
                )
        except DatabaseProblem as exc:
            outcome = (exc.kind, exc.message)
            break
        saved.append(chart)
    db.close()
    conn.send((saved, outcome))
