"""The clinic's transfer check templates: listed, added, changed, removed, reordered, reset."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from ptdesk.errors import NotFound, ValidationError
from ptdesk.models import TransferCheckTemplate, TransferType
from ptdesk.services import audit, clock, validation
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require
from ptdesk.services.transfers.decision_table import ensure_defaults
from ptdesk.services.transfers.default_checks import APPLIES_WHEN, PHASES, seed_template


@dataclass(frozen=True)
class TemplateItemData:
    id: int
    transfer_type: str
    position: int
    phase: str
    text: str
    required: bool
    applies_when: str


def _template_data(row: TransferCheckTemplate) -> TemplateItemData:
    return TemplateItemData(
        id=row.id or 0,
        transfer_type=row.transfer_type,
        position=row.position,
        phase=row.phase,
        text=row.text,
        required=row.required,
        applies_when=row.applies_when,
    )


def template_rows(session: Session, transfer_type: str) -> list[TransferCheckTemplate]:
    return list(
        session.exec(
            select(TransferCheckTemplate)
            .where(TransferCheckTemplate.transfer_type == transfer_type)
            .order_by(col(TransferCheckTemplate.position), col(TransferCheckTemplate.id))
        )
    )


def list_template(session: Session, transfer_type: str) -> list[TemplateItemData]:
    ensure_defaults(session)
    return [_template_data(r) for r in template_rows(session, transfer_type)]


def _validate_template(
    transfer_type: str, text: str, phase: str, applies_when: str
) -> tuple[str, str, str]:
    if transfer_type not in TransferType._value2member_map_:
        raise ValidationError("transfer_type", "Choose the kind of transfer.")
    text = validation.text(text, "text", "The check's wording", required=True, max_len=300)
    if phase not in PHASES:
        raise ValidationError("phase", "Choose whether the check comes before or after the move.")
    if applies_when not in APPLIES_WHEN:
        raise ValidationError("applies_when", "Choose when the check applies.")
    return transfer_type, text, phase


def add_template_item(
    session: Session,
    actor: Actor,
    transfer_type: str,
    text: str,
    *,
    required: bool = True,
    phase: str = "before",
    applies_when: str = "",
) -> TemplateItemData:
    require(actor, "edit_transfer_rules")
    ensure_defaults(session)
    transfer_type, text, phase = _validate_template(transfer_type, text, phase, applies_when)
    rows = template_rows(session, transfer_type)
    # New "before" checks go after the last "before" check; "after" checks at the end.
    if phase == "before":
        position = max((r.position for r in rows if r.phase == "before"), default=-1) + 1
        for r in rows:
            if r.position >= position:
                r.position += 1
                session.add(r)
    else:
        position = max((r.position for r in rows), default=-1) + 1
    row = TransferCheckTemplate(
        transfer_type=transfer_type,
        position=position,
        phase=phase,
        text=text,
        required=required,
        applies_when=applies_when,
    )
    session.add(row)
    session.flush()
    audit.record_new(
        session,
        actor,
        "create",
        "transfer_check_template",
        row,
        f"Check added to {TransferType(transfer_type).label}: {text}",
    )
    return _template_data(row)


def _template_row(session: Session, item_id: int) -> TransferCheckTemplate:
    row = session.get(TransferCheckTemplate, item_id)
    if row is None:
        raise NotFound("That check is no longer in the template.")
    return row


def update_template_item(
    session: Session,
    actor: Actor,
    item_id: int,
    text: str,
    *,
    required: bool,
    phase: str,
    applies_when: str,
) -> TemplateItemData:
    require(actor, "edit_transfer_rules")
    row = _template_row(session, item_id)
    _, text, phase = _validate_template(row.transfer_type, text, phase, applies_when)
    before = audit.snapshot(row)
    row.text, row.required, row.phase, row.applies_when = text, required, phase, applies_when
    row.updated_at = clock.utc_now()
    session.add(row)
    changes = audit.diff(before, audit.snapshot(row))
    if changes:
        audit.record(
            session,
            actor,
            "update",
            "transfer_check_template",
            row.id,
            changes,
            f"Check changed in {TransferType(row.transfer_type).label}: {text}",
        )
    session.flush()
    return _template_data(row)


def delete_template_item(session: Session, actor: Actor, item_id: int) -> None:
    require(actor, "edit_transfer_rules")
    row = _template_row(session, item_id)
    audit.record(
        session,
        actor,
        "delete",
        "transfer_check_template",
        row.id,
        audit.diff(audit.snapshot(row), {}),
        f"Check removed from {TransferType(row.transfer_type).label}: {row.text}",
    )
    session.delete(row)
    session.flush()


def move_template_item(session: Session, actor: Actor, item_id: int, delta: int) -> None:
    """Move a check up (delta -1) or down (+1) within its template."""
    require(actor, "edit_transfer_rules")
    row = _template_row(session, item_id)
    rows = template_rows(session, row.transfer_type)
    i = next(k for k, r in enumerate(rows) if r.id == row.id)
    j = i + delta
    if not 0 <= j < len(rows):
        return
    rows[i], rows[j] = rows[j], rows[i]
    for pos, r in enumerate(rows):
        if r.position != pos:
            r.position = pos
            session.add(r)
    audit.record(
        session,
        actor,
        "move",
        "transfer_check_template",
        row.id,
        {"position": [i, j]},
        f"Check moved {'up' if delta < 0 else 'down'} in {TransferType(row.transfer_type).label}",
    )
    session.flush()


def reset_template(session: Session, actor: Actor, transfer_type: str) -> None:
    """Replace one transfer type's checks with the shipped ones (recorded checklists keep theirs)."""
    require(actor, "edit_transfer_rules")
    ensure_defaults(session)
    session.exec(
        delete(TransferCheckTemplate).where(
            col(TransferCheckTemplate.transfer_type) == transfer_type
        )
    )
    seed_template(session, transfer_type)
    audit.record(
        session,
        actor,
        "reset",
        "transfer_check_template",
        transfer_type,
        summary=f"Checks for {TransferType(transfer_type).label} reset to the defaults",
    )
    session.flush()
