"""The owner's monthly figures: visits, rates, staff, billing units, cleaning, transfers, authorizations.

Every figure is plain data (dataclasses, then a dict for JSON and rows for CSV); the PDF in
``ptdesk.reports.monthly`` is drawn from the same values.

Definitions (an appointment belongs to the month of its start, clinic wall-clock time):

- ``scheduled``: every appointment in the month, whatever its status.
- ``completed``, ``no_show``: appointments with that status.
- ``cancelled``: cancelled at least the clinic's late-cancel notice (default 24 h) before the
  start; ``late_cancelled``: cancelled with less notice than that, or after the start.
- ``unresolved``: the start is already past and the visit is still scheduled or checked in.
- ``arrival_rate`` = completed / (completed + cancelled + late_cancelled + no_show);
  ``no_show_rate`` and ``cancellation_rate`` (both kinds of cancellation) share that
  denominator. A rate is ``None`` when its denominator is 0.
- ``patients_seen``: distinct patients with a completed appointment in the month;
  ``new_patients``: patients whose first completed appointment ever is in the month;
  ``evaluations``: completed appointments of kind evaluation.
- ``by_staff``: per staff member; booked hours are the hours of every appointment that was
  not cancelled; utilization = hours of completed visits / working hours in the month
  (someone without working hours on file works the clinic's hours on clinic days, as in the
  schedule).
- ``units_by_code``, ``total_units``: billing units of the session records of the month's
  visits (every record, signed or not); ``units_per_visit`` = total units / records.
- ``cleaning``: due periods whose deadline falls in the month, those done on time, those
  missed, the share done (compliance), and safety checks or calibrations now overdue.
- ``transfers``: checklists started in the month that were completed or aborted, and the
  near misses and falls recorded on them.
- ``authorizations_expiring``: active authorizations that end within 30 days after the
  month, or whose remaining visits are used up by the visits booked in those 30 days.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Row, bindparam, case, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from ptdesk.errors import ValidationError
from ptdesk.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Authorization,
    Patient,
    SessionIntervention,
    SessionRecord,
    Staff,
)
from ptdesk.models.transfers import ChecklistStatus, Incident, TransferChecklist
from ptdesk.reports.monthly_data import (
    APPOINTMENT_KEYS,
    AppointmentCounts,
    CleaningFigures,
    ExpiringAuthorization,
    Headline,
    IncidentLine,
    MonthlyReport,
    MonthPoint,
    OverdueCheck,
    StaffFigures,
    TransferFigures,
)
from ptdesk.services import cleaning as cleaning_service
from ptdesk.services.audit import Actor
from ptdesk.services.clinic import ClinicProfileData, get_profile
from ptdesk.services.clock import LocalTimes, naive_utc, record_time
from ptdesk.services.permissions import require

S = AppointmentStatus
OPEN = (S.SCHEDULED.value, S.CHECKED_IN.value)
EXPIRY_WINDOW_DAYS = 30
TREND_MONTHS = 12


# -- months ------------------------------------------------------------------------------------


def parse_month(text: str) -> date:
    """``YYYY-MM`` as the first day of that month."""
    try:
        year, month = (int(p) for p in text.strip().split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise ValidationError("month", f"'{text}' is not a month like 2026-03.") from None


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def previous_month(first: date) -> date:
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def month_end(first: date) -> date:
    return next_month(first) - timedelta(days=1)


def month_label(first: date) -> str:
    return first.strftime("%B %Y")


def _local(value: datetime) -> datetime:
    """A UTC record time as the clinic's naive wall-clock time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone().replace(tzinfo=None)


# -- appointments ------------------------------------------------------------------------------


class _Visit(NamedTuple):
    """What the staff table, the month's counts and the visits per day need of a visit (the
    patients seen, new patients and evaluations are counted by the database)."""

    staff_id: int
    start: datetime
    end: datetime
    status: str
    cancelled_at: datetime | None
    late_cancel: bool


def _rows(session: Session, stmt: Any) -> Sequence[Row]:
    """Plain tuples of a column query, through Core: no ORM loading or identity map."""
    return session.connection().execute(stmt).all()


