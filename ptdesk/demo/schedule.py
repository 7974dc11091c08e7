"""The demo clinic's people and appointments: staff, patients with their profiles and
authorizations, and years of twice-weekly episodes of care, built in memory."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from ptdesk.demo.names import FIRST_NAMES, LAST_NAMES
from ptdesk.models import AppointmentKind, AppointmentStatus, Role
from ptdesk.services.scheduling.statuses import is_late_cancellation

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


class ClinicBuilder:
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
            late = cancelled_at is not None and is_late_cancellation(
                start, cancelled_at, LATE_NOTICE
            )
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
