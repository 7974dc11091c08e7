"""Patients: create and edit with their rules, duplicate guard, discharge, search and lists."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import SQLColumnExpression
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, or_, select

from ptdesk.errors import NotFound, PtdeskError, ValidationError
from ptdesk.models import AssistanceLevel, Cooperation, Patient, WeightBearing
from ptdesk.models.common import utcnow
from ptdesk.services import audit, audit_trail, authorizations, clock, scheduling, validation
from ptdesk.services.audit import Actor
from ptdesk.services.authorizations import AuthorizationStatus
from ptdesk.services.permissions import require

CHART_DIGITS = 6
WEIGHT_RANGE_KG = validation.WEIGHT_RANGE_KG
HEIGHT_RANGE_CM = validation.HEIGHT_RANGE_CM
MAX_PRECAUTION_LINE = 200

# Each choice's wording is the enum's label (one table, in ptdesk.models.patients).
WEIGHT_BEARING_LABELS = {w.value: w.label for w in WeightBearing}
COOPERATION_LABELS = {c.value: c.label for c in Cooperation}
ASSISTANCE_LABELS = {a.value: a.label for a in AssistanceLevel}


class DuplicatePatient(PtdeskError):
    """A patient with the same name and date of birth exists; the caller asks before saving."""

    def __init__(self, matches: list[Patient]) -> None:
        # Plain values: the exception outlives the session that found the matches.
        self.matches = [_row_of(p) for p in matches]
        names = "; ".join(f"{m.sort_name} (chart {m.chart_number})" for m in self.matches)
        super().__init__(f"A patient with this name and date of birth is already on file: {names}.")


@dataclass
class PatientData:
    """Everything the patient form edits, as plain values."""

    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    chart_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    notes: str = ""
    precautions: str = ""
    weight_kg: float | None = None
    height_cm: float | None = None
    weight_bearing: str = ""
    upper_limb_strength_left: bool | None = None
    upper_limb_strength_right: bool | None = None
    cooperation: str = ""
    assistance_level: str = ""
    assistive_device: str = ""

    @classmethod
    def from_patient(cls, patient: Patient) -> PatientData:
        return cls(**{f: getattr(patient, f) for f in FIELDS})


FIELDS = [f.name for f in fields(PatientData)]
AUDIT_FIELDS = [*FIELDS, "active", "discharged_on"]
# Only staff allowed to update the mobility profile may change these (see permissions).
MOBILITY_FIELDS = (
    "precautions",
    "weight_kg",
    "height_cm",
    "weight_bearing",
    "upper_limb_strength_left",
    "upper_limb_strength_right",
    "cooperation",
    "assistance_level",
    "assistive_device",
)


@dataclass(frozen=True)
class PatientRow:
    """One line of the patients list: only what the list shows and searches."""

    id: int
    chart_number: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    phone: str
    active: bool
    discharged_on: date | None
    precautions: str

    @property
    def sort_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    @property
    def precaution_list(self) -> list[str]:
        return [line.strip() for line in self.precautions.splitlines() if line.strip()]


def _row_of(p: Patient) -> PatientRow:
    return PatientRow(
        id=p.id or 0,
        chart_number=p.chart_number,
        first_name=p.first_name,
        last_name=p.last_name,
        date_of_birth=p.date_of_birth,
        phone=p.phone,
        active=p.active,
        discharged_on=p.discharged_on,
        precautions=p.precautions,
    )


# -- parsing and validation ---------------------------------------------------------------


def parse_date(text: str | None, field: str, label: str) -> date | None:
    """A date typed as YYYY-MM-DD or MM/DD/YYYY; empty text means no date."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    parts = re.fullmatch(r"\d{4}-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/\d{4}", cleaned)
    month, day = (int(p) for p in parts.groups() if p) if parts else (0, 0)
    if 1 <= month <= 12 and 1 <= day <= 31:  # e.g. 2001-02-29 or April 31st
        raise ValidationError(
            field, f"{label}: {cleaned} does not exist on the calendar; check the day and month."
        )
    raise ValidationError(
        field, f"{label} is not a date ptdesk understands; type it like 1961-04-23 or 04/23/1961."
    )


