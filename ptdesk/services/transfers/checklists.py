"""A transfer checklist's life: started for a patient, planned, its checks ticked, then
completed or aborted with any incident recorded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from ptdesk.errors import NotFound, PtdeskError, ValidationError
from ptdesk.models import (
    Appointment,
    ChecklistStatus,
    Incident,
    Patient,
    Staff,
    TransferChecklist,
    TransferChecklistItem,
    TransferMethod,
    TransferType,
)
from ptdesk.services import audit, clock, validation
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require
from ptdesk.services.transfers.assessment import (
    Assessment,
    assessment_from_patient,
    is_less_supported,
    recommend,
    validate_assessment,
)
from ptdesk.services.transfers.decision_table import (
    METHOD_EQUIPMENT,
    METHOD_NEEDS,
    METHOD_STAFF,
    ensure_defaults,
)
from ptdesk.services.transfers.templates import template_rows


@dataclass(frozen=True)
class ItemData:
    id: int
    position: int
    phase: str
    text: str
    required: bool
    done: bool


@dataclass
class ChecklistData:
    """A checklist as screens and printouts show it."""

    id: int
    patient_id: int
    patient_name: str
    chart_number: str
    appointment_id: int | None
    appointment_start: datetime | None
    transfer_type: str
    status: str
    assessment: Assessment
    planned: bool
    recommended_method: str
    recommended_staff: int
    equipment: list[str]
    bariatric: bool
    chosen_method: str
    less_support_reason: str
    started_at: datetime
    started_by: str
    finished_at: datetime | None
    performed_by_id: int | None
    performed_by: str
    assisted_by_id: int | None
    assisted_by: str
    abort_reason: str
    incident: str
    incident_description: str
    therapist_informed: bool | None
    notes: str
    items: list[ItemData] = field(default_factory=list)

    @property
    def transfer_label(self) -> str:
        return TransferType(self.transfer_type).label

    @property
    def status_label(self) -> str:
        return ChecklistStatus(self.status).label

    @property
    def incident_label(self) -> str:
        return Incident(self.incident).label

    @property
    def method_label(self) -> str:
        return TransferMethod(self.chosen_method).label if self.chosen_method else ""

    @property
    def open_required(self) -> list[ItemData]:
        return [i for i in self.items if i.required and not i.done]

    @property
    def can_complete(self) -> bool:
        return (
            self.status == ChecklistStatus.STARTED.value and self.planned and not self.open_required
        )


def staff_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """The names of the staff members with these ids (None, for nobody, is passed over)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(Staff).where(col(Staff.id).in_(wanted)))
    return {s.id: s.name for s in rows if s.id is not None}


def checklist_data(
    session: Session,
    row: TransferChecklist,
    patient: Patient | None = None,
    *,
    with_items: bool = True,
    names: dict[int, str] | None = None,
    appointment_start: datetime | None = None,
) -> ChecklistData:
    patient = patient or session.get(Patient, row.patient_id)
    if patient is None:
        raise NotFound("That patient is no longer on file.")
    if names is None:
        names = staff_names(session, {row.started_by_id, row.performed_by_id, row.assisted_by_id})
    if appointment_start is None and row.appointment_id is not None:
        appt = session.get(Appointment, row.appointment_id)
        appointment_start = appt.start if appt else None
    items: list[ItemData] = []
    if with_items:
        items = [
            ItemData(i.id or 0, i.position, i.phase, i.text, i.required, i.done)
            for i in session.exec(
                select(TransferChecklistItem)
                .where(TransferChecklistItem.checklist_id == row.id)
                .order_by(col(TransferChecklistItem.position))
            )
        ]
    return ChecklistData(
        id=row.id or 0,
        patient_id=row.patient_id,
        patient_name=patient.full_name,
        chart_number=patient.chart_number,
        appointment_id=row.appointment_id,
        appointment_start=appointment_start,
        transfer_type=row.transfer_type,
        status=row.status,
        assessment=Assessment(
            weight_bearing=row.weight_bearing,
            upper_limb_strength_left=row.upper_limb_strength_left,
            upper_limb_strength_right=row.upper_limb_strength_right,
            cooperation=row.cooperation,
            height_cm=row.height_cm,
            weight_kg=row.weight_kg,
            conditions=tuple(row.conditions or ()),
        ),
        planned=row.planned,
        recommended_method=row.recommended_method,
        recommended_staff=row.recommended_staff,
        equipment=[line for line in row.equipment.splitlines() if line.strip()],
        bariatric=row.bariatric,
        chosen_method=row.chosen_method,
        less_support_reason=row.less_support_reason,
        started_at=row.started_at,
        started_by=names.get(row.started_by_id or -1, ""),
        finished_at=row.finished_at,
        performed_by_id=row.performed_by_id,
        performed_by=names.get(row.performed_by_id or -1, ""),
        assisted_by_id=row.assisted_by_id,
        assisted_by=names.get(row.assisted_by_id or -1, ""),
        abort_reason=row.abort_reason,
        incident=row.incident,
        incident_description=row.incident_description,
        therapist_informed=row.therapist_informed,
        notes=row.notes,
        items=items,
    )


