"""The navigation list's pages, in order. A page is listed once its screen exists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from ptdesk.ui.context import AppContext


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    object_name: str
    factory: Callable[[AppContext], QWidget]
    # A permission the person needs to see the page at all ("" = everyone).
    needs: str = ""


def all_pages() -> list[PageSpec]:
    """Today, Schedule, Patients, Transfers, Equipment, Sessions, Reports, Settings."""
    from ptdesk.ui.audit.view import AuditView
    from ptdesk.ui.equipment.view import EquipmentView
    from ptdesk.ui.exercises.view import ExercisesView
    from ptdesk.ui.patients.view import PatientsView
    from ptdesk.ui.schedule.view import ScheduleView
    from ptdesk.ui.sessions.view import SessionsView
    from ptdesk.ui.settings.view import SettingsView
    from ptdesk.ui.today.view import TodayView
    from ptdesk.ui.transfers.view import TransfersView

    return [
        PageSpec("today", "Today", "todayView", TodayView),
        PageSpec("schedule", "Schedule", "scheduleView", ScheduleView),
        PageSpec("patients", "Patients", "patientsView", PatientsView),
        # Home programs, the exercise library and the day's sheets sit right after Patients.
        PageSpec("exercises", "Exercises", "exercisesView", ExercisesView),
        PageSpec("transfers", "Transfers", "transfersView", TransfersView),
        PageSpec("equipment", "Equipment", "equipmentView", EquipmentView),
        PageSpec("sessions", "Sessions", "sessionsView", SessionsView),
        PageSpec("audit", "Audit", "auditView", AuditView, needs="view_audit"),
        PageSpec("settings", "Settings", "settingsView", SettingsView),
    ]
