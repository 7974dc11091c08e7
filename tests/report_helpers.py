"""A hand-made March 2026 whose every monthly figure is worked out in the tests.

March 2026: the 1st is a Sunday; 22 weekdays (Mon 5, Tue 5, Wed 4, Thu 4, Fri 4).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ptdesk.db import Database
from ptdesk.models import (
    Appointment,
    Authorization,
    CleaningLog,
    Equipment,
    Patient,
    SessionIntervention,
    SessionRecord,
    Staff,
)
from ptdesk.models.transfers import TransferChecklist

MARCH = date(2026, 3, 1)
NOW = datetime(2026, 3, 25, 12, 0)  # clinic wall-clock time, a Wednesday


def utc(wall_clock: datetime) -> datetime:
    """A clinic wall-clock time as the UTC record time the app would store."""
    return wall_clock.astimezone().astimezone(UTC)


def build_march(db: Database) -> dict[str, int]:
    """Staff, patients, appointments, records, cleaning, transfers and authorizations."""
    ids: dict[str, int] = {}
    with db.session() as s:
        ann = Staff(
            name="Ann Avery",
            role="therapist",
            credentials="PT, DPT",
            working_hours={str(d): ["08:00", "16:00"] for d in range(1, 6)},  # 8 h Mon-Fri
        )
        ben = Staff(
            name="Ben Brooks",
            role="technician",
            working_hours={"2": ["09:00", "13:00"], "4": ["09:00", "13:00"]},  # 4 h Tue, Thu
        )
        desk = Staff(name="Dana Desk", role="front_desk")
        s.add_all([ann, ben, desk])
        patients = {}
        for n, (first, last) in enumerate(
            [("Paul", "One"), ("Petra", "Two"), ("Pia", "Three"), ("Piet", "Four")], start=1
        ):
            p = Patient(chart_number=f"C{n:03d}", first_name=first, last_name=last)
            s.add(p)
            patients[n] = p
        s.flush()
        ids.update(ann=ann.id, ben=ben.id)
        for n, p in patients.items():
            ids[f"p{n}"] = p.id

        def appt(key, patient, staff, start, minutes, status, kind="treatment", **kw):
            a = Appointment(
                patient_id=patients[patient].id,
                staff_id=staff.id,
                start=start,
                end=start + timedelta(minutes=minutes),
                status=status,
                kind=kind,
                **kw,
            )
            s.add(a)
            s.flush()
            ids[key] = a.id
            return a

        # February: Paul's first completed visit ever.
        appt("feb", 1, ann, datetime(2026, 2, 27, 9, 0), 60, "completed")
        # March.
        appt("a1", 1, ann, datetime(2026, 3, 2, 9, 0), 60, "completed")
        appt("a2", 2, ann, datetime(2026, 3, 3, 10, 0), 60, "completed", kind="evaluation")
        appt("a3", 2, ben, datetime(2026, 3, 5, 9, 0), 45, "completed")
        # Cancelled exactly 24 hours ahead: on time.
        start = datetime(2026, 3, 10, 9, 0)
        appt("a4", 3, ann, start, 45, "cancelled", cancelled_at=utc(start - timedelta(hours=24)))
        # One minute short of 24 hours: late.
        start = datetime(2026, 3, 11, 9, 0)
        appt(
            "a5",
            3,
            ann,
            start,
            45,
            "cancelled",
            late_cancel=True,
            cancelled_at=utc(start - timedelta(hours=23, minutes=59)),
        )
        # Cancelled half an hour after the start: late.
        start = datetime(2026, 3, 12, 9, 0)
        appt(
            "a6",
            4,
            ben,
            start,
            45,
            "cancelled",
            late_cancel=True,
            cancelled_at=utc(start + timedelta(minutes=30)),
        )
        appt("a7", 4, ann, datetime(2026, 3, 16, 9, 0), 45, "no_show")
        # 23:30 on the last day still belongs to March (and is in the future on the 25th).
        appt("a8", 1, ann, datetime(2026, 3, 31, 23, 30), 30, "scheduled")
        # Checked in, never completed: unresolved.
        appt("a9", 3, ben, datetime(2026, 3, 19, 9, 0), 45, "checked_in")
        # April.
        appt("apr", 1, ann, datetime(2026, 4, 1, 0, 0), 60, "completed")
        appt("apr2", 2, ann, datetime(2026, 4, 6, 9, 0), 45, "scheduled")

        def record(key, lines):
            r = SessionRecord(
                appointment_id=ids[key],
                patient_id=s.get(Appointment, ids[key]).patient_id,
                provider_name="Ann Avery",
            )
            s.add(r)
            s.flush()
            for i, (code, units) in enumerate(lines):
                s.add(
                    SessionIntervention(
                        record_id=r.id, position=i, code=code, minutes=units * 15, units=units
                    )
                )

        record("a1", [("97110", 2), ("97140", 1)])
        record("a2", [("97161", 1)])
        record("a3", [("97110", 3)])
        record("apr", [("97110", 2)])

        # A weekly item, in the inventory since January: cleaned the weeks of Mar 2 and 9.
        bike = Equipment(
            name="Recumbent bike",
            category="exercise_equipment",
            cleaning_interval="weekly",
            safety_check_due=date(2026, 3, 1),
            created_at=utc(datetime(2026, 1, 5, 8, 0)),
        )
        s.add(bike)
        s.flush()
        for day in (date(2026, 3, 4), date(2026, 3, 10)):
            s.add(
                CleaningLog(
                    equipment_id=bike.id,
                    cleaned_at=utc(datetime.combine(day, datetime.min.time()).replace(hour=17)),
                    staff_name="Ben Brooks",
                )
            )

        def checklist(when, status, incident="none", text=""):
            s.add(
                TransferChecklist(
                    patient_id=patients[3].id,
                    transfer_type="sit_stand",
                    status=status,
                    started_at=utc(when),
                    incident=incident,
                    incident_description=text,
                )
            )

        checklist(datetime(2026, 3, 2, 9, 5), "completed")
        checklist(datetime(2026, 3, 3, 9, 5), "completed", "near_miss", "Knee buckled, caught")
        checklist(datetime(2026, 3, 4, 9, 5), "aborted")
        checklist(datetime(2026, 3, 5, 9, 5), "completed", "fall", "Slid to the floor")
        checklist(datetime(2026, 2, 27, 9, 5), "completed", "fall", "February")
        checklist(datetime(2026, 3, 31, 23, 50), "started")

        def auth(patient, payer, visits, first, last, active=True):
            s.add(
                Authorization(
                    patient_id=patients[patient].id,
                    payer=payer,
                    visits_authorized=visits,
                    start_date=first,
                    end_date=last,
                    active=active,
                )
            )

        auth(1, "Acme Health", 20, date(2026, 1, 1), date(2026, 4, 15))  # ends in the window
        auth(2, "Blue Plan", 3, date(2026, 3, 1), date(2026, 6, 30))  # 2 used + 1 booked = 3
        auth(4, "Care Co", 10, date(2026, 1, 1), date(2026, 3, 20))  # ended in March
        auth(3, "Delta", 20, date(2026, 3, 1), date(2026, 5, 31))  # plenty left
        auth(3, "Echo", 5, date(2026, 1, 1), date(2026, 4, 10), active=False)  # inactive
    return ids
