"""The monthly report's figures as plain data: what the PDF, the CSV and the JSON show.

``ptdesk.services.reporting`` works the figures out of the database; ``ptdesk.reports.monthly``
lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

APPOINTMENT_KEYS = (
    "scheduled",
    "completed",
    "no_show",
    "cancelled",
    "late_cancelled",
    "unresolved",
)


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


@dataclass(frozen=True)
class AppointmentCounts:
    scheduled: int = 0
    completed: int = 0
    no_show: int = 0
    cancelled: int = 0
    late_cancelled: int = 0
    unresolved: int = 0

    @property
    def outcomes(self) -> int:
        """The rates' denominator: visits with a known outcome."""
        return self.completed + self.cancelled + self.late_cancelled + self.no_show

    @property
    def arrival_rate(self) -> float | None:
        return _rate(self.completed, self.outcomes)

    @property
    def no_show_rate(self) -> float | None:
        return _rate(self.no_show, self.outcomes)

    @property
    def cancellation_rate(self) -> float | None:
        return _rate(self.cancelled + self.late_cancelled, self.outcomes)

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in APPOINTMENT_KEYS}


@dataclass(frozen=True)
class StaffFigures:
    name: str
    role: str
    completed: int
    no_show: int
    cancelled: int
    late_cancelled: int
    booked_hours: float
    completed_hours: float
    working_hours: float

    @property
    def utilization(self) -> float | None:
        return None if self.working_hours <= 0 else self.completed_hours / self.working_hours

    def as_dict(self) -> dict[str, Any]:
        return {
            "completed": self.completed,
            "no_show": self.no_show,
            "cancelled": self.cancelled,
            "late_cancelled": self.late_cancelled,
            "booked_hours": round(self.booked_hours, 2),
            "utilization": _round(self.utilization),
        }


@dataclass(frozen=True)
class OverdueCheck:
    equipment: str
    room: str
    what: str
    due: date


@dataclass(frozen=True)
class CleaningFigures:
    due_periods: int = 0
    done_on_time: int = 0
    missed: int = 0
    overdue_safety_checks: int = 0
    missed_items: list[tuple[str, str]] = field(default_factory=list)  # (equipment, period)
    overdue_checks: list[OverdueCheck] = field(default_factory=list)

    @property
    def compliance(self) -> float | None:
        return _rate(self.done_on_time, self.due_periods)

    def as_dict(self) -> dict[str, Any]:
        return {
            "due_periods": self.due_periods,
            "done_on_time": self.done_on_time,
            "missed": self.missed,
            "compliance": _round(self.compliance),
            "overdue_safety_checks": self.overdue_safety_checks,
        }


@dataclass(frozen=True)
class IncidentLine:
    when: datetime  # clinic wall-clock time
    patient: str
    chart_number: str
    incident: str  # near_miss | fall
    description: str


@dataclass(frozen=True)
class TransferFigures:
    completed: int = 0
    aborted: int = 0
    near_misses: int = 0
    falls: int = 0
    incidents: list[IncidentLine] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "completed": self.completed,
            "aborted": self.aborted,
            "near_misses": self.near_misses,
            "falls": self.falls,
        }


@dataclass(frozen=True)
class ExpiringAuthorization:
    chart_number: str
    patient: str
    payer: str
    end_date: date
    visits_authorized: int
    visits_used: int
    visits_booked: int  # open visits booked in the 30 days after the month
    reason: str  # "ends" or "runs out" (or both, "ends, runs out")

    @property
    def remaining(self) -> int:
        return self.visits_authorized - self.visits_used

    def as_dict(self) -> dict[str, Any]:
        return {
            "chart_number": self.chart_number,
            "patient": self.patient,
            "payer": self.payer,
            "end_date": self.end_date.isoformat(),
            "visits_authorized": self.visits_authorized,
            "visits_used": self.visits_used,
            "visits_booked": self.visits_booked,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Headline:
    """The figures the PDF's first table compares with the month before."""

    appointments: AppointmentCounts
    patients_seen: int
    new_patients: int
    evaluations: int
    total_units: int


@dataclass(frozen=True)
class MonthPoint:
    month: date
    counts: AppointmentCounts


@dataclass(frozen=True)
class MonthlyReport:
    month: date  # first day
    clinic_name: str
    appointments: AppointmentCounts
    patients_seen: int
    new_patients: int
    evaluations: int
    by_staff: list[StaffFigures]
    units_by_code: dict[str, int]
    total_units: int
    records: int
    cleaning: CleaningFigures
    transfers: TransferFigures
    authorizations_expiring: list[ExpiringAuthorization]
    previous: Headline | None = None
    completed_by_day: list[tuple[date, int]] = field(default_factory=list)
    trend: list[MonthPoint] = field(default_factory=list)
    late_cancel_hours: int = 24
    generated_at: datetime | None = None  # clinic wall-clock time

    @property
    def arrival_rate(self) -> float | None:
        return self.appointments.arrival_rate

    @property
    def no_show_rate(self) -> float | None:
        return self.appointments.no_show_rate

    @property
    def cancellation_rate(self) -> float | None:
        return self.appointments.cancellation_rate

    @property
    def units_per_visit(self) -> float | None:
        return None if self.records == 0 else self.total_units / self.records

    @property
    def headline(self) -> Headline:
        return Headline(
            self.appointments,
            self.patients_seen,
            self.new_patients,
            self.evaluations,
            self.total_units,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the issue's key names, month first."""
        return {
            "month": self.month.strftime("%Y-%m"),
            "appointments": self.appointments.as_dict(),
            "arrival_rate": _round(self.arrival_rate),
            "no_show_rate": _round(self.no_show_rate),
            "cancellation_rate": _round(self.cancellation_rate),
            "patients_seen": self.patients_seen,
            "new_patients": self.new_patients,
            "evaluations": self.evaluations,
            "by_staff": {s.name: s.as_dict() for s in self.by_staff},
            "units_by_code": dict(self.units_by_code),
            "total_units": self.total_units,
            "units_per_visit": _round(self.units_per_visit),
            "cleaning": self.cleaning.as_dict(),
            "transfers": self.transfers.as_dict(),
            "authorizations_expiring": [a.as_dict() for a in self.authorizations_expiring],
        }


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)
