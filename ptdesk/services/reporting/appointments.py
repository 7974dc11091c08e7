"""The month's appointments: visits, their outcome buckets, and counts done by the database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple, TypeVarTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Label,
    Row,
    Select,
    SQLColumnExpression,
    bindparam,
    case,
    func,
)
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from ptdesk.models import Appointment, AppointmentKind, SessionIntervention, SessionRecord
from ptdesk.services.clock import LocalTimes, exact_local, naive_utc, record_time
from ptdesk.services.reporting.figures import APPOINTMENT_KEYS, OPEN, AppointmentCounts, S
from ptdesk.services.reporting.months import next_month
from ptdesk.services.scheduling.statuses import is_late_cancellation


class _Visit(NamedTuple):
    """What the staff table, the month's counts and the visits per day need of a visit (the
    patients seen, new patients and evaluations are counted by the database)."""

    staff_id: int
    start: datetime
    end: datetime
    status: str
    cancelled_at: datetime | None
    late_cancel: bool


_Ts = TypeVarTuple("_Ts")


def _rows(session: Session, stmt: Select[*_Ts]) -> Sequence[Row[*_Ts]]:
    """Plain tuples of a column query, through Core: no ORM loading or identity map."""
    return session.connection().execute(stmt).all()


def _visits(session: Session, lo: datetime, hi: datetime) -> list[_Visit]:
    stmt = (
        sa_select(
            col(Appointment.staff_id),
            col(Appointment.start),
            col(Appointment.end),
            col(Appointment.status),
            record_time(col(Appointment.cancelled_at)),
            col(Appointment.late_cancel),
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
    local: Callable[[datetime], datetime] = exact_local,
) -> str:
    """A cancellation's bucket: with the notice given (record time as clinic time), or, with
    no record of when, the flag set at cancelling."""
    if cancelled_at is None:
        return "late_cancelled" if late_cancel else "cancelled"
    # Far enough from the notice, the answer is the same in every time zone: no conversion.
    utc = naive_utc(cancelled_at)
    if not is_late_cancellation(start, utc + _WIDEST_OFFSET, notice):
        return "cancelled"
    if is_late_cancellation(start, utc - _WIDEST_OFFSET, notice):
        return "late_cancelled"
    return (
        "late_cancelled"
        if is_late_cancellation(start, local(cancelled_at), notice)
        else "cancelled"
    )


def outcome(
    visit: _Visit, notice: timedelta, local: Callable[[datetime], datetime] = exact_local
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
_STATEMENTS: dict[tuple[str, int], Select[*tuple[Any, ...]]] = {}


def _statement(name: str, months: int, build: Callable[[int], Select[*_Ts]]) -> Select[*_Ts]:
    """The statement ``build`` makes for ``months``, made once (each name has one builder)."""
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


def _month_bucket(months: int, start: SQLColumnExpression[datetime] | None = None) -> Label[int]:
    """The index among the months of an appointment's month (bounds from ``_month_params``)."""
    start = col(Appointment.start) if start is None else start
    return case(
        *((start < bindparam(f"m{i + 1}"), i) for i in range(months)),
        else_=months - 1,
    ).label("bucket")


def _in_months(
    months: int, start: SQLColumnExpression[datetime] | None = None
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    start = col(Appointment.start) if start is None else start
    return start >= bindparam("m0"), start < bindparam(f"m{months}")


# One count per column: four for each month (``all``, ``done``, ``noshow`` and ``past``).
CountsSelect = Select[*tuple[int, ...]]


def _counts_statement(months: int) -> CountsSelect:
    """Counts for each month, each an index range count (status and start): every
    appointment, completed, no-shows, and open visits whose start is past."""
    start, status = col(Appointment.start), col(Appointment.status)
    columns: list[Label[int]] = []
    for i in range(months):
        lo: BindParameter[datetime] = bindparam(f"m{i}")
        hi: BindParameter[datetime] = bindparam(f"m{i + 1}")
        for name, where in (
            ("all", (start >= lo, start < hi)),
            ("done", (status == _COMPLETED, start >= lo, start < hi)),
            ("noshow", (status == _NO_SHOW, start >= lo, start < hi)),
            ("past", (status.in_(OPEN), start >= lo, start < bindparam(f"past{i}"))),
        ):
            counted = select(func.count()).select_from(Appointment).where(*where)
            columns.append(counted.scalar_subquery().label(f"{name}{i}"))
    return sa_select(*columns)


def _cancellations_statement(months: int) -> Select[int, datetime, datetime | None, bool]:
    return select(
        _month_bucket(months),
        col(Appointment.start),
        record_time(col(Appointment.cancelled_at)),
        col(Appointment.late_cancel),
    ).where(*_in_months(months), col(Appointment.status) == _CANCELLED)


def _month_counts(
    session: Session, months: list[date], notice: timedelta, now: datetime
) -> dict[date, AppointmentCounts]:
    """The appointment counts of each month in ``months`` (ascending, consecutive), counted
    by the database without reading their rows; only cancellations come back as rows, their
    notice judged in clinic time as in ``outcome``."""
    params = _month_params(months)
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


def _seen_statement(_: int) -> Select[int, int | None]:
    """Patients seen and evaluations in one month (month by month: grouping two months by
    month costs SQLite more than asking twice)."""
    return select(
        func.count(func.distinct(Appointment.patient_id)),
        func.sum(case((col(Appointment.kind) == _EVALUATION, 1), else_=0)),
    ).where(*_in_months(1), col(Appointment.status) == _COMPLETED)


def _new_statement(_: int) -> Select[int]:
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


def _records_statement(months: int) -> Select[int, int]:
    bucket = _month_bucket(months)
    return (
        select(bucket, func.count())
        .select_from(SessionRecord)
        .join(Appointment, col(Appointment.id) == col(SessionRecord.appointment_id))
        .where(*_in_months(months))
        .group_by(bucket)
    )


def _units_statement(_: int) -> Select[str, int | None]:
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
