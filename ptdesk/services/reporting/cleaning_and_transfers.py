"""The monthly report's cleaning compliance and transfer checklists with their incidents."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlmodel import Session, col, select

from ptdesk.models import Patient
from ptdesk.models.transfers import ChecklistStatus, Incident, TransferChecklist
from ptdesk.services import cleaning as cleaning_service
from ptdesk.services.clock import day_start_utc, exact_local
from ptdesk.services.reporting.figures import (
    CleaningFigures,
    IncidentLine,
    OverdueCheck,
    TransferFigures,
)
from ptdesk.services.reporting.months import month_end, next_month


def _cleaning(session: Session, first: date, now: datetime) -> CleaningFigures:
    c = cleaning_service.compliance(session, first, month_end(first), now=now)
    missed = c.missed
    return CleaningFigures(
        due_periods=c.due_periods,
        done_on_time=c.done_periods,
        missed=len(missed),
        overdue_safety_checks=len(c.overdue_checks),
        missed_items=missed,
        overdue_checks=[OverdueCheck(f.name, f.room_name, f.what, f.due) for f in c.overdue_checks],
    )


def _transfers(session: Session, first: date) -> TransferFigures:
    lo = day_start_utc(first)
    hi = day_start_utc(next_month(first))
    stmt = (
        select(TransferChecklist, Patient)
        .join(Patient, col(Patient.id) == col(TransferChecklist.patient_id))
        .where(col(TransferChecklist.started_at) >= lo, col(TransferChecklist.started_at) < hi)
        .order_by(col(TransferChecklist.started_at))
    )
    n: dict[str, int] = defaultdict(int)
    incidents = []
    for row, patient in session.exec(stmt):
        n[row.status] += 1
        if row.incident != Incident.NONE.value:
            n[row.incident] += 1
            incidents.append(
                IncidentLine(
                    exact_local(row.started_at),
                    patient.full_name,
                    patient.chart_number,
                    row.incident,
                    row.incident_description,
                )
            )
    return TransferFigures(
        completed=n[ChecklistStatus.COMPLETED.value],
        aborted=n[ChecklistStatus.ABORTED.value],
        near_misses=n[Incident.NEAR_MISS.value],
        falls=n[Incident.FALL.value],
        incidents=incidents,
    )
