"""The due board: every item in the inventory with its cleaning state now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from ptdesk.models import CleaningInterval, Equipment, EquipmentCategory
from ptdesk.models.common import saved_id
from ptdesk.services import clock
from ptdesk.services import equipment as equipment_service
from ptdesk.services.cleaning.due import Due, DueState, due_state
from ptdesk.services.cleaning.log_entries import _superseded, last_cleanings
from ptdesk.services.clinic import calendar
from ptdesk.services.clock import local_to_utc, to_local

CHECK_WARNING_DAYS = 30


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
    now = clock.now() if now is None else now
    today = now.date()
    items = equipment_service.list_equipment(session)
    checks = {saved_id(item): check_flags(item, today) for item in items}
    if checks_overdue_only:
        items = [item for item in items if checks[saved_id(item)][1]]
        if not items:
            return []
    clinic_days = calendar(session)
    rooms = equipment_service.room_names(session)
    superseded = _superseded(session)
    unit = equipment_service.temperature_unit(session)
    out: list[BoardRow] = []
    latest = last_cleanings(session, [saved_id(i) for i in items], superseded)
    for item in items:
        last = latest.get(saved_id(item))
        flags, checks_overdue = checks[saved_id(item)]
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
                equipment_id=saved_id(item),
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
