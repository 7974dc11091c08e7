"""The cleaning log: logging cleanings in one action, corrections, and reading the entries.

Cleaning times are stored as UTC record times; a day asked about is a clinic calendar day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from ptdesk.errors import NotFound, ValidationError
from ptdesk.models import CleaningLog, CleaningMethod, Equipment
from ptdesk.models.common import saved_id
from ptdesk.services import audit, clock, validation
from ptdesk.services import equipment as equipment_service
from ptdesk.services.audit import Actor
from ptdesk.services.clock import day_start_utc, to_local
from ptdesk.services.permissions import require

FUTURE_GRACE = timedelta(minutes=5)


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
        id=saved_id(row),
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
        superseded_by=superseded.get(saved_id(row)),
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
    now = clock.utc_now()
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
            recorded_at=clock.utc_now(),
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
        recorded_at=clock.utc_now(),
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
        stmt = stmt.where(col(CleaningLog.equipment_id) == equipment_id)
    if room_id is not None:
        stmt = stmt.where(col(Equipment.room_id) == room_id)
    if staff_id is not None:
        stmt = stmt.where(col(CleaningLog.staff_id) == staff_id)
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
