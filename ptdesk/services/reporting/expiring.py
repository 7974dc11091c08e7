"""Authorizations that end, or run out of visits, in the 30 days after the month."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, ScalarSelect, Select, bindparam, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from ptdesk.models import Appointment, Authorization, Patient
from ptdesk.services.reporting.appointments import _COMPLETED, _statement
from ptdesk.services.reporting.figures import OPEN, ExpiringAuthorization
from ptdesk.services.reporting.months import month_end

EXPIRY_WINDOW_DAYS = 30


def _authorizations_near() -> tuple[ColumnElement[bool], ...]:
    """Active authorizations overlapping the 30 days after the month (``window_lo``..``hi``)."""
    return (
        col(Authorization.active).is_(True),
        col(Authorization.end_date) >= bindparam("window_lo"),
        col(Authorization.start_date) <= bindparam("window_hi"),
    )


def _visits_counted(
    visit: type[Appointment], statuses: tuple[str, ...], *within: ColumnElement[bool]
) -> ScalarSelect[int]:
    """How many of the authorization's patient's visits with ``statuses`` fall on its days
    (start date to end date, both included) and ``within``: one index range per row."""
    return (
        select(func.count())
        .select_from(visit)
        .where(
            col(visit.patient_id) == col(Authorization.patient_id),
            col(visit.status).in_(statuses),
            col(visit.start) >= col(Authorization.start_date),
            func.date(col(visit.start)) <= col(Authorization.end_date),
            *within,
        )
        .scalar_subquery()
    )


# An authorization's payer, start and end dates and visits allowed; its patient's chart
# number, first and last name; its visits used and its open visits booked in the window.
AuthorizationsSelect = Select[str, date, date, int, str, str, str, int, int]


def _authorizations_statement(_: int) -> AuthorizationsSelect:
    """The authorizations near the window, each with its visits used (completed) and its open
    visits booked in the window, counted by the database."""
    completed, booked = aliased(Appointment), aliased(Appointment)
    return (
        sa_select(
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
                col(booked.start) >= bindparam("window_start"),
                col(booked.start) < bindparam("window_stop"),
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
