"""The navigation list's pages, in order. A page is listed once its screen exists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

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


def lazy(module: str, name: str) -> Callable[[AppContext], QWidget]:
    """A factory that imports its screen's module only when the page is first shown."""

    def make(ctx: AppContext) -> QWidget:
        return getattr(import_module(module), name)(ctx)

    return make


def all_pages() -> list[PageSpec]:
    """Today, Schedule, Patients, Transfers, Equipment, Sessions, Reports, Settings."""
    m = "ptdesk.ui."
    return [
        PageSpec("today", "Today", "todayView", lazy(m + "today.view", "TodayView")),
        PageSpec("schedule", "Schedule", "scheduleView", lazy(m + "schedule.view", "ScheduleView")),
        PageSpec("patients", "Patients", "patientsView", lazy(m + "patients.view", "PatientsView")),
        # Home programs, the exercise library and the day's sheets sit right after Patients.
        PageSpec("exercises", "Exercises", "exercisesView", lazy(m + "exercises.view", "ExercisesView")),
        PageSpec("transfers", "Transfers", "transfersView", lazy(m + "transfers.view", "TransfersView")),
        PageSpec("equipment", "Equipment", "equipmentView", lazy(m + "equipment.view", "EquipmentView")),
        PageSpec("sessions", "Sessions", "sessionsView", lazy(m + "sessions.view", "SessionsView")),
        PageSpec("reports", "Reports", "reportsView", lazy(m + "reports.view", "ReportsView"), needs="export_data"),
        PageSpec("audit", "Audit", "auditView", lazy(m + "audit.view", "AuditView"), needs="view_audit"),
        PageSpec("settings", "Settings", "settingsView", lazy(m + "settings.view", "SettingsView")),
    ]  # fmt: skip
