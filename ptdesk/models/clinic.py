"""The clinic profile: letterhead details, hours and scheduling policy (one row)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field

from ptdesk.models.common import Table, utcnow


class ClinicProfile(Table, table=True):
    __tablename__ = "clinic_profile"

    id: int | None = Field(default=1, primary_key=True)
    name: str = Field(default="My Physical Therapy Clinic", max_length=120)
    address: str = Field(default="")
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=120)
    logo_png: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    opens_at: time = Field(default=time(7, 0))
    closes_at: time = Field(default=time(19, 0))
    slot_minutes: int = Field(default=15)
    # Clinic days as ISO weekday numbers, Monday=1 ... Sunday=7, comma separated.
    clinic_days: str = Field(default="1,2,3,4,5", max_length=20)
    late_cancel_hours: int = Field(default=24)
    # Minutes without keyboard or mouse input before the screen locks itself.
    idle_lock_minutes: int = Field(default=5, sa_column_kwargs={"server_default": "5"})
    # The clinic's time zone, an IANA name ("Europe/Berlin"); "" means the computer's own zone.
    time_zone: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def clinic_weekdays(self) -> set[int]:
        return {int(d) for d in self.clinic_days.split(",") if d.strip()}


class ClinicClosedDay(Table, table=True):
    """A date the clinic is closed (a holiday): nothing is due and no visit is expected."""

    __tablename__ = "clinic_closed_day"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True, index=True)
    note: str = Field(default="", max_length=120)
