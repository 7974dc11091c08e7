"""The demo clinic's recent audit trail: who signed in each day and which records were opened."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import insert
from sqlmodel import Session

from ptdesk.demo.schedule import FRONT_DESK_HOURS
from ptdesk.models import AuditEvent, Role, Staff

if TYPE_CHECKING:
    from ptdesk.demo.schedule import ClinicBuilder

AUDIT_HISTORY_DAYS = 14


def add_sign_in_history(
    session: Session, b: ClinicBuilder, staff: list[Staff], shift_of: dict[int, tuple[time, time]]
) -> None:
    """The last two weeks of the audit trail: who signed in, and which records were opened."""
    from ptdesk.services.cleaning import local_to_utc

    rng = random.Random(len(b.appointments) * 31 + len(staff))
    desk = [m for m in staff if m.role == Role.FRONT_DESK.value]
    patients = {p["id"]: p for p in b.patients}
    by_day: dict[date, list[dict]] = {}
    for a in b.appointments:
        by_day.setdefault(a["start"].date(), []).append(a)
    rows = []
    for offset in range(AUDIT_HISTORY_DAYS, -1, -1):
        day = b.today - timedelta(days=offset)
        if day.isoweekday() > 5:
            continue
        for member in staff:
            start = shift_of.get(member.id, FRONT_DESK_HOURS)[0]
            at = datetime.combine(day, start) - timedelta(minutes=rng.randint(2, 12))
            if at > b.now:
                continue
            rows.append(
                dict(
                    at=local_to_utc(at),
                    actor_id=member.id,
                    actor_name=member.name,
                    action="sign_in",
                    entity="staff",
                    entity_id=str(member.id),
                    summary=f"{member.name} signed in",
                    changes={},
                    patient_id=None,
                )
            )
        for a in sorted(by_day.get(day, []), key=lambda a: a["start"]):
            at = a["start"] - timedelta(minutes=rng.randint(1, 8))
            if not desk or at > b.now or rng.random() < 0.3:
                continue
            who = desk[rng.randrange(len(desk))]
            p = patients[a["patient_id"]]
            rows.append(
                dict(
                    at=local_to_utc(at),
                    actor_id=who.id,
                    actor_name=who.name,
                    action="view",
                    entity="patient",
                    entity_id=str(p["id"]),
                    summary=f"Viewed the record of {p['first_name']} {p['last_name']}",
                    changes={},
                    patient_id=p["id"],
                )
            )
    rows.sort(key=lambda r: r["at"])
    if rows:
        session.execute(insert(AuditEvent), rows)
