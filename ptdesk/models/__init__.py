"""SQLModel tables, one module per domain; importing this package registers them all."""

from ptdesk.models.audit import AuditEvent
from ptdesk.models.clinic import ClinicProfile
from ptdesk.models.equipment import (
    CleaningInterval,
    CleaningLog,
    CleaningMethod,
    Equipment,
    EquipmentCategory,
    EquipmentSettings,
    TemperatureUnit,
    WaterReading,
)
from ptdesk.models.exercises import BodyRegion, Exercise, HomeProgram, ProgramExercise, Side
from ptdesk.models.patients import (
    AssistanceLevel,
    Authorization,
    Cooperation,
    Patient,
    WeightBearing,
)
from ptdesk.models.schedule import (
    Appointment,
    AppointmentKind,
    AppointmentSeries,
    AppointmentStatus,
    AppointmentStatusChange,
)
from ptdesk.models.sessions import (
    BillingCode,
    RecordStatus,
    SessionAddendum,
    SessionExercise,
    SessionIntervention,
    SessionRecord,
)
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
    "AppointmentSeries",
    "AppointmentStatus",
    "AppointmentStatusChange",
    "AuditEvent",
    "CleaningInterval",
    "CleaningLog",
    "CleaningMethod",
    "BodyRegion",
    "Exercise",
    "HomeProgram",
    "ProgramExercise",
    "Side",
    "ClinicProfile",
    "Equipment",
    "EquipmentCategory",
    "EquipmentSettings",
    "TemperatureUnit",
    "WaterReading",
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
    "BillingCode",
    "RecordStatus",
    "SessionAddendum",
    "SessionExercise",
    "SessionIntervention",
    "SessionRecord",
]