def _visits(session: Session, lo: datetime, hi: datetime) -> list[_Visit]:
    stmt = (
        select(
            Appointment.staff_id,
            Appointment.start,
            Appointment.end,
            Appointment.status,
            record_time(Appointment.cancelled_at),
            Appointment.late_cancel,
        )
        .where(col(Appointment.start) >= lo, col(Appointment.start) < hi)
        .order_by(col(Appointment.start), col(Appointment.id))
    )
    return [_Visit._make(row) for row in _rows(session, stmt)]


_CANCELLED = S.CANCELLED.value
_COMPLETED = S.COMPLETED.value
_NO_SHOW = S.NO_SHOW.value
_EVALUATION = AppointmentKind.EVALUATION.value


# No time zone, now or in the past, has been further than this from UTC.
_WIDEST_OFFSET = timedelta(hours=16)


def _cancel_bucket(
    start: datetime,
    cancelled_at: datetime | None,
    late_cancel: bool,
    notice: timedelta,
    local: Callable[[datetime], datetime] = _local,
) -> str:
    """A cancellation's bucket: with the notice given (record time as clinic time), or, with
    no record of when, the flag set at cancelling."""
    if cancelled_at is None:
        return "late_cancelled" if late_cancel else "cancelled"
    # Far enough from the notice, the answer is the same in every time zone: no conversion.
    gap = start - naive_utc(cancelled_at)
    if gap - _WIDEST_OFFSET >= notice:
        return "cancelled"
    if gap + _WIDEST_OFFSET < notice:
        return "late_cancelled"
    return "cancelled" if start - local(cancelled_at) >= notice else "late_cancelled"


def outcome(
    visit: _Visit, notice: timedelta, local: Callable[[datetime], datetime] = _local
) -> str:
    """The visit's bucket: completed, no_show, cancelled, late_cancelled, or its open status."""
    if visit.status != _CANCELLED:
        return visit.status
    return _cancel_bucket(visit.start, visit.cancelled_at, visit.late_cancel, notice, local)


def _count(visits: list[_Visit], outcomes: list[str], now: datetime) -> AppointmentCounts:
    """Counts of ``visits``, whose buckets (``outcome``) are ``outcomes``."""
    n: dict[str, int] = defaultdict(int)
    for v, bucket in zip(visits, outcomes, strict=True):
        n["scheduled"] += 1
        if bucket in OPEN:
            if v.start < now:
                n["unresolved"] += 1
        else:
            n[bucket] += 1
    return AppointmentCounts(**{k: n[k] for k in APPOINTMENT_KEYS})


def _bounds(first: date) -> tuple[datetime, datetime]:
    return datetime.combine(first, time.min), datetime.combine(next_month(first), time.min)


# Statements of a fixed shape are built once and run with each month's bounds as parameters:
# building and keying a statement of a dozen CASE branches costs more than running it.
_STATEMENTS: dict[tuple[str, int], Any] = {}


def _statement(name: str, months: int, build: Callable[[int], Any]) -> Any:
    key = (name, months)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = build(months)
    return _STATEMENTS[key]


def _month_params(months: list[date]) -> dict[str, datetime]:
    """The bounds of ``months`` (ascending, consecutive): ``m0``..``mN`` are their first
    days, ``mN`` the day after the last one."""
    params = {f"m{i}": datetime.combine(m, time.min) for i, m in enumerate(months)}
    params[f"m{len(months)}"] = datetime.combine(next_month(months[-1]), time.min)
    return params


def _month_bucket(months: int, start: Any = None) -> Any:
    """The index among the months of an appointment's month (bounds from ``_month_params``)."""
    start = col(Appointment.start) if start is None else start
    return case(
        *((start < bindparam(f"m{i + 1}"), i) for i in range(months)),
        else_=months - 1,
    ).label("bucket")


def _in_months(months: int, start: Any = None) -> tuple[Any, Any]:
    start = col(Appointment.start) if start is None else start
    return start >= bindparam("m0"), start < bindparam(f"m{months}")


