"""The clinic clock: the only place that reads the time and converts record times.

``now()`` and ``today()`` are the clinic's wall-clock time; ``utc_now()`` is a record time.
Tests pin the clock with ``pin`` (see tests/conftest.py) instead of reading the wall clock.

The clinic's time zone is a clinic setting (an IANA name such as "Europe/Berlin", kept on the
clinic profile); ``set_zone`` is told it when the clinic file is opened and when the profile is
saved. An empty name means "this computer's zone", which is also what a clinic file from before
the setting holds.

Record times (UTC) read in bulk and shown as the clinic's wall-clock time: reports read
thousands of them at once, and two per-value costs dominate there: the model type making every
value timezone-aware, and a time-zone lookup per value. ``record_time`` reads a column as the
database holds it (SQLite: naive UTC), and ``LocalTimes`` converts with one lookup per day.
"""

from __future__ import annotations

import contextlib
import logging
import os
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import DateTime, Label, type_coerce
from sqlalchemy.orm import Mapped, QueryableAttribute

log = logging.getLogger(__name__)

# A pinned moment (naive clinic wall-clock time) or None for the real time.
_pinned: datetime | None = None
# The clinic's zone, or None for this computer's own zone (``astimezone()`` without a zone).
_zone: ZoneInfo | None = None


# -- the clinic's time zone ------------------------------------------------------------------


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA time-zone name this computer knows, sorted (for a choice list)."""
    return tuple(sorted(available_timezones()))


def is_known_zone(name: str) -> bool:
    """Whether ``name`` is an IANA zone this computer can convert with ("" always is)."""
    if not name:
        return True
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as "America"
        return False
    return True


def set_zone(name: str) -> None:
    """Use the clinic's zone ``name`` from now on; "" means this computer's own zone.

    Raises ValueError for a name that is not a known zone (the clock is left as it was).
    """
    global _zone
    name = (name or "").strip()
    if not name:
        _zone = None
        return
    try:
        _zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(f"{name!r} is not a known time zone") from exc


def use_stored_zone(name: str | None) -> None:
    """``set_zone`` for a name read from the clinic file: one this computer does not know is
    logged and replaced by the computer's own zone (the file still opens)."""
    try:
        set_zone(name or "")
    except ValueError:
        log.warning("clinic time zone %r is not known here; using this computer's zone", name)
        set_zone("")


def zone_name() -> str:
    """The clinic's zone in use: an IANA name, or "" for this computer's own zone."""
    return "" if _zone is None else _zone.key


def _name_from_localtime(path: Path) -> str:
    """The zone name /etc/localtime points at (…/zoneinfo/Europe/Berlin), or ""."""
    try:
        target = str(path.resolve())
    except OSError:
        return ""
    marker = "/zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else ""


def _matches_this_computer(name: str) -> bool:
    """A known zone whose offset now is the computer's own (a stale setting file is not)."""
    if not name or not is_known_zone(name):
        return False
    here = datetime.now().astimezone()
    return here.utcoffset() == here.astimezone(ZoneInfo(name)).utcoffset()


def computer_zone_name() -> str:
    """This computer's zone as an IANA name, for a new clinic's setting; "" when the computer
    tells only an offset or a name no zone database knows (then "" keeps following it)."""
    told = os.environ.get("TZ", "").strip().lstrip(":")
    if told:  # the zone this program runs in, whatever the system files say
        return told if _matches_this_computer(told) else ""
    candidates = []
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    candidates.append(_name_from_localtime(Path("/etc/localtime")))
    candidates.append(getattr(datetime.now().astimezone().tzinfo, "key", "") or "")
    for name in candidates:
        if _matches_this_computer(name):
            return name
    return ""


# -- now -------------------------------------------------------------------------------------


def pin(moment: datetime | None) -> None:
    """Make ``now()`` return ``moment`` (naive clinic wall-clock time); None lets time run."""
    global _pinned
    if moment is not None and moment.tzinfo is not None:
        raise ValueError("pin the clock to a clinic wall-clock time, without a zone")
    _pinned = moment


def now() -> datetime:
    """The clinic's wall-clock time now, naive (appointment times are naive wall-clock)."""
    if _pinned is not None:
        return _pinned
    if _zone is None:
        return datetime.now()
    return datetime.now(_zone).replace(tzinfo=None)


def today() -> date:
    """The clinic's calendar day now."""
    return now().date()


def utc_now() -> datetime:
    """Now as a record time: timezone-aware UTC."""
    if _pinned is not None:
        return local_to_utc(_pinned)
    return datetime.now(UTC)


# -- record times (UTC) and the clinic's wall clock ------------------------------------------


@overload
def record_time(column: Mapped[datetime]) -> Label[datetime]: ...
@overload
def record_time(column: Mapped[datetime | None]) -> Label[datetime | None]: ...
def record_time(
    column: Mapped[datetime] | Mapped[datetime | None],
) -> Label[datetime] | Label[datetime | None]:
    """``column`` (a UTC record time, ``col(Table.field)``) selected without the model's
    conversion to an aware value: naive UTC from SQLite, aware from a database that keeps the
    zone. Labelled with the field's name, so only a table's field will do."""
    if not isinstance(column, QueryableAttribute):
        raise TypeError(f"{column!r} is not a field of a table")
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
    return value.astimezone(_zone).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A timezone-aware record time as naive clinic wall-clock time (a naive one is refused:
    it could be either)."""
    if moment.tzinfo is None:
        raise ValueError("record times must be timezone-aware")
    return moment.astimezone(_zone).replace(tzinfo=None)


def local_to_utc(wall_clock: datetime) -> datetime:
    """A naive clinic wall-clock time as a UTC record time (an aware time is only converted).

    A wall-clock time the clocks skip or repeat when daylight saving starts or ends has no
    single answer; it is read as Python reads it (``fold=0``).
    """
    if wall_clock.tzinfo is not None:
        return wall_clock.astimezone(UTC)
    if _zone is None:
        return wall_clock.astimezone().astimezone(UTC)
    return wall_clock.replace(tzinfo=_zone).astimezone(UTC)


def day_start_utc(day: date) -> datetime:
    """The clinic's midnight at the start of ``day``, as a UTC record time."""
    return local_to_utc(datetime.combine(day, time.min))


class LocalTimes:
    """Many record times as naive clinic wall-clock time: the same answers as ``exact_local``.

    The offset from UTC is looked up once per UTC day, at both its ends, and shared by every
    value of that day; on a day whose two ends differ (a daylight-saving switch) each value is
    converted on its own. Made per report, with the clinic's zone at that moment, so a change of
    zone between reports is seen.
    """

    def __init__(self) -> None:
        self._zone = _zone
        self._at_midnight: dict[date, timedelta] = {}
        self._per_day: dict[date, timedelta | None] = {}

    def _offset_at_midnight(self, day: date) -> timedelta:
        try:
            return self._at_midnight[day]
        except KeyError:
            moment = datetime.combine(day, time.min, UTC).astimezone(self._zone)
            offset = self._at_midnight[day] = moment.utcoffset() or timedelta(0)
            return offset

    def _exact(self, value: datetime) -> datetime:
        return value.replace(tzinfo=UTC).astimezone(self._zone).replace(tzinfo=None)

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
        return self._exact(value) if offset is None else value + offset
