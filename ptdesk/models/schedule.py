"""Appointments: who, with whom, where and when (clinic wall-clock time), and how it ended."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field

from ptdesk.models.common import Table, utcnow


class AppointmentStatus(StrEnum):
    SCHEDULED = "scheduled"
    CHECKED_IN = "checked_in"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    AppointmentStatus.SCHEDULED: "Scheduled",
    AppointmentStatus.CHECKED_IN: "Checked in",
    AppointmentStatus.COMPLETED: "Completed",
    AppointmentStatus.CANCELLED: "Cancelled",
    AppointmentStatus.NO_SHOW: "No-show",
}


class AppointmentKind(StrEnum):
    EVALUATION = "evaluation"
    TREATMENT = "treatment"
    RE_EVALUATION = "re_evaluation"
    DISCHARGE = "discharge"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    AppointmentKind.EVALUATION: "Evaluation",
    AppointmentKind.TREATMENT: "Treatment",
    AppointmentKind.RE_EVALUATION: "Re-evaluation",
    AppointmentKind.DISCHARGE: "Discharge",
}


class AppointmentSeries(Table, table=True):
    """A recurring booking: weekly on chosen weekdays, until a date or for a number of visits."""

    __tablename__ = "appointment_series"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    staff_id: int = Field(foreign_key="staff.id")
    room_id: int | None = Field(default=None, foreign_key="room.id")
    # ISO weekdays, Monday=1, comma separated, e.g. "1,3".
    weekdays: str = Field(max_length=20)
    first_day: date
    until: date | None = None
    visits: int | None = None
    description: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class Appointment(Table, table=True):
    __table_args__ = (
        Index("ix_appointment_staff_start", "staff_id", "start"),
        Index("ix_appointment_patient_start", "patient_id", "start"),
        # Counting a month's visits by status reads only this index: the patient and kind of
        # completed visits, and the columns that judge a cancellation's notice, are in it.
        # The monthly report counts a year of visits this way.
        Index(
            "ix_appointment_status_start",
            "status",
            "start",
            "patient_id",
            "kind",
            "cancelled_at",
            "late_cancel",
        ),
        # A patient's completed visits before a day (new patients, authorizations used).
        Index("ix_appointment_patient_status_start", "patient_id", "status", "start"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id")
    staff_id: int = Field(foreign_key="staff.id")
    room_id: int | None = Field(default=None, foreign_key="room.id")
    # Wall-clock time at the clinic: naive on purpose.
    start: NaiveDatetime = Field(index=True)
    end: NaiveDatetime
    status: str = Field(default=AppointmentStatus.SCHEDULED.value, max_length=20)
    kind: str = Field(default=AppointmentKind.TREATMENT.value, max_length=20)
    notes: str = Field(default="")
    # Record times are UTC.
    cancelled_at: datetime | None = None
    cancel_reason: str = Field(default="", max_length=200)
    # Cancelled less than the clinic's notice period before the start (decided when cancelled).
    late_cancel: bool = Field(default=False)
    # Record time (UTC) the patient arrived (checked in).
    arrived_at: datetime | None = None
    series_id: int | None = Field(default=None, foreign_key="appointment_series.id", index=True)
    # Why a warned conflict (double booking, outside hours, authorization) was accepted.
    override_reason: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def duration_min(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class AppointmentStatusChange(Table, table=True):
    """One status change of an appointment: from what, to what, by whom, when (UTC)."""

    __tablename__ = "appointment_status_change"

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(foreign_key="appointment.id", index=True)
    from_status: str = Field(default="", max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = None
    actor_name: str = Field(default="", max_length=120)
    note: str = Field(default="", max_length=200)
    correction: bool = Field(default=False)
    at: datetime = Field(default_factory=utcnow)