def _counts_statement(months: int) -> Any:
    """Counts for each month, each an index range count (status and start): every
    appointment, completed, no-shows, and open visits whose start is past."""
    start, status = col(Appointment.start), col(Appointment.status)
    columns = []
    for i in range(months):
        lo, hi = bindparam(f"m{i}"), bindparam(f"m{i + 1}")
        for name, where in (
            ("all", (start >= lo, start < hi)),
            ("done", (status == _COMPLETED, start >= lo, start < hi)),
            ("noshow", (status == _NO_SHOW, start >= lo, start < hi)),
            ("past", (status.in_(OPEN), start >= lo, start < bindparam(f"past{i}"))),
        ):
            counted = select(func.count()).select_from(Appointment).where(*where)
            columns.append(counted.scalar_subquery().label(f"{name}{i}"))
    return select(*columns)


def _cancellations_statement(months: int) -> Any:
    return select(
        _month_bucket(months),
        col(Appointment.start),
        record_time(Appointment.cancelled_at),
        col(Appointment.late_cancel),
    ).where(*_in_months(months), col(Appointment.status) == _CANCELLED)


def _month_counts(
    session: Session, months: list[date], notice: timedelta, now: datetime
) -> dict[date, AppointmentCounts]:
    """The appointment counts of each month in ``months`` (ascending, consecutive), counted
    by the database without reading their rows; only cancellations come back as rows, their
    notice judged in clinic time as in ``outcome``."""
    params: dict[str, Any] = _month_params(months)
    for i in range(len(months)):
        params[f"past{i}"] = min(max(now, params[f"m{i}"]), params[f"m{i + 1}"])
    connection = session.connection()
    counts = _statement("counts", len(months), _counts_statement)
    figures = connection.execute(counts, params).one()
    n: list[dict[str, int]] = [defaultdict(int) for _ in months]
    for i in range(len(months)):
        every, done, no_show, past = figures[4 * i : 4 * i + 4]
        n[i].update(scheduled=every, completed=done, no_show=no_show, unresolved=past)
    cancelled = _statement("cancellations", len(months), _cancellations_statement)
    local = LocalTimes()
    for i, when, cancelled_at, late in connection.execute(cancelled, params).all():
        n[i][_cancel_bucket(when, cancelled_at, late, notice, local)] += 1
    return {
        m: AppointmentCounts(**{k: n[i][k] for k in APPOINTMENT_KEYS}) for i, m in enumerate(months)
    }


def _seen_statement(_: int) -> Any:
    """Patients seen and evaluations in one month (month by month: grouping two months by
    month costs SQLite more than asking twice)."""
    return select(
        func.count(func.distinct(Appointment.patient_id)),
        func.sum(case((col(Appointment.kind) == _EVALUATION, 1), else_=0)),
    ).where(*_in_months(1), col(Appointment.status) == _COMPLETED)


def _new_statement(_: int) -> Any:
    """Patients whose completed visit in the month is their first completed visit ever."""
    earlier = aliased(Appointment)
    before = (
        select(earlier.id)
        .where(
            earlier.patient_id == Appointment.patient_id,
            earlier.status == _COMPLETED,
            earlier.start < bindparam("m0"),
        )
        .exists()
    )
    return select(func.count(func.distinct(Appointment.patient_id))).where(
        *_in_months(1), col(Appointment.status) == _COMPLETED, ~before
    )


def _patients(session: Session, months: list[date]) -> dict[date, tuple[int, int, int]]:
    """Per month: patients seen, new patients (no completed visit before that month) and
    evaluations, from completed visits, counted by the database."""
    connection = session.connection()
    out = {}
    for m in months:
        params = _month_params([m])
        seen, evaluations = connection.execute(_statement("seen", 1, _seen_statement), params).one()
        new = connection.execute(_statement("new", 1, _new_statement), params).scalar_one()
        out[m] = (int(seen), int(new), int(evaluations or 0))
    return out


def _records_statement(months: int) -> Any:
    bucket = _month_bucket(months)
    return (
        select(bucket, func.count())
        .select_from(SessionRecord)
        .join(Appointment, col(Appointment.id) == col(SessionRecord.appointment_id))
        .where(*_in_months(months))
        .group_by(bucket)
    )


