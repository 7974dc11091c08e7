"""The monthly report's figures: the plain values live with the report builder
(``reports/monthly_data.py``), so the PDF needs nothing from the services; the status groups
the queries count by are here."""

from __future__ import annotations

from ptdesk.models import AppointmentStatus
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
    _rate,
    _round,
)

S = AppointmentStatus
OPEN = (S.SCHEDULED.value, S.CHECKED_IN.value)

__all__ = [
    "APPOINTMENT_KEYS",
    "OPEN",
    "S",
    "AppointmentCounts",
    "CleaningFigures",
    "ExpiringAuthorization",
    "Headline",
    "IncidentLine",
    "MonthPoint",
    "MonthlyReport",
    "OverdueCheck",
    "StaffFigures",
    "TransferFigures",
    "_rate",
    "_round",
]
