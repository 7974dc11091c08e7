"""Small input checks shared by services; each raises ValidationError naming its field."""

from __future__ import annotations

import re
from datetime import date

from ptdesk.errors import ValidationError
from ptdesk.services import clock

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# One human range for every weight and height ptdesk accepts (patients and transfers alike).
WEIGHT_RANGE_KG = (2.0, 400.0)
HEIGHT_RANGE_CM = (40.0, 250.0)


def text(
    value: str | None, field: str, label: str, *, required: bool = False, max_len: int = 200
) -> str:
    """Trim; refuse empty when required, and refuse text longer than ``max_len``."""
    cleaned = (
        " ".join((value or "").split()) if "\n" not in (value or "") else (value or "").strip()
    )
    if required and not cleaned:
        raise ValidationError(field, f"{label} is required.")
    if len(cleaned) > max_len:
        raise ValidationError(field, f"{label} is too long (at most {max_len} characters).")
    return cleaned


def email(value: str | None, field: str = "email") -> str:
    cleaned = (value or "").strip()
    if cleaned and not EMAIL_RE.match(cleaned):
        raise ValidationError(
            field, "That e-mail address does not look right (for example: name@example.com)."
        )
    return cleaned


def phone(value: str | None, field: str = "phone") -> str:
    cleaned = " ".join((value or "").split())
    if not cleaned:
        return ""
    digits = re.sub(r"\D", "", cleaned)
    if (
        not re.fullmatch(r"[\d\s()+\-.x/]+", cleaned, flags=re.IGNORECASE)
        or not 7 <= len(digits) <= 15
    ):
        raise ValidationError(
            field, "That phone number does not look right (7 to 15 digits, e.g. 555-123-4567)."
        )
    return cleaned


def past_date(
    value: date | None, field: str, label: str, *, today: date | None = None
) -> date | None:
    if value is None:
        return None
    today = clock.today() if today is None else today
    if value > today:
        raise ValidationError(field, f"{label} cannot be in the future.")
    if value.year < 1900:
        raise ValidationError(field, f"{label} is too far in the past; check the year.")
    return value


def number_range(
    value: float | None, field: str, label: str, low: float, high: float, unit: str
) -> float | None:
    if value is None:
        return None
    if not low <= value <= high:
        raise ValidationError(field, f"{label} must be between {low:g} and {high:g} {unit}.")
    return value
