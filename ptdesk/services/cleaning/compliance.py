"""Cleaning compliance over a range of days, and the printable cleaning log's contents."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from ptdesk.errors import ValidationError
from ptdesk.models import CleaningInterval, CleaningLog
from ptdesk.models.common import saved_id
from ptdesk.services import clock
from ptdesk.services import equipment as equipment_service
from ptdesk.services.cleaning.due import period_label, periods
from ptdesk.services.cleaning.log_entries import CleaningEntry, _superseded, history
from ptdesk.services.clinic import calendar
from ptdesk.services.clock import LocalTimes, day_start_utc, naive_utc, record_time, to_local


@dataclass(frozen=True)
class ItemCompliance:
    equipment_id: int
    name: str
    room_name: str
    interval: str
    due_periods: int
    done_periods: int
    cleanings: int
    missed: list[str]

    @property
    def share(self) -> float | None:
        return None if self.due_periods == 0 else self.done_periods / self.due_periods


@dataclass(frozen=True)
class CheckFlag:
    name: str
    room_name: str
    what: str
    due: date


@dataclass(frozen=True)
class Compliance:
    start: date
    end: date
    items: list[ItemCompliance]
    overdue_checks: list[CheckFlag]
    as_of: date

    @property
    def due_periods(self) -> int:
        return sum(i.due_periods for i in self.items)

    @property
    def done_periods(self) -> int:
        return sum(i.done_periods for i in self.items)

    @property
    def share(self) -> float | None:
        return None if self.due_periods == 0 else self.done_periods / self.due_periods

    @property
    def missed(self) -> list[tuple[str, str]]:
        """(item, period) for every missed period."""
        return [(i.name, p) for i in self.items for p in i.missed]


def _was_away(away: list[tuple[date, date | None]], day: date) -> bool:
    """Out of service (or retired) on ``day``: in a stretch from its start up to its end."""
    return any(first <= day and (back is None or day < back) for first, back in away)


def compliance(
    session: Session, start: date, end: date, *, now: datetime | None = None
) -> Compliance:
    """For daily, weekly and monthly items: the share of due periods with a cleaning.

    A period counts when its deadline (its last clinic day) falls in ``start``..``end``, the
    item was in the inventory by then, and the period is over (or already cleaned). A period
    whose deadline fell while the item was out of service (from its outage history) or after
    it was retired is not counted; items retired after ``start`` still count before that.
    Days the clinic is closed ask for nothing.
    """
    if end < start:
        raise ValidationError("to", "The end date is before the start date.")
    now = clock.now() if now is None else now
    today = now.date()
    clinic_days = calendar(session)
    rooms = equipment_service.room_names(session)
    superseded = _superseded(session)
    outages = equipment_service.outages(session)
    items: list[ItemCompliance] = []
    flags: list[CheckFlag] = []
    equipment = [
        item
        for item in equipment_service.list_equipment(session, include_retired=True)
        if item.active or (item.retired_on is not None and item.retired_on > start)
    ]
    # The required periods depend only on the interval: worked out once per interval.
    required: dict[CleaningInterval, list[tuple[date, date, date]]] = {
        interval: periods(interval, start, end, clinic_days)
        for interval in CleaningInterval
        if interval != CleaningInterval.AFTER_USE
    }
    # Every item's cleanings in one query (not one per item), each item's range taken below.
    # Only items with required periods: cleanings after each use (most of the log) ask for
    # no period and are not read.
    periodic = {
        saved_id(i): w
        for i in equipment
        if i.cleaning_interval != CleaningInterval.AFTER_USE.value
        and (w := required[CleaningInterval(i.cleaning_interval)])
    }
    spans = list(periodic.values())
    logged: dict[int, list[tuple[int | None, datetime]]] = {}  # log ids as the select types them
    if spans:
        stmt = select(
            col(CleaningLog.equipment_id),
            col(CleaningLog.id),
            record_time(col(CleaningLog.cleaned_at)),
        ).where(
            col(CleaningLog.equipment_id).in_(sorted(periodic)),
            col(CleaningLog.voids).is_(False),
            col(CleaningLog.cleaned_at) >= day_start_utc(min(w[0][0] for w in spans)),
            col(CleaningLog.cleaned_at) < day_start_utc(max(w[-1][1] for w in spans)),
        )
        # Plain rows through Core, times as naive UTC: three columns of a month's cleanings
        # need neither ORM loading nor an aware value each.
        for equipment_id, log_id, at in session.connection().execute(stmt).all():
            if at.tzinfo is not None:
                at = naive_utc(at)
            logged.setdefault(equipment_id, []).append((log_id, at))
    local = LocalTimes()
    # Where each interval's required periods start and end, as naive UTC (like the log times).
    bounds = {
        interval: (naive_utc(day_start_utc(w[0][0])), naive_utc(day_start_utc(w[-1][1])))
        for interval, w in required.items()
        if w
    }
    for item in equipment:
        room = rooms.get(item.room_id, "") if item.room_id else ""
        for what, due in (
            ("Electrical-safety check", item.safety_check_due),
            ("Calibration", item.calibration_due),
        ):
            if item.active and due is not None and due < today:
                flags.append(CheckFlag(item.name, room, what, due))
        interval = CleaningInterval(item.cleaning_interval)
        if interval == CleaningInterval.AFTER_USE:
            continue
        wanted = required[interval]
        if not wanted:
            continue
        lo, hi = bounds[interval]
        days = sorted(
            local(at).date()
            for i, at in logged.get(saved_id(item), ())
            if lo <= at < hi and i not in superseded
        )
        joined = to_local(item.created_at).date()
        away = list(outages.get(saved_id(item), []))
        if (
            not item.in_service
            and item.out_of_service_since
            and not any(back is None for _, back in away)
        ):  # out of service before the history was kept
            away.append((item.out_of_service_since, None))
        if item.retired_on is not None:
            away.append((item.retired_on, None))
        due_n = done_n = 0
        missed: list[str] = []
        in_range = [d for d in days if start <= d <= end]
        for p_start, p_end, deadline in wanted:
            if deadline < joined or (away and _was_away(away, deadline)):
                continue
            first_on_or_after = bisect_left(days, p_start)  # days are sorted
            done = first_on_or_after < len(days) and days[first_on_or_after] < p_end
            if deadline >= today and not done:
                continue  # still open
            due_n += 1
            if done:
                done_n += 1
            else:
                missed.append(period_label(interval, p_start))
        if due_n:
            items.append(
                ItemCompliance(
                    saved_id(item),
                    item.name,
                    room,
                    item.cleaning_interval,
                    due_n,
                    done_n,
                    len(in_range),
                    missed,
                )
            )
    items.sort(key=lambda i: (i.room_name, i.name))
    flags.sort(key=lambda f: (f.due, f.name))
    return Compliance(start, end, items, flags, today)


# -- the printable log -----------------------------------------------------------------------


@dataclass(frozen=True)
class CleaningLogReport:
    """Everything the printable cleaning log shows, as plain values."""

    start: date
    end: date
    entries: list[CleaningEntry]
    compliance: Compliance


def log_report(
    session: Session,
    start: date,
    end: date,
    *,
    room_id: int | None = None,
    staff_id: int | None = None,
    now: datetime | None = None,
) -> CleaningLogReport:
    entries = history(session, start=start, end=end, room_id=room_id, staff_id=staff_id)
    entries.sort(key=lambda e: (e.cleaned_at, e.id))
    return CleaningLogReport(start, end, entries, compliance(session, start, end, now=now))
