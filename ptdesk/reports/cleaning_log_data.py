"""What the printable cleaning log shows, as plain data: the entries, then due versus done."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class LogLine:
    """One entry of the log, in words (the time is the clinic's wall-clock time)."""

    number: int
    cleaned: datetime
    item_name: str
    room_name: str  # "" for an item kept for the whole clinic
    method: str  # short enough for one line of the table
    product: str
    contact_minutes: int
    label_contact_minutes: int
    short_contact: bool
    staff_name: str
    status: str = ""  # corrections, voids, short contact
    correction_reason: str = ""
    notes: str = ""
    voids: bool = False


@dataclass(frozen=True)
class ItemDue:
    """An item with a daily, weekly or monthly interval: its due periods and the missed ones."""

    name: str
    room_name: str
    interval: str  # in words: "Daily"
    due_periods: int
    done_periods: int
    share: float | None
    missed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OverdueCheck:
    name: str
    room_name: str
    what: str
    due: date


@dataclass(frozen=True)
class CleaningLog:
    """The log of a date range and how the due cleanings went."""

    start: date
    end: date
    as_of: date  # the day the due periods were counted up to
    entries: list[LogLine] = field(default_factory=list)
    items: list[ItemDue] = field(default_factory=list)
    due_periods: int = 0
    done_periods: int = 0
    share: float | None = None
    overdue_checks: list[OverdueCheck] = field(default_factory=list)