def clean_precautions(text: str | None) -> str:
    """One precaution per line, each trimmed; blank lines and repeats dropped."""
    lines: list[str] = []
    for raw in (text or "").splitlines():
        line = " ".join(raw.split())
        if not line or line.lower() in (existing.lower() for existing in lines):
            continue
        if len(line) > MAX_PRECAUTION_LINE:
            raise ValidationError(
                "precautions",
                f"Each precaution must fit on one line (at most {MAX_PRECAUTION_LINE} characters).",
            )
        lines.append(line)
    return "\n".join(lines)


def _choice(value: str | None, field: str, label: str, choices: dict[str, str]) -> str:
    cleaned = (value or "").strip()
    if cleaned and cleaned not in choices:
        raise ValidationError(field, f"Choose one of the listed {label}.")
    return cleaned


def validate(data: PatientData, *, today: date | None = None) -> PatientData:
    """Trim and check every field; raises ValidationError naming the first bad one."""
    data.first_name = validation.text(
        data.first_name, "first_name", "The first name", required=True, max_len=80
    )
    data.last_name = validation.text(
        data.last_name, "last_name", "The last name", required=True, max_len=80
    )
    data.date_of_birth = validation.past_date(
        data.date_of_birth, "date_of_birth", "The date of birth", today=today
    )
    data.chart_number = validation.text(
        data.chart_number, "chart_number", "The chart number", max_len=20
    )
    data.phone = validation.phone(data.phone, "phone")
    data.email = validation.email(data.email, "email")
    data.address = validation.text(data.address, "address", "The address", max_len=300)
    data.emergency_contact_name = validation.text(
        data.emergency_contact_name,
        "emergency_contact_name",
        "The emergency contact's name",
        max_len=120,
    )
    data.emergency_contact_phone = validation.phone(
        data.emergency_contact_phone, "emergency_contact_phone"
    )
    data.notes = validation.text(data.notes, "notes", "The notes", max_len=4000)
    data.precautions = clean_precautions(data.precautions)
    if data.weight_kg == 0:  # 0 means not measured; a negative value is refused below
        data.weight_kg = None
    if data.height_cm == 0:
        data.height_cm = None
    data.weight_kg = validation.number_range(
        data.weight_kg, "weight_kg", "The weight", *WEIGHT_RANGE_KG, "kg"
    )
    data.height_cm = validation.number_range(
        data.height_cm, "height_cm", "The height", *HEIGHT_RANGE_CM, "cm"
    )
    data.weight_bearing = _choice(
        data.weight_bearing, "weight_bearing", "weight-bearing statuses", WEIGHT_BEARING_LABELS
    )
    data.cooperation = _choice(
        data.cooperation, "cooperation", "cooperation levels", COOPERATION_LABELS
    )
    data.assistance_level = _choice(
        data.assistance_level, "assistance_level", "assistance levels", ASSISTANCE_LABELS
    )
    data.assistive_device = validation.text(
        data.assistive_device, "assistive_device", "The assistive device", max_len=80
    )
    return data


def bmi(weight_kg: float | None, height_cm: float | None) -> float | None:
    """Body mass index to one decimal, or None when either measure is missing."""
    if not weight_kg or not height_cm:
        return None
    metres = height_cm / 100
    return round(weight_kg / (metres * metres), 1)


# -- reading --------------------------------------------------------------------------------


def get_patient(session: Session, patient_id: int) -> Patient:
    row = session.get(Patient, patient_id)
    if row is None:
        raise NotFound("That patient is no longer on file.")
    return row


def find_duplicates(
    session: Session,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    *,
    exclude_id: int | None = None,
) -> list[Patient]:
    """Patients with the same name (ignoring case and spacing) and the same date of birth."""
    if date_of_birth is None:
        return []
    first = " ".join(first_name.split()).lower()
    last = " ".join(last_name.split()).lower()
    stmt = select(Patient).where(
        Patient.date_of_birth == date_of_birth,
        func.lower(Patient.first_name) == first,
        func.lower(Patient.last_name) == last,
    )
    if exclude_id is not None:
        stmt = stmt.where(col(Patient.id) != exclude_id)
    return list(session.exec(stmt.order_by(col(Patient.id))))


def next_chart_number(session: Session) -> str:
    """One more than the highest all-digit chart number, zero-padded."""
    highest = 0
    for number in session.exec(select(Patient.chart_number)):
        if number.isdigit():
            highest = max(highest, int(number))
    return f"{highest + 1:0{CHART_DIGITS}d}"


