"""The demo clinic's equipment: a realistic inventory and its cleaning and water-bath history."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlmodel import Session

from ptdesk.models import CleaningLog, Equipment, Role, Staff, WaterReading
from ptdesk.services import clock

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


def add_equipment_history(
    session: Session, seed: int, first_day: date, today: date, now: datetime, staff, rooms
) -> None:
    """A realistic inventory and its cleaning log, with occasional misses and slips."""
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
        return clock.local_to_utc(wall)

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

    now_utc = clock.local_to_utc(now)
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
