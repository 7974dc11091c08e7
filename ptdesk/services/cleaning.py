"""Cleaning: what is due, logging cleanings in one action, corrections, history and compliance.

Cleaning times are stored as UTC record times. Whether an item is due is a question about the
clinic's calendar, so every rule below works on local wall-clock time: a cleaning at 23:30
counts for that day wherever UTC midnight falls.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from ptdesk.errors import NotFound, ValidationError
from ptdesk.models import (
    CleaningInterval,
    CleaningLog,
    CleaningMethod,
    Equipment,
    EquipmentCategory,
)
from ptdesk.models.common import utcnow
from ptdesk.services import audit, validation
from ptdesk.services import equipment as equipment_service
from ptdesk.services.audit import Actor
from ptdesk.services.clinic import calendar
from ptdesk.services.clock import LocalTimes, naive_utc, record_time
from ptdesk.services.permissions import require

CHECK_WARNING_DAYS = 30
FUTURE_GRACE = timedelta(minutes=5)


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


# -- time helpers ----------------------------------------------------------------------------


def to_local(moment: datetime) -> datetime:
    """A UTC record time as the clinic's naive wall-clock time (the computer's time zone)."""
    if moment.tzinfo is None:
        raise ValueError("record times must be timezone-aware")
    return moment.astimezone().replace(tzinfo=None)


def local_to_utc(wall_clock: datetime) -> datetime:
    """A naive clinic wall-clock time as a UTC record time."""
    return wall_clock.astimezone().astimezone(UTC)


def day_start_utc(day: date) -> datetime:
    return local_to_utc(datetime.combine(day, time.min))


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


def is_clinic_day(day: date, clinic_days: set[int]) -> bool:
    """Open that weekday and not a closed date (``clinic_days`` may be a ClinicCalendar)."""
    return day.isoweekday() in clinic_days and day not in getattr(clinic_days, "closed", ())


def last_clinic_day_in(start: date, end: date, clinic_days: set[int]) -> date | None:
    """The last clinic day on or after ``start`` and before ``end``."""
    day = end - timedelta(days=1)
    while day >= start:
        if is_clinic_day(day, clinic_days):
            return day
        day -= timedelta(days=1)
    return None


def periods(
    interval: CleaningInterval, first: date, last: date, clinic_days: set[int]
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


def _previous_clinic_day(day: date, clinic_days: set[int]) -> date | None:
    for back in range(1, SEARCH_DAYS):
        candidate = day - timedelta(days=back)
        if is_clinic_day(candidate, clinic_days):
            return candidate
    return None


def _next_clinic_day(day: date, clinic_days: set[int]) -> date | None:
    for ahead in range(1, SEARCH_DAYS):
        candidate = day + timedelta(days=ahead)
        if is_clinic_day(candidate, clinic_days):
            return candidate
    return None


def due_state(
    interval: CleaningInterval | str,
    clinic_days: set[int],
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
        missed = previous is not None and (last_day is None or last_day < previous)
        if missed and joined is not None and joined >= previous:
            missed = False
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


# -- the log ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CleaningEntry:
    """One line of the cleaning log, with names resolved, as plain values."""

    id: int
    equipment_id: int
    item_name: str
    room_name: str
    cleaned_at: datetime  # UTC
    recorded_at: datetime  # UTC
    staff_id: int | None
    staff_name: str
    method: str
    product: str
    contact_minutes: int
    label_contact_minutes: int
    short_contact: bool
    notes: str
    corrects_id: int | None = None
    voids: bool = False
    correction_reason: str = ""
    superseded_by: int | None = None

    @property
    def cleaned_local(self) -> datetime:
        return to_local(self.cleaned_at)

    @property
    def method_label(self) -> str:
        try:
            return CleaningMethod(self.method).label
        except ValueError:
            return self.method

    @property
    def counts(self) -> bool:
        """Whether this entry is a cleaning that stands (not corrected away, not a void)."""
        return self.superseded_by is None and not self.voids

    @property
    def status(self) -> str:
        parts = []
        if self.voids:
            parts.append(f"Voids #{self.corrects_id}: not done")
        elif self.corrects_id is not None:
            parts.append(f"Corrects #{self.corrects_id}")
        if self.superseded_by is not None:
            parts.append(f"Corrected by #{self.superseded_by}")
        if self.short_contact and not self.voids:
            parts.append(
                f"Contact time short ({self.contact_minutes} of {self.label_contact_minutes} min)"
            )
        return "; ".join(parts)


def _superseded(session: Session) -> dict[int, int]:
    """Old entry id -> id of the correction that replaced it."""
    rows = session.exec(
        select(CleaningLog.corrects_id, CleaningLog.id).where(
            col(CleaningLog.corrects_id).is_not(None)
        )
    )
    return {old: new for old, new in rows if old is not None and new is not None}


def _entry(
    row: CleaningLog, item: Equipment, rooms: dict[int, str], superseded: dict[int, int]
) -> CleaningEntry:
    return CleaningEntry(
        id=row.id or 0,
        equipment_id=row.equipment_id,
        item_name=item.name,
        room_name=rooms.get(item.room_id, "") if item.room_id else "",
        cleaned_at=row.cleaned_at,
        recorded_at=row.recorded_at,
        staff_id=row.staff_id,
        staff_name=row.staff_name,
        method=row.method,
        product=row.product,
        contact_minutes=row.contact_minutes,
        label_contact_minutes=row.label_contact_minutes,
        short_contact=row.short_contact,
        notes=row.notes,
        corrects_id=row.corrects_id,
        voids=row.voids,
        correction_reason=row.correction_reason,
        superseded_by=superseded.get(row.id or 0),
    )


def _label_time(session: Session, item: Equipment, product: str) -> int:
    """The label contact time of ``product``: the item's own, or another item's that uses it."""
    if product == item.product:
        return item.contact_minutes
    other = session.exec(
        select(Equipment)
        .where(Equipment.product == product, col(Equipment.contact_minutes) > 0)
        .limit(1)
    ).first()
    return other.contact_minutes if other else 0


EARLIEST_YEAR = 2000  # a cleaning dated before this is a typing mistake


def _check_when(when: datetime | None) -> datetime:
    now = utcnow()
    if when is None:
        return now
    if when.tzinfo is None:
        raise ValidationError("cleaned_at", "The cleaning time needs a time zone.")
    try:
        when = when.astimezone(UTC)
    except OverflowError:  # a year like 1 or 9999: out of the calendar once in UTC
        when = None
    if when is not None and when > now + FUTURE_GRACE:
        raise ValidationError("cleaned_at", "A cleaning cannot be logged in the future.")
    if when is None or when.year < EARLIEST_YEAR:
        raise ValidationError("cleaned_at", "Check the date of the cleaning; it is long past.")
    return when


def _method(method: str | None) -> str:
    value = method or CleaningMethod.CLEAN_THEN_DISINFECT.value
    if value not in {m.value for m in CleaningMethod}:
        raise ValidationError("method", "Choose how the item was cleaned.")
    return value


def _contact(value: int | None, default: int) -> int:
    minutes = default if value is None else value
    if not 0 <= minutes <= equipment_service.MAX_CONTACT_MINUTES:
        raise ValidationError(
            "contact_minutes",
            f"The contact time must be between 0 and {equipment_service.MAX_CONTACT_MINUTES} minutes.",
        )
    return minutes


def log_cleaning(
    session: Session,
    actor: Actor,
    equipment_ids: list[int],
    *,
    method: str | None = None,
    product: str | None = None,
    contact_minutes: int | None = None,
    notes: str = "",
    when: datetime | None = None,
) -> list[CleaningEntry]:
    """Log one cleaning of each item: now, by ``actor``, with the item's product unless told."""
    require(actor, "log_cleaning")
    ids = list(dict.fromkeys(equipment_ids))
    if not ids:
        raise ValidationError("equipment", "Select at least one item to log as cleaned.")
    cleaned_at = _check_when(when)
    method = _method(method)
    notes = validation.text(notes, "notes", "Notes", max_len=1000)
    if product is not None:
        product = validation.text(product, "product", "The product", max_len=120)
    rooms = equipment_service.room_names(session)
    superseded: dict[int, int] = {}
    out: list[CleaningEntry] = []
    for equipment_id in ids:
        item = equipment_service.get_equipment(session, equipment_id)
        if not item.active:
            raise ValidationError("equipment", f"{item.name} is no longer in the inventory.")
        used = item.product if product is None else product
        label = _label_time(session, item, used) if used else 0
        minutes = _contact(contact_minutes, item.contact_minutes if used == item.product else label)
        row = CleaningLog(
            equipment_id=equipment_id,
            cleaned_at=cleaned_at,
            recorded_at=utcnow(),
            staff_id=actor.id,
            staff_name=actor.name,
            method=method,
            product=used,
            contact_minutes=minutes,
            label_contact_minutes=label,
            short_contact=label > 0 and minutes < label,
            notes=notes,
        )
        session.add(row)
        session.flush()
        summary = f"{item.name} cleaned"
        if row.short_contact:
            summary += f" (contact time {minutes} min, label says {label} min)"
        audit.record_new(
            session,
            actor,
            "clean",
            "cleaning_log",
            row,
            summary,
        )
        out.append(_entry(row, item, rooms, superseded))
    return out