def _chart_taken(session: Session, chart: str, exclude_id: int | None) -> Patient | None:
    stmt = select(Patient).where(func.lower(Patient.chart_number) == chart.lower())
    if exclude_id is not None:
        stmt = stmt.where(col(Patient.id) != exclude_id)
    return session.exec(stmt).first()


def list_patient_rows(session: Session) -> list[PatientRow]:
    """Every patient as a plain list row, in one query (the list filters them itself)."""
    table = Patient.__table__  # type: ignore[attr-defined]  # SQLModel tables gain __table__ when the class is made
    c = table.c
    stmt = (
        sa_select(
            c.id,
            c.chart_number,
            c.first_name,
            c.last_name,
            c.date_of_birth,
            c.phone,
            c.active,
            c.discharged_on,
            c.precautions,
        )
        .select_from(table)
        .order_by(c.last_name, c.first_name, c.id)
    )
    return [PatientRow(*values) for values in session.connection().execute(stmt)]


def search_patients(
    session: Session, text: str, limit: int = 50, include_inactive: bool = False
) -> list[Patient]:
    """Patients whose name, chart number, phone or date of birth match every word of ``text``.

    A date may be typed as YYYY-MM-DD or MM/DD/YYYY; a phone number matches by its digits.
    Empty text lists patients by name.
    """
    stmt = select(Patient)
    if not include_inactive:
        stmt = stmt.where(col(Patient.active).is_(True))
    for word in text.split():
        conditions = [
            func.lower(Patient.first_name).contains(word.lower(), autoescape=True),
            func.lower(Patient.last_name).contains(word.lower(), autoescape=True),
            func.lower(Patient.chart_number).contains(word.lower(), autoescape=True),
            col(Patient.phone).contains(word, autoescape=True),
        ]
        digits = re.sub(r"\D", "", word)
        if digits and len(digits) >= 3 and not re.search(r"[a-z]", word, re.IGNORECASE):
            conditions.append(_phone_digits_column().contains(digits, autoescape=True))
        try:
            day = parse_date(word, "search", "")
        except ValidationError:
            day = None
        if day is not None:
            conditions.append(col(Patient.date_of_birth) == day)
        stmt = stmt.where(or_(*conditions))
    stmt = stmt.order_by(col(Patient.last_name), col(Patient.first_name), col(Patient.id))
    return list(session.exec(stmt.limit(limit)))


def _phone_digits_column() -> SQLColumnExpression[str]:
    """The phone column with the usual separators removed (portable SQL replace calls)."""
    expr: SQLColumnExpression[str] = col(Patient.phone)
    for sep in ("-", " ", "(", ")", ".", "+", "/"):
        expr = func.replace(expr, sep, "")
    return expr


# -- writing ----------------------------------------------------------------------------


def _apply(row: Patient, data: PatientData) -> None:
    for name in FIELDS:
        setattr(row, name, getattr(data, name))


def create_patient(
    session: Session,
    actor: Actor,
    data: PatientData,
    *,
    allow_duplicate: bool = False,
    today: date | None = None,
) -> Patient:
    """Add a patient. Raises DuplicatePatient (nothing saved) unless ``allow_duplicate``."""
    require(actor, "edit_patient")
    data = validate(data, today=today)
    if any(getattr(data, f) != getattr(PatientData(), f) for f in MOBILITY_FIELDS):
        require(actor, "update_mobility_profile")
    if not allow_duplicate:
        matches = find_duplicates(session, data.first_name, data.last_name, data.date_of_birth)
        if matches:
            raise DuplicatePatient(matches)
    if data.chart_number:
        taken = _chart_taken(session, data.chart_number, None)
        if taken is not None:
            raise ValidationError(
                "chart_number",
                f"Chart number {data.chart_number} already belongs to {taken.full_name}.",
            )
    else:
        data.chart_number = next_chart_number(session)
    row = Patient(chart_number=data.chart_number, first_name="", last_name="")
    _apply(row, data)
    session.add(row)
    session.flush()
    audit.record_new(
        session,
        actor,
        "create",
        "patient",
        row,
        f"Patient {row.full_name} (chart {row.chart_number}) added",
        fields=AUDIT_FIELDS,
    )
    return row


