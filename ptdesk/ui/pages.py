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


def all_pages() -> list[PageSpec]:
    """Today, Schedule, Patients, Transfers, Equipment, Sessions, Reports, Settings."""
    from ptdesk.ui.equipment.view import EquipmentView
    from ptdesk.ui.exercises.view import ExercisesView
    from ptdesk.ui.patients.view import PatientsView
    from ptdesk.ui.reports.view import ReportsView
    from ptdesk.ui.schedule.view import ScheduleView
    from ptdesk.ui.settings.view import SettingsView
    from ptdesk.ui.transfers.view import TransfersView

    return [
        PageSpec("schedule", "Schedule", "scheduleView", ScheduleView),
        PageSpec("patients", "Patients", "patientsView", PatientsView),
        # Home programs, the exercise library and the day's sheets sit right after Patients.
        PageSpec("exercises", "Exercises", "exercisesView", ExercisesView),
        PageSpec("transfers", "Transfers", "transfersView", TransfersView),
        PageSpec("equipment", "Equipment", "equipmentView", EquipmentView),
        PageSpec("reports", "Reports", "reportsView", ReportsView),
        PageSpec("settings", "Settings", "settingsView", SettingsView),
    ]
