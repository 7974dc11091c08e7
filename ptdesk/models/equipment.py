"""Equipment: the inventory, its append-only cleaning log, and hydrocollator water readings."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field

from ptdesk.models.common import Table, utcnow


class EquipmentCategory(StrEnum):
    TREATMENT_TABLE = "treatment_table"
    EXERCISE_EQUIPMENT = "exercise_equipment"
    ELECTROTHERAPY = "electrotherapy"
    ULTRASOUND = "ultrasound"
    HYDROCOLLATOR = "hydrocollator"
    TRACTION = "traction"
    MOBILITY_AID = "mobility_aid"
    LIFT = "lift"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]

    @property
    def is_device(self) -> bool:
        """Powered devices that need electrical-safety checks and calibration."""
        return self in DEVICE_CATEGORIES


CATEGORY_LABELS = {
    EquipmentCategory.TREATMENT_TABLE: "Treatment table",
    EquipmentCategory.EXERCISE_EQUIPMENT: "Exercise equipment",
    EquipmentCategory.ELECTROTHERAPY: "Electrotherapy",
    EquipmentCategory.ULTRASOUND: "Ultrasound",
    EquipmentCategory.HYDROCOLLATOR: "Hydrocollator",
    EquipmentCategory.TRACTION: "Traction",
    EquipmentCategory.MOBILITY_AID: "Mobility aid",
    EquipmentCategory.LIFT: "Patient lift",
    EquipmentCategory.OTHER: "Other",
}
DEVICE_CATEGORIES = frozenset(
    {
        EquipmentCategory.ELECTROTHERAPY,
        EquipmentCategory.ULTRASOUND,
        EquipmentCategory.HYDROCOLLATOR,
        EquipmentCategory.TRACTION,
        EquipmentCategory.LIFT,
    }
)


class CleaningInterval(StrEnum):
    AFTER_USE = "after_use"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"

    @property
    def label(self) -> str:
        return {
            CleaningInterval.AFTER_USE: "After each use",
            CleaningInterval.DAILY: "Daily",
            CleaningInterval.WEEKLY: "Weekly",
            CleaningInterval.MONTHLY: "Monthly",
        }[self]


class CleaningMethod(StrEnum):
    CLEAN_THEN_DISINFECT = "clean_then_disinfect"
    DISINFECT_ONLY = "disinfect_only"
    DEEP_CLEAN = "deep_clean"

    @property
    def label(self) -> str:
        return {
            CleaningMethod.CLEAN_THEN_DISINFECT: "Clean, then disinfect",
            CleaningMethod.DISINFECT_ONLY: "Disinfect only",
            CleaningMethod.DEEP_CLEAN: "Deep clean",
        }[self]


class TemperatureUnit(StrEnum):
    FAHRENHEIT = "F"
    CELSIUS = "C"

    @property
    def symbol(self) -> str:
        return f"°{self.value}"


class Equipment(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    category: str = Field(default=EquipmentCategory.OTHER.value, max_length=30)
    room_id: int | None = Field(default=None, foreign_key="room.id", index=True)
    asset_tag: str = Field(default="", max_length=60)
    serial_number: str = Field(default="", max_length=80)
    cleaning_interval: str = Field(default=CleaningInterval.DAILY.value, max_length=20)
    product: str = Field(default="", max_length=120)
    # The product label's wet (contact) time in minutes.
    contact_minutes: int = Field(default=0)
    # Calendar dates at the clinic (no time of day): next electrical-safety check, calibration.
    safety_check_due: date | None = None
    calibration_due: date | None = None
    in_service: bool = Field(default=True)
    out_of_service_reason: str = Field(default="", max_length=200)
    out_of_service_since: date | None = None
    # Hydrocollators: safe water range (stored in °C) and how often the water is changed.
    safe_min_c: float | None = None
    safe_max_c: float | None = None
    water_change_days: int | None = None
    notes: str = Field(default="")
    active: bool = Field(default=True)
    # The clinic date the item was retired (left the inventory); None while it is in use.
    retired_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EquipmentOutage(Table, table=True):
    """A stretch of time an item was out of service: from ``start`` up to (not including) ``end``.

    ``end`` is the day it came back into service; None while it is still out.
    """

    __tablename__ = "equipment_outage"

    id: int | None = Field(default=None, primary_key=True)
    equipment_id: int = Field(foreign_key="equipment.id", index=True)
    start: date
    end: date | None = None
    reason: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class CleaningLog(Table, table=True):
    """One cleaning. Never edited: a correction is a new row whose ``corrects_id`` names the old."""

    __tablename__ = "cleaning_log"
    __table_args__ = (Index("ix_cleaning_log_equipment_cleaned", "equipment_id", "cleaned_at"),)

    id: int | None = Field(default=None, primary_key=True)
    equipment_id: int = Field(foreign_key="equipment.id")
    # When the cleaning was done and when it was written down: both UTC record times.
    cleaned_at: datetime = Field(default_factory=utcnow, index=True)
    recorded_at: datetime = Field(default_factory=utcnow)
    staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    staff_name: str = Field(default="", max_length=120)
    method: str = Field(default=CleaningMethod.CLEAN_THEN_DISINFECT.value, max_length=30)
    product: str = Field(default="", max_length=120)
    contact_minutes: int = Field(default=0)
    # The label time of the product when the entry was written (kept for the short-time flag).
    label_contact_minutes: int = Field(default=0)
    short_contact: bool = Field(default=False)
    notes: str = Field(default="")
    corrects_id: int | None = Field(default=None, foreign_key="cleaning_log.id", index=True)
    # A correction that says the cleaning never happened (logged against the wrong item, say).
    voids: bool = Field(default=False)
    correction_reason: str = Field(default="", max_length=300)


class WaterReading(Table, table=True):
    """A hydrocollator water temperature check (and whether the water was changed)."""

    __tablename__ = "water_reading"

    id: int | None = Field(default=None, primary_key=True)
    equipment_id: int = Field(foreign_key="equipment.id", index=True)
    taken_at: datetime = Field(default_factory=utcnow, index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    staff_name: str = Field(default="", max_length=120)
    temperature_c: float
    water_changed: bool = Field(default=False)
    notes: str = Field(default="")


class EquipmentSettings(Table, table=True):
    """Clinic-wide equipment settings (one row)."""

    __tablename__ = "equipment_settings"

    id: int | None = Field(default=1, primary_key=True)
    temperature_unit: str = Field(default=TemperatureUnit.FAHRENHEIT.value, max_length=1)
    updated_at: datetime = Field(default_factory=utcnow)
