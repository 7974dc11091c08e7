"""The schedule's plain values: appointments as screens show them, requests, conflicts, rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from ptdesk.errors import PtdeskError
from ptdesk.models import AppointmentKind, AppointmentStatus

S = AppointmentStatus
INACTIVE = (S.CANCELLED.value, S.NO_SHOW.value)  # never conflict, never count as busy
OPEN = (S.SCHEDULED.value, S.CHECKED_IN.value)  # still waiting for an outcome


DEFAULT_MINUTES = {
    AppointmentKind.EVALUATION.value: 60,
    AppointmentKind.TREATMENT.value: 45,
    AppointmentKind.RE_EVALUATION.value: 45,
    AppointmentKind.DISCHARGE.value: 45,
}
STATUS_MARKS = {  # a text symbol for each status, so colour is never the only cue
    S.SCHEDULED.value: "○",
    S.CHECKED_IN.value: "◐",
    S.COMPLETED.value: "●",
    S.CANCELLED.value: "✕",
    S.NO_SHOW.value: "⊘",
}
# By stored value, for quick look-up in tables; the wording is the enums' own labels.
STATUS_LABELS = {s.value: s.label for s in AppointmentStatus}
KIND_LABELS = {k.value: k.label for k in AppointmentKind}
SCOPES = ("this", "following", "all")
WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
BOOKABLE_YEARS = (1900, 2199)  # outside these a date is a typing mistake (and out of range)
MAX_PLAN_WEEKS = 104


# -- plain values ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AppointmentInfo:
    """One appointment with the names a screen or a printout shows."""

    id: int
    patient_id: int
    patient_name: str
    chart_number: str
    precautions: tuple[str, ...]
    staff_id: int
    staff_name: str
    staff_color: str
    room_id: int | None
    room_name: str
    start: datetime
    end: datetime
    status: str
    kind: str
    notes: str = ""
    series_id: int | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str = ""
    late_cancel: bool = False
    arrived_at: datetime | None = None
    override_reason: str = ""

    @property
    def duration_min(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def status_label(self) -> str:
        if self.late_cancel and self.status == S.CANCELLED.value:
            return "Late cancel"
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def status_mark(self) -> str:
        return STATUS_MARKS.get(self.status, "?")

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def active(self) -> bool:
        return self.status not in INACTIVE

    @property
    def time_text(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True)
class StaffHours:
    """A staff member who can be booked, with the hours they work by ISO weekday."""

    id: int
    name: str
    role: str
    color: str
    working_hours: dict[int, tuple[time, time]]


@dataclass(frozen=True)
class RoomInfo:
    id: int
    name: str


@dataclass(frozen=True)
class PatientHit:
    id: int
    name: str
    sort_name: str
    chart_number: str
    phone: str
    date_of_birth: date | None
    precautions: tuple[str, ...]

    @property
    def label(self) -> str:
        born = f", born {self.date_of_birth.isoformat()}" if self.date_of_birth else ""
        return f"{self.sort_name} (#{self.chart_number}{born})"


@dataclass(frozen=True)
class Conflict:
    """Something wrong with a booking. ``blocking`` ones are refused; others need a reason."""

    kind: str  # patient, staff, room, clinic_hours, working_hours, authorization
    message: str
    blocking: bool = False


class ConflictWarning(PtdeskError):
    """The booking has warnings the front desk may override by giving a reason."""

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        self.conflicts = list(conflicts)
        super().__init__(" ".join(c.message for c in self.conflicts))


@dataclass
class BookingRequest:
    patient_id: int
    staff_id: int
    start: datetime
    duration_min: int | None = None
    kind: str = AppointmentKind.TREATMENT.value
    room_id: int | None = None
    notes: str = ""


@dataclass
class Recurrence:
    """Weekly on ISO ``weekdays`` until a date, or for a number of visits.

    A plan of care (``per_week`` visits for ``weeks`` weeks) sets both: the visit count and
    the last day.
    """

    weekdays: list[int]
    until: date | None = None
    count: int | None = None
    per_week: int | None = None
    weeks: int | None = None

    def describe(self) -> str:
        days = ", ".join(WEEKDAY_NAMES[d - 1] for d in sorted(self.weekdays))
        if self.per_week and self.weeks:
            return f"{self.per_week}×/week for {self.weeks} weeks ({days})"
        if self.count:
            return f"Weekly on {days}, {self.count} visits"
        return f"Weekly on {days} until {self.until.isoformat() if self.until else '?'}"


@dataclass(frozen=True)
class StatusChangeInfo:
    at: datetime
    from_status: str
    to_status: str
    actor_name: str
    note: str
    correction: bool


@dataclass(frozen=True)
class CancelResult:
    cancelled: list[AppointmentInfo]
    late: bool


@dataclass
class AppointmentChanges:
    """What an edit changes; None leaves a field as it is."""

    start: datetime | None = None
    duration_min: int | None = None
    staff_id: int | None = None
    room_id: int | None = None
    clear_room: bool = False
    kind: str | None = None
    notes: str | None = None
