"""The clinic profile: letterhead details, hours, time zone and the late-cancel policy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, time
from typing import Self

from sqlalchemy import event
from sqlmodel import Session, col, select

from ptdesk.errors import ValidationError
from ptdesk.models import ClinicClosedDay, ClinicProfile
from ptdesk.services import audit, changes, clock, validation
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require

MAX_LOGO_BYTES = 2 * 1024 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


@dataclass
class ClinicProfileData:
    """The editable profile as plain values."""

    name: str = "My Physical Therapy Clinic"
    address: str = ""
    phone: str = ""
    email: str = ""
    logo_png: bytes | None = None
    opens_at: time = time(7, 0)
    closes_at: time = time(19, 0)
    slot_minutes: int = 15
    clinic_days: str = "1,2,3,4,5"
    late_cancel_hours: int = 24
    # An IANA name ("Europe/Berlin"); "" follows the computer's own zone. A new clinic starts
    # with the zone of the computer it is set up on.
    time_zone: str = field(default_factory=clock.computer_zone_name)

    @property
    def clinic_weekdays(self) -> set[int]:
        return {int(d) for d in self.clinic_days.split(",") if d.strip()}


FIELDS = [f.name for f in fields(ClinicProfileData)]


def _row(session: Session) -> ClinicProfile:
    row = session.get(ClinicProfile, 1)
    if row is None:  # a file whose row was removed by hand: recreate the defaults
        row = ClinicProfile(id=1)
        session.add(row)
        session.flush()
    return row


def get_profile(session: Session) -> ClinicProfileData:
    row = _row(session)
    return ClinicProfileData(**{f: getattr(row, f) for f in FIELDS})


def validate(data: ClinicProfileData) -> ClinicProfileData:
    data.name = validation.text(data.name, "name", "The clinic name", required=True, max_len=120)
    data.address = validation.text(data.address, "address", "The address", max_len=300)
    data.phone = validation.phone(data.phone)
    data.email = validation.email(data.email)
    if data.closes_at <= data.opens_at:
        raise ValidationError("closes_at", "The clinic must close after it opens.")
    if data.slot_minutes not in (5, 10, 15, 20, 30, 60):
        raise ValidationError(
            "slot_minutes", "Slot length must be 5, 10, 15, 20, 30 or 60 minutes."
        )
    days = sorted(
        {int(d) for d in data.clinic_days.split(",") if d.strip()} if data.clinic_days else set()
    )
    if not days or any(d < 1 or d > 7 for d in days):
        raise ValidationError("clinic_days", "Choose at least one day the clinic is open.")
    data.clinic_days = ",".join(str(d) for d in days)
    if not 0 <= data.late_cancel_hours <= 168:
        raise ValidationError(
            "late_cancel_hours", "The late-cancel notice must be between 0 and 168 hours."
        )
    data.time_zone = (data.time_zone or "").strip()
    if not clock.is_known_zone(data.time_zone):
        raise ValidationError(
            "time_zone",
            f'"{data.time_zone}" is not a time zone ptdesk knows. Choose one from the list, '
            "such as Europe/Berlin or America/New_York.",
        )
    if data.logo_png is not None:
        if len(data.logo_png) > MAX_LOGO_BYTES:
            raise ValidationError("logo_png", "The logo picture is too large (at most 2 MB).")
        if not (data.logo_png.startswith(PNG_MAGIC) or data.logo_png.startswith(JPEG_MAGIC)):
            raise ValidationError("logo_png", "The logo must be a PNG or JPEG picture.")
    return data


def update_profile(session: Session, actor: Actor, data: ClinicProfileData) -> ClinicProfileData:
    require(actor, "edit_clinic_profile")
    data = validate(data)
    row = _row(session)
    before = audit.snapshot(row, FIELDS)
    for f in FIELDS:
        setattr(row, f, getattr(data, f))
    row.updated_at = clock.utc_now()
    changed = audit.diff(before, audit.snapshot(row, FIELDS))
    if changed:
        audit.record(
            session, actor, "update", "clinic_profile", 1, changed, "Clinic profile changed"
        )
    if "time_zone" in changed:  # every time shown moves with the zone
        changes.mark(session, changes.ALL)
        use_zone_once_saved(session, data.time_zone)
    session.flush()
    return get_profile(session)


def use_zone_once_saved(session: Session, name: str) -> None:
    """Set the clinic clock to zone ``name`` when ``session`` commits (not if it rolls back)."""
    event.listen(session, "after_commit", lambda _session: clock.set_zone(name), once=True)


# -- closed days (holidays) ------------------------------------------------------------------


class ClinicCalendar(frozenset[int]):
    """The weekdays the clinic opens (ISO numbers, Monday=1) and the dates it is closed anyway.

    It is the set of weekdays, so code that only knows the weekly pattern keeps working.
    """

    closed: frozenset[date]

    def __new__(cls, weekdays: Iterable[int], closed: Iterable[date] = ()) -> Self:  # noqa: D102
        self = super().__new__(cls, weekdays)
        self.closed = frozenset(closed)
        return self


@dataclass(frozen=True)
class ClosedDay:
    day: date
    note: str = ""


def closed_days(session: Session) -> list[ClosedDay]:
    stmt = select(ClinicClosedDay).order_by(col(ClinicClosedDay.day))
    return [ClosedDay(r.day, r.note) for r in session.exec(stmt)]


def calendar(session: Session) -> ClinicCalendar:
    """Open weekdays and closed dates, for the cleaning due rules and the schedule."""
    return ClinicCalendar(
        get_profile(session).clinic_weekdays, [c.day for c in closed_days(session)]
    )


def parse_closed_days(text: str) -> list[ClosedDay]:
    """One date per line (2026-12-25), optionally followed by a note: "2026-12-25 Christmas"."""
    out: dict[date, ClosedDay] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        first, _, note = line.partition(" ")
        try:
            day = date.fromisoformat(first)
        except ValueError:
            raise ValidationError(
                "closed_days",
                f'Line {number}: "{first}" is not a date. Write each date like 2026-12-25.',
            ) from None
        note = note.strip()
        if len(note) > 120:
            raise ValidationError("closed_days", f"Line {number}: the note is too long.")
        out[day] = ClosedDay(day, note)
    return [out[d] for d in sorted(out)]


def set_closed_days(session: Session, actor: Actor, days: list[ClosedDay]) -> list[ClosedDay]:
    """Replace the list of dates the clinic is closed."""
    require(actor, "edit_clinic_profile")
    wanted = {c.day: c.note for c in days}
    rows = {r.day: r for r in session.exec(select(ClinicClosedDay))}
    before = {d.isoformat(): r.note for d, r in rows.items()}
    for day, row in rows.items():
        if day not in wanted:
            session.delete(row)
        elif row.note != wanted[day]:
            row.note = wanted[day]
            session.add(row)
    for day, note in wanted.items():
        if day not in rows:
            session.add(ClinicClosedDay(day=day, note=note))
    after = {d.isoformat(): n for d, n in sorted(wanted.items())}
    if before != after:
        session.flush()
        audit.record(
            session,
            actor,
            "update",
            "clinic_profile",
            1,
            {"closed_days": [before, after]},
            "Clinic closed days changed",
        )
    session.flush()
    return closed_days(session)
