"""The audit trail: who changed what, when, with before/after values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field

from ptdesk.models.common import Table, utcnow


class AuditEvent(Table, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="staff.id")
    actor_name: str = Field(default="", max_length=120)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: str = Field(default="", max_length=40)
    summary: str = Field(default="")
    # The patient the change (or the viewing) concerns, so the trail can be read per patient.
    patient_id: int | None = Field(default=None, index=True)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
