"""Checking a session record form: plausible vitals, text lengths, the billing code table."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session, select

from ptdesk.errors import ValidationError
from ptdesk.models import BillingCode
from ptdesk.services import billing
from ptdesk.services.sessions.values import MAX_TEXT, InterventionEntry, SessionInput


def _in_range(value: int | None, lo: int, hi: int, fld: str, message: str) -> None:
    if value is not None and not lo <= value <= hi:
        raise ValidationError(fld, message)


def check_vitals(data: SessionInput) -> None:
    """Plausibility of pain scores and vitals; the error names the field."""
    _in_range(data.pain_before, 0, 10, "pain_before", "Pain before is a number from 0 to 10.")
    _in_range(data.pain_after, 0, 10, "pain_after", "Pain after is a number from 0 to 10.")
    sys_, dia = data.bp_systolic, data.bp_diastolic
    if (sys_ is None) != (dia is None):
        missing = "bp_diastolic" if dia is None else "bp_systolic"
        raise ValidationError(
            missing, "Enter both blood pressure numbers (top and bottom), or neither."
        )
    _in_range(
        sys_, 60, 260, "bp_systolic", "The top blood pressure number should be between 60 and 260."
    )
    _in_range(
        dia,
        30,
        160,
        "bp_diastolic",
        "The bottom blood pressure number should be between 30 and 160.",
    )
    if sys_ is not None and dia is not None and dia >= sys_:
        raise ValidationError(
            "bp_diastolic", "The bottom blood pressure number must be lower than the top one."
        )
    _in_range(
        data.heart_rate,
        30,
        220,
        "heart_rate",
        "Heart rate should be between 30 and 220 beats a minute.",
    )
    _in_range(data.spo2, 70, 100, "spo2", "SpO2 should be between 70 and 100 percent.")


def _text(value: str, fld: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise ValidationError(fld, f"{label} is too long; keep it under {MAX_TEXT} characters.")
    return value


def clean_input(session: Session, data: SessionInput) -> SessionInput:
    """Check the form and fill each intervention's description, timed flag and units."""
    check_vitals(data)
    exercises = []
    for n, e in enumerate(data.exercises, start=1):
        name = " ".join((e.name or "").split())
        if not name:
            raise ValidationError("exercises", f"Exercise line {n} has no name.")
        _in_range(e.sets, 0, 20, "exercises", f"{name}: sets should be between 0 and 20.")
        _in_range(e.reps, 0, 500, "exercises", f"{name}: reps should be between 0 and 500.")
        _in_range(
            e.duration_min, 0, 240, "exercises", f"{name}: minutes should be between 0 and 240."
        )
        if len(e.load) > 60:
            raise ValidationError("exercises", f"{name}: keep the load under 60 characters.")
        exercises.append(replace(e, name=name[:120], notes=e.notes.strip(), load=e.load.strip()))
    table = {c.code: c for c in session.exec(select(BillingCode))}
    seen: set[str] = set()
    interventions = []
    for i in data.interventions:
        code = (i.code or "").strip().upper()
        row = table.get(code)
        if row is None:
            raise ValidationError(
                "interventions", f"{code or 'A blank code'} is not in the billing code table."
            )
        if code in seen:
            raise ValidationError(
                "interventions", f"{code} is listed twice; put all its minutes on one line."
            )
        seen.add(code)
        _in_range(
            i.minutes, 0, 240, "interventions", f"{code}: minutes should be between 0 and 240."
        )
        if row.timed and not i.minutes:
            raise ValidationError(
                "interventions", f"{code} is a timed code: enter the minutes it took."
            )
        interventions.append(InterventionEntry(code, i.minutes, row.description, row.timed))
    units = billing.billable_units(
        {i.code: i.minutes for i in interventions}, {i.code for i in interventions if i.timed}
    )
    for i in interventions:
        i.units = units[i.code]
    return replace(
        data,
        subjective=_text(data.subjective, "subjective", "What the patient reported"),
        treatment=_text(data.treatment, "treatment", "What was done"),
        assessment=_text(data.assessment, "assessment", "The assessment"),
        plan=_text(data.plan, "plan", "The plan"),
        exercises=exercises,
        interventions=interventions,
    )
