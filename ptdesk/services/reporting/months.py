"""Months as the monthly report names them: ``YYYY-MM``, first and last days, labels."""

from __future__ import annotations

from datetime import date, timedelta

from ptdesk.errors import ValidationError


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