def _row(session: Session, checklist_id: int) -> TransferChecklist:
    row = session.get(TransferChecklist, checklist_id)
    if row is None:
        raise NotFound("That transfer checklist no longer exists.")
    return row


def _open_row(session: Session, checklist_id: int) -> TransferChecklist:
    row = _row(session, checklist_id)
    if row.status != ChecklistStatus.STARTED.value:
        raise PtdeskError(
            f"This checklist is already {ChecklistStatus(row.status).label.lower()}; "
            "start a new one for another transfer."
        )
    return row


def patient_of_appointment(session: Session, appointment_id: int) -> int:
    """The patient an appointment is for (the schedule opens checklists by appointment)."""
    appt = session.get(Appointment, appointment_id)
    if appt is None:
        raise NotFound("That appointment no longer exists.")
    return appt.patient_id


def get_checklist(session: Session, checklist_id: int) -> ChecklistData:
    return checklist_data(session, _row(session, checklist_id))


def start_checklist(
    session: Session,
    actor: Actor,
    patient_id: int,
    *,
    appointment_id: int | None = None,
    transfer_type: str = TransferType.WHEELCHAIR_TABLE.value,
    now: datetime | None = None,
) -> ChecklistData:
    """Open a checklist for the patient, its assessment pre-filled from the mobility profile."""
    require(actor, "run_transfer_checklist")
    ensure_defaults(session)
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise NotFound("That patient no longer exists.")
    if transfer_type not in TransferType._value2member_map_:
        raise ValidationError("transfer_type", "Choose the kind of transfer.")
    if appointment_id is not None:
        appt = session.get(Appointment, appointment_id)
        if appt is None:
            raise NotFound("That appointment no longer exists.")
        if appt.patient_id != patient_id:
            raise ValidationError("appointment_id", "That appointment is for another patient.")
    a = assessment_from_patient(patient)
    when = clock.utc_now() if now is None else now
    row = TransferChecklist(
        patient_id=patient_id,
        appointment_id=appointment_id,
        transfer_type=transfer_type,
        weight_bearing=a.weight_bearing,
        upper_limb_strength_left=a.upper_limb_strength_left,
        upper_limb_strength_right=a.upper_limb_strength_right,
        cooperation=a.cooperation,
        height_cm=a.height_cm,
        weight_kg=a.weight_kg,
        conditions=list(a.conditions),
        started_at=when,
        started_by_id=actor.id,
        created_at=when,
        updated_at=when,
    )
    session.add(row)
    session.flush()
    audit.record_new(
        session,
        actor,
        "start",
        "transfer_checklist",
        row,
        f"Transfer checklist started for {patient.full_name}: {TransferType(transfer_type).label}",
    )
    return checklist_data(session, row, patient)


