"""The patients and staff members a transfer checklist screen offers to choose from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, or_, select

from ptdesk.models import Patient, Role, Staff


@dataclass(frozen=True)
class Choice:
    """A patient or staff member offered in a picker."""

    id: int
    label: str
    role: str = ""


def staff_choices(session: Session) -> list[Choice]:
    """Active staff who may move patients (everyone but the front desk)."""
    rows = session.exec(
        select(Staff)
        .where(col(Staff.active).is_(True), Staff.role != Role.FRONT_DESK.value)
        .order_by(col(Staff.name))
    )
    return [Choice(s.id or 0, s.name, s.role) for s in rows]


def patient_choices(session: Session, text: str = "", limit: int = 200) -> list[Choice]:
    """Active patients whose name or chart number contains ``text``."""
    stmt = select(Patient).where(col(Patient.active).is_(True))
    text = text.strip()
    if text:
        like = f"%{text.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Patient.first_name + " " + Patient.last_name).like(like),
                func.lower(Patient.last_name + ", " + Patient.first_name).like(like),
                col(Patient.chart_number).like(f"%{text}%"),
            )
        )
    stmt = stmt.order_by(col(Patient.last_name), col(Patient.first_name)).limit(limit)
    return [Choice(p.id or 0, f"{p.sort_name} ({p.chart_number})") for p in session.exec(stmt)]