def get_entry(session: Session, entry_id: int) -> CleaningEntry:
    row = session.get(CleaningLog, entry_id)
    if row is None:
        raise NotFound("That cleaning log entry does not exist.")
    item = equipment_service.get_equipment(session, row.equipment_id)
    return _entry(row, item, equipment_service.room_names(session), _superseded(session))


def correct_cleaning(
    session: Session,
    actor: Actor,
    entry_id: int,
    *,
    reason: str,
    void: bool = False,
    method: str | None = None,
    product: str | None = None,
    contact_minutes: int | None = None,
    notes: str | None = None,
    cleaned_at: datetime | None = None,
) -> CleaningEntry:
    """Add a correction that replaces entry ``entry_id``; the original stays in the log."""
    require(actor, "correct_cleaning")
    old = session.get(CleaningLog, entry_id)
    if old is None:
        raise NotFound("That cleaning log entry does not exist.")
    reason = validation.text(reason, "reason", "The reason for the correction", required=True)
    if old.voids:
        raise ValidationError("entry", "This entry already says the cleaning was not done.")
    newer = _superseded(session).get(entry_id)
    if newer is not None:
        raise ValidationError(
            "entry", f"Entry #{entry_id} was already corrected by #{newer}; correct that one."
        )
    item = equipment_service.get_equipment(session, old.equipment_id)
    used = old.product if product is None else validation.text(product, "product", "The product")
    label = old.label_contact_minutes if used == old.product else _label_time(session, item, used)
    minutes = _contact(contact_minutes, old.contact_minutes)
    row = CleaningLog(
        equipment_id=old.equipment_id,
        cleaned_at=old.cleaned_at if cleaned_at is None else _check_when(cleaned_at),
        recorded_at=utcnow(),
        staff_id=old.staff_id,
        staff_name=old.staff_name,
        method=old.method if method is None else _method(method),
        product=used,
        contact_minutes=minutes,
        label_contact_minutes=label,
        short_contact=(not void) and label > 0 and minutes < label,
        notes=old.notes if notes is None else validation.text(notes, "notes", "Notes"),
        corrects_id=old.id,
        voids=void,
        correction_reason=reason,
    )
    session.add(row)
    session.flush()
    what = "voided (not done)" if void else "corrected"
    audit.record(
        session,
        actor,
        "correct",
        "cleaning_log",
        row.id,
        audit.diff(audit.snapshot(old), audit.snapshot(row)),
        f"Cleaning #{old.id} of {item.name} {what} by #{row.id}: {reason}",
    )
    return _entry(row, item, equipment_service.room_names(session), _superseded(session))


