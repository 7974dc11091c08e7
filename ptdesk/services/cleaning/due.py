"""Whether an item is clean, due or overdue: cleaning periods on the clinic's calendar.

Whether an item is due is a question about the clinic's calendar, so every rule here works on
clinic wall-clock time: a cleaning at 23:30 counts for that day wherever UTC midnight falls.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from ptdesk.models import CleaningInterval


class DueState(StrEnum):
    CLEAN = "clean"
    DUE = "due"
    OVERDUE = "overdue"
    AFTER_USE = "after_use"
    OUT_OF_SERVICE = "out_of_service"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def symbol(self) -> str:
        return STATE_SYMBOLS[self]

    @property
    def urgency(self) -> int:
        """Sort order: most urgent first."""
        return list(STATE_LABELS).index(self)


STATE_LABELS = {
    DueState.OVERDUE: "Overdue",
    DueState.DUE: "Due",
    DueState.AFTER_USE: "After each use",
    DueState.CLEAN: "Clean",
    DueState.OUT_OF_SERVICE: "Out of service",
}
STATE_SYMBOLS = {
    DueState.OVERDUE: "⚠",
    DueState.DUE: "●",
    DueState.AFTER_USE: "↻",
    DueState.CLEAN: "✓",
    DueState.OUT_OF_SERVICE: "✖",
}


# -- periods ---------------------------------------------------------------------------------


def period_start(interval: CleaningInterval, day: date) -> date:
    if interval == CleaningInterval.WEEKLY:
        return day - timedelta(days=day.weekday())
    if interval == CleaningInterval.MONTHLY:
        return day.replace(day=1)
    return day


def next_period_start(interval: CleaningInterval, start: date) -> date:
    if interval == CleaningInterval.WEEKLY:
        return start + timedelta(days=7)
    if interval == CleaningInterval.MONTHLY:
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def is_clinic_day(day: date, clinic_days: AbstractSet[int]) -> bool:
    """Open that weekday and not a closed date (``clinic_days`` may be a ClinicCalendar)."""
    return day.isoweekday() in clinic_days and day not in getattr(clinic_days, "closed", ())


def last_clinic_day_in(start: date, end: date, clinic_days: AbstractSet[int]) -> date | None:
    """The last clinic day on or after ``start`` and before ``end``."""
    day = end - timedelta(days=1)
    while day >= start:
        if is_clinic_day(day, clinic_days):
            return day
        day -= timedelta(days=1)
    return None


def periods(
    interval: CleaningInterval, first: date, last: date, clinic_days: AbstractSet[int]
) -> list[tuple[date, date, date]]:
    """Required periods whose deadline falls in ``first``..``last``: (start, end, deadline).

    A period runs from ``start`` up to (not including) ``end``; its deadline is its last clinic
    day. Daily items are required on clinic days only; a week or month with no clinic day asks
    for nothing.
    """
    out: list[tuple[date, date, date]] = []
    start = period_start(interval, first)
    while start <= last:
        end = next_period_start(interval, start)
        if interval == CleaningInterval.DAILY:
            deadline = start if is_clinic_day(start, clinic_days) else None
        else:
            deadline = last_clinic_day_in(start, end, clinic_days)
        if deadline is not None and first <= deadline <= last:
            out.append((start, end, deadline))
        start = end
    return out


def period_label(interval: CleaningInterval, start: date) -> str:
    if interval == CleaningInterval.WEEKLY:
        return f"Week of {start.isoformat()}"
    if interval == CleaningInterval.MONTHLY:
        return start.strftime("%B %Y")
    return f"{start:%a} {start.isoformat()}"


@dataclass(frozen=True)
class Due:
    state: DueState
    # The clinic day the next cleaning is needed by (None for after-use items).
    due_by: date | None

    def describe(self, today: date) -> str:
        if self.state == DueState.AFTER_USE or self.due_by is None:
            return "After each use"
        if self.due_by == today:
            return "Today"
        if self.due_by == today + timedelta(days=1):
            return f"Tomorrow ({self.due_by.isoformat()})"
        return f"{self.due_by:%a} {self.due_by.isoformat()}"


# How far to look for the previous or next clinic day (a weekly pattern plus closed dates).
SEARCH_DAYS = 63


def _previous_clinic_day(day: date, clinic_days: AbstractSet[int]) -> date | None:
    for back in range(1, SEARCH_DAYS):
        candidate = day - timedelta(days=back)
        if is_clinic_day(candidate, clinic_days):
            return candidate
    return None


def _next_clinic_day(day: date, clinic_days: AbstractSet[int]) -> date | None:
    for ahead in range(1, SEARCH_DAYS):
        candidate = day + timedelta(days=ahead)
        if is_clinic_day(candidate, clinic_days):
            return candidate
    return None


def due_state(
    interval: CleaningInterval | str,
    clinic_days: AbstractSet[int],
    last_cleaned: datetime | None,
    now: datetime,
    *,
    since: datetime | None = None,
) -> Due:
    """Clean, due or overdue for one item, all in local wall-clock time.

    ``last_cleaned`` is the latest cleaning, ``now`` the moment asked about, ``since`` when the
    item joined the inventory (a new item is not overdue for periods before it existed).
    Each period (a clinic day, a week, a month) needs one cleaning. The current period not yet
    cleaned is *due*; a previous required period with no cleaning since is *overdue*.
    """
    interval = CleaningInterval(interval)
    if interval == CleaningInterval.AFTER_USE:
        return Due(DueState.AFTER_USE, None)
    today = now.date()
    last_day = last_cleaned.date() if last_cleaned else None
    joined = since.date() if since else None

    if interval == CleaningInterval.DAILY:
        previous = _previous_clinic_day(today, clinic_days)
        missed = (
            previous is not None
            and (last_day is None or last_day < previous)
            and not (joined is not None and joined >= previous)
        )
        if is_clinic_day(today, clinic_days):
            if last_day is not None and last_day >= today:
                return Due(DueState.CLEAN, _next_clinic_day(today, clinic_days))
            return Due(DueState.OVERDUE if missed else DueState.DUE, today)
        upcoming = _next_clinic_day(today, clinic_days)
        if missed:
            return Due(DueState.OVERDUE, upcoming)
        if last_day is None:
            return Due(DueState.DUE, upcoming)
        return Due(DueState.CLEAN, upcoming)

    current = period_start(interval, today)
    following = next_period_start(interval, current)
    deadline = last_clinic_day_in(current, following, clinic_days)
    if last_day is not None and last_day >= current:
        nxt = next_period_start(interval, following)
        return Due(DueState.CLEAN, last_clinic_day_in(following, nxt, clinic_days))
    previous = period_start(interval, current - timedelta(days=1))
    previous_required = last_clinic_day_in(previous, current, clinic_days) is not None
    covered = last_day is not None and last_day >= previous
    new = joined is not None and joined >= previous
    if covered or new or not previous_required:
        if deadline is None:  # nothing required this period (no clinic days in it)
            return Due(DueState.CLEAN, None)
        if deadline < today and not (joined is not None and joined > deadline):
            return Due(DueState.OVERDUE, deadline)  # its last clinic day passed unclean
        return Due(DueState.DUE, deadline)
    return Due(DueState.OVERDUE, deadline or today)
