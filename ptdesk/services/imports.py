"""Data in from spreadsheets: staff, patients, appointments and equipment from CSV files.

A file is read whole and checked first (``preview``): every problem is listed with its row
number (the header is row 1, as in a spreadsheet). Only a file without problems is imported,
in one transaction: all of it or none of it. Rows already on file (patients by chart number,
appointments by chart number + staff + start, staff and equipment by name) are left alone, so
importing the same file twice adds nothing the second time.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import ParamSpec, TypeVar

from sqlmodel import Session, col, select

from ptdesk.errors import PtdeskError, ValidationError
from ptdesk.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    AppointmentStatusChange,
    Equipment,
    Patient,
    Role,
    Room,
    Staff,
)
from ptdesk.models.common import saved_id
from ptdesk.models.equipment import CleaningInterval, EquipmentCategory
from ptdesk.models.staff import ROLE_LABELS
from ptdesk.services import audit, clinic, clock, validation
from ptdesk.services import equipment as equipment_service
from ptdesk.services import patients as patient_service
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require
from ptdesk.services.scheduling import BOOKABLE_YEARS, is_late_cancellation

KINDS = ("staff", "patients", "appointments", "equipment")
KIND_LABELS = {
    "staff": "Staff",
    "patients": "Patients",
    "appointments": "Appointments",
    "equipment": "Equipment",
}
REQUIRED = {
    "staff": ["name", "role"],
    "patients": ["chart_number", "first_name", "last_name", "date_of_birth"],
    "appointments": ["chart_number", "staff", "start", "duration_min", "status", "kind"],
    "equipment": ["name", "category", "cleaning_interval"],
}
OPTIONAL = {
    "staff": ["credentials"],
    "patients": ["phone", "email", "weight_kg", "precautions"],
    "appointments": ["room", "cancelled_at", "cancel_reason", "notes"],
    "equipment": ["room", "product", "contact_time_min"],
}
# Columns ptdesk's own exports write for people to read; the import does not need them.
READ_ONLY = {"appointments": ["patient"]}
WALL_CLOCK_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")
MAX_BYTES = 20 * 1024 * 1024
ADD = "add"
ON_FILE = "already on file"
PROBLEM = "problem"


# -- plain values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    @property
    def text(self) -> str:
        where = f"Row {self.row}"
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class PreviewRow:
    row: int
    values: dict[str, str]
    action: str  # ADD, ON_FILE or PROBLEM


@dataclass(frozen=True)
class ImportPreview:
    kind: str
    columns: list[str]
    rows: list[PreviewRow]
    errors: list[RowError]
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_add(self) -> int:
        return sum(1 for r in self.rows if r.action == ADD)

    @property
    def on_file(self) -> int:
        return sum(1 for r in self.rows if r.action == ON_FILE)

    def summary(self) -> str:
        what = KIND_LABELS[self.kind].lower()
        if not self.ok:
            n = len(self.errors)
            return (
                f"{n} problem{'s' if n != 1 else ''} in the file: nothing will be imported "
                "until they are fixed."
            )
        return (
            f"{len(self.rows)} rows of {what}: {self.to_add} to add, "
            f"{self.on_file} already on file."
        )


@dataclass(frozen=True)
class ImportResult:
    kind: str
    added: int
    on_file: int
    warnings: list[str]
    dry_run: bool = False


class ImportRejected(PtdeskError):
    """The file has problems; nothing was written. ``preview`` lists them by row."""

    def __init__(self, preview: ImportPreview) -> None:
        self.preview = preview
        lines = [e.text for e in preview.errors[:10]]
        more = len(preview.errors) - len(lines)
        if more > 0:
            lines.append(f"… and {more} more.")
        super().__init__(
            f"{preview.summary()}\n" + "\n".join(lines) if lines else preview.summary()
        )


class _FileProblem(Exception):
    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


# -- reading the file --------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, list[str]]:
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # A UTF-16 mark that does not decode: judged below like any other file.
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-16"), warnings
    head = data[:8192]
    if any(b < 9 or 13 < b < 27 or 27 < b < 32 for b in head):
        raise _FileProblem(
            1,
            "This is not a CSV text file (it looks like a spreadsheet, picture or other "
            "program file). In the spreadsheet, use Save as… and choose CSV.",
        )
    try:
        return data.decode("utf-8-sig"), warnings
    except UnicodeDecodeError:
        warnings.append(
            "The file is not in UTF-8; it was read as Windows text. Check that accented "
            "letters came through."
        )
        return data.decode("cp1252", errors="replace"), warnings


def _separator(text: str) -> str:
    first = text.split("\n", 1)[0]
    outside = re.sub(r'"[^"]*"', "", first)
    counts = {sep: outside.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


def _column_name(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def read_rows(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    """Headers (normalized), data rows with their row numbers, and warnings."""
    if len(data) > MAX_BYTES:
        raise _FileProblem(1, "The file is larger than 20 MB; split it into smaller files.")
    text, warnings = _decode(data)
    if not text.strip():
        raise _FileProblem(1, "The file is empty: it needs a header row and at least one row.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise _FileProblem(reader.line_num, f"The file could not be read as CSV ({exc}).") from exc
    headers = [_column_name(h) for h in records[0]]
    rows = []
    for index, cells in enumerate(records[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append((index, cells))
    return headers, rows, warnings


# -- value checks ------------------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _choice(value: str, choices: dict[str, str], what: str) -> str:
    """A value written as ptdesk stores it or as its label, e.g. "no_show" or "No-show"."""
    found = choices.get(_key(value))
    if found is None:
        listed = ", ".join(sorted(set(choices.values())))
        raise ValueError(f"'{value}' is not a {what}. Use one of: {listed}.")
    return found


def _choices(values: dict[str, str]) -> dict[str, str]:
    out = {}
    for value, label in values.items():
        out[_key(value)] = value
        out[_key(label)] = value
    return out


ROLES = _choices({r.value: ROLE_LABELS[r] for r in Role}) | {
    "pt": Role.THERAPIST.value,
    "pta": Role.ASSISTANT.value,
    "aide": Role.TECHNICIAN.value,
}
STATUSES = _choices({s.value: s.label for s in AppointmentStatus})
APPT_KINDS = _choices({k.value: k.label for k in AppointmentKind})
CATEGORIES = _choices({c.value: c.label for c in EquipmentCategory})
INTERVALS = _choices({i.value: i.label for i in CleaningInterval}) | {"after_each_use": "after_use"}


def _wall_clock(value: str) -> datetime:
    text = value.strip()
    for fmt in WALL_CLOCK_FORMATS:
        try:
            when = datetime.strptime(text, fmt)
        except ValueError:
            continue
        first, last = BOOKABLE_YEARS  # outside these, a typing mistake (and out of range)
        if not first <= when.year <= last:
            raise ValueError(f"Check the year of {text}: use a year from {first} to {last}.")
        return when
    raise ValueError(f"'{value}' is not a date and time written like 2026-03-31 14:30.")


def _whole_number(value: str, what: str, lo: int, hi: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError(f"'{value}' is not a whole number of {what}.") from None
    if not lo <= number <= hi:
        raise ValueError(f"{number} is out of range: use {lo} to {hi} {what}.")
    return number


# -- per kind: check a row, then write it -----------------------------------------------------


@dataclass
class _Context:
    session: Session
    staff_by_name: dict[str, Staff]
    rooms_by_name: dict[str, Room]
    seen: dict[object, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class _RowProblem(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _check(column: str, fn: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs) -> _R:
    try:
        return fn(*args, **kwargs)
    except ValueError as exc:
        raise _RowProblem(column, str(exc)) from None
    except ValidationError as exc:
        raise _RowProblem(column, exc.message) from None


def _once(ctx: _Context, key: object, row: int, what: str) -> None:
    if key in ctx.seen:
        raise _RowProblem("", f"{what} is also on row {ctx.seen[key]}; keep one of the two.")
    ctx.seen[key] = row


def _room(ctx: _Context, name: str) -> int | None:
    if not name.strip():
        return None
    room = ctx.rooms_by_name.get(name.strip().lower())
    if room is None:
        raise _RowProblem("room", f"There is no room called '{name.strip()}'. Add it in Settings.")
    return room.id


def _staff_row(ctx: _Context, row: int, v: dict[str, str]) -> tuple[str, _Payload | None]:
    data = staff_service.StaffData(
        name=v["name"],
        role=_check("role", _choice, v["role"], ROLES, "role"),
        credentials=v.get("credentials", ""),
    )
    try:
        data = staff_service.validate(data)
    except ValidationError as exc:
        raise _RowProblem(exc.field, exc.message) from None
    _once(ctx, ("staff", data.name.lower()), row, f"{data.name}")
    if data.name.lower() in ctx.staff_by_name:
        return ON_FILE, None
    return ADD, data


def _patient_row(ctx: _Context, row: int, v: dict[str, str]) -> tuple[str, _Payload | None]:
    chart = v["chart_number"].strip()
    if not chart:
        raise _RowProblem("chart_number", "The chart number is missing.")
    weight = None
    if v.get("weight_kg", "").strip():
        try:
            weight = float(v["weight_kg"].strip().replace(",", "."))
        except ValueError:
            raise _RowProblem(
                "weight_kg", f"'{v['weight_kg']}' is not a weight in kilograms."
            ) from None
    precautions = "\n".join(
        p.strip() for p in re.split(r"[;\n]", v.get("precautions", "")) if p.strip()
    )
    try:
        dob = patient_service.parse_date(v["date_of_birth"], "date_of_birth", "The date of birth")
        data = patient_service.validate(
            patient_service.PatientData(
                first_name=v["first_name"],
                last_name=v["last_name"],
                date_of_birth=dob,
                chart_number=chart,
                phone=v.get("phone", ""),
                email=v.get("email", ""),
                weight_kg=weight,
                precautions=precautions,
            )
        )
    except ValidationError as exc:
        raise _RowProblem(exc.field, exc.message) from None
    _once(ctx, ("chart", chart.lower()), row, f"Chart number {chart}")
    existing = ctx.session.exec(select(Patient).where(col(Patient.chart_number) == chart)).first()
    if existing is not None:
        return ON_FILE, None
    twins = patient_service.find_duplicates(
        ctx.session, data.first_name, data.last_name, data.date_of_birth
    )
    if twins:
        ctx.warnings.append(
            f"Row {row}: {data.first_name} {data.last_name} with the same date of birth is "
            f"already on file as chart {twins[0].chart_number}; chart {chart} is added as "
            "another patient."
        )
    return ADD, data


@dataclass
class _AppointmentData:
    patient_id: int
    staff_id: int
    room_id: int | None
    start: datetime
    end: datetime
    status: str
    kind: str
    cancelled_at: datetime | None
    cancel_reason: str
    notes: str
    label: str


# What a row to add carries to the writing step, by the kind of file.
_Payload = (
    staff_service.StaffData
    | patient_service.PatientData
    | _AppointmentData
    | equipment_service.EquipmentData
)


def _appointment_row(ctx: _Context, row: int, v: dict[str, str]) -> tuple[str, _Payload | None]:
    chart = v["chart_number"].strip()
    patient = ctx.session.exec(select(Patient).where(col(Patient.chart_number) == chart)).first()
    if patient is None:
        raise _RowProblem(
            "chart_number",
            f"No patient has chart number '{chart}'. Import or add the patient first.",
        )
    staff = ctx.staff_by_name.get(v["staff"].strip().lower())
    if staff is None:
        raise _RowProblem(
            "staff", f"No staff member is called '{v['staff'].strip()}'. Add them first."
        )
    start = _check("start", _wall_clock, v["start"])
    minutes = _check("duration_min", _whole_number, v["duration_min"], "minutes", 5, 480)
    status = _check("status", _choice, v["status"], STATUSES, "status")
    kind = _check("kind", _choice, v["kind"], APPT_KINDS, "kind of visit")
    if start > clock.now() and status in (
        AppointmentStatus.COMPLETED.value,
        AppointmentStatus.NO_SHOW.value,
        AppointmentStatus.CHECKED_IN.value,
    ):
        raise _RowProblem(
            "status",
            f"This visit is in the future ({start:%Y-%m-%d %H:%M}), so it cannot be "
            f"{AppointmentStatus(status).label.lower()} yet.",
        )
    room_id = _room(ctx, v.get("room", ""))
    cancelled_at = None
    if v.get("cancelled_at", "").strip():
        cancelled_at = _check("cancelled_at", _wall_clock, v["cancelled_at"])
        if status != AppointmentStatus.CANCELLED.value:
            raise _RowProblem(
                "cancelled_at", "A cancellation time is given but the status is not cancelled."
            )
    reason = _check(
        "cancel_reason",
        validation.text,
        v.get("cancel_reason", ""),
        "cancel_reason",
        "The cancel reason",
    )
    notes = _check(
        "notes", lambda t: validation.text(t, "notes", "Notes", max_len=2000), v.get("notes", "")
    )
    _once(
        ctx,
        ("appt", chart.lower(), staff.id, start),
        row,
        f"The appointment of {chart} with {staff.name} at {start:%Y-%m-%d %H:%M}",
    )
    existing = ctx.session.exec(
        select(Appointment.id).where(
            col(Appointment.patient_id) == patient.id,
            col(Appointment.staff_id) == staff.id,
            col(Appointment.start) == start,
        )
    ).first()
    if existing is not None:
        return ON_FILE, None
    return ADD, _AppointmentData(
        patient_id=saved_id(patient),
        staff_id=saved_id(staff),
        room_id=room_id,
        start=start,
        end=start + timedelta(minutes=minutes),
        status=status,
        kind=kind,
        cancelled_at=cancelled_at,
        cancel_reason=reason,
        notes=notes,
        label=f"{patient.full_name} with {staff.name} on {start:%Y-%m-%d %H:%M}",
    )


FIELD_COLUMNS = {"contact_minutes": "contact_time_min", "room_id": "room"}


def _equipment_row(ctx: _Context, row: int, v: dict[str, str]) -> tuple[str, _Payload | None]:
    contact = 0
    if v.get("contact_time_min", "").strip():
        contact = _check("contact_time_min", _whole_number, v["contact_time_min"], "minutes", 0, 60)
    data = equipment_service.EquipmentData(
        name=v["name"],
        category=_check("category", _choice, v["category"], CATEGORIES, "category"),
        cleaning_interval=_check(
            "cleaning_interval",
            _choice,
            v["cleaning_interval"],
            INTERVALS,
            "cleaning interval",
        ),
        room_id=_room(ctx, v.get("room", "")),
        product=v.get("product", ""),
        contact_minutes=contact,
    )
    try:
        data = equipment_service.validate(ctx.session, data)
    except ValidationError as exc:
        raise _RowProblem(FIELD_COLUMNS.get(exc.field, exc.field), exc.message) from None
    _once(ctx, ("equipment", data.name.lower()), row, data.name)
    existing = ctx.session.exec(
        select(Equipment.id).where(
            col(Equipment.active).is_(True),
            col(Equipment.name) == data.name,
        )
    ).first()
    if existing is not None:
        return ON_FILE, None
    return ADD, data


CHECKS = {
    "staff": _staff_row,
    "patients": _patient_row,
    "appointments": _appointment_row,
    "equipment": _equipment_row,
}


def _context(session: Session) -> _Context:
    return _Context(
        session=session,
        staff_by_name={s.name.strip().lower(): s for s in session.exec(select(Staff))},
        rooms_by_name={r.name.strip().lower(): r for r in session.exec(select(Room))},
    )


def _analyse(
    session: Session, kind: str, data: bytes
) -> tuple[ImportPreview, list[tuple[int, _Payload]]]:
    if kind not in KINDS:
        raise ValidationError(
            "kind", "Choose what the file holds: staff, patients, appointments or equipment."
        )
    try:
        headers, records, warnings = read_rows(data)
    except _FileProblem as problem:
        return ImportPreview(kind, [], [], [RowError(problem.row, "", problem.message)]), []
    required = REQUIRED[kind]
    known = required + OPTIONAL[kind]
    errors: list[RowError] = []
    seen_headers: dict[str, int] = {}
    for i, h in enumerate(headers):
        if not h:
            continue
        if h in seen_headers and h in known:
            errors.append(RowError(1, h, f"The column '{h}' appears twice."))
        seen_headers.setdefault(h, i)
    missing = [c for c in required if c not in seen_headers]
    if missing:
        names = ", ".join(missing)
        errors.append(
            RowError(
                1,
                "",
                f"The header row lacks the column{'s' if len(missing) > 1 else ''} {names}. "
                f"A {KIND_LABELS[kind].lower()} file needs: {', '.join(required)}.",
            )
        )
    extra = [h for h in seen_headers if h and h not in known and h not in READ_ONLY.get(kind, [])]
    for h in extra:
        warnings.append(f"The column '{h}' is not used and was ignored.")
    columns = [c for c in known if c in seen_headers]
    if not records and not errors:
        errors.append(RowError(1, "", "The file has a header row but no rows below it."))
    if errors:
        return ImportPreview(kind, columns, [], errors, warnings), []
    ctx = _context(session)
    rows: list[PreviewRow] = []
    to_write: list[tuple[int, _Payload]] = []
    for number, cells in records:
        if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers) :]):
            errors.append(
                RowError(
                    number,
                    "",
                    "This row has more values than the header has columns; a value may "
                    "hold an unquoted separator.",
                )
            )
            values = {c: "" for c in columns}
            rows.append(PreviewRow(number, values, PROBLEM))
            continue
        values = {c: (cells[i] if i < len(cells) else "").strip() for c, i in seen_headers.items()}
        shown = {c: values.get(c, "") for c in columns}
        try:
            action, payload = CHECKS[kind](ctx, number, values)
        except _RowProblem as problem:
            errors.append(RowError(number, problem.column, problem.message))
            rows.append(PreviewRow(number, shown, PROBLEM))
            continue
        rows.append(PreviewRow(number, shown, action))
        if payload is not None:  # a row to add (ADD) carries what to write; one on file, nothing
            to_write.append((number, payload))
    return ImportPreview(kind, columns, rows, errors, warnings + ctx.warnings), to_write


def preview(session: Session, kind: str, data: bytes) -> ImportPreview:
    """Check the file without writing anything: its rows, and its problems by row."""
    return _analyse(session, kind, data)[0]


# -- writing -----------------------------------------------------------------------------------


def _write(session: Session, actor: Actor, payload: _Payload, late_hours: int) -> None:
    if isinstance(payload, staff_service.StaffData):
        staff_service.create_staff(session, actor, payload)
    elif isinstance(payload, patient_service.PatientData):
        patient_service.create_patient(session, actor, payload, allow_duplicate=True)
    elif isinstance(payload, equipment_service.EquipmentData):
        equipment_service.create_equipment(session, actor, payload)
    else:
        a = payload
        cancelled_utc = clock.local_to_utc(a.cancelled_at) if a.cancelled_at else None
        late = a.cancelled_at is not None and is_late_cancellation(
            a.start, a.cancelled_at, timedelta(hours=late_hours)
        )
        appt = Appointment(
            patient_id=a.patient_id,
            staff_id=a.staff_id,
            room_id=a.room_id,
            start=a.start,
            end=a.end,
            status=a.status,
            kind=a.kind,
            notes=a.notes,
            cancelled_at=cancelled_utc,
            cancel_reason=a.cancel_reason,
            late_cancel=late,
        )
        session.add(appt)
        session.flush()
        session.add(
            AppointmentStatusChange(
                appointment_id=saved_id(appt),
                from_status="",
                to_status=a.status,
                actor_id=actor.id,
                actor_name=actor.name,
                note="Imported from a CSV file",
            )
        )
        audit.record_new(
            session,
            actor,
            "import",
            "appointment",
            appt,
            f"Imported appointment for {a.label}",
        )


def import_csv(
    session: Session, actor: Actor, kind: str, data: bytes, *, dry_run: bool = False
) -> ImportResult:
    """Import the whole file, or nothing: a file with any problem raises ImportRejected."""
    require(actor, "import_data")
    checked, to_write = _analyse(session, kind, data)
    if not checked.ok:
        raise ImportRejected(checked)
    if not dry_run:
        late_hours = clinic.get_profile(session).late_cancel_hours
        for _row, payload in to_write:
            _write(session, actor, payload, late_hours)
        audit.record(
            session,
            actor,
            "import",
            kind,
            None,
            {"added": [0, len(to_write)], "already_on_file": [0, checked.on_file]},
            f"Imported {len(to_write)} {KIND_LABELS[kind].lower()} from a CSV file "
            f"({checked.on_file} already on file)",
        )
        session.flush()
    return ImportResult(kind, len(to_write), checked.on_file, checked.warnings, dry_run)
