"""Staff members and treatment rooms."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlmodel import Field

from ptdesk.models.common import Table, utcnow


class Role(StrEnum):
    OWNER = "owner"
    THERAPIST = "therapist"
    ASSISTANT = "assistant"
    TECHNICIAN = "technician"
    FRONT_DESK = "front_desk"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.OWNER: "Owner",
    Role.THERAPIST: "Therapist (PT)",
    Role.ASSISTANT: "Assistant (PTA)",
    Role.TECHNICIAN: "Technician / aide",
    Role.FRONT_DESK: "Front desk",
}


class Staff(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    role: str = Field(max_length=20, default=Role.FRONT_DESK.value)
    credentials: str = Field(default="", max_length=60)
    # Colour used for this person's appointments in the schedule, e.g. "#4a90d9".
    color: str = Field(default="#4a90d9", max_length=9)
    # Working hours per ISO weekday: {"1": ["08:00", "16:30"], ...}; a missing day is a day off.
    working_hours: dict[str, list[str]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    active: bool = Field(default=True)
    # Sign-in: a salted scrypt hash of the PIN ("" = no PIN set yet), never the PIN itself.
    pin_hash: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    failed_pins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    locked_until: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Room(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    kind: str = Field(default="treatment", max_length=40)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
