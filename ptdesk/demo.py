"""A deterministic synthetic clinic for demos, tests and benchmarks (same seed, same data)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session

from ptdesk.db import Database, open_database
from ptdesk.errors import PtdeskError
from ptdesk.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Patient,
    Role,
    Room,
    Staff,
)
from ptdesk.models.clinic import ClinicProfile
from ptdesk.services import audit

FIRST_NAMES = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Christopher",
    "Lisa",
    "Daniel",
    "Nancy",
    "Matthew",
    "Betty",
    "Anthony",
    "Margaret",
    "Mark",
    "Sandra",
    "Donald",
    "Ashley",
    "Steven",
    "Kimberly",
    "Paul",
    "Emily",
    "Andrew",
    "Donna",
    "Joshua",
    "Michelle",
    "Kenneth",
    "Carol",
    "Kevin",
    "Amanda",
    "Brian",
    "Dorothy",
    "George",
    "Melissa",
    "Timothy",
    "Deborah",
    "Ronald",
    "Stephanie",
    "Edward",
    "Rebecca",
    "Jason",
    "Sharon",
    "Jeffrey",
    "Laura",
    "Ryan",
    "Cynthia",
    "Jacob",
    "Kathleen",
    "Gary",
    "Amy",
    "Nicholas",
    "Angela",
    "Eric",
    "Shirley",
    "Jonathan",
    "Anna",
    "Stephen",
    "Brenda",
    "Larry",
    "Pamela",
    "Justin",
    "Emma",
    "Scott",
    "Nicole",
    "Brandon",
    "Helen",
    "Benjamin",
    "Samantha",
    "Samuel",
    "Katherine",
    "Gregory",
    "Christine",
    "Alexander",
    "Debra",
    "Frank",
    "Rachel",
    "Patrick",
    "Carolyn",
    "Raymond",
    "Janet",
    "Jack",
    "Maria",
    "Dennis",
    "Olivia",
    "Jerry",
    "Heather",
    "Tyler",
    "Diane",
    "Aaron",
    "Julie",
    "Jose",
    "Joyce",
    "Adam",
    "Victoria",
    "Nathan",
    "Ruth",
    "Henry",
    "Virginia",
    "Zachary",
    "Lauren",
    "Douglas",
    "Kelly",
    "Peter",
    "Christina",
    "Kyle",
    "Joan",
    "Noah",
    "Evelyn",
    "Ethan",
    "Judith",
    "Jeremy",
    "Andrea",
    "Walter",
    "Hannah",
    "Christian",
    "Megan",
    "Keith",
    "Cheryl",
    "Roger",
    "Jacqueline",
    "Terry",
    "Martha",
    "Austin",
    "Madison",
    "Sean",
    "Teresa",
    "Gerald",
    "Gloria",
    "Carl",
    "Sara",
    "Harold",
    "Janice",
    "Dylan",
    "Ann",
    "Arthur",
    "Kathryn",
    "Lawrence",
    "Abigail",
    "Jordan",
    "Sophia",
    "Jesse",
    "Frances",
    "Bryan",
    "Jean",
    "Billy",
    "Alice",
    "Bruce",
    "Judy",
    "Gabriel",
    "Isabella",
    "Joe",
    "Julia",
    "Logan",
    "Grace",
    "Alan",
    "Amber",
    "Juan",
    "Denise",
    "Albert",
    "Danielle",
    "Willie",
    "Marilyn",
    "Elijah",
    "Beverly",
    "Wayne",
    "Charlotte",
    "Randy",
    "Natalie",
    "Vincent",
    "Theresa",
    "Mason",
    "Diana",
    "Roy",
    "Brittany",
    "Ralph",
    "Doris",
    "Bobby",
    "Kayla",
    "Russell",
    "Alexis",
    "Bradley",
    "Lori",
    "Philip",
    "Marie",
    "Eugene",
    "Wei",
    "Mei",
    "Raj",
    "Priya",
    "Ahmed",
    "Fatima",
    "Carlos",
    "Lucia",
    "Diego",
    "Sofia",
    "Hiroshi",
    "Yuki",
    "Kwame",
    "Amara",
    "Ivan",
    "Olga",
    "Liam",
    "Aisha",
    "Omar",
    "Leila",
    "Mateo",
    "Camila",
]
LAST_NAMES = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Gomez",
    "Phillips",
    "Evans",
    "Turner",
    "Diaz",
    "Parker",
    "Cruz",
    "Edwards",
    "Collins",
    "Reyes",
    "Stewart",
    "Morris",
    "Morales",
    "Murphy",
    "Cook",
    "Rogers",
    "Gutierrez",
    "Ortiz",
    "Morgan",
    "Cooper",
    "Peterson",
    "Bailey",
    "Reed",
    "Kelly",
    "Howard",
    "Ramos",
    "Kim",
    "Cox",
    "Ward",
    "Richardson",
    "Watson",
    "Brooks",
    "Chavez",
    "Wood",
    "James",
    "Bennett",
    "Gray",
    "Mendoza",
    "Ruiz",
    "Hughes",
    "Price",
    "Alvarez",
    "Castillo",
    "Sanders",
    "Patel",
    "Myers",
    "Long",
    "Ross",
    "Foster",
    "Jimenez",
    "Powell",
    "Jenkins",
    "Perry",
    "Russell",
    "Sullivan",
    "Bell",
    "Coleman",
    "Butler",
    "Henderson",
    "Barnes",
    "Gonzales",
    "Fisher",
    "Vasquez",
    "Simmons",
    "Romero",
    "Jordan",
    "Patterson",
    "Alexander",
    "Hamilton",
    "Graham",
    "Reynolds",
    "Griffin",
    "Wallace",
    "Moreno",
    "West",
    "Cole",
    "Hayes",
    "Bryant",
    "Herrera",
    "Gibson",
    "Ellis",
    "Tran",
    "Medina",
    "Aguilar",
    "Stevens",
    "Murray",
    "Ford",
    "Castro",
    "Marshall",
    "Owens",
    "Harrison",
    "Fernandez",
    "McDonald",
    "Woods",
    "Washington",
    "Kennedy",
    "Wells",
    "Vargas",
    "Henry",
    "Chen",
    "Freeman",
    "Webb",
    "Tucker",
    "Guzman",
    "Burns",
    "Crawford",
    "Olson",
    "Simpson",
    "Porter",
    "Hunter",
    "Gordon",
    "Mendez",
    "Silva",
    "Shaw",
    "Snyder",
    "Mason",
    "Dixon",
    "Munoz",
    "Hunt",
    "Hicks",
    "Holmes",
    "Palmer",
    "Wagner",
    "Black",
    "Robertson",
    "Boyd",
    "Rose",
    "Stone",
    "Salazar",
    "Fox",
    "Warren",
    "Mills",
    "Meyer",
    "Rice",
    "Schmidt",
    "Garza",
    "Daniels",
    "Ferguson",
    "Nichols",
    "Stephens",
    "Soto",
    "Weaver",
    "Ryan",
    "Gardner",
    "Payne",
    "Grant",
    "Dunn",
    "Kelley",
    "Spencer",
    "Hawkins",
    "Arnold",
    "Pierce",
    "Hansen",
    "Peters",
    "Santos",
    "Hart",
    "Bradley",
    "Knight",
    "Elliott",
    "Cunningham",
    "Duncan",
    "Armstrong",
    "Hudson",
    "Carroll",
    "Lane",
    "Riley",
    "Andrews",
    "Alvarado",
    "Ray",
    "Delgado",
    "Berry",
    "Perkins",
    "Hoffman",
    "Johnston",
    "Matthews",
    "Pena",
    "Richards",
    "Contreras",
    "Willis",
    "Carpenter",
    "Lawrence",
    "Sandoval",
    "Okafor",
    "Haddad",
    "Kowalski",
    "Novak",
    "Yamamoto",
    "Tanaka",
    "Singh",
    "Sharma",
    "Ali",
    "Hassan",
    "Rossi",
    "Müller",
    "O'Brien",
]
CANCEL_REASONS = [
    "Patient ill",
    "Transportation problem",
    "Work conflict",
    "Family emergency",
    "Weather",
    "Scheduling conflict",
    "Feeling better",
    "Doctor appointment",
]
ROOMS = [
    ("Gym", "gym"),
    ("Treatment 1", "treatment"),
    ("Treatment 2", "treatment"),
    ("Treatment 3", "treatment"),
    ("Treatment 4", "treatment"),
    ("Private room", "private"),
]
SLOT = timedelta(minutes=45)
PAIRS = [(0, 2), (1, 3), (2, 4), (0, 3), (1, 4), (0, 4)]  # weekday pairs, Monday = 0
TARGET_PER_YEAR = 15_000
HISTORY_AFTER_TODAY = timedelta(days=21)


@dataclass
class DemoSummary:
    staff: int
    rooms: int
    patients: int
    appointments: int
    first_day: date
    last_day: date


class _Builder:
    """Builds rows in memory, then inserts them in bulk."""

    def __init__(self, seed: int, years: float, today: date, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.years = years
        self.today = today
        self.now = now
        self.first_day = today - timedelta(days=round(365 * years))
        self.last_day = today + HISTORY_AFTER_TODAY
        self.patients: list[dict] = []
        self.appointments: list[dict] = []

    # -- people -------------------------------------------------------------
    def staff_rows(self) -> list[dict]:
        rng = self.rng
        n_staff = rng.randint(6, 8)
        used: set[str] = set()

        def name() -> str:
            while True:
                full = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                if full not in used:
                    used.add(full)
                    return full

        rows = [
            dict(name=name(), role=Role.OWNER.value, credentials="PT, DPT"),
            dict(name=name(), role=Role.THERAPIST.value, credentials="PT, DPT"),
            dict(name=name(), role=Role.ASSISTANT.value, credentials="PTA"),
            dict(name=name(), role=Role.TECHNICIAN.value, credentials="PT Tech"),
            dict(name=name(), role=Role.FRONT_DESK.value, credentials=""),
        ]
        extra = [
            (Role.THERAPIST.value, "PT, DPT"),
            (Role.ASSISTANT.value, "PTA"),
            (Role.TECHNICIAN.value, "PT Aide"),
        ]
        for i in range(n_staff - len(rows)):
            role, cred = extra[i % len(extra)]
            rows.append(dict(name=name(), role=role, credentials=cred))
        return rows

    def new_patient(self, first_visit: date) -> int:
        rng = self.rng
        n = len(self.patients) + 1
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        age = min(95, max(16, int(rng.gauss(54, 17))))
        dob = first_visit - timedelta(days=age * 365 + rng.randint(0, 364))
        email = ""
        if rng.random() < 0.6:
            email = f"{first}.{last}{rng.randint(1, 99)}@example.com".lower().replace("'", "")
        created = datetime.combine(first_visit - timedelta(days=rng.randint(1, 10)), time(9), UTC)
        self.patients.append(
            dict(
                id=n,
                chart_number=f"{n:06d}",
                first_name=first,
                last_name=last,
                date_of_birth=dob,
                phone=f"555-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
                email=email,
                notes="",
                active=True,
                created_at=created,
                updated_at=created,
            )
        )
        return n

    # -- appointments -------------------------------------------------------
    def status_for(self, start: datetime) -> tuple[str, datetime | None, str]:
        rng = self.rng
        r = rng.random()
        if start + SLOT <= self.now:
            if r < 0.84:
                return AppointmentStatus.COMPLETED.value, None, ""
            if r < 0.91:
                when = start - timedelta(hours=rng.uniform(25, 240))
                when = when.replace(hour=rng.randint(8, 17))
                return AppointmentStatus.CANCELLED.value, when, rng.choice(CANCEL_REASONS)
            if r < 0.95:
                when = start - timedelta(hours=rng.uniform(0.5, 12))
                if not 7 <= when.hour < 19:  # a call the evening before
                    when = datetime.combine(
                        start.date() - timedelta(days=1), time(18, rng.randint(0, 59))
                    )
                return AppointmentStatus.CANCELLED.value, when, rng.choice(CANCEL_REASONS)
            return AppointmentStatus.NO_SHOW.value, None, ""
        if start <= self.now:
            return AppointmentStatus.CHECKED_IN.value, None, ""
        if r < 0.04:
            when = min(self.now, (start - timedelta(hours=rng.uniform(25, 200))).replace(hour=11))
            return AppointmentStatus.CANCELLED.value, when, rng.choice(CANCEL_REASONS)
        return AppointmentStatus.SCHEDULED.value, None, ""

    def schedule(self, treaters: list[int], rooms: list[int]) -> None:
        rng = self.rng
        # Each treating staff member works an early or a late shift with a lunch break.
        shifts = {}
        for i, sid in enumerate(treaters):
            start = time(7, 0) if i % 2 == 0 else time(10, 0)
            slots = []
            t = datetime.combine(date(2000, 1, 1), start)
            for k in range(12):
                if k == 5:  # lunch
                    t += SLOT
                    continue
                slots.append(t.time())
                t += SLOT
            shifts[sid] = slots
        capacity = sum(len(s) for s in shifts.values()) * 5 * 52
        fill = min(0.95, TARGET_PER_YEAR / capacity * 1.08)
        busy_until: dict[tuple[int, int, time], date] = {}
        returning: list[int] = []
        week = self.first_day - timedelta(days=self.first_day.weekday())
        while week <= self.last_day:
            for sid in treaters:
                for slot in shifts[sid]:
                    for pair in rng.sample(PAIRS, len(PAIRS)):
                        key_a, key_b = (sid, pair[0], slot), (sid, pair[1], slot)
                        if (
                            busy_until.get(key_a, date.min) >= week
                            or busy_until.get(key_b, date.min) >= week
                        ):
                            continue
                        if rng.random() > fill:
                            continue
                        visits = rng.randint(6, 16)
                        end_week = self._episode(sid, rooms, pair, slot, week, visits, returning)
                        busy_until[key_a] = busy_until[key_b] = end_week
            week += timedelta(days=7)

    def _episode(self, sid, rooms, pair, slot, week, visits, returning) -> date:
        rng = self.rng
        days: list[date] = []
        w = week
        while len(days) < visits:
            for wd in pair:
                d = w + timedelta(days=wd)
                if len(days) < visits and d >= self.first_day:
                    days.append(d)
            w += timedelta(days=7)
        days = [d for d in days if d <= self.last_day]
        if not days:
            return w
        if returning and rng.random() < 0.1:
            pid = returning.pop(rng.randrange(len(returning)))
        else:
            pid = self.new_patient(days[0])
        room = rng.choice(rooms)
        for i, d in enumerate(days):
            start = datetime.combine(d, slot)
            if i == 0:
                kind = AppointmentKind.EVALUATION.value
            elif i == len(days) - 1 and len(days) == visits:
                kind = AppointmentKind.DISCHARGE.value
            elif i % 8 == 0:
                kind = AppointmentKind.RE_EVALUATION.value
            else:
                kind = AppointmentKind.TREATMENT.value
            status, cancelled_at, reason = self.status_for(start)
            booked = datetime.combine(days[0] - timedelta(days=rng.randint(1, 14)), time(10), UTC)
            self.appointments.append(
                dict(
                    patient_id=pid,
                    staff_id=sid,
                    room_id=room,
                    start=start,
                    end=start + SLOT,
                    status=status,
                    kind=kind,
                    notes="",
                    cancelled_at=cancelled_at.astimezone(UTC) if cancelled_at else None,
                    cancel_reason=reason,
                    created_at=booked,
                    updated_at=booked,
                )
            )
        if rng.random() < 0.3:
            returning.append(pid)
        return w - timedelta(days=1)


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
    now = now or datetime.now().replace(second=0, microsecond=0)
    today = today or now.date()
    b = _Builder(seed, years, today, now)
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
        b.schedule(treaters, [r.id for r in rooms])
        session.execute(insert(Patient), b.patients)
        for chunk in range(0, len(b.appointments), 20_000):
            session.execute(insert(Appointment), b.appointments[chunk : chunk + 20_000])
        from ptdesk.demo_transfers import add_demo_checklists

        add_demo_checklists(session, seed=seed, today=today, now=now)
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
    from sqlmodel import func, select

    if session.exec(select(func.count()).select_from(Staff)).one():
        raise PtdeskError("That file already holds a clinic; the demo needs a new, empty file.")


def create_demo_file(
    path: Path,
    *,
    years: float = 1.0,
    seed: int = 7,
    today: date | None = None,
    now: datetime | None = None,
) -> DemoSummary:
    """Write a new demo clinic file at ``path`` (which must not hold data yet)."""
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        raise PtdeskError(f"{path} already exists; choose a new file name for the demo clinic.")
    db = open_database(path)
    try:
        return generate(db, years=years, seed=seed, today=today, now=now)
    finally:
        db.close()
