"""Looking back at transfer checklists: by day, patient or staff member, and counts by status."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, func, or_, select

from ptdesk.models import Appointment, ChecklistStatus, Patient, TransferChecklist
from ptdesk.services import clock
from ptdesk.services.transfers.checklists import ChecklistData, checklist_data, staff_names


def _utc_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Local calendar days ``first`` .. ``last`` as a UTC range [lo, hi)."""
    lo = datetime.combine(first, time.min).astimezone(UTC)
    hi = datetime.combine(last + timedelta(days=1), time.min).astimezone(UTC)
    return lo, hi


def list_checklists(
    session: Session,
    *,
    first: date | None = None,
    last: date | None = None,
    patient_id: int | None = None,
    staff_id: int | None = None,
    patient_text: str = "",
    limit: int = 2000,
) -> list[ChecklistData]:
    """Checklists started on local days first..last (newest first), optionally filtered."""
    stmt = select(TransferChecklist, Patient).join(
        Patient, col(TransferChecklist.patient_id) == col(Patient.id)
    )
    if first is not None or last is not None:
        lo, hi = _utc_bounds(first or date(1900, 1, 1), last or date(2999, 12, 31))
        stmt = stmt.where(
            col(TransferChecklist.started_at) >= lo, col(TransferChecklist.started_at) < hi
        )
    if patient_id is not None:
        stmt = stmt.where(TransferChecklist.patient_id == patient_id)
    if staff_id is not None:
        stmt = stmt.where(
            or_(
                TransferChecklist.started_by_id == staff_id,
                TransferChecklist.performed_by_id == staff_id,
                TransferChecklist.assisted_by_id == staff_id,
            )
        )
    text = patient_text.strip()
    if text:
        like = f"%{text.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Patient.first_name + " " + Patient.last_name).like(like),
                func.lower(Patient.last_name).like(like),
                col(Patient.chart_number).like(f"%{text}%"),
            )
        )
    stmt = stmt.order_by(col(TransferChecklist.started_at).desc()).limit(limit)
    found = list(session.exec(stmt))
    staff_ids: set[int] = set()
    appt_ids: set[int] = set()
    for row, _ in found:
        staff_ids |= {x for x in (row.started_by_id, row.performed_by_id, row.assisted_by_id) if x}
        if row.appointment_id:
            appt_ids.add(row.appointment_id)
    names = staff_names(session, staff_ids)
    starts: dict[int, datetime] = {}
    if appt_ids:
        for appt in session.exec(select(Appointment).where(col(Appointment.id).in_(appt_ids))):
            starts[appt.id or 0] = appt.start
    return [
        checklist_data(
            session,
            row,
            patient,
            with_items=False,
            names=names,
            appointment_start=starts.get(row.appointment_id or 0),
        )
        for row, patient in found
    ]


def todays_checklists(session: Session, today: date | None = None) -> list[ChecklistData]:
    today = clock.today() if today is None else today
    return list_checklists(session, first=today, last=today)


def count_by_status(rows: list[ChecklistData]) -> dict[str, int]:
    counts = {s.value: 0 for s in ChecklistStatus}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    return counts


def local_time(value: datetime | None) -> datetime | None:
    """A UTC record time as the clinic's wall-clock time (naive, for display)."""
    return None if value is None else clock.exact_local(value)
