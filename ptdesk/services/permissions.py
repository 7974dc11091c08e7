"""Who may do what: one table of roles by action, checked by every service that writes."""

from __future__ import annotations

from ptdesk.errors import PermissionDenied
from ptdesk.models.staff import ROLE_LABELS, Role
from ptdesk.services.audit import Actor

ALL = frozenset(Role)
THERAPISTS = frozenset({Role.OWNER, Role.THERAPIST, Role.ASSISTANT})
HANDS_ON = THERAPISTS | {Role.TECHNICIAN}
# Booking, patient details and insurance are desk work: technicians and aides leave them be.
DESK_WORK = THERAPISTS | {Role.FRONT_DESK}

# action -> (roles allowed, what the action is called in a refusal message)
PERMISSIONS: dict[str, tuple[frozenset[Role], str]] = {
    "edit_clinic_profile": (frozenset({Role.OWNER}), "change the clinic profile"),
    "manage_staff": (frozenset({Role.OWNER}), "manage staff"),
    "manage_rooms": (frozenset({Role.OWNER}), "manage rooms"),
    "backup": (ALL, "back up the data"),
    "restore_backup": (frozenset({Role.OWNER}), "restore a backup"),
    "edit_patient": (DESK_WORK, "edit patients"),
    "manage_authorizations": (DESK_WORK, "keep insurance authorizations"),
    "book": (DESK_WORK, "book appointments"),
    "cancel_appointment": (DESK_WORK, "cancel appointments"),
    "update_appointment_status": (ALL, "check patients in or mark visits"),
    "correct_appointment_status": (
        frozenset({Role.OWNER, Role.THERAPIST, Role.ASSISTANT, Role.FRONT_DESK}),
        "correct an appointment's status",
    ),
    "export_data": (frozenset({Role.OWNER, Role.FRONT_DESK}), "export data"),
    "manage_equipment": (frozenset({Role.OWNER}), "add or change equipment"),
    "log_cleaning": (ALL, "log equipment cleaning"),
    "correct_cleaning": (ALL, "correct the cleaning log"),
    "set_equipment_service": (HANDS_ON, "take equipment out of service or back"),
    "record_device_check": (HANDS_ON, "record safety checks and calibrations"),
    "log_water_temperature": (HANDS_ON, "log hydrocollator water temperatures"),
    "change_program": (THERAPISTS, "change a home exercise program"),
    "edit_exercise_library": (THERAPISTS, "change the exercise library"),
    "print_exercise_sheets": (ALL, "print exercise sheets"),
    "run_transfer_checklist": (
        frozenset({Role.OWNER, Role.THERAPIST, Role.ASSISTANT, Role.TECHNICIAN}),
        "run transfer checklists",
    ),
    "update_mobility_profile": (THERAPISTS, "change a patient's mobility profile"),
    "edit_transfer_rules": (
        frozenset({Role.OWNER}),
        "change the transfer decision table or check templates",
    ),
    # Session records. Technicians record what was done; signing and the assessment belong to
    # therapists (an owner only when licensed: see services/sessions.py).
    "record_session": (HANDS_ON, "record what was done in a session"),
    "co_sign": (THERAPISTS, "sign session records or write an assessment"),
    "amend_session": (HANDS_ON, "add an addendum to a signed session record"),
    "manage_billing_codes": (frozenset({Role.OWNER}), "change the billing code table"),
    "view_audit": (frozenset({Role.OWNER}), "look through or export the audit trail"),
    # The owner's monthly report, and bringing a clinic's spreadsheets in.
    "export_report": (frozenset({Role.OWNER}), "make the monthly report"),
    "import_data": (frozenset({Role.OWNER}), "import data from a CSV file"),
}


def allowed(actor: Actor, action: str) -> bool:
    if actor.role == "system":
        return True
    roles, _ = PERMISSIONS[action]
    return actor.role in roles


def require(actor: Actor, action: str) -> None:
    """Refuse with a plain sentence when ``actor`` may not perform ``action``."""
    if allowed(actor, action):
        return
    roles, what = PERMISSIONS[action]
    who = ", ".join(ROLE_LABELS[r] for r in Role if r in roles)
    raise PermissionDenied(
        f"{actor.name} may not {what}. Ask someone with one of these roles: {who}."
    )