def _units_statement(_: int) -> Any:
    """Units per code of one month's visits (one month at a time: SQLite sums two months'
    interventions grouped by month and code slower than each month's by code)."""
    return (
        select(SessionIntervention.code, func.sum(SessionIntervention.units))
        .join(SessionRecord, col(SessionRecord.id) == col(SessionIntervention.record_id))
        .join(Appointment, col(Appointment.id) == col(SessionRecord.appointment_id))
        .where(*_in_months(1))
        .group_by(SessionIntervention.code)
        .order_by(SessionIntervention.code)
    )


def _units(session: Session, months: list[date]) -> dict[date, tuple[dict[str, int], int]]:
    """Per month: units per code, and how many session records, for the visits of the month."""
    connection = session.connection()
    units: list[dict[str, int]] = []
    for m in months:
        rows = connection.execute(_statement("units", 1, _units_statement), _month_params([m]))
        units.append({code: int(total) for code, total in rows.all() if total})
    count = [0] * len(months)
    records = _statement("records", len(months), _records_statement)
    for i, n in connection.execute(records, _month_params(months)).all():
        count[i] = int(n)
    return {m: (units[i], count[i]) for i, m in enumerate(months)}


# -- staff -------------------------------------------------------------------------------------


def _working_hours(raw: dict | None, first: date, profile: ClinicProfileData) -> float:
    hours: dict[int, tuple[time, time]] = {}
    for key, value in (raw or {}).items():
        try:
            lo, hi = value
            hours[int(key)] = (time.fromisoformat(lo), time.fromisoformat(hi))
        except (TypeError, ValueError):
            continue
    if not hours:  # the schedule's rule: clinic hours on clinic days
        hours = {d: (profile.opens_at, profile.closes_at) for d in profile.clinic_weekdays}
    total = 0.0
    day = first
    end = next_month(first)
    while day < end:
        span = hours.get(day.isoweekday())
        if span is not None:
            lo = datetime.combine(day, span[0])
            hi = datetime.combine(day, span[1])
            total += max(0.0, (hi - lo).total_seconds() / 3600)
        day += timedelta(days=1)
    return total


def _hours(v: _Visit) -> float:
    return (v.end - v.start).total_seconds() / 3600


def _by_staff(
    session: Session,
    visits: list[_Visit],
    outcomes: list[str],
    first: date,
    profile: ClinicProfileData,
) -> list[StaffFigures]:
    # One pass over the visits, each staff member's figures summed in visit order.
    buckets: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    booked: dict[int, float] = defaultdict(float)
    completed_hours: dict[int, float] = defaultdict(float)
    for v, bucket in zip(visits, outcomes, strict=True):
        buckets[v.staff_id][bucket] += 1
        if bucket not in ("cancelled", "late_cancelled"):
            booked[v.staff_id] += _hours(v)
        if bucket == _COMPLETED:
            completed_hours[v.staff_id] += _hours(v)
    staff = select(
        col(Staff.id), col(Staff.name), col(Staff.role), col(Staff.active), Staff.working_hours
    ).order_by(col(Staff.name))
    out = []
    for staff_id, name, role, active, working_hours in _rows(session, staff):
        if staff_id not in buckets and not (active and role != "front_desk"):
            continue
        mine = buckets.get(staff_id, {})
        out.append(
            StaffFigures(
                name=name,
                role=role,
                completed=mine.get("completed", 0),
                no_show=mine.get("no_show", 0),
                cancelled=mine.get("cancelled", 0),
                late_cancelled=mine.get("late_cancelled", 0),
                booked_hours=booked.get(staff_id, 0.0),
                completed_hours=completed_hours.get(staff_id, 0.0),
                working_hours=_working_hours(working_hours, first, profile),
            )
        )
    return out


# -- cleaning, transfers, authorizations -------------------------------------------------------


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
    lo = datetime.combine(first, time.min).astimezone(UTC)
    hi = datetime.combine(next_month(first), time.min).astimezone(UTC)
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
                    _local(row.started_at),
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


