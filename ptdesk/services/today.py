"""The Today page's content per role: one list of sections, each built by a small function.

Other parts of ptdesk add their own sections with ``register_section`` (for example records
awaiting co-sign, or transfers to run), so this module never needs to know about them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from ptdesk.models import Appointment, AppointmentStatus, AssistanceLevel, Patient, Role
from ptdesk.models.common import saved_id
from ptdesk.models.patients import WeightBearing
from ptdesk.services import authorizations, cleaning, clock, scheduling
from ptdesk.services.audit import Actor

LATE_AFTER = timedelta(minutes=10)  # a scheduled patient not checked in by then is late
AUTHORIZATION_LOOKAHEAD = timedelta(days=14)  # authorizations matter for patients coming soon
S = AppointmentStatus


@dataclass(frozen=True)
class TodayItem:
    """One line on the Today page; ``target`` names the screen that opens it."""

    when: str
    title: str
    detail: str
    flag: str = ""  # a word or two with a symbol, never colour alone
    target: str = ""  # page key, e.g. "schedule"
    target_args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TodaySection:
    key: str
    title: str
    items: list[TodayItem]
    empty_text: str = "Nothing here today."
    actions: tuple[str, ...] = ()  # e.g. ("print_sheets",): the page offers those buttons


SectionBuilder = Callable[[Session, Actor, datetime], TodaySection | None]
_SECTIONS: dict[str, list[tuple[str, SectionBuilder]]] = {}


def register_section(
    roles: set[str] | frozenset[str], key: str, builder: SectionBuilder, *, before: str = ""
) -> None:
    """Add a section for some roles (before the section named ``before``, else at the end)."""
    for role in roles:
        entries = [e for e in _SECTIONS.setdefault(role, []) if e[0] != key]
        at = next((i for i, (k, _) in enumerate(entries) if k == before), len(entries))
        entries.insert(at, (key, builder))
        _SECTIONS[role] = entries


def section_keys(role: str) -> list[str]:
    return [k for k, _ in _SECTIONS.get(role, [])]


def today_sections(
    session: Session, actor: Actor, *, now: datetime | None = None
) -> list[TodaySection]:
    """What this person's Today page shows, in order (``now`` is local wall-clock time)."""
    now = clock.now() if now is None else now
    role = Role.OWNER.value if actor.role == "system" else actor.role
    out = []
    for _key, builder in _SECTIONS.get(role, []):
        section = builder(session, actor, now)
        if section is not None:
            out.append(section)
    return out


# -- helpers ---------------------------------------------------------------------------------


def _day(now: datetime) -> tuple[datetime, datetime]:
    lo = datetime.combine(now.date(), time.min)
    return lo, lo + timedelta(days=1)


def _patients(session: Session, ids: set[int]) -> dict[int, Patient]:
    if not ids:
        return {}
    rows = session.exec(select(Patient).where(col(Patient.id).in_(ids)))
    return {saved_id(p): p for p in rows}


def transfer_needs(p: Patient | None) -> str:
    """The mobility profile in a few words, for whoever moves the patient."""
    if p is None:
        return ""
    parts = []
    if p.assistance_level:
        try:
            level = AssistanceLevel(p.assistance_level).value.replace("_", " ")
        except ValueError:
            level = p.assistance_level
        parts.append(f"{level} assist" if level not in ("independent", "dependent") else level)
    if p.weight_bearing and p.weight_bearing != WeightBearing.FULL.value:
        parts.append(p.weight_bearing.replace("_", " ").replace("non weight", "non-weight"))
    if p.assistive_device:
        parts.append(p.assistive_device)
    if p.weight_kg:
        parts.append(f"{p.weight_kg:g} kg")
    return ", ".join(parts)


def _visit_item(a: scheduling.AppointmentInfo, detail: str, flag: str = "") -> TodayItem:
    return TodayItem(
        when=a.start.strftime("%H:%M"),
        title=a.patient_name,
        detail=detail,
        flag=flag,
        target="schedule",
        target_args={"day": a.start.date(), "appointment_id": a.id},
    )


def _is_late(a: scheduling.AppointmentInfo, now: datetime) -> bool:
    return a.status == S.SCHEDULED.value and a.start + LATE_AFTER <= now < a.end


# -- sections --------------------------------------------------------------------------------


