"""A deterministic synthetic clinic for demos, tests and benchmarks (same seed, same data)."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session, select

from ptdesk.db import Database, open_database
from ptdesk.errors import PtdeskError
from ptdesk.models import (
    Appointment,
    AppointmentKind,
    AppointmentSeries,
    AppointmentStatus,
    Authorization,
    Patient,
    Role,
    Room,
    Staff,
)
from ptdesk.models.clinic import ClinicProfile
from ptdesk.services import audit
from ptdesk.services.auth import hash_pin
from ptdesk.services.staff import PALETTE

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
# Treating staff alternate early and late shifts, Monday to Friday.
EARLY_SHIFT = (time(7, 0), time(16, 0))
LATE_SHIFT = (time(10, 0), time(19, 0))
FRONT_DESK_HOURS = (time(7, 0), time(16, 0))
PRECAUTIONS = [
    "Fall risk",
    "No hip flexion past 90° (right hip replacement)",
    "No hip flexion past 90° (left hip replacement)",
    "Partial weight bearing left leg",
    "Partial weight bearing right leg",
    "Toe-touch weight bearing right leg",
    "Cardiac: check blood pressure before exercise",
    "Diabetic: check feet, keep a snack nearby",
    "Osteoporosis: no loaded spinal flexion",
    "Sternal precautions: no pushing up with the arms",
    "Lymphedema right arm: no blood pressure cuff on the right",
    "Latex allergy",
    "Hard of hearing: face the patient when speaking",
    "Recent shoulder surgery: sling on, no active lifting",
    "Blood thinners: bruises easily",
]
PAYERS = [
    "Blue Cross Blue Shield",
    "Aetna",
    "UnitedHealthcare",
    "Cigna",
    "Humana",
    "Medicare",
    "Kaiser Permanente",
    "Workers' Compensation",
]
DEVICES = ["Cane", "Quad cane", "Crutches", "Walker", "Rolling walker", "Wheelchair"]
RELATIONS = ["wife", "husband", "daughter", "son", "sister", "brother", "partner", "friend"]
STREETS = ["Oak", "Maple", "Cedar", "Pine", "Elm", "Lake", "Hill", "Park", "River", "Mill"]
PATIENT_EXTRA_DEFAULTS = dict(
    address="",
    emergency_contact_name="",
    emergency_contact_phone="",
    precautions="",
    weight_kg=None,
    height_cm=None,
    weight_bearing="",
    upper_limb_strength_left=None,
    upper_limb_strength_right=None,
    cooperation="",
    assistance_level="",
    assistive_device="",
    discharged_on=None,
)
PAIRS = [(0, 2), (1, 3), (2, 4), (0, 3), (1, 4), (0, 4)]  # weekday pairs, Monday = 0
TARGET_PER_YEAR = 15_000
HISTORY_AFTER_TODAY = timedelta(days=21)
LATE_NOTICE = timedelta(hours=24)  # the clinic profile's default late-cancel notice


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
        self.series: list[dict] = []

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
                **PATIENT_EXTRA_DEFAULTS,
            )
        )
        return n

    # -- profiles and authorizations ---------------------------------------------------------
    def profiles(self, seed: int) -> list[dict]:
        """Precautions, mobility, contacts, discharges and authorizations for the patients.

        Uses its own random stream so the appointments stay exactly as the seed made them.
        Returns the authorization rows.
        """
        rng = random.Random(f"profiles-{seed}")
        visits: dict[int, list[tuple[datetime, str]]] = {}
        for appt in self.appointments:
            visits.setdefault(appt["patient_id"], []).append((appt["start"], appt["status"]))
        auths: list[dict] = []
        for p in self.patients:
            mine = sorted(visits.get(p["id"], []))
            if rng.random() < 0.7:
                p["address"] = (
                    f"{rng.randint(10, 9999)} {rng.choice(STREETS)} "
                    f"{rng.choice(['Street', 'Avenue', 'Road', 'Lane'])}\nSpringfield, ST 00000"
                )
            if rng.random() < 0.55:
                p["emergency_contact_name"] = (
                    f"{rng.choice(FIRST_NAMES)} {p['last_name']} ({rng.choice(RELATIONS)})"
                )
                p["emergency_contact_phone"] = (
                    f"555-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
                )
            self._profile(rng, p)
            if mine and rng.random() < 0.72:
                auths.append(self._authorization(rng, p["id"], mine))
            last_visit = mine[-1][0].date() if mine else None
            if last_visit and last_visit < self.today - timedelta(days=30) and rng.random() < 0.85:
                p["active"] = False
                p["discharged_on"] = last_visit
        return auths

    def _profile(self, rng: random.Random, p: dict) -> None:
        age = (self.today - p["date_of_birth"]).days // 365
        items: list[str] = []
        if rng.random() < 0.35 + (0.25 if age >= 70 else 0):
            items = rng.sample(PRECAUTIONS, rng.choice([1, 1, 1, 2, 2, 3]))
            if age >= 75 and "Fall risk" not in items and rng.random() < 0.6:
                items.insert(0, "Fall risk")
        p["precautions"] = "\n".join(items)
        if rng.random() < 0.6 or items:
            female = rng.random() < 0.5
            height = round(rng.gauss(163 if female else 177, 7))
            bmi = max(17.0, min(45.0, rng.gauss(27.5, 5)))
            p["height_cm"] = float(height)
            p["weight_kg"] = round(bmi * (height / 100) ** 2, 1)
            text = " ".join(items).lower()
            if "toe-touch" in text:
                p["weight_bearing"] = "toe_touch"
            elif "partial weight" in text:
                p["weight_bearing"] = "partial"
            elif rng.random() < 0.04:
                p["weight_bearing"] = "non_weight_bearing"
            else:
                p["weight_bearing"] = "full"
            frail = age >= 75 or p["weight_bearing"] != "full" or "fall risk" in text
            if frail:
                p["assistance_level"] = rng.choice(
                    ["stand_by", "contact_guard", "contact_guard", "min", "mod", "max"]
                )
                p["assistive_device"] = rng.choice(DEVICES)
            else:
                p["assistance_level"] = rng.choice(["independent"] * 4 + ["stand_by"])
                p["assistive_device"] = "Cane" if rng.random() < 0.1 else ""
            weak_arm = "sternal" in text or "shoulder" in text
            p["upper_limb_strength_left"] = not (weak_arm and rng.random() < 0.5)
            p["upper_limb_strength_right"] = not (weak_arm and rng.random() < 0.5)
            p["cooperation"] = "unpredictable" if rng.random() < 0.06 else "cooperative"

    def _authorization(
        self, rng: random.Random, patient_id: int, visits: list[tuple[datetime, str]]
    ) -> dict:
        start = visits[0][0].date() - timedelta(days=rng.randint(0, 5))
        end = start + timedelta(days=rng.choice([30, 60, 60, 90, 90, 120]) - 1)
        in_range = sum(1 for when, _ in visits if start <= when.date() <= end)
        allowed = max(4, in_range + rng.choice([-2, -1, 0, 0, 1, 2, 4, 6]))
        allowed = min(allowed, 30)
        created = datetime.combine(start - timedelta(days=rng.randint(1, 7)), time(11), UTC)
        return dict(
            patient_id=patient_id,
            payer=rng.choice(PAYERS),
            member_number=f"{rng.choice('ABCDHKMWXY')}{rng.randint(10_000_000, 99_999_999)}",
            visits_authorized=allowed,
            start_date=start,
            end_date=end,
            notes="",
            active=True,
            created_at=created,
            updated_at=created,
        )

    # -- appointments -------------------------------------------------------
    def new_series(self, pid: int, sid: int, room: int, pair, days: list[date]) -> int:
        """Each episode of care was booked as a twice-weekly series."""
        n = len(self.series) + 1
        names = ["Mon", "Tue", "Wed", "Thu", "Fri"]
        self.series.append(
            dict(
                id=n,
                patient_id=pid,
                staff_id=sid,
                room_id=room,
                weekdays=",".join(str(d + 1) for d in pair),
                first_day=days[0],
                until=None,
                visits=len(days),
                description=f"Weekly on {names[pair[0]]}, {names[pair[1]]}, {len(days)} visits",
                created_at=datetime.combine(days[0] - timedelta(days=1), time(10), UTC),
            )
        )
        return n

    def spread_rooms(self, rooms: list[int]) -> None:
        """Give a visit whose room is taken at that time a free room (the gym takes the rest).

        Draws no random numbers, so the rest of the clinic stays as the seed made it.
        """
        taken: dict[datetime, set[int]] = {}
        gym = rooms[0]
        active = [
            a
            for a in self.appointments
            if a["status"]
            not in (AppointmentStatus.CANCELLED.value, AppointmentStatus.NO_SHOW.value)
        ]
        for a in active:
            used = taken.setdefault(a["start"], set())
            if a["room_id"] in used:
                free = [r for r in rooms if r not in used]
                a["room_id"] = free[0] if free else gym
            used.add(a["room_id"])

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
            start = (EARLY_SHIFT if i % 2 == 0 else LATE_SHIFT)[0]
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
        series_id = self.new_series(pid, sid, room, pair, days)
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
            arrived = None
            if status in (AppointmentStatus.COMPLETED.value, AppointmentStatus.CHECKED_IN.value):
                arrived = (start - timedelta(minutes=rng.randint(-5, 15))).astimezone(UTC)
            late = cancelled_at is not None and start - cancelled_at < LATE_NOTICE
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
                    late_cancel=late,
                    arrived_at=arrived,
                    series_id=series_id,
                    override_reason="",
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
        _equipment_history(session, seed, b.first_day, today, now, staff, rooms)
        _add_programs(session, b, seed, staff)
        from ptdesk.demo_transfers import add_demo_checklists

        add_demo_checklists(session, seed=seed, today=today, now=now)
        from ptdesk.demo_sessions import add_sessions

        add_sessions(session, seed, today, now, staff)
        _sign_in_history(session, b, staff, shift_of)
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


# A home program leans on one body region, with a little core or balance work added.
PROGRAM_REGIONS = ["back", "knee", "shoulder", "hip", "neck", "ankle", "knee", "back", "balance"]
BANDS = ["yellow band", "red band", "green band", "blue band"]
PROGRAM_NOTES = [
    "Go slowly; stop if it pinches.",
    "Do these after a warm shower.",
    "Keep the movement small at first.",
    "Breathe out as you lift.",
    "Use the kitchen counter for balance.",
]


def _add_programs(session: Session, b: _Builder, seed: int, staff: list[Staff]) -> None:
    """Most patients being seen now get a home program of 3 to 8 exercises."""
    from ptdesk.models import AuditEvent, Exercise, HomeProgram, ProgramExercise
    from ptdesk.services.exercises import sync_library
    from ptdesk.services.programs import ENTITY

    rng = random.Random(seed * 1009 + 17)  # its own stream: other demo data stays the same
    sync_library(session)
    library = list(session.exec(select(Exercise).order_by(Exercise.id)))
    by_region: dict[str, list[Exercise]] = {}
    for ex in library:
        by_region.setdefault(ex.region, []).append(ex)
    prescribers = {s.id: s for s in staff if s.role in ("owner", "therapist", "assistant")}
    lead = next(s for s in staff if s.role == "therapist")
    window_start = b.today - timedelta(days=28)
    first_visit: dict[int, date] = {}
    seen_by: dict[int, int] = {}
    current: set[int] = set()
    for a in b.appointments:
        pid, day = a["patient_id"], a["start"].date()
        first_visit[pid] = min(first_visit.get(pid, day), day)
        if window_start <= day <= b.last_day and a["status"] != AppointmentStatus.CANCELLED.value:
            current.add(pid)
            seen_by.setdefault(pid, a["staff_id"])
    programs, items, events = [], [], []
    for pid in sorted(current):
        if rng.random() > 0.85:
            continue
        therapist = prescribers.get(seen_by[pid], lead)
        start = first_visit[pid]
        region = rng.choice(PROGRAM_REGIONS)
        count = rng.randint(3, 8)
        main = rng.sample(by_region[region], min(len(by_region[region]), count))
        extra_pool = [e for r in ("core", "balance") if r != region for e in by_region[r]]
        chosen = main + rng.sample(extra_pool, count - len(main))
        side = rng.choice(["left", "right", "both"])
        program_id = len(programs) + 1
        created = datetime.combine(start, time(11, 30), UTC)
        programs.append(
            dict(
                id=program_id,
                patient_id=pid,
                therapist_id=therapist.id,
                start_date=start,
                end_date=start + timedelta(weeks=rng.choice([6, 8, 12]))
                if rng.random() < 0.3
                else None,
                large_print=rng.random() < 0.12,
                notes="",
                created_at=created,
                updated_at=created,
            )
        )
        lines = []
        for position, ex in enumerate(chosen):
            sided = ex.region in ("shoulder", "hip", "knee", "ankle") and rng.random() < 0.8
            band = "band" in ex.name.lower()
            item = dict(
                program_id=program_id,
                exercise_id=ex.id,
                position=position,
                sets=ex.sets,
                reps=ex.reps if rng.random() < 0.7 else max(1, ex.reps + rng.choice([-5, 5])),
                hold_seconds=ex.hold_seconds,
                load=rng.choice(BANDS) if band else "",
                times_per_day=ex.times_per_day,
                days_per_week=ex.days_per_week,
                side=side if sided else "",
                notes=rng.choice(PROGRAM_NOTES) if rng.random() < 0.15 else "",
            )
            items.append(item)
            lines.append(ex.name)
        events.append(
            dict(
                at=created,
                actor_id=therapist.id,
                actor_name=therapist.name,
                action="create",
                entity=ENTITY,
                entity_id=str(program_id),
                summary=f"Home program set ({len(chosen)} exercises)",
                changes={"exercises": [None, lines]},
                patient_id=pid,
            )
        )
    if programs:
        session.execute(insert(HomeProgram), programs)
        session.execute(insert(ProgramExercise), items)
        session.execute(insert(AuditEvent), events)


AUDIT_HISTORY_DAYS = 14


def _sign_in_history(
    session: Session, b: _Builder, staff: list[Staff], shift_of: dict[int, tuple[time, time]]
) -> None:
    """The last two weeks of the audit trail: who signed in, and which records were opened."""
    from ptdesk.models import AuditEvent
    from ptdesk.services.cleaning import local_to_utc

    rng = random.Random(len(b.appointments) * 31 + len(staff))
    desk = [m for m in staff if m.role == Role.FRONT_DESK.value]
    patients = {p["id"]: p for p in b.patients}
    by_day: dict[date, list[dict]] = {}
    for a in b.appointments:
        by_day.setdefault(a["start"].date(), []).append(a)
    rows = []
    for offset in range(AUDIT_HISTORY_DAYS, -1, -1):
        day = b.today - timedelta(days=offset)
        if day.isoweekday() > 5:
            continue
        for member in staff:
            start = shift_of.get(member.id, FRONT_DESK_HOURS)[0]
            at = datetime.combine(day, start) - timedelta(minutes=rng.randint(2, 12))
            if at > b.now:
                continue
            rows.append(
                dict(
                    at=local_to_utc(at),
                    actor_id=member.id,
                    actor_name=member.name,
                    action="sign_in",
                    entity="staff",
                    entity_id=str(member.id),
                    summary=f"{member.name} signed in",
                    changes={},
                    patient_id=None,
                )
            )
        for a in sorted(by_day.get(day, []), key=lambda a: a["start"]):
            at = a["start"] - timedelta(minutes=rng.randint(1, 8))
            if not desk or at > b.now or rng.random() < 0.3:
                continue
            who = desk[rng.randrange(len(desk))]
            p = patients[a["patient_id"]]
            rows.append(
                dict(
                    at=local_to_utc(at),
                    actor_id=who.id,
                    actor_name=who.name,
                    action="view",
                    entity="patient",
                    entity_id=str(p["id"]),
                    summary=f"Viewed the record of {p['first_name']} {p['last_name']}",
                    changes={},
                    patient_id=p["id"],
                )
            )
    rows.sort(key=lambda r: r["at"])
    if rows:
        session.execute(insert(AuditEvent), rows)


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
    # Built under a temporary name and renamed when whole: an interrupted run leaves no
    # half-made clinic behind under the real name.
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    db = open_database(partial)
    try:
        summary = generate(db, years=years, seed=seed, today=today, now=now)
    except BaseException:
        db.close()
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.replace(path)
    return summary


# -- equipment and its cleaning history ---------------------------------------------------

# (name, category, room index or None for the whole clinic, interval, product, contact min)
DISINFECTANT = ("Quaternary disinfectant wipes", 2)
BLEACH = ("Bleach germicidal wipes", 4)
PEROXIDE = ("Hydrogen peroxide spray", 1)
ALCOHOL = ("70% isopropyl alcohol wipes", 1)
EQUIPMENT = [
    ("Treatment table 1", "treatment_table", 1, "after_use", DISINFECTANT),
    ("Treatment table 2", "treatment_table", 2, "after_use", DISINFECTANT),
    ("Treatment table 3", "treatment_table", 3, "after_use", DISINFECTANT),
    ("Treatment table 4", "treatment_table", 4, "after_use", DISINFECTANT),
    ("Hi-lo mat table", "treatment_table", 0, "after_use", DISINFECTANT),
    ("Private room table", "treatment_table", 5, "after_use", DISINFECTANT),
    ("Parallel bars", "exercise_equipment", 0, "daily", DISINFECTANT),
    ("Treadmill", "exercise_equipment", 0, "daily", DISINFECTANT),
    ("Recumbent bike", "exercise_equipment", 0, "daily", DISINFECTANT),
    ("Upright bike", "exercise_equipment", 0, "daily", DISINFECTANT),
    ("NuStep cross trainer", "exercise_equipment", 0, "daily", DISINFECTANT),
    ("Upper body ergometer", "exercise_equipment", 0, "daily", DISINFECTANT),
    ("Cable column", "exercise_equipment", 0, "daily", DISINFECTANT),
    ("Leg press", "exercise_equipment", 0, "daily", DISINFECTANT),
    ("Stairs with rails", "exercise_equipment", 0, "daily", DISINFECTANT),
    ("Balance board set", "exercise_equipment", 0, "weekly", PEROXIDE),
    ("BOSU balls", "exercise_equipment", 0, "weekly", PEROXIDE),
    ("Dumbbell rack", "exercise_equipment", 0, "weekly", DISINFECTANT),
    ("Resistance band bin", "exercise_equipment", 0, "weekly", PEROXIDE),
    ("Therapy balls", "exercise_equipment", 0, "weekly", PEROXIDE),
    ("Foam rollers", "exercise_equipment", 0, "weekly", PEROXIDE),
    ("Wall bars", "exercise_equipment", 0, "monthly", DISINFECTANT),
    ("Electrotherapy unit A", "electrotherapy", 1, "after_use", ALCOHOL),
    ("Electrotherapy unit B", "electrotherapy", 2, "after_use", ALCOHOL),
    ("Portable TENS kit", "electrotherapy", 3, "after_use", ALCOHOL),
    ("Ultrasound unit 1", "ultrasound", 1, "after_use", ALCOHOL),
    ("Ultrasound unit 2", "ultrasound", 4, "after_use", ALCOHOL),
    ("Combination unit", "electrotherapy", 5, "after_use", ALCOHOL),
    ("Hydrocollator (gym)", "hydrocollator", 0, "weekly", BLEACH),
    ("Hydrocollator (treatment)", "hydrocollator", 2, "weekly", BLEACH),
    ("Chilling unit", "other", 0, "weekly", BLEACH),
    ("Cervical traction unit", "traction", 3, "after_use", DISINFECTANT),
    ("Lumbar traction table", "traction", 4, "after_use", DISINFECTANT),
    ("Walker (standard)", "mobility_aid", 0, "daily", DISINFECTANT),
    ("Walker (rolling)", "mobility_aid", 0, "daily", DISINFECTANT),
    ("Quad cane set", "mobility_aid", 0, "weekly", DISINFECTANT),
    ("Axillary crutches", "mobility_aid", 0, "weekly", DISINFECTANT),
    ("Wheelchair", "mobility_aid", None, "daily", DISINFECTANT),
    ("Gait belts", "mobility_aid", 0, "daily", BLEACH),
    ("Sit-to-stand lift", "lift", 0, "weekly", DISINFECTANT),
    ("Pulse oximeter", "other", None, "daily", ALCOHOL),
    ("Goniometers and tools", "other", None, "weekly", ALCOHOL),
]
POWERED_CATEGORIES = {"electrotherapy", "ultrasound", "hydrocollator", "traction", "lift"}
CALIBRATED = {"ultrasound", "electrotherapy"}


def _equipment_history(
    session: Session, seed: int, first_day: date, today: date, now: datetime, staff, rooms
) -> None:
    """A realistic inventory and its cleaning log, with occasional misses and slips."""
    from ptdesk.models import CleaningLog, Equipment, WaterReading

    rng = random.Random(seed * 7919 + 5)
    cleaners = [s for s in staff if s.role in (Role.TECHNICIAN.value, Role.ASSISTANT.value)]
    cleaners = cleaners or list(staff)
    created = datetime.combine(first_day - timedelta(days=30), time(8), UTC)
    items: list[Equipment] = []
    for n, (name, category, room, interval, (product, minutes)) in enumerate(EQUIPMENT):
        device = category in POWERED_CATEGORIES
        item = Equipment(
            name=name,
            category=category,
            room_id=rooms[room].id if room is not None else None,
            asset_tag=f"RPT-{100 + n:04d}",
            serial_number=f"SN{rng.randint(100000, 999999)}" if device else "",
            cleaning_interval=interval,
            product=product,
            contact_minutes=minutes,
            created_at=created,
            updated_at=created,
        )
        if device:
            item.safety_check_due = today + timedelta(days=rng.randint(-20, 330))
        if category in CALIBRATED:
            item.calibration_due = today + timedelta(days=rng.randint(-10, 300))
        if category == "hydrocollator":
            item.safe_min_c, item.safe_max_c, item.water_change_days = 71.11, 76.67, 14
        items.append(item)
    items[26].safety_check_due = today - timedelta(days=12)  # one check slipped
    items[27].in_service = False  # the combination unit is away for repair
    items[27].out_of_service_reason = "Intensity dial faulty; sent for repair"
    items[27].out_of_service_since = today - timedelta(days=9)
    session.add_all(items)
    session.flush()

    logs: list[dict] = []
    readings: list[dict] = []

    def at(day: date, hour: float) -> datetime:
        wall = datetime.combine(day, time(0)) + timedelta(hours=hour)
        return wall.astimezone().astimezone(UTC)

    def add(item: Equipment, when: datetime, who: Staff, **extra) -> None:
        minutes = item.contact_minutes
        if rng.random() < 0.02:
            minutes = max(0, minutes - 1)  # wiped dry too soon now and then
        row = dict(
            equipment_id=item.id,
            cleaned_at=when,
            recorded_at=when + timedelta(seconds=rng.randint(5, 90)),
            staff_id=who.id,
            staff_name=who.name,
            method=extra.get("method", "clean_then_disinfect"),
            product=item.product,
            contact_minutes=minutes,
            label_contact_minutes=item.contact_minutes,
            short_contact=minutes < item.contact_minutes,
            notes=extra.get("notes", ""),
            corrects_id=None,
            voids=False,
            correction_reason="",
        )
        logs.append(row)

    now_utc = now.astimezone().astimezone(UTC)
    day = first_day
    while day <= today:
        if day.weekday() >= 5:
            day += timedelta(days=1)
            continue
        for item in items:
            if not item.in_service and day >= item.out_of_service_since:
                continue
            who = rng.choice(cleaners)
            interval = item.cleaning_interval
            if item.category == "hydrocollator":
                temp = rng.gauss(73.5, 1.4)
                if rng.random() < 0.03:
                    temp = rng.choice([68.5, 79.0])  # a heater slip now and then
                readings.append(
                    dict(
                        equipment_id=item.id,
                        taken_at=at(day, 7.5 + rng.random() / 2),
                        staff_id=who.id,
                        staff_name=who.name,
                        temperature_c=round(temp, 1),
                        water_changed=day.weekday() == 4 and day.isocalendar()[1] % 2 == 0,
                        notes="",
                    )
                )
            if interval == "after_use":
                busy = item.category == "treatment_table"
                for _ in range(rng.randint(3, 9) if busy else rng.randint(1, 4)):
                    add(item, at(day, rng.uniform(7.5, 18.5)), rng.choice(cleaners))
            elif interval == "daily":
                if rng.random() >= 0.04:  # about one missed day in 25
                    add(item, at(day, rng.uniform(17.0, 18.8)), who)
            elif interval == "weekly" and day.weekday() == 4:
                if rng.random() >= 0.07:
                    deep = item.category == "hydrocollator"
                    method = "deep_clean" if deep else "clean_then_disinfect"
                    add(item, at(day, rng.uniform(16.0, 18.0)), who, method=method)
            elif (
                interval == "monthly"
                and day.day <= 7
                and day.weekday() == 0
                and rng.random() >= 0.1
            ):
                add(item, at(day, 17.5), who, method="deep_clean")
        day += timedelta(days=1)
    logs = [row for row in logs if row["cleaned_at"] <= now_utc]
    readings = [row for row in readings if row["taken_at"] <= now_utc]
    logs.sort(key=lambda row: row["cleaned_at"])
    if logs:
        session.execute(insert(CleaningLog), logs)
    if readings:
        session.execute(insert(WaterReading), readings)
    session.flush()
