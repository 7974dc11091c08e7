"""Who may sign and co-sign session records: therapists, assistants and a licensed owner."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from ptdesk.errors import PermissionDenied, ValidationError
from ptdesk.models import Role, Staff
from ptdesk.models.common import saved_id
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import allowed, require
from ptdesk.services.sessions.values import LICENCES, SignerInfo


def is_licensed(credentials: str) -> bool:
    """Whether credentials name a therapist licence (PT, DPT, PTA…), not a technician title."""
    tokens = {t.upper().strip(".") for t in re.split(r"[\s,;/]+", credentials or "") if t}
    if tokens & {"TECH", "TECHNICIAN", "AIDE"}:
        return False
    return bool(tokens & LICENCES)


def _staff_can_sign(staff: Staff) -> bool:
    if staff.role in (Role.THERAPIST.value, Role.ASSISTANT.value):
        return True
    return staff.role == Role.OWNER.value and is_licensed(staff.credentials)


def can_sign(session: Session, actor: Actor) -> bool:
    """Whether the actor may sign, co-sign and write assessments."""
    if actor.role == "system":
        return True
    if not allowed(actor, "co_sign"):
        return False
    staff = session.get(Staff, actor.id) if actor.id is not None else None
    return staff is not None and staff.active and _staff_can_sign(staff)


def _require_signer(session: Session, actor: Actor, what: str) -> None:
    require(actor, "co_sign")
    if not can_sign(session, actor):
        raise PermissionDenied(
            f"{actor.name} may not {what}: that needs a licensed therapist (PT or PTA). "
            "If you are one, add your credentials under Settings, Staff."
        )


def signers(session: Session) -> list[SignerInfo]:
    """Active staff who may co-sign: therapists, assistants and a licensed owner."""
    rows = session.exec(
        select(Staff).where(col(Staff.active).is_(True)).order_by(col(Staff.name))
    ).all()
    return [SignerInfo(saved_id(s), s.name, s.credentials) for s in rows if _staff_can_sign(s)]


def needs_cosign(session: Session, provider_id: int | None, provider_role: str) -> bool:
    """Whether a record by this person waits for a therapist's co-sign.

    Technicians and aides always; anyone else (an owner, say) who holds no PT/PTA licence too.
    """
    if provider_role == Role.TECHNICIAN.value:
        return True
    author = session.get(Staff, provider_id) if provider_id is not None else None
    return author is None or not _staff_can_sign(author)


def _check_supervisor(session: Session, supervisor_id: int | None) -> None:
    staff = session.get(Staff, supervisor_id) if supervisor_id is not None else None
    if staff is None or not staff.active or not _staff_can_sign(staff):
        raise ValidationError(
            "supervisor_id", "Choose the therapist (PT or PTA) who will co-sign this record."
        )