def plan_checklist(
    session: Session,
    actor: Actor,
    checklist_id: int,
    assessment: Assessment,
    chosen_method: str,
    *,
    less_support_reason: str = "",
    transfer_type: str | None = None,
) -> ChecklistData:
    """Record the assessment and the method; copy the applicable checks into the checklist.

    Choosing a less supported method than recommended needs a reason. Planning again keeps
    the ticks of checks whose wording is unchanged.
    """
    require(actor, "run_transfer_checklist")
    row = _open_row(session, checklist_id)
    if transfer_type is not None and transfer_type not in TransferType._value2member_map_:
        raise ValidationError("transfer_type", "Choose the kind of transfer.")
    kind = transfer_type or row.transfer_type
    a = validate_assessment(assessment)
    rec = recommend(session, kind, a)
    if chosen_method not in TransferMethod._value2member_map_:
        raise ValidationError("chosen_method", "Choose the method you will use.")
    reason = validation.text(less_support_reason, "less_support_reason", "The reason", max_len=500)
    if is_less_supported(chosen_method, rec.method):
        if not reason:
            raise ValidationError(
                "less_support_reason",
                f"{TransferMethod(chosen_method).label} gives less support than the recommended "
                f"{rec.method_label}. Say why.",
            )
    else:
        reason = ""
    before = audit.snapshot(row)
    row.transfer_type = kind  # only now that every answer is valid: nothing half-changed
    row.weight_bearing = a.weight_bearing
    row.upper_limb_strength_left = a.upper_limb_strength_left
    row.upper_limb_strength_right = a.upper_limb_strength_right
    row.cooperation = a.cooperation
    row.height_cm = a.height_cm
    row.weight_kg = a.weight_kg
    row.conditions = list(a.conditions)
    row.recommended_method = rec.method
    row.recommended_staff = rec.staff
    row.bariatric = rec.bariatric
    chosen = TransferMethod(chosen_method)
    equipment = list(METHOD_EQUIPMENT[chosen])
    if rec.bariatric:
        equipment += [e for e in rec.equipment if e.startswith("Bariatric")]
    row.equipment = "\n".join(equipment)
    row.chosen_method = chosen_method
    row.less_support_reason = reason
    row.planned = True
    row.updated_at = clock.utc_now()
    session.add(row)
    _snapshot_items(session, row, a, chosen)
    session.flush()
    audit.record(
        session,
        actor,
        "plan",
        "transfer_checklist",
        row.id,
        audit.diff(before, audit.snapshot(row)),
        f"Transfer planned: {chosen.label} (recommended {rec.method_label})"
        + (f"; reason for less support: {reason}" if reason else ""),
    )
    return checklist_data(session, row)


def _snapshot_items(
    session: Session, row: TransferChecklist, a: Assessment, method: TransferMethod
) -> None:
    needs = set(a.conditions) | METHOD_NEEDS[method] | {""}
    if row.bariatric:
        needs.add("bariatric")
    old = list(
        session.exec(
            select(TransferChecklistItem).where(TransferChecklistItem.checklist_id == row.id)
        )
    )
    ticked = {i.text: i.done_at for i in old if i.done}
    for item in old:
        session.delete(item)
    session.flush()
    template = [t for t in template_rows(session, row.transfer_type) if t.applies_when in needs]
    template.sort(key=lambda t: (t.phase != "before", t.position))
    for pos, t in enumerate(template):
        session.add(
            TransferChecklistItem(
                checklist_id=row.id or 0,
                position=pos,
                phase=t.phase,
                text=t.text,
                required=t.required,
                done=t.text in ticked,
                done_at=ticked.get(t.text),
            )
        )


def set_check(
    session: Session, actor: Actor, checklist_id: int, item_id: int, done: bool
) -> ChecklistData:
    require(actor, "run_transfer_checklist")
    row = _open_row(session, checklist_id)
    item = session.get(TransferChecklistItem, item_id)
    if item is None or item.checklist_id != row.id:
        raise NotFound("That check is not on this checklist.")
    if item.done != done:
        item.done = done
        item.done_at = clock.utc_now() if done else None
        session.add(item)
        row.updated_at = clock.utc_now()
        session.add(row)
        audit.record(
            session,
            actor,
            "check" if done else "uncheck",
            "transfer_checklist",
            row.id,
            {"item": [None, item.text], "done": [not done, done]},
            f"{'Ticked' if done else 'Unticked'}: {item.text}",
        )
        session.flush()
    return checklist_data(session, row)


def _validate_outcome(
    session: Session,
    row: TransferChecklist,
    performed_by_id: int | None,
    assisted_by_id: int | None,
    incident: str,
    incident_description: str,
    therapist_informed: bool | None,
    *,
    completing: bool,
) -> str:
    if incident not in Incident._value2member_map_:
        raise ValidationError("incident", "Choose none, near miss or fall.")
    description = validation.text(
        incident_description, "incident_description", "The description", max_len=2000
    )
    if incident != Incident.NONE.value:
        if not description:
            raise ValidationError(
                "incident_description", "Describe what happened, in a sentence or two."
            )
        if therapist_informed is None:
            raise ValidationError(
                "therapist_informed", "Say whether the supervising therapist was told."
            )
    if completing or performed_by_id is not None:
        if performed_by_id is None:
            raise ValidationError("performed_by_id", "Choose who performed the transfer.")
        if session.get(Staff, performed_by_id) is None:
            raise ValidationError("performed_by_id", "That staff member no longer exists.")
    if assisted_by_id is not None:
        if assisted_by_id == performed_by_id:
            raise ValidationError(
                "assisted_by_id", "The assistant must be someone other than the performer."
            )
        if session.get(Staff, assisted_by_id) is None:
            raise ValidationError("assisted_by_id", "That staff member no longer exists.")
    if (
        completing
        and row.chosen_method
        and METHOD_STAFF[TransferMethod(row.chosen_method)] >= 2
        and assisted_by_id is None
    ):
        raise ValidationError(
            "assisted_by_id",
            f"{TransferMethod(row.chosen_method).label} needs two staff: choose who assisted.",
        )
    return description


