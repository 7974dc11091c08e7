"""The day sheet: the day's appointments per staff member, as data and as a printable PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from ptdesk.services.scheduling.queries import day_appointments
from ptdesk.services.scheduling.values import AppointmentInfo, S


@dataclass
class DaySheetGroup:
    staff_name: str
    appointments: list[AppointmentInfo] = field(default_factory=list)


def day_sheet(session: Session, day: date) -> list[DaySheetGroup]:
    """The day's appointments per staff member (cancelled ones left off), in time order."""
    groups: dict[int, DaySheetGroup] = {}
    for a in day_appointments(session, day):
        if a.status == S.CANCELLED.value:
            continue
        groups.setdefault(a.staff_id, DaySheetGroup(a.staff_name)).appointments.append(a)
    return sorted(groups.values(), key=lambda g: g.staff_name)