def _authorizations_near() -> tuple[Any, ...]:
    """Active authorizations overlapping the 30 days after the month (``window_lo``..``hi``)."""
    return (
        col(Authorization.active).is_(True),
        col(Authorization.end_date) >= bindparam("window_lo"),
        col(Authorization.start_date) <= bindparam("window_hi"),
    )


def _visits_counted(visit: Any, statuses: tuple[str, ...], *within: Any) -> Any:
    """How many of the authorization's patient's visits with ``statuses`` fall on its days
    (start date to end date, both included) and ``within``: one index range per row."""
    return (
        select(func.count())
        .select_from(visit)
        .where(
            visit.patient_id == col(Authorization.patient_id),
            visit.status.in_(statuses),
            visit.start >= col(Authorization.start_date),
            func.date(visit.start) <= col(Authorization.end_date),
            *within,
        )
        .scalar_subquery()
    )


def _authorizations_statement(_: int) -> Any:
    """The authorizations near the window, each with its visits used (completed) and its open
    visits booked in the window, counted by the database."""
    completed, booked = aliased(Appointment), aliased(Appointment)
    return (
        select(
            col(Authorization.payer),
            col(Authorization.start_date),
            col(Authorization.end_date),
            col(Authorization.visits_authorized),
            col(Patient.chart_number),
            col(Patient.first_name),
            col(Patient.last_name),
            _visits_counted(completed, (_COMPLETED,)),
            _visits_counted(
                booked,
                OPEN,
                booked.start >= bindparam("window_start"),
                booked.start < bindparam("window_stop"),
            ),
        )
        .join(Patient, col(Patient.id) == col(Authorization.patient_id))
        .where(*_authorizations_near())
        .order_by(col(Authorization.end_date), col(Patient.last_name), col(Patient.first_name))
    )


def _expiring(session: Session, first: date) -> list[ExpiringAuthorization]:
    last = month_end(first)
    window_lo = last + timedelta(days=1)
    window_hi = last + timedelta(days=EXPIRY_WINDOW_DAYS)
    params = {
        "window_lo": window_lo,
        "window_hi": window_hi,
        "window_start": datetime.combine(window_lo, time.min),
        "window_stop": datetime.combine(window_hi + timedelta(days=1), time.min),
    }
    found = (
        session.connection()
        .execute(_statement("authorizations", 0, _authorizations_statement), params)
        .all()
    )
    out = []
    for payer, _start, end_date, allowed, chart, first_name, last_name, used, booked in found:
        ends = end_date <= window_hi
        runs_out = allowed - used - booked <= 0
        if ends or runs_out:
            out.append(
                ExpiringAuthorization(
                    chart_number=chart,
                    patient=f"{first_name} {last_name}".strip(),
                    payer=payer,
                    end_date=end_date,
                    visits_authorized=allowed,
                    visits_used=int(used),
                    visits_booked=int(booked),
                    reason=", ".join(r for r, on in (("ends", ends), ("runs out", runs_out)) if on),
                )
            )
    return out


# -- the report --------------------------------------------------------------------------------


