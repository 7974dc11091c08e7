"""The equipment inventory: items, service state, safety checks, and hydrocollator water readings."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlmodel import Session, col, select

from ptdesk.errors import NotFound, ValidationError
from ptdesk.models import (
    CleaningInterval,
    Equipment,
    EquipmentCategory,
    EquipmentOutage,
    EquipmentSettings,
    Room,
    TemperatureUnit,
    WaterReading,
)
from ptdesk.models.common import saved_id
from ptdesk.services import audit, clock, validation
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require

# A typical hydrocollator keeps its water between 160 and 170 °F (71.1 to 76.7 °C).
DEFAULT_SAFE_MIN_C = 71.11
DEFAULT_SAFE_MAX_C = 76.67
DEFAULT_WATER_CHANGE_DAYS = 14
MAX_CONTACT_MINUTES = 60


def f_to_c(value: float) -> float:
    return (value - 32) * 5 / 9


def c_to_f(value: float) -> float:
    return value * 9 / 5 + 32


def to_unit(celsius: float, unit: str) -> float:
    return c_to_f(celsius) if unit == TemperatureUnit.FAHRENHEIT.value else celsius


def from_unit(value: float, unit: str) -> float:
    return f_to_c(value) if unit == TemperatureUnit.FAHRENHEIT.value else value


def format_temperature(celsius: float | None, unit: str) -> str:
    if celsius is None:
        return ""
    return f"{to_unit(celsius, unit):.0f} {TemperatureUnit(unit).symbol}"


@dataclass
class EquipmentData:
    """What the inventory form edits, as plain values."""

    name: str = ""
    category: str = EquipmentCategory.OTHER.value
    room_id: int | None = None
    asset_tag: str = ""
    serial_number: str = ""
    cleaning_interval: str = CleaningInterval.DAILY.value
    product: str = ""
    contact_minutes: int = 0
    safety_check_due: date | None = None
    calibration_due: date | None = None
    safe_min_c: float | None = None
    safe_max_c: float | None = None
    water_change_days: int | None = None
    notes: str = ""

    @classmethod
    def of(cls, row: Equipment) -> EquipmentData:
        return cls(**{f: getattr(row, f) for f in FIELDS})


FIELDS = [f.name for f in fields(EquipmentData)]


def list_equipment(session: Session, *, include_retired: bool = False) -> list[Equipment]:
    stmt = select(Equipment).order_by(col(Equipment.name), col(Equipment.id))
    if not include_retired:
        stmt = stmt.where(col(Equipment.active).is_(True))
    return list(session.exec(stmt))


def get_equipment(session: Session, equipment_id: int) -> Equipment:
    row = session.get(Equipment, equipment_id)
    if row is None:
        raise NotFound("That piece of equipment is no longer in the inventory.")
    return row


def room_names(session: Session) -> dict[int, str]:
    return {r.id: r.name for r in session.exec(select(Room)) if r.id is not None}


def validate(session: Session, data: EquipmentData) -> EquipmentData:
    data.name = validation.text(data.name, "name", "The name", required=True, max_len=120)
    if data.category not in {c.value for c in EquipmentCategory}:
        raise ValidationError("category", "Choose a category.")
    if data.cleaning_interval not in {i.value for i in CleaningInterval}:
        raise ValidationError("cleaning_interval", "Choose how often the item is cleaned.")
    if data.room_id is not None and session.get(Room, data.room_id) is None:
        raise ValidationError("room_id", "That room no longer exists; choose another.")
    data.asset_tag = validation.text(data.asset_tag, "asset_tag", "The asset tag", max_len=60)
    data.serial_number = validation.text(
        data.serial_number, "serial_number", "The serial number", max_len=80
    )
    data.product = validation.text(data.product, "product", "The product", max_len=120)
    if not 0 <= data.contact_minutes <= MAX_CONTACT_MINUTES:
        raise ValidationError(
            "contact_minutes",
            f"The label contact time must be between 0 and {MAX_CONTACT_MINUTES} minutes.",
        )
    if data.product and data.contact_minutes == 0:
        raise ValidationError(
            "contact_minutes",
            "Enter the product's contact (wet) time from its label, in minutes.",
        )
    data.notes = validation.text(data.notes, "notes", "Notes", max_len=2000)
    if EquipmentCategory(data.category) == EquipmentCategory.HYDROCOLLATOR:
        if data.safe_min_c is None:
            data.safe_min_c = DEFAULT_SAFE_MIN_C
        if data.safe_max_c is None:
            data.safe_max_c = DEFAULT_SAFE_MAX_C
        if data.water_change_days is None:
            data.water_change_days = DEFAULT_WATER_CHANGE_DAYS
        if not 20 <= data.safe_min_c < data.safe_max_c <= 100:
            raise ValidationError(
                "safe_range", "The safe range needs a lowest value below the highest value."
            )
        if not 1 <= data.water_change_days <= 365:
            raise ValidationError("water_change_days", "Change the water every 1 to 365 days.")
    else:
        data.safe_min_c = data.safe_max_c = None
        data.water_change_days = None
    return data


def create_equipment(session: Session, actor: Actor, data: EquipmentData) -> Equipment:
    require(actor, "manage_equipment")
    data = validate(session, data)
    row = Equipment(**{f: getattr(data, f) for f in FIELDS})
    session.add(row)
    session.flush()
    audit.record_new(
        session,
        actor,
        "create",
        "equipment",
        row,
        f"Equipment {row.name} added",
    )
    return row


def update_equipment(
    session: Session, actor: Actor, equipment_id: int, data: EquipmentData
) -> Equipment:
    require(actor, "manage_equipment")
    row = get_equipment(session, equipment_id)
    data = validate(session, data)
    before = audit.snapshot(row)
    for f in FIELDS:
        setattr(row, f, getattr(data, f))
    row.updated_at = clock.utc_now()
    changes = audit.diff(before, audit.snapshot(row))
    if changes:
        audit.record(
            session, actor, "update", "equipment", row.id, changes, f"Equipment {row.name} changed"
        )
    session.flush()
    return row


def retire_equipment(
    session: Session, actor: Actor, equipment_id: int, *, today: date | None = None
) -> Equipment:
    """Remove from the inventory lists; its cleaning history stays."""
    require(actor, "manage_equipment")
    row = get_equipment(session, equipment_id)
    before = audit.snapshot(row)
    row.active = False
    row.retired_on = clock.today() if today is None else today
    row.updated_at = clock.utc_now()
    audit.record(
        session,
        actor,
        "retire",
        "equipment",
        row.id,
        audit.diff(before, audit.snapshot(row)),
        f"Equipment {row.name} retired",
    )
    session.flush()
    return row


def set_out_of_service(
    session: Session,
    actor: Actor,
    equipment_id: int,
    reason: str,
    since: date | None = None,
    *,
    today: date | None = None,
) -> Equipment:
    require(actor, "set_equipment_service")
    row = get_equipment(session, equipment_id)
    reason = validation.text(reason, "reason", "The reason", required=True, max_len=200)
    today = clock.today() if today is None else today
    since = since or today
    if since > today:
        raise ValidationError("since", "The out-of-service date cannot be in the future.")
    before = audit.snapshot(row)
    row.in_service = False
    row.out_of_service_reason = reason
    row.out_of_service_since = since
    row.updated_at = clock.utc_now()
    # The history of outages: already out means the open outage is updated, not doubled.
    current = _open_outage(session, saved_id(row))
    if current is None:
        current = EquipmentOutage(equipment_id=saved_id(row), start=since)
    current.start, current.reason = since, reason
    session.add(current)
    audit.record(
        session,
        actor,
        "out_of_service",
        "equipment",
        row.id,
        audit.diff(before, audit.snapshot(row)),
        f"{row.name} taken out of service: {reason}",
    )
    session.flush()
    return row


def _open_outage(session: Session, equipment_id: int) -> EquipmentOutage | None:
    stmt = select(EquipmentOutage).where(
        col(EquipmentOutage.equipment_id) == equipment_id, col(EquipmentOutage.end).is_(None)
    )
    return session.exec(stmt.order_by(col(EquipmentOutage.id).desc())).first()


def outages(session: Session) -> dict[int, list[tuple[date, date | None]]]:
    """Every item's out-of-service stretches as (first day out, day back or None)."""
    out: dict[int, list[tuple[date, date | None]]] = {}
    for o in session.exec(select(EquipmentOutage).order_by(col(EquipmentOutage.start))):
        out.setdefault(o.equipment_id, []).append((o.start, o.end))
    return out


