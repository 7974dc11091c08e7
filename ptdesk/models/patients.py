"""Patients: identity, contact details and notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from ptdesk.models.common import utcnow


class Patient(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    chart_number: str = Field(max_length=20, unique=True, index=True)
    first_name: str = Field(max_length=80)
    last_name: str = Field(max_length=80, index=True)
    date_of_birth: date | None = None
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=120)
    notes: str = Field(default="")
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def sort_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"