def monthly_report(
    session: Session,
    actor: Actor,
    month: date,
    *,
    now: datetime | None = None,
    with_history: bool = True,
) -> MonthlyReport:
    """Every figure of ``month`` (any day in it); ``now`` is the clinic's wall-clock time.

    ``with_history`` adds what the PDF compares with: the month before, the completed visits
    per day, and the last 12 months' rates.
    """
    require(actor, "export_report")
    first = month_start(month)
    now = (now or datetime.now()).replace(microsecond=0)
    profile = get_profile(session)
    notice = timedelta(hours=profile.late_cancel_hours)
    lo, hi = _bounds(first)
    # Rows only for the month itself (the staff table and the visits per day need them); the
    # month before and the year's trend are counted by the database.
    visits = _visits(session, lo, hi)
    local = LocalTimes()
    outcomes = [outcome(v, notice, local) for v in visits]
    before = previous_month(first)
    headline_months = [before, first] if with_history else [first]
    patients = _patients(session, headline_months)
    units = _units(session, headline_months)
    seen, new, evaluations = patients[first]
    units_by_code, records = units[first]
    report = MonthlyReport(
        month=first,
        clinic_name=profile.name,
        appointments=_count(visits, outcomes, now),
        patients_seen=seen,
        new_patients=new,
        evaluations=evaluations,
        by_staff=_by_staff(session, visits, outcomes, first, profile),
        units_by_code=units_by_code,
        total_units=sum(units_by_code.values()),
        records=records,
        cleaning=_cleaning(session, first, now),
        transfers=_transfers(session, first),
        authorizations_expiring=_expiring(session, first),
        late_cancel_hours=profile.late_cancel_hours,
        generated_at=now,
    )
    if not with_history:
        return report
    months = [first]
    for _ in range(TREND_MONTHS - 1):
        months.append(previous_month(months[-1]))
    months.reverse()
    counted = _month_counts(session, months[:-1], notice, now)
    counted[first] = report.appointments
    trend = [MonthPoint(m, counted[m]) for m in months]
    p_seen, p_new, p_eval = patients[before]
    p_units, _ = units[before]
    previous = Headline(counted[before], p_seen, p_new, p_eval, sum(p_units.values()))
    per_day: dict[date, int] = defaultdict(int)
    for v in visits:
        if v.status == _COMPLETED:
            per_day[v.start.date()] += 1
    days = []
    day = first
    while day < hi.date():
        days.append((day, per_day[day]))
        day += timedelta(days=1)
    return replace(report, previous=previous, completed_by_day=days, trend=trend)


# -- other formats -----------------------------------------------------------------------------


CSV_COLUMNS = ["section", "item", "figure", "value"]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def report_rows(report: MonthlyReport) -> list[dict[str, str]]:
    """The report as long-format rows (section, item, figure, value) for a spreadsheet."""
    data = report.to_dict()
    rows: list[dict[str, str]] = []

    def add(section: str, item: str, figure: str, value: Any) -> None:
        rows.append({"section": section, "item": item, "figure": figure, "value": _text(value)})

    add("month", "", "month", data["month"])
    for k, v in data["appointments"].items():
        add("appointments", "", k, v)
    for k in (
        "arrival_rate",
        "no_show_rate",
        "cancellation_rate",
        "patients_seen",
        "new_patients",
        "evaluations",
    ):
        add("patients", "", k, data[k])
    for name, figures in data["by_staff"].items():
        for k, v in figures.items():
            add("by_staff", name, k, v)
    for code, units in data["units_by_code"].items():
        add("units_by_code", code, "units", units)
    add("units", "", "total_units", data["total_units"])
    add("units", "", "units_per_visit", data["units_per_visit"])
    for k, v in data["cleaning"].items():
        add("cleaning", "", k, v)
    for item, period in report.cleaning.missed_items:
        add("cleaning", item, "missed_period", period)
    for k, v in data["transfers"].items():
        add("transfers", "", k, v)
    for a in report.authorizations_expiring:
        item = f"{a.chart_number} {a.patient} ({a.payer})"
        add("authorizations_expiring", item, "end_date", a.end_date.isoformat())
        add("authorizations_expiring", item, "visits_left", a.remaining)
        add("authorizations_expiring", item, "visits_booked", a.visits_booked)
        add("authorizations_expiring", item, "reason", a.reason)
    return rows


def report_csv(report: MonthlyReport) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(report_rows(report))
    return buffer.getvalue()


def report_json(report: MonthlyReport) -> str:
    import json

    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def report_pdf(
    session: Session,
    actor: Actor,
    month: date,
    *,
    now: datetime | None = None,
    printed_on: date | None = None,
) -> bytes:
    """The whole job: figures from the database, then the PDF."""
    from ptdesk.reports import monthly
    from ptdesk.reports.common import Letterhead

    report = monthly_report(session, actor, month, now=now)
    letterhead = Letterhead.from_profile(get_profile(session))
    return monthly.build(report, letterhead, printed_on=printed_on)
