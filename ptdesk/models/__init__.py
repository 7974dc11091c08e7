"""SQLModel tables, one module per domain; importing this package registers them all."""

from ptdesk.models.audit import AuditEvent
from ptdesk.models.clinic import ClinicProfile
from ptdesk.models.patients import (
    AssistanceLevel,
    Authorization,
    Cooperation,
    Patient,
    WeightBearing,
)
from ptdesk.models.schedule import Appointment, AppointmentKind, AppointmentStatus
from ptdesk.models.staff import Role, Room, Staff
from ptdesk.models.transfers import (
    ChecklistStatus,
    Incident,
    TransferChecklist,
    TransferChecklistItem,
    TransferCheckTemplate,
    TransferDecision,
    TransferMethod,
    TransferSettings,
    TransferType,
    UpperLimbs,
)

__all__ = [
    "AssistanceLevel",
    "Authorization",
    "Cooperation",
    "WeightBearing",
    "Appointment",
    "AppointmentKind",
    "AppointmentStatus",
    "AuditEvent",
    "ClinicProfile",
    "Patient",
    "Role",
    "Room",
    "Staff",
    "ChecklistStatus",
    "Incident",
    "TransferCheckTemplate",
    "TransferChecklist",
    "TransferChecklistItem",
    "TransferDecision",
    "TransferMethod",
    "TransferSettings",
    "TransferType",
    "UpperLimbs",
]
