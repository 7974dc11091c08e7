"""Signing in: PIN hashing (salted scrypt), lockout after wrong PINs, first-run setup, idle lock."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from ptdesk.errors import NotFound, PtdeskError, ValidationError
from ptdesk.models import ClinicProfile, Role, Staff
from ptdesk.services import audit, clinic, clock, validation
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require

PIN_MIN, PIN_MAX = 4, 8
MAX_WRONG_PINS = 5
LOCKOUT = timedelta(minutes=5)
IDLE_LOCK_DEFAULT = 5
IDLE_LOCK_RANGE = (1, 120)

# scrypt cost: about a twentieth of a second per check on a front-desk PC.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_SCHEME = "scrypt"


# -- hashing ---------------------------------------------------------------------------------


def check_pin_format(pin: str, field: str = "pin") -> str:
    pin = (pin or "").strip()
    if not pin.isdigit() or not PIN_MIN <= len(pin) <= PIN_MAX or not pin.isascii():
        raise ValidationError(field, f"A PIN is {PIN_MIN} to {PIN_MAX} digits (numbers only).")
    return pin


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash as ``scrypt$n$r$p$salt$digest`` (base64); the PIN is not kept.

    The salt is random; only the demo clinic passes its own so the same seed gives the same file.
    """
    pin = check_pin_format(pin)
    salt = salt or secrets.token_bytes(16)
    digest = _scrypt(pin, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    b64 = base64.b64encode
    return (
        f"{_SCHEME}${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"
    )


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches a stored hash (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != _SCHEME:
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(pin or "", base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, actual)


# -- who can sign in -------------------------------------------------------------------------


@dataclass(frozen=True)
class SignInChoice:
    """One name on the sign-in list."""

    id: int
    name: str
    role: str
    has_pin: bool
    locked_until: datetime | None

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role._value2member_map_ else self.role


def sign_in_choices(session: Session) -> list[SignInChoice]:
    choices = []
    for s in staff_service.list_staff(session):
        assert s.id is not None  # a row read from the table
        choices.append(SignInChoice(s.id, s.name, s.role, bool(s.pin_hash), s.locked_until))
    return choices


def needs_setup(session: Session) -> bool:
    """A new clinic file: nobody is on the staff list yet."""
    return not staff_service.has_any_staff(session)


def _minutes_text(delta: timedelta) -> str:
    minutes = max(1, int((delta.total_seconds() + 59) // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def locked_out_for(
    locked_until: datetime | None, *, now: datetime | None = None
) -> timedelta | None:
    """How much longer someone stays locked out after too many wrong PINs; None if they are not."""
    if locked_until is None:
        return None
    left = locked_until - (now or clock.utc_now())
    return left if left > timedelta(0) else None


def sign_in_note(choice: SignInChoice, *, now: datetime | None = None) -> str:
    """What the sign-in list says beside a name ("" when nothing stands in the way): locked out
    for a while after too many wrong PINs, or no PIN set yet. Signing in then says how long."""
    if locked_out_for(choice.locked_until, now=now) is not None:
        return "locked for a few minutes"
    if not choice.has_pin:
        return "no PIN yet"
    return ""


def sign_in(session: Session, staff_id: int, pin: str, *, now: datetime | None = None) -> Actor:
    """Check a PIN. Five wrong ones in a row lock that person out for a few minutes."""
    now = now or clock.utc_now()
    row = session.get(Staff, staff_id)
    if row is None or not row.active:
        raise NotFound("That staff member is not on the staff list any more.")
    # The refusals are the PIN field's: the sign-in shows them beside it.
    if not row.pin_hash:
        raise ValidationError(
            "pin", f"{row.name} has no PIN yet. Ask the owner to set one in Settings → Staff."
        )
    left = locked_out_for(row.locked_until, now=now)
    if left is not None:
        raise ValidationError(
            "pin",
            f"Too many wrong PINs for {row.name}. Try again in "
            f"{_minutes_text(left)}, or ask the owner to reset the PIN.",
        )
    actor = Actor.from_staff(row)
    if not verify_pin(pin, row.pin_hash):
        row.failed_pins += 1
        if row.failed_pins >= MAX_WRONG_PINS:
            row.failed_pins = 0
            row.locked_until = now + LOCKOUT
            audit.record(
                session,
                actor,
                "lockout",
                "staff",
                row.id,
                {},
                f"{row.name} locked out after {MAX_WRONG_PINS} wrong PINs",
            )
            session.commit()
            raise ValidationError(
                "pin",
                f"That PIN is not right. After {MAX_WRONG_PINS} wrong PINs {row.name} is locked "
                f"out for {_minutes_text(LOCKOUT)}.",
            )
        tries_left = MAX_WRONG_PINS - row.failed_pins
        session.commit()
        raise ValidationError(
            "pin",
            f"That PIN is not right. {tries_left} more tr{'ies' if tries_left != 1 else 'y'} before a "
            "short lockout.",
        )
    row.failed_pins = 0
    row.locked_until = None
    audit.record(session, actor, "sign_in", "staff", row.id, {}, f"{row.name} signed in")
    session.flush()
    return actor


def record_sign_out(session: Session, actor: Actor, reason: str = "locked") -> None:
    """Note in the trail that the screen was locked or the person signed out."""
    if actor.id is None:
        return
    audit.record(session, actor, "sign_out", "staff", actor.id, {}, f"{actor.name} {reason}")


# -- PINs ------------------------------------------------------------------------------------


def set_pin(session: Session, actor: Actor, staff_id: int, pin: str) -> None:
    """The owner sets or resets a PIN; this also lifts a lockout."""
    require(actor, "manage_staff")
    row = staff_service.get_staff(session, staff_id)
    new_hash = hash_pin(pin)
    had_pin = bool(row.pin_hash)
    row.pin_hash = new_hash
    row.failed_pins = 0
    row.locked_until = None
    row.updated_at = clock.utc_now()
    # The hash itself never goes into the trail, only that the PIN changed.
    audit.record(
        session,
        actor,
        "reset_pin" if had_pin else "set_pin",
        "staff",
        row.id,
        {"pin": ["set" if had_pin else "none", "changed" if had_pin else "set"]},
        f"PIN {'reset' if had_pin else 'set'} for {row.name}",
    )
    session.flush()


# -- first run -------------------------------------------------------------------------------


@dataclass
class SetupData:
    """What the first-run wizard asks for."""

    clinic: clinic.ClinicProfileData
    owner_name: str
    owner_credentials: str
    pin: str
    pin_again: str


def check_setup_pin(pin: str, again: str) -> str:
    pin = check_pin_format(pin)
    if pin != (again or "").strip():
        raise ValidationError("pin_again", "The two PINs are not the same. Type it again.")
    return pin


def set_up_clinic(session: Session, data: SetupData) -> Actor:
    """First run: the clinic's details and its owner, with a PIN, in one transaction.

    Problems are reported in the order the wizard asks: clinic, hours, owner, PIN.
    """
    clinic.validate(data.clinic)
    validation.text(data.owner_name, "owner_name", "The owner's name", required=True, max_len=120)
    pin = check_setup_pin(data.pin, data.pin_again)
    try:
        owner = staff_service.create_first_owner(session, data.owner_name, data.owner_credentials)
    except ValidationError as exc:
        raise ValidationError("owner_name", exc.message) from exc
    actor = Actor.from_staff(owner)
    owner.pin_hash = hash_pin(pin)
    audit.record(
        session,
        actor,
        "set_pin",
        "staff",
        owner.id,
        {"pin": ["none", "set"]},
        f"PIN set for {owner.name}",
    )
    clinic.update_profile(session, actor, data.clinic)
    session.flush()
    return actor


# -- idle lock -------------------------------------------------------------------------------


def idle_lock_minutes(session: Session) -> int:
    row = session.get(ClinicProfile, 1)
    return IDLE_LOCK_DEFAULT if row is None else row.idle_lock_minutes


def set_idle_lock_minutes(session: Session, actor: Actor, minutes: int) -> int:
    require(actor, "edit_clinic_profile")
    low, high = IDLE_LOCK_RANGE
    if not isinstance(minutes, int) or not low <= minutes <= high:
        raise ValidationError(
            "idle_lock_minutes", f"The screen locks after {low} to {high} minutes without use."
        )
    row = session.get(ClinicProfile, 1) or ClinicProfile(id=1)
    session.add(row)
    before = row.idle_lock_minutes
    if before != minutes:
        row.idle_lock_minutes = minutes
        audit.record(
            session,
            actor,
            "update",
            "clinic_profile",
            1,
            {"idle_lock_minutes": [before, minutes]},
            f"Idle lock set to {minutes} minutes",
        )
    session.flush()
    return minutes


# -- files from before PINs ------------------------------------------------------------------


def _owner_has_pin(session: Session) -> bool:
    return any(s.pin_hash for s in staff_service.list_staff(session) if s.role == Role.OWNER.value)


def may_claim_owner_pin(session: Session, staff_id: int) -> bool:
    """An owner may choose their own PIN at sign-in only while no owner has one yet."""
    row = session.get(Staff, staff_id)
    return (
        row is not None
        and row.active
        and row.role == Role.OWNER.value
        and not row.pin_hash
        and not _owner_has_pin(session)
    )


def claim_owner_pin(session: Session, staff_id: int, pin: str, again: str) -> Actor:
    """A clinic file made before PINs existed: its owner sets a PIN and is signed in."""
    if not may_claim_owner_pin(session, staff_id):
        raise PtdeskError("Only the owner of a clinic without PINs can choose one here.")
    pin = check_setup_pin(pin, again)
    row = staff_service.get_staff(session, staff_id)
    row.pin_hash = hash_pin(pin)
    actor = Actor.from_staff(row)
    audit.record(
        session,
        actor,
        "set_pin",
        "staff",
        row.id,
        {"pin": ["none", "set"]},
        f"PIN set for {row.name}",
    )
    audit.record(session, actor, "sign_in", "staff", row.id, {}, f"{row.name} signed in")
    session.flush()
    return actor


def sign_in_chosen(session: Session, staff_id: int, pin: str, pin_again: str = "") -> Actor:
    """Sign in the person chosen on the sign-in list: the owner of a file without PINs chooses
    one (typed twice); anyone else types theirs."""
    if may_claim_owner_pin(session, staff_id):
        return claim_owner_pin(session, staff_id, pin, pin_again)
    return sign_in(session, staff_id, pin)
