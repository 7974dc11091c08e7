"""The clinic clock: the only place that reads the time and converts record times.

``now()`` and ``today()`` are the clinic's wall-clock time; ``utc_now()`` is a record time.
Tests pin the clock with ``pin`` (see tests/conftest.py) instead of reading the wall clock.

Record times (UTC) read in bulk and shown as the clinic's wall-clock time:

Record times are stored in UTC; the clinic's calendar is the computer's time zone. Reports read
thousands of them at once, and two per-value costs dominate there: the model type making every
value timezone-aware, and a time-zone lookup per value. ``record_time`` reads a column as the
database holds it (SQLite: naive UTC), and ``LocalTimes`` converts with one lookup per day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import DateTime, type_coerce

# A pinned moment (naive clinic wall-clock time) or None for the real time.
_pinned: datetime | None = None


def pin(moment: datetime | None) -> None:
    """Make ``now()`` return ``moment`` (naive clinic wall-clock time); None lets time run."""
    global _pinned
    _pinned = moment


def now() -> datetime:
    """The clinic's wall-clock time now, naive (appointment times are naive wall-clock)."""
    if _pinned is not None:
        return _pinned
    return datetime.now()


def today() -> date:
    """The clinic's calendar day now."""
    return now().date()


def utc_now() -> datetime:
    """Now as a record time: timezone-aware UTC."""
    if _pinned is not None:
        return _pinned.astimezone(UTC)
    return datetime.now(UTC)


def record_time(column: Any) -> Any:
    """``column`` (a UTC record time) selected without the model's conversion to an aware
    value: naive UTC from SQLite, aware from a database that keeps the zone."""
    return type_coerce(column, DateTime()).label(column.key)


def naive_utc(value: datetime) -> datetime:
    """A record time as naive UTC, whether it came naive (UTC) or aware."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def exact_local(value: datetime) -> datetime:
    """One record time (aware, or naive UTC) as naive clinic wall-clock time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone().replace(tzinfo=None)


class LocalTimes:
    """Many record times as naive clinic wall-clock time: the same answers as ``exact_local``.

    The offset from UTC is looked up once per UTC day, at both its ends, and shared by every
    value of that day; on a day whose two ends differ (a daylight-saving switch) each value is
    converted on its own. Made per report, so a change of the computer's zone between reports
    is seen.
    """

    def __init__(self) -> None:
        self._at_midnight: dict[date, timedelta] = {}
        self._per_day: dict[date, timedelta | None] = {}

    def _offset_at_midnight(self, day: date) -> timedelta:
        try:
            return self._at_midnight[day]
        except KeyError:
            moment = datetime.combine(day, time.min, UTC).astimezone()
            offset = self._at_midnight[day] = moment.utcoffset() or timedelta(0)
            return offset

    def __call__(self, value: datetime) -> datetime:
        if value.tzinfo is not None:
            value = naive_utc(value)
        day = value.date()
        try:
            offset = self._per_day[day]
        except KeyError:
            first = self._offset_at_midnight(day)
            last = self._offset_at_midnight(day + timedelta(days=1))
            offset = self._per_day[day] = first if first == last else None
        return exact_local(value) if offset is None else value + offset
