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

The modules: ``months`` (month names and bounds), ``figures`` (the plain values),
``appointments`` (visits, outcomes and counts), ``staff``, ``cleaning_and_transfers``,
``expiring`` (authorizations), ``report`` (``monthly_report``) and ``formats`` (CSV, JSON and
the PDF). Every name stays importable from ``ptdesk.services.reporting``.
"""

from __future__ import annotations

from ptdesk.services.reporting.appointments import (
    _CANCELLED,
    _COMPLETED,
    _EVALUATION,
    _NO_SHOW,
    _WIDEST_OFFSET,
    _bounds,
    _cancel_bucket,
    _count,
    _month_counts,
    _patients,
    _rows,
    _units,
    _Visit,
    _visits,
    outcome,
)
from ptdesk.services.reporting.cleaning_and_transfers import (
    _cleaning,
    _transfers,
)
from ptdesk.services.reporting.expiring import (
    EXPIRY_WINDOW_DAYS,
    _expiring,
)
from ptdesk.services.reporting.figures import (
    APPOINTMENT_KEYS,
    OPEN,
    AppointmentCounts,
    CleaningFigures,
    ExpiringAuthorization,
    Headline,
    IncidentLine,
    MonthlyReport,
    MonthPoint,
    OverdueCheck,
    S,
    StaffFigures,
    TransferFigures,
    _rate,
    _round,
)
from ptdesk.services.reporting.formats import (
    CSV_COLUMNS,
    report_csv,
    report_json,
    report_rows,
)
from ptdesk.services.reporting.months import (
    month_end,
    month_label,
    month_start,
    next_month,
    parse_month,
    previous_month,
)
from ptdesk.services.reporting.report import (
    TREND_MONTHS,
    monthly_report,
)
from ptdesk.services.reporting.staff import (
    _by_staff,
    _hours,
    _working_hours,
)

__all__ = [
    "APPOINTMENT_KEYS",
    "AppointmentCounts",
    "CSV_COLUMNS",
    "CleaningFigures",
    "EXPIRY_WINDOW_DAYS",
    "ExpiringAuthorization",
    "Headline",
    "IncidentLine",
    "MonthPoint",
    "MonthlyReport",
    "OPEN",
    "OverdueCheck",
    "S",
    "StaffFigures",
    "TREND_MONTHS",
    "TransferFigures",
    "_CANCELLED",
    "_COMPLETED",
    "_EVALUATION",
    "_NO_SHOW",
    "_Visit",
    "_WIDEST_OFFSET",
    "_bounds",
    "_by_staff",
    "_cancel_bucket",
    "_cleaning",
    "_count",
    "_expiring",
    "_hours",
    "_month_counts",
    "_patients",
    "_rate",
    "_round",
    "_rows",
    "_transfers",
    "_units",
    "_visits",
    "_working_hours",
    "month_end",
    "month_label",
    "month_start",
    "monthly_report",
    "next_month",
    "outcome",
    "parse_month",
    "previous_month",
    "report_csv",
    "report_json",
    "report_rows",
]
