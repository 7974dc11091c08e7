"""An appointment's status history: each change with who made it, written and read back."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ptdesk.models import Appointment, AppointmentStatusChange
from ptdesk.models.common import saved_id
from ptdesk.services.audit import Actor
from ptdesk.services.scheduling.values import StatusChangeInfo


def status_history(session: Session, appointment_id: int) -> list[StatusChangeInfo]:
    stmt = (
        select(AppointmentStatusChange)
        .where(AppointmentStatusChange.appointment_id == appointment_id)
        .order_by(col(AppointmentStatusChange.id))
    )
    return [
        StatusChangeInfo(c.at, c.from_status, c.to_status, c.actor_name, c.note, c.correction)
        for c in session.exec(stmt)
    ]


def record_status_change(
    session: Session,
    actor: Actor,
    appt: Appointment,
    old: str,
    new: str,
    note: str = "",
    correction: bool = False,
) -> None:
    session.add(
        AppointmentStatusChange(
            appointment_id=saved_id(appt),
            from_status=old,
            to_status=new,
            actor_id=actor.id,
            actor_name=actor.name,
            note=note[:200],
            correction=correction,
        )
    )