def update_patient(
    session: Session,
    actor: Actor,
    patient_id: int,
    data: PatientData,
    *,
    allow_duplicate: bool = False,
    today: date | None = None,
) -> Patient:
    """Save changes to a patient. A blank chart number keeps the current one."""
    require(actor, "edit_patient")
    row = get_patient(session, patient_id)
    data = validate(data, today=today)
    if any(getattr(data, f) != getattr(row, f) for f in MOBILITY_FIELDS):
        require(actor, "update_mobility_profile")
    if not data.chart_number:
        data.chart_number = row.chart_number
    identity_changed = (
        data.first_name.lower() != row.first_name.lower()
        or data.last_name.lower() != row.last_name.lower()
        or data.date_of_birth != row.date_of_birth
    )
    if identity_changed and not allow_duplicate:
        matches = find_duplicates(
            session, data.first_name, data.last_name, data.date_of_birth, exclude_id=row.id
        )
        if matches:
            raise DuplicatePatient(matches)
    if data.chart_number != row.chart_number:
        taken = _chart_taken(session, data.chart_number, row.id)
        if taken is not None:
            raise ValidationError(
                "chart_number",
                f"Chart number {data.chart_number} already belongs to {taken.full_name}.",
            )
    before = audit.snapshot(row, AUDIT_FIELDS)
    _apply(row, data)
    changes = audit.diff(before, audit.snapshot(row, AUDIT_FIELDS))
    if changes:
        row.updated_at = utcnow()
        audit.record(
            session,
            actor,
            "update",
            "patient",
            row.id,
            changes,
            f"Patient {row.full_name} (chart {row.chart_number}) changed",
        )
    session.flush()
    return row


def discharge_patient(
    session: Session, actor: Actor, patient_id: int, *, on: date | None = None
) -> Patient:
    """Mark the patient discharged: they leave the active list, their history stays."""
    require(actor, "edit_patient")
    row = get_patient(session, patient_id)
    if not row.active:
        raise PtdeskError(f"{row.full_name} is already discharged.")
    on = on or clock.today()
    before = audit.snapshot(row, AUDIT_FIELDS)
    row.active = False
    row.discharged_on = on
    row.updated_at = utcnow()
    audit.record(
        session,
        actor,
        "discharge",
        "patient",
        row.id,
        audit.diff(before, audit.snapshot(row, AUDIT_FIELDS)),
        f"Patient {row.full_name} (chart {row.chart_number}) discharged on {on.isoformat()}",
    )
    session.flush()
    return row


def reactivate_patient(session: Session, actor: Actor, patient_id: int) -> Patient:
    """Bring a discharged patient back to the active list."""
    require(actor, "edit_patient")
    row = get_patient(session, patient_id)
    if row.active:
        raise PtdeskError(f"{row.full_name} is already an active patient.")
    before = audit.snapshot(row, AUDIT_FIELDS)
    row.active = True
    row.discharged_on = None
    row.updated_at = utcnow()
    audit.record(
        session,
        actor,
        "reactivate",
        "patient",
        row.id,
        audit.diff(before, audit.snapshot(row, AUDIT_FIELDS)),
        f"Patient {row.full_name} (chart {row.chart_number}) active again",
    )
    session.flush()
    return row


# -- actions of several steps (one unit of work each, the same for the screens and the CLI) ----

DISCHARGE_REASON = "Patient discharged"


def discharge_and_cancel_visits(
    session: Session, actor: Actor, patient_id: int, *, now: datetime | None = None
) -> int:
    """Discharge the patient today and cancel every visit still booked from ``now`` on, with
    one reason; both or neither. Returns how many visits were cancelled.

    ``now`` is the clinic's wall-clock time (the clinic clock when not given).
    """
    moment = clock.now() if now is None else now
    discharge_patient(session, actor, patient_id, on=moment.date())
    return scheduling.cancel_future_visits(session, actor, patient_id, DISCHARGE_REASON, now=moment)


@dataclass(frozen=True)
class PatientRecord:
    """A patient's record as a screen shows it: the patient and their authorizations."""

    patient: Patient
    authorizations: list[AuthorizationStatus]


def open_record(
    session: Session, actor: Actor, patient_id: int, *, today: date, log_view: bool = True
) -> PatientRecord:
    """Read a patient's record; opening it is written to the audit trail (``log_view`` False
    for showing again a record that is already open, such as after a refresh)."""
    patient = get_patient(session, patient_id)
    if log_view:
        audit_trail.record_patient_view(session, actor, patient_id)
    statuses = authorizations.statuses_for_patient(session, patient_id, today=today)
    return PatientRecord(patient, statuses)
