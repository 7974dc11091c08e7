"""Cleaning: what is due, logging cleanings in one action, corrections, history and compliance.

Cleaning times are stored as UTC record times. Whether an item is due is a question about the
clinic's calendar, so every rule works on clinic wall-clock time (``ptdesk.services.clock``): a
cleaning at 23:30 counts for that day wherever UTC midnight falls.

- ``due``: cleaning periods on the clinic's calendar and an item's due state;
- ``log_entries``: logging, correcting and reading the cleaning log;
- ``board``: the due board, every item with its state now;
- ``compliance``: the share of due periods cleaned, and the printable log's contents.

Every name stays importable from ``ptdesk.services.cleaning``.
"""

from __future__ import annotations

from ptdesk.services.cleaning.board import CHECK_WARNING_DAYS, BoardRow, board, check_flags
from ptdesk.services.cleaning.compliance import (
    CheckFlag,
    CleaningLogReport,
    Compliance,
    ItemCompliance,
    _was_away,
    compliance,
    log_report,
)
from ptdesk.services.cleaning.due import (
    SEARCH_DAYS,
    STATE_LABELS,
    STATE_SYMBOLS,
    Due,
    DueState,
    _next_clinic_day,
    _previous_clinic_day,
    due_state,
    is_clinic_day,
    last_clinic_day_in,
    next_period_start,
    period_label,
    period_start,
    periods,
)
from ptdesk.services.cleaning.log_entries import (
    EARLIEST_YEAR,
    FUTURE_GRACE,
    CleaningEntry,
    _check_when,
    _contact,
    _entry,
    _label_time,
    _method,
    _superseded,
    correct_cleaning,
    get_entry,
    history,
    last_cleaning,
    last_cleanings,
    log_cleaning,
)
from ptdesk.services.clock import day_start_utc, local_to_utc, to_local

__all__ = [
    "CHECK_WARNING_DAYS",
    "EARLIEST_YEAR",
    "FUTURE_GRACE",
    "SEARCH_DAYS",
    "STATE_LABELS",
    "STATE_SYMBOLS",
    "BoardRow",
    "CheckFlag",
    "CleaningEntry",
    "CleaningLogReport",
    "Compliance",
    "Due",
    "DueState",
    "ItemCompliance",
    "_check_when",
    "_contact",
    "_entry",
    "_label_time",
    "_method",
    "_next_clinic_day",
    "_previous_clinic_day",
    "_superseded",
    "_was_away",
    "board",
    "check_flags",
    "compliance",
    "correct_cleaning",
    "day_start_utc",
    "due_state",
    "get_entry",
    "history",
    "is_clinic_day",
    "last_clinic_day_in",
    "last_cleaning",
    "last_cleanings",
    "local_to_utc",
    "log_cleaning",
    "log_report",
    "next_period_start",
    "period_label",
    "period_start",
    "periods",
    "to_local",
]