def return_to_service(
    session: Session, actor: Actor, equipment_id: int, *, today: date | None = None
) -> Equipment:
    require(actor, "set_equipment_service")
    row = get_equipment(session, equipment_id)
    if row.in_service:
        raise ValidationError("in_service", f"{row.name} is already in service.")
    back = clock.today() if today is None else today
    current = _open_outage(session, saved_id(row))
    if current is None:  # out of service before the history was kept
        current = EquipmentOutage(
            equipment_id=saved_id(row),
            start=row.out_of_service_since or back,
            reason=row.out_of_service_reason,
        )
    current.end = max(back, current.start)
    session.add(current)
    before = audit.snapshot(row)
    row.in_service = True
    row.out_of_service_reason = ""
    row.out_of_service_since = None
    row.updated_at = clock.utc_now()
    audit.record(
        session,
        actor,
        "in_service",
        "equipment",
        row.id,
        audit.diff(before, audit.snapshot(row)),
        f"{row.name} back in service",
    )
    session.flush()
    return row


def record_device_check(
    session: Session,
    actor: Actor,
    equipment_id: int,
    kind: str,
    next_due: date,
    *,
    today: date | None = None,
) -> Equipment:
    """A safety check or calibration was done: set the date the next one is due."""
    require(actor, "record_device_check")
    if kind not in ("safety", "calibration"):
        raise ValidationError("kind", "Choose a safety check or a calibration.")
    row = get_equipment(session, equipment_id)
    if next_due <= (clock.today() if today is None else today):
        raise ValidationError("next_due", "The next due date must be after today.")
    before = audit.snapshot(row)
    what = "Electrical-safety check" if kind == "safety" else "Calibration"
    if kind == "safety":
        row.safety_check_due = next_due
    else:
        row.calibration_due = next_due
    row.updated_at = clock.utc_now()
    audit.record(
        session,
        actor,
        f"{kind}_check",
        "equipment",
        row.id,
        audit.diff(before, audit.snapshot(row)),
        f"{what} of {row.name} done; next due {next_due.isoformat()}",
    )
    session.flush()
    return row


