"""What the day sheet shows, as plain data: each staff member's visits of the day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class DaySheetVisit:
    """One booked visit as the sheet prints it (times are the clinic's wall-clock times)."""

    start: datetime
    end: datetime
    patient_name: str
    chart_number: str
    kind_label: str
    room_name: str
    status_label: str
    precautions: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class DaySheetGroup:
    """One staff member's section of the sheet."""

    staff_name: str
    appointments: Sequence[DaySheetVisit] = field(default_factory=list)
