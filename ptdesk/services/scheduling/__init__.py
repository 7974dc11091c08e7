"""The schedule: day queries, booking, repeating visits, conflicts, status changes, day sheet.

Each part lives in its own module; this package gives them one name, so
``from ptdesk.services import scheduling as sched`` reaches every public function.
"""

from ptdesk.models import Appointment
from ptdesk.services.clinic import get_profile
from ptdesk.services.scheduling.booking import book, move, update_appointment
from ptdesk.services.scheduling.conflicts import check_conflicts
from ptdesk.services.scheduling.day_sheet_data import DaySheetGroup, day_sheet
from ptdesk.services.scheduling.free_slots import find_next_free_slot
from ptdesk.services.scheduling.history import status_history
from ptdesk.services.scheduling.queries import (
    appointments_between,
    bookable_staff,
    day_appointments,
    future_visits,
    get_appointment,
    hours_on,
    rooms,
    search_patients,
    unresolved_query,
    unresolved_visits,
    week_appointments,
    working_staff,
)
from ptdesk.services.scheduling.recurrence import book_series, expand_recurrence
from ptdesk.services.scheduling.statuses import (
    ALLOWED,
    cancel,
    cancel_future_visits,
    check_in,
    complete,
    correct_status,
    is_late_cancellation,
    no_show,
)
from ptdesk.services.scheduling.values import (
    BOOKABLE_YEARS,
    DEFAULT_MINUTES,
    INACTIVE,
    KIND_LABELS,
    MAX_PLAN_WEEKS,
    OPEN,
    SCOPES,
    STATUS_LABELS,
    STATUS_MARKS,
    WEEKDAY_NAMES,
    AppointmentChanges,
    AppointmentInfo,
    BookingRequest,
    CancelResult,
    Conflict,
    ConflictWarning,
    PatientHit,
    Recurrence,
    RoomInfo,
    S,
    StaffHours,
    StatusChangeInfo,
)

__all__ = [
    "ALLOWED",
    "BOOKABLE_YEARS",
    "DEFAULT_MINUTES",
    "INACTIVE",
    "KIND_LABELS",
    "MAX_PLAN_WEEKS",
    "OPEN",
    "SCOPES",
    "STATUS_LABELS",
    "STATUS_MARKS",
    "WEEKDAY_NAMES",
    "Appointment",
    "AppointmentChanges",
    "AppointmentInfo",
    "BookingRequest",
    "CancelResult",
    "Conflict",
    "ConflictWarning",
    "DaySheetGroup",
    "PatientHit",
    "Recurrence",
    "RoomInfo",
    "S",
    "StaffHours",
    "StatusChangeInfo",
    "appointments_between",
    "book",
    "book_series",
    "bookable_staff",
    "cancel",
    "cancel_future_visits",
    "check_conflicts",
    "check_in",
    "complete",
    "correct_status",
    "day_appointments",
    "day_sheet",
    "expand_recurrence",
    "find_next_free_slot",
    "future_visits",
    "get_appointment",
    "get_profile",
    "hours_on",
    "is_late_cancellation",
    "move",
    "no_show",
    "rooms",
    "search_patients",
    "status_history",
    "unresolved_query",
    "unresolved_visits",
    "update_appointment",
    "week_appointments",
    "working_staff",
]