def history(
    session: Session,
    *,
    start: date | None = None,
    end: date | None = None,
    equipment_id: int | None = None,
    room_id: int | None = None,
    staff_id: int | None = None,
) -> list[CleaningEntry]:
    """Log entries cleaned on ``start``..``end`` (clinic days, both included), newest first."""
    if start and end and end < start:
        raise ValidationError("to", "The end date is before the start date.")
    stmt = select(CleaningLog, Equipment).join(
        Equipment, col(CleaningLog.equipment_id) == col(Equipment.id)
    )
    if start is not None:
        stmt = stmt.where(col(CleaningLog.cleaned_at) >= day_start_utc(start))
    if end is not None:
        stmt = stmt.where(col(CleaningLog.cleaned_at) < day_start_utc(end + timedelta(days=1)))
    if equipment_id is not None:
        stmt = stmt.where(CleaningLog.equipment_id == equipment_id)
    if room_id is not None:
        stmt = stmt.where(Equipment.room_id == room_id)
    if staff_id is not None:
        stmt = stmt.where(CleaningLog.staff_id == staff_id)
    stmt = stmt.order_by(col(CleaningLog.cleaned_at).desc(), col(CleaningLog.id).desc())
    rooms = equipment_service.room_names(session)
    superseded = _superseded(session)
    return [_entry(row, item, rooms, superseded) for row, item in session.exec(stmt)]