# -- hydrocollator water ------------------------------------------------------------------


def _settings(session: Session) -> EquipmentSettings:
    row = session.get(EquipmentSettings, 1)
    if row is None:
        row = EquipmentSettings(id=1)
        session.add(row)
        session.flush()
    return row


def temperature_unit(session: Session) -> str:
    row = session.get(EquipmentSettings, 1)  # a read never adds the settings row
    return (row or EquipmentSettings()).temperature_unit


def set_temperature_unit(session: Session, actor: Actor, unit: str) -> str:
    require(actor, "manage_equipment")
    if unit not in {u.value for u in TemperatureUnit}:
        raise ValidationError("temperature_unit", "Choose °F or °C.")
    row = _settings(session)
    if row.temperature_unit != unit:
        audit.record(
            session,
            actor,
            "update",
            "equipment_settings",
            1,
            {"temperature_unit": [row.temperature_unit, unit]},
            f"Temperatures now shown in {TemperatureUnit(unit).symbol}",
        )
        row.temperature_unit = unit
        row.updated_at = clock.utc_now()
    session.flush()
    return unit


@dataclass(frozen=True)
class WaterStatus:
    """The last reading of a hydrocollator and what needs attention."""

    last_reading_c: float | None
    last_reading_at: datetime | None
    in_range: bool | None
    last_change_at: datetime | None
    change_due: bool
    warnings: list[str]


