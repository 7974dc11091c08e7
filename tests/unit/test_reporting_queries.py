"""The monthly figures counted by the database agree with counting every visit one by one,
and the report asks the database a fixed number of questions, whatever the clinic's size."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import event, func
from sqlmodel import select

from ptdesk.models import Appointment, Equipment
from ptdesk.services import reporting
from ptdesk.services.audit import SYSTEM
from ptdesk.services.clinic import get_profile
from tests.conftest import DEMO_NOW, DEMO_TODAY


def _by_hand(db, months: list[date], now: datetime) -> dict[date, dict[str, int]]:
    """Every appointment loaded and bucketed with ``reporting.outcome``, month by month."""
    with db.session() as s:
        notice = timedelta(hours=get_profile(s).late_cancel_hours)
        rows = s.exec(select(Appointment)).all()
    out: dict[date, dict[str, int]] = {m: defaultdict(int) for m in months}
    for a in rows:
        first = reporting.month_start(a.start.date())
        if first not in out:
            continue
        visit = reporting._Visit(
            staff_id=a.staff_id,
            start=a.start,
            end=a.end,
            status=a.status,
            cancelled_at=a.cancelled_at,
            late_cancel=a.late_cancel,
        )
        n = out[first]
        n["scheduled"] += 1
        bucket = reporting.outcome(visit, notice)
        if bucket in reporting.OPEN:
            n["unresolved"] += a.start < now
        else:
            n[bucket] += 1
    return out


def test_trend_counted_by_the_database_matches_counting_each_visit(demo_db):
    month = reporting.month_start(DEMO_TODAY)
    # "now" late in the month: visits booked after the demo's today are past and still open.
    now = datetime(2026, 3, 28, 12, 0)
    with demo_db.session() as s:
        report = reporting.monthly_report(s, SYSTEM, month, now=now)
    months = [p.month for p in report.trend]
    expected = _by_hand(demo_db, months, now)
    assert sum(expected[m]["scheduled"] for m in months) > 100  # the demo has history
    assert any(expected[m]["cancelled"] and expected[m]["late_cancelled"] for m in months)
    assert any(expected[m]["unresolved"] for m in months)
    for point in report.trend:
        want = {k: expected[point.month][k] for k in reporting.APPOINTMENT_KEYS}
        assert point.counts.as_dict() == want, point.month
    # The month itself and the month before are counted from their rows: the same figures.
    assert report.trend[-1].counts == report.appointments
    assert report.previous is not None
    assert report.trend[-2].counts == report.previous.appointments


def test_report_asks_a_fixed_number_of_questions(demo_db):
    month = reporting.month_start(DEMO_TODAY)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    def run() -> int:
        statements.clear()
        event.listen(demo_db.engine, "before_cursor_execute", count)
        try:
            with demo_db.session() as s:
                reporting.monthly_report(s, SYSTEM, month, now=DEMO_NOW)
        finally:
            event.remove(demo_db.engine, "before_cursor_execute", count)
        return len(statements)

    before = run()
    with demo_db.session() as s:
        items = s.exec(select(Equipment)).all()
        assert len(items) >= 5
        for item in items[:5]:  # five more items, each with its own cleaning schedule
            data = item.model_dump(exclude={"id"})
            data["name"] = data["name"] + " (spare)"
            s.add(Equipment(**data))
    with demo_db.session() as s:
        assert s.exec(select(func.count()).select_from(Equipment)).one() == len(items) + 5
    # Not one query per item, staff member, patient or month.
    assert run() == before
    assert before <= 25