def my_patients(session: Session, actor: Actor, now: datetime) -> TodaySection | None:
    """The person's own patients today, in order, with precautions and transfer needs."""
    if actor.id is None:
        return None
    lo, hi = _day(now)
    visits = [
        a
        for a in scheduling.appointments_between(session, lo, hi, staff_id=actor.id)
        if a.status not in (S.CANCELLED.value,)
    ]
    if actor.role == Role.OWNER.value and not visits:
        return None
    patients = _patients(session, {a.patient_id for a in visits})
    items = []
    for a in visits:
        precautions = "⚠ " + ", ".join(a.precautions) if a.precautions else "No precautions"
        needs = transfer_needs(patients.get(a.patient_id))
        room = f"{a.room_name} · " if a.room_name else ""
        detail = f"{room}{precautions}" + (f" · Transfer: {needs}" if needs else "")
        flag = a.status_label if a.status != S.SCHEDULED.value else ""
        if _is_late(a, now):
            flag = "⏰ Late"
        items.append(_visit_item(a, detail, flag))
    actions = ("print_sheets",) if actor.role != Role.FRONT_DESK.value else ()
    return TodaySection(
        "my_patients", "Your patients today", items, "You have no patients booked today.", actions
    )


def cleaning_due(session: Session, actor: Actor, now: datetime) -> TodaySection:
    """Equipment whose cleaning is overdue, or due by the end of today."""
    today = now.date()
    rows = [
        r
        for r in cleaning.board(session, now=now)
        if r.state == cleaning.DueState.OVERDUE
        or (r.state == cleaning.DueState.DUE and (r.due_by is None or r.due_by <= today))
    ]
    rows.sort(key=lambda r: (r.state.urgency, r.name))
    items = [
        TodayItem(
            when="",
            title=r.name,
            detail=" · ".join(x for x in (r.room_name, r.due_text, r.product) if x),
            flag=r.state_text,
            target="equipment",
            target_args={"section": "board", "equipment_id": r.equipment_id},
        )
        for r in rows
    ]
    return TodaySection("cleaning_due", "Due for cleaning", items, "All equipment is clean.")


def arrivals(session: Session, actor: Actor, now: datetime) -> TodaySection:
    """Everyone expected today who has not been seen yet, in time order."""
    lo, hi = _day(now)
    items = []
    for a in scheduling.appointments_between(session, lo, hi):
        if a.status not in (S.SCHEDULED.value, S.CHECKED_IN.value) or a.end <= now:
            continue
        if _is_late(a, now):
            continue  # listed under "Late"
        flag = "✓ Checked in" if a.status == S.CHECKED_IN.value else ""
        items.append(_visit_item(a, f"with {a.staff_name}" + _room(a), flag))
    return TodaySection("arrivals", "Arrivals", items, "No more arrivals expected today.")


def _room(a: scheduling.AppointmentInfo) -> str:
    return f" · {a.room_name}" if a.room_name else ""