def log_water_reading(
    session: Session,
    actor: Actor,
    equipment_id: int,
    value: float,
    unit: str,
    *,
    water_changed: bool = False,
    notes: str = "",
    when: datetime | None = None,
) -> WaterReading:
    require(actor, "log_water_temperature")
    row = get_equipment(session, equipment_id)
    if row.category != EquipmentCategory.HYDROCOLLATOR.value:
        raise ValidationError("equipment", f"{row.name} is not a hydrocollator.")
    celsius = from_unit(value, unit)
    if not 0 <= celsius <= 100:
        raise ValidationError(
            "temperature", "That temperature is not possible for water; check the reading."
        )
    reading = WaterReading(
        equipment_id=equipment_id,
        taken_at=clock.utc_now() if when is None else when,
        staff_id=actor.id,
        staff_name=actor.name,
        temperature_c=round(celsius, 2),
        water_changed=water_changed,
        notes=validation.text(notes, "notes", "Notes", max_len=500),
    )
    session.add(reading)
    session.flush()
    shown = format_temperature(reading.temperature_c, unit)
    audit.record(
        session,
        actor,
        "water_reading",
        "equipment",
        equipment_id,
        {"temperature_c": [None, reading.temperature_c], "water_changed": [None, water_changed]},
        f"{row.name} water {shown}" + (", water changed" if water_changed else ""),
    )
    return reading


def water_readings(session: Session, equipment_id: int, limit: int = 500) -> list[WaterReading]:
    stmt = (
        select(WaterReading)
        .where(col(WaterReading.equipment_id) == equipment_id)
        .order_by(col(WaterReading.taken_at).desc(), col(WaterReading.id).desc())
        .limit(limit)
    )
    return list(session.exec(stmt))


def water_status(
    session: Session, item: Equipment, unit: str, *, now_utc: datetime | None = None
) -> WaterStatus:
    now_utc = clock.utc_now() if now_utc is None else now_utc
    last = session.exec(
        select(WaterReading)
        .where(col(WaterReading.equipment_id) == item.id)
        .order_by(col(WaterReading.taken_at).desc(), col(WaterReading.id).desc())
        .limit(1)
    ).first()
    change = session.exec(
        select(WaterReading)
        .where(WaterReading.equipment_id == item.id, col(WaterReading.water_changed).is_(True))
        .order_by(col(WaterReading.taken_at).desc())
        .limit(1)
    ).first()
    warnings: list[str] = []
    in_range = None
    if last is None:
        warnings.append("No water temperature logged yet")
    else:
        lo, hi = item.safe_min_c, item.safe_max_c
        in_range = (lo is None or last.temperature_c >= lo) and (
            hi is None or last.temperature_c <= hi
        )
        if not in_range:
            warnings.append(
                f"Water {format_temperature(last.temperature_c, unit)} is outside the safe range "
                f"{format_temperature(lo, unit)}–{format_temperature(hi, unit)}"
            )
    change_due = False
    if item.water_change_days:
        if change is None:
            change_due = True
            warnings.append("No water change logged yet")
        elif (now_utc - change.taken_at).days >= item.water_change_days:
            change_due = True
            warnings.append(f"Water change due (every {item.water_change_days} days)")
    return WaterStatus(
        last_reading_c=last.temperature_c if last else None,
        last_reading_at=last.taken_at if last else None,
        in_range=in_range,
        last_change_at=change.taken_at if change else None,
        change_due=change_due,
        warnings=warnings,
    )
