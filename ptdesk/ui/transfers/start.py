"""What the checklist runner opens with, loaded in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from ptdesk.errors import PtdeskError
from ptdesk.services import transfers as tr


@dataclass(frozen=True)
class ChecklistStart:
    """What the runner opens with: the patient, the staff to choose from, the threshold, and
    the checklist when one is continued."""

    patient: tr.PatientBrief
    staff: list[tr.Choice]
    threshold: float
    appointment_id: int | None
    checklist: tr.ChecklistData | None


def load_start(
    session: Session,
    patient_id: int | None = None,
    appointment_id: int | None = None,
    checklist_id: int | None = None,
) -> ChecklistStart:
    """Load a new checklist's patient (given, or the appointment's) or a started checklist."""
    checklist = None
    if checklist_id is not None:
        checklist = tr.get_checklist(session, checklist_id)
        patient_id, appointment_id = checklist.patient_id, checklist.appointment_id
    elif patient_id is None and appointment_id is not None:
        patient_id = tr.patient_of_appointment(session, appointment_id)
    if patient_id is None:
        raise PtdeskError("Choose a patient for the checklist.")
    return ChecklistStart(
        patient=tr.patient_brief(session, patient_id),
        staff=tr.staff_choices(session),
        threshold=tr.bariatric_threshold(session),
        appointment_id=appointment_id,
        checklist=checklist,
    )