def late(session: Session, actor: Actor, now: datetime) -> TodaySection:
    lo, hi = _day(now)
    items = []
    for a in scheduling.appointments_between(session, lo, hi):
        if _is_late(a, now):
            minutes = int((now - a.start).total_seconds() // 60)
            items.append(_visit_item(a, f"with {a.staff_name} · {minutes} min late", "⏰ Late"))
    return TodaySection("late", "Late", items, "Nobody is late.")


def unresolved(session: Session, actor: Actor, now: datetime) -> TodaySection:
    items = [
        TodayItem(
            when=a.start.strftime("%Y-%m-%d %H:%M"),
            title=a.patient_name,
            detail=f"with {a.staff_name} · still marked {a.status_label.lower()}",
            flag="? Needs an outcome",
            target="schedule",
            target_args={"day": a.start.date(), "appointment_id": a.id},
        )
        for a in scheduling.unresolved_visits(session, now=now)
    ]
    return TodaySection(
        "unresolved", "Visits without an outcome", items, "Every past visit has an outcome."
    )


def authorizations_running_out(session: Session, actor: Actor, now: datetime) -> TodaySection:
    """Patients coming in the next two weeks whose authorization is nearly used up or ending."""
    today: date = now.date()
    lo = datetime.combine(today, time.min)
    coming = (
        select(Appointment.patient_id)
        .where(
            col(Appointment.start) >= lo,
            col(Appointment.start) < lo + AUTHORIZATION_LOOKAHEAD,
            col(Appointment.status).in_((S.SCHEDULED.value, S.CHECKED_IN.value)),
        )
        .distinct()
    )
    stmt = (
        select(Patient)
        .where(col(Patient.id).in_(coming), col(Patient.active).is_(True))
        .order_by(col(Patient.last_name), col(Patient.first_name))
    )
    items = []
    patients = list(session.exec(stmt))
    statuses = authorizations.current_statuses(
        session, [saved_id(p) for p in patients], today=today
    )
    for patient in patients:
        status = statuses.get(saved_id(patient))
        if status is None or not status.warnings:
            continue
        items.append(
            TodayItem(
                when=status.end_date.isoformat(),
                title=f"{patient.last_name}, {patient.first_name}",
                # An expired authorization has no visits left, whatever its count says.
                detail=f"{status.payer}: {status.text}"
                + ("" if status.expired else f" · {status.remaining_text}"),
                flag="⚠ " + status.warnings[0],
                target="patients",
                target_args={"patient_id": patient.id},
            )
        )
    return TodaySection(
        "authorizations", "Authorizations running out", items, "No authorization needs attention."
    )


def day_figures(session: Session, actor: Actor, now: datetime) -> TodaySection:
    lo, hi = _day(now)
    visits = scheduling.appointments_between(session, lo, hi)
    count = {s: sum(1 for a in visits if a.status == s.value) for s in S}
    booked = len(visits) - count[S.CANCELLED]
    late_cancels = sum(1 for a in visits if a.status == S.CANCELLED.value and a.late_cancel)
    staff_on = len({a.staff_id for a in visits if a.status != S.CANCELLED.value})
    figures = [
        ("Visits booked", str(booked), f"{staff_on} staff treating"),
        ("Checked in now", str(count[S.CHECKED_IN]), ""),
        ("Completed", str(count[S.COMPLETED]), ""),
        ("No-shows", str(count[S.NO_SHOW]), ""),
        ("Cancelled", str(count[S.CANCELLED]), f"{late_cancels} late" if late_cancels else ""),
    ]
    items = [
        TodayItem(
            when="",
            title=f"{label}: {value}",
            detail=note,
            target="schedule",
            target_args={"day": now.date()},
        )
        for label, value, note in figures
    ]
    return TodaySection("figures", "Today's figures", items)


def overdue_checks(session: Session, actor: Actor, now: datetime) -> TodaySection:
    items = [
        TodayItem(
            when="",
            title=r.name,
            detail=" · ".join(f for f in r.flags if "overdue" in f.lower()) or r.room_name,
            flag="⚠ Overdue",
            target="equipment",
            target_args={"section": "inventory", "equipment_id": r.equipment_id},
        )
        for r in cleaning.board(session, now=now, checks_overdue_only=True)
    ]
    return TodaySection(
        "overdue_checks",
        "Overdue safety checks",
        items,
        "No safety check or calibration is overdue.",
    )


def awaiting_cosign(session: Session, actor: Actor, now: datetime) -> TodaySection | None:
    """Session records by technicians that wait for this therapist's co-sign."""
    from ptdesk.services import sessions

    if not sessions.can_sign(session, actor):
        return None
    rows = sessions.awaiting_cosign(session, actor.id)
    if not rows and actor.role == Role.OWNER.value:
        return None  # an owner who co-signs sees the section only when something waits
    items = [
        TodayItem(
            when=f"{r.start:%a %d %b %H:%M}",
            title=f"{r.patient_name} ({r.chart_number})",
            detail=f"Recorded by {r.provider_name}",
            flag="✎ Co-sign",
            target="sessions",
            target_args={"appointment_id": r.appointment_id},
        )
        for r in rows
    ]
    return TodaySection(
        "awaiting_cosign", "Records awaiting your co-sign", items, "No records wait for you."
    )


_ALL_TREATING = {Role.THERAPIST.value, Role.ASSISTANT.value}
register_section({Role.TECHNICIAN.value}, "my_patients", my_patients)
register_section({Role.TECHNICIAN.value}, "cleaning_due", cleaning_due)
register_section({Role.FRONT_DESK.value}, "arrivals", arrivals)
register_section({Role.FRONT_DESK.value}, "late", late)
register_section({Role.FRONT_DESK.value}, "unresolved", unresolved)
register_section({Role.FRONT_DESK.value}, "authorizations", authorizations_running_out)
register_section(_ALL_TREATING, "my_patients", my_patients)
register_section({Role.OWNER.value}, "figures", day_figures)
register_section({Role.OWNER.value}, "overdue_checks", overdue_checks)
register_section({Role.OWNER.value}, "unresolved", unresolved)
register_section({Role.OWNER.value}, "my_patients", my_patients)
# Records waiting for this person's co-sign come first for whoever may co-sign.
register_section(
    _ALL_TREATING | {Role.OWNER.value}, "awaiting_cosign", awaiting_cosign, before="my_patients"
)