def last_cleaning(
    session: Session, equipment_id: int, superseded: dict[int, int] | None = None
) -> CleaningLog | None:
    """The latest cleaning of the item that stands (corrections applied, voids skipped)."""
    superseded = _superseded(session) if superseded is None else superseded
    stmt = (
        select(CleaningLog)
        .where(CleaningLog.equipment_id == equipment_id, col(CleaningLog.voids).is_(False))
        .order_by(col(CleaningLog.cleaned_at).desc(), col(CleaningLog.id).desc())
    )
    if superseded:
        stmt = stmt.where(col(CleaningLog.id).not_in(list(superseded)))
    return session.exec(stmt.limit(1)).first()


def last_cleanings(
    session: Session, equipment_ids: list[int], superseded: dict[int, int]
) -> dict[int, CleaningLog]:
    """``last_cleaning`` for many items in two queries (the board lists every item)."""
    if not equipment_ids:
        return {}
    latest = (
        select(CleaningLog.id)
        .where(
            col(CleaningLog.equipment_id) == col(Equipment.id),
            col(CleaningLog.voids).is_(False),
        )
        .order_by(col(CleaningLog.cleaned_at).desc(), col(CleaningLog.id).desc())
        .limit(1)
    )
    if superseded:
        latest = latest.where(col(CleaningLog.id).not_in(list(superseded)))
    ids = session.exec(
        select(latest.scalar_subquery()).where(col(Equipment.id).in_(equipment_ids))
    ).all()
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    logs = session.exec(select(CleaningLog).where(col(CleaningLog.id).in_(wanted)))
    return {log.equipment_id: log for log in logs}


# -- the due board ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    """One item on the due board, as plain values."""

    equipment_id: int
    name: str
    category: str
    room_id: int | None
    room_name: str
    interval: str
    state: DueState
    due_by: date | None
    due_text: str
    last_cleaned_at: datetime | None  # UTC
    last_cleaned_by: str
    product: str
    contact_minutes: int
    asset_tag: str
    flags: list[str] = field(default_factory=list)
    checks_overdue: bool = False
    out_of_service_reason: str = ""
    out_of_service_since: date | None = None

    @property
    def in_service(self) -> bool:
        return self.state != DueState.OUT_OF_SERVICE

    @property
    def interval_label(self) -> str:
        return CleaningInterval(self.interval).label

    @property
    def state_text(self) -> str:
        return f"{self.state.symbol} {self.state.label}"

    @property
    def last_cleaned_text(self) -> str:
        if self.last_cleaned_at is None:
            return "Never"
        local = to_local(self.last_cleaned_at)
        who = f" by {self.last_cleaned_by}" if self.last_cleaned_by else ""
        return f"{local:%Y-%m-%d %H:%M}{who}"