def complete_checklist(
    session: Session,
    actor: Actor,
    checklist_id: int,
    *,
    performed_by_id: int | None,
    assisted_by_id: int | None = None,
    incident: str = Incident.NONE.value,
    incident_description: str = "",
    therapist_informed: bool | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> ChecklistData:
    """Finish the checklist; refused while the plan is missing or a required check is open."""
    require(actor, "run_transfer_checklist")
    row = _open_row(session, checklist_id)
    if not row.planned:
        raise ValidationError(
            "plan", "Confirm the assessment and the method before completing the checklist."
        )
    open_items = [
        i
        for i in session.exec(
            select(TransferChecklistItem).where(
                TransferChecklistItem.checklist_id == row.id,
                col(TransferChecklistItem.required).is_(True),
                col(TransferChecklistItem.done).is_(False),
            )
        )
    ]
    if open_items:
        n = len(open_items)
        raise ValidationError(
            "items",
            f"{n} required check{'s are' if n > 1 else ' is'} still open, "
            f"for example: {open_items[0].text}.",
        )
    description = _validate_outcome(
        session,
        row,
        performed_by_id,
        assisted_by_id,
        incident,
        incident_description,
        therapist_informed,
        completing=True,
    )
    return _finish(
        session,
        actor,
        row,
        ChecklistStatus.COMPLETED,
        performed_by_id,
        assisted_by_id,
        incident,
        description,
        therapist_informed,
        notes,
        "",
        now,
    )


def abort_checklist(
    session: Session,
    actor: Actor,
    checklist_id: int,
    reason: str,
    *,
    performed_by_id: int | None = None,
    assisted_by_id: int | None = None,
    incident: str = Incident.NONE.value,
    incident_description: str = "",
    therapist_informed: bool | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> ChecklistData:
    """Stop the transfer; the reason is required (and any incident is recorded too)."""
    require(actor, "run_transfer_checklist")
    row = _open_row(session, checklist_id)
    reason = validation.text(reason, "abort_reason", "The reason", required=True, max_len=500)
    description = _validate_outcome(
        session,
        row,
        performed_by_id,
        assisted_by_id,
        incident,
        incident_description,
        therapist_informed,
        completing=False,
    )
    return _finish(
        session,
        actor,
        row,
        ChecklistStatus.ABORTED,
        performed_by_id,
        assisted_by_id,
        incident,
        description,
        therapist_informed,
        notes,
        reason,
        now,
    )


def _finish(
    session: Session,
    actor: Actor,
    row: TransferChecklist,
    status: ChecklistStatus,
    performed_by_id: int | None,
    assisted_by_id: int | None,
    incident: str,
    description: str,
    therapist_informed: bool | None,
    notes: str,
    abort_reason: str,
    now: datetime | None,
) -> ChecklistData:
    notes = validation.text(notes, "notes", "The notes", max_len=2000)  # before any change
    before = audit.snapshot(row)
    when = clock.utc_now() if now is None else now
    row.status = status.value
    row.finished_at = when
    row.performed_by_id = performed_by_id
    row.assisted_by_id = assisted_by_id
    row.incident = incident
    row.incident_description = description if incident != Incident.NONE.value else ""
    row.therapist_informed = therapist_informed if incident != Incident.NONE.value else None
    row.notes = notes
    row.abort_reason = abort_reason
    row.updated_at = when
    session.add(row)
    session.flush()
    patient = session.get(Patient, row.patient_id)
    name = patient.full_name if patient else "patient"
    summary = f"Transfer checklist {status.value} for {name}"
    if incident != Incident.NONE.value:
        summary += f"; incident: {Incident(incident).label.lower()}"
    audit.record(
        session,
        actor,
        "complete" if status == ChecklistStatus.COMPLETED else "abort",
        "transfer_checklist",
        row.id,
        audit.diff(before, audit.snapshot(row)),
        summary,
    )
    return checklist_data(session, row, patient)
