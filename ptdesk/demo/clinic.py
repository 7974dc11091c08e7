"""The demo clinic as a whole: its profile, staff with known PINs, rooms, and every part of
its history, written to an empty database in one go."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlmodel import Session, func, select

from ptdesk.db import Database
from ptdesk.demo.equipment import add_equipment_history
from ptdesk.demo.programs import add_programs
from ptdesk.demo.schedule import EARLY_SHIFT, FRONT_DESK_HOURS, LATE_SHIFT, ClinicBuilder
from ptdesk.demo.sign_ins import add_sign_in_history
from ptdesk.errors import PtdeskError
from ptdesk.models import Appointment, AppointmentSeries, Authorization, Patient, Role, Room, Staff
from ptdesk.models.clinic import ClinicProfile
from ptdesk.services import audit, clock
from ptdesk.services.auth import hash_pin
from ptdesk.services.staff import PALETTE

ROOMS = [
    ("Gym", "gym"),
    ("Treatment 1", "treatment"),
    ("Treatment 2", "treatment"),
    ("Treatment 3", "treatment"),
    ("Treatment 4", "treatment"),
    ("Private room", "private"),
]


@dataclass
class DemoSummary:
    staff: int
    rooms: int
    patients: int
    appointments: int
    first_day: date
    last_day: date


# The demo clinic's known PINs, one per role, shown on its sign-in screen.
DEMO_PINS = {
    Role.OWNER.value: "1111",
    Role.THERAPIST.value: "2222",
    Role.ASSISTANT.value: "3333",
    Role.TECHNICIAN.value: "4444",
    Role.FRONT_DESK.value: "5555",
}
DEMO_PIN_LABELS = {Role(role).label: pin for role, pin in DEMO_PINS.items()}


def generate(
    db: Database,
    *,
    years: float = 1.0,
    seed: int = 7,
    today: date | None = None,
    now: datetime | None = None,
) -> DemoSummary:
    """Fill an empty, migrated database with a synthetic clinic."""
    if years <= 0 or years > 20:
        raise PtdeskError("The demo clinic can cover between a few days and 20 years.")
    now = clock.now().replace(second=0, microsecond=0) if now is None else now
    today = today or now.date()
    b = ClinicBuilder(seed, years, today, now)
    with db.session() as session:
        _require_empty(session)
        profile = session.get(ClinicProfile, 1) or ClinicProfile(id=1)
        profile.name = "Riverside Physical Therapy (demo)"
        profile.address = "120 Harbor Street\nSpringfield, ST 00000"
        profile.phone = "555-201-4400"
        profile.email = "frontdesk@example.com"
        opened = datetime.combine(b.first_day - timedelta(days=30), time(9), UTC)
        profile.updated_at = opened
        session.add(profile)
        staff = [Staff(**row, created_at=opened, updated_at=opened) for row in b.staff_rows()]
        rooms = [Room(name=n, kind=k, created_at=opened, updated_at=opened) for n, k in ROOMS]
        session.add_all(staff + rooms)
        session.flush()
        treaters = [s.id for s in staff if s.role != Role.FRONT_DESK.value]
        shift_of = {
            sid: EARLY_SHIFT if i % 2 == 0 else LATE_SHIFT for i, sid in enumerate(treaters)
        }
        for i, member in enumerate(staff):
            salt = hashlib.sha256(f"ptdesk demo {seed} {i}".encode()).digest()[:16]
            member.pin_hash = hash_pin(DEMO_PINS[member.role], salt=salt)
            start, end = shift_of.get(member.id, FRONT_DESK_HOURS)
            member.color = PALETTE[i % len(PALETTE)]
            member.working_hours = {
                str(day): [start.strftime("%H:%M"), end.strftime("%H:%M")] for day in range(1, 6)
            }
        b.schedule(treaters, [r.id for r in rooms])
        b.spread_rooms([r.id for r in rooms])
        authorizations = b.profiles(seed)
        session.execute(insert(Patient), b.patients)
        if authorizations:
            session.execute(insert(Authorization), authorizations)
        for chunk in range(0, len(b.series), 20_000):
            session.execute(insert(AppointmentSeries), b.series[chunk : chunk + 20_000])
        for chunk in range(0, len(b.appointments), 20_000):
            session.execute(insert(Appointment), b.appointments[chunk : chunk + 20_000])
        add_equipment_history(session, seed, b.first_day, today, now, staff, rooms)
        add_programs(session, b, seed, staff)
        # Imported here: they load the transfer and session services, which the sign-in
        # screen (it reads DEMO_PIN_LABELS from this package) does not need.
        from ptdesk.demo.sessions import add_sessions
        from ptdesk.demo.transfers import add_demo_checklists

        add_demo_checklists(session, seed=seed, today=today, now=now)
        add_sessions(session, seed, today, now, staff)
        add_sign_in_history(session, b, staff, shift_of)
        audit.record(
            session,
            audit.SYSTEM,
            "demo",
            "clinic",
            None,
            summary=f"Demo clinic generated (seed {seed}, {years:g} years)",
        )
    return DemoSummary(
        len(staff), len(rooms), len(b.patients), len(b.appointments), b.first_day, b.last_day
    )


def _require_empty(session: Session) -> None:
    if session.exec(select(func.count()).select_from(Staff)).one():
        raise PtdeskError("That file already holds a clinic; the demo needs a new, empty file.")
