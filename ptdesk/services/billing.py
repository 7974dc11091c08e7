"""Billing units (the 8-minute rule) and the clinic's table of CPT codes."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from ptdesk.errors import NotFound, ValidationError
from ptdesk.models import BillingCode
from ptdesk.models.common import utcnow
from ptdesk.services import audit
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require

ENTITY = "billing_code"
UNIT_MINUTES = 15
# At least this many minutes of a 15-minute unit make a billable unit.
THRESHOLD = 8

# The timed codes of the shipped table; the clinic's table (Settings) takes over in a session.
SHIPPED_TIMED = frozenset(
    {
        "97110",
        "97112",
        "97113",
        "97116",
        "97140",
        "97530",
        "97535",
        "97032",
        "97033",
        "97035",
        "97750",
    }
)


def units_for_minutes(total: int) -> int:
    """Units for a total of timed minutes: 8-22 one, 23-37 two, 38-52 three, and so on."""
    if total <= 0:
        return 0
    return total // UNIT_MINUTES + (1 if total % UNIT_MINUTES >= THRESHOLD else 0)


def billable_units(
    minutes_by_code: dict[str, int], timed_codes: Collection[str] | None = None
) -> dict[str, int]:
    """Units per code under the 8-minute rule for timed codes, one unit per untimed code.

    The total of all timed minutes decides how many units are billed. Each timed code first
    gets its whole 15-minute units; the units left go, one each, to the codes with the most
    minutes left over (ties: the lower code first). Every code given appears in the result,
    with 0 when it is not billed. ``timed_codes`` says which codes are timed (default: the
    timed codes of the shipped table).
    """
    timed_set = SHIPPED_TIMED if timed_codes is None else frozenset(timed_codes)
    for code, minutes in minutes_by_code.items():
        if minutes < 0:
            raise ValueError(f"minutes for {code} cannot be negative")
    result = {code: 0 for code in minutes_by_code}
    timed = {c: m for c, m in minutes_by_code.items() if c in timed_set}
    for code in minutes_by_code:
        if code not in timed_set:
            result[code] = 1
    to_bill = units_for_minutes(sum(timed.values()))
    for code, minutes in timed.items():
        result[code] = minutes // UNIT_MINUTES
    left = to_bill - sum(result[c] for c in timed)
    order = sorted(timed, key=lambda c: (-(timed[c] % UNIT_MINUTES), -timed[c], c))
    while left > 0 and order:
        for code in order:
            if left == 0:
                break
            result[code] += 1
            left -= 1
    return result


# -- the clinic's code table ----------------------------------------------------------------


@dataclass(frozen=True)
class CodeInfo:
    id: int
    code: str
    description: str
    timed: bool
    active: bool

    @property
    def label(self) -> str:
        return f"{self.code} {self.description}"


def _info(row: BillingCode) -> CodeInfo:
    assert row.id is not None
    return CodeInfo(row.id, row.code, row.description, row.timed, row.active)


def list_codes(session: Session, *, include_inactive: bool = True) -> list[CodeInfo]:
    stmt = select(BillingCode).order_by(col(BillingCode.code))
    if not include_inactive:
        stmt = stmt.where(col(BillingCode.active).is_(True))
    return [_info(r) for r in session.exec(stmt)]


def timed_codes(session: Session) -> set[str]:
    return {c for c in session.exec(select(BillingCode.code).where(BillingCode.timed))}


def units_for(session: Session, minutes_by_code: Mapping[str, int]) -> dict[str, int]:
    """``billable_units`` with the clinic's own table deciding which codes are timed."""
    return billable_units(dict(minutes_by_code), timed_codes(session))


def _clean(code: str, description: str) -> tuple[str, str]:
    code = (code or "").strip().upper()
    description = " ".join((description or "").split())
    if not code:
        raise ValidationError("code", "Enter the code, for example 97110.")
    if len(code) > 10 or not code.isalnum():
        raise ValidationError("code", "A code is up to 10 letters and digits, like 97110.")
    if not description:
        raise ValidationError("description", "Enter what the code is for.")
    if len(description) > 120:
        raise ValidationError("description", "Keep the description under 120 characters.")
    return code, description


def save_code(
    session: Session,
    actor: Actor,
    code_id: int | None,
    code: str,
    description: str,
    timed: bool,
    active: bool = True,
) -> CodeInfo:
    """Add a code (``code_id`` None) or change one."""
    require(actor, "manage_billing_codes")
    code, description = _clean(code, description)
    clash = session.exec(select(BillingCode).where(BillingCode.code == code)).first()
    if clash is not None and clash.id != code_id:
        raise ValidationError("code", f"{code} is already in the table.")
    if code_id is None:
        row = BillingCode(code=code, description=description, timed=timed, active=active)
        before: dict[str, Any] = {}
    else:
        found = session.get(BillingCode, code_id)
        if found is None:
            raise NotFound("That billing code no longer exists.")
        row = found
        before = audit.snapshot(row)
        row.code, row.description, row.timed, row.active = code, description, timed, active
        row.updated_at = utcnow()
    session.add(row)
    session.flush()
    kind = "timed" if timed else "untimed"
    audit.record(
        session,
        actor,
        "create" if code_id is None else "update",
        ENTITY,
        row.id,
        audit.diff(before, audit.snapshot(row)),
        f"Billing code {code} ({kind}) {'added' if code_id is None else 'changed'}",
    )
    return _info(row)