def check_flags(item: Equipment, today: date) -> tuple[list[str], bool]:
    """Safety-check and calibration notes for a device, and whether any is overdue."""
    flags: list[str] = []
    overdue = False
    for what, due in (
        ("Safety check", item.safety_check_due),
        ("Calibration", item.calibration_due),
    ):
        if due is None:
            continue
        if due < today:
            flags.append(f"⚠ {what} overdue since {due.isoformat()}")
            overdue = True
        elif (due - today).days <= CHECK_WARNING_DAYS:
            flags.append(f"{what} due {due.isoformat()}")
    return flags, overdue


def board(
    session: Session, *, now: datetime | None = None, checks_overdue_only: bool = False
) -> list[BoardRow]:
    """Every item in the inventory with its cleaning state at ``now`` (local wall-clock); with
    ``checks_overdue_only``, only the items whose safety check or calibration is overdue."""
    now = now or datetime.now()
    today = now.date()
    items = equipment_service.list_equipment(session)
    checks = {item.id: check_flags(item, today) for item in items}
    if checks_overdue_only:
        items = [item for item in items if checks[item.id][1]]
        if not items:
            return []
    clinic_days = calendar(session)
    rooms = equipment_service.room_names(session)
    superseded = _superseded(session)
    unit = equipment_service.temperature_unit(session)
    out: list[BoardRow] = []
    latest = last_cleanings(session, [i.id for i in items if i.id is not None], superseded)
    for item in items:
        last = latest.get(item.id or 0)
        flags, checks_overdue = checks[item.id]
        if item.category == EquipmentCategory.HYDROCOLLATOR.value:
            water = equipment_service.water_status(session, item, unit, now_utc=local_to_utc(now))
            flags.extend(f"⚠ {w}" for w in water.warnings)
        if not item.in_service:
            due = Due(DueState.OUT_OF_SERVICE, None)
            due_text = ""
        else:
            due = due_state(
                item.cleaning_interval,
                clinic_days,
                to_local(last.cleaned_at) if last else None,
                now,
                since=to_local(item.created_at),
            )
            due_text = due.describe(today)
        out.append(
            BoardRow(
                equipment_id=item.id or 0,
                name=item.name,
                category=item.category,
                room_id=item.room_id,
                room_name=rooms.get(item.room_id, "") if item.room_id else "",
                interval=item.cleaning_interval,
                state=due.state,
                due_by=due.due_by,
                due_text=due_text,
                last_cleaned_at=last.cleaned_at if last else None,
                last_cleaned_by=last.staff_name if last else "",
                product=item.product,
                contact_minutes=item.contact_minutes,
                asset_tag=item.asset_tag,
                flags=flags,
                checks_overdue=checks_overdue,
                out_of_service_reason=item.out_of_service_reason,
                out_of_service_since=item.out_of_service_since,
            )
        )
    return out


# -- compliance ------------------------------------------------------------------------------


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
    now = now or datetime.now()
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
    required = {
        interval: periods(interval, start, end, clinic_days)
        for interval in CleaningInterval
        if interval != CleaningInterval.AFTER_USE
    }
    # Every item's cleanings in one query (not one per item), each item's range taken below.
    # Only items with required periods: cleanings after each use (most of the log) ask for
    # no period and are not read.
    periodic = {
        i.id: w
        for i in equipment
        if i.cleaning_interval != CleaningInterval.AFTER_USE.value
        and (w := required[CleaningInterval(i.cleaning_interval)])
    }
    spans = list(periodic.values())
    logged: dict[int, list[tuple[int, datetime]]] = {}
    if spans:
        stmt = select(
            CleaningLog.equipment_id, CleaningLog.id, record_time(CleaningLog.cleaned_at)
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
            for i, at in logged.get(item.id or 0, ())
            if lo <= at < hi and i not in superseded
        )
        joined = to_local(item.created_at).date()
        away = list(outages.get(item.id or 0, []))
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
                    item.id or 0,
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
