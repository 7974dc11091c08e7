"""SQLModel tables, one module per domain; importing this package registers them all."""

from ptdesk.models.audit import AuditEvent
from ptdesk.models.clinic import ClinicProfile
from ptdesk.models.exercises import BodyRegion, Exercise, HomeProgram, ProgramExercise, Side
from ptdesk.models.patients import (
    AssistanceLevel,
    Authorization,
    Cooperation,
    Patient,
    WeightBearing,
)
from ptdesk.models.schedule import Appointment, AppointmentKind, AppointmentStatus
from ptdesk.models.staff import Role, Room, Staff

__all__ = [
    "AssistanceLevel",
    "Authorization",
    "Cooperation",
    "WeightBearing",
    "Appointment",
    "AppointmentKind",
    "AppointmentStatus",
    "AuditEvent",
    "BodyRegion",
    "Exercise",
    "HomeProgram",
    "ProgramExercise",
    "Side",
    "ClinicProfile",
    "Patient",
    "Role",
    "Room",
    "Staff",
]
