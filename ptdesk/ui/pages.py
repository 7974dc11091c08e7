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


def lazy(module: str, name: str) -> Callable[[AppContext], QWidget]:
    """A factory that imports its screen's module only when the page is first shown."""

    def make(ctx: AppContext) -> QWidget:
        return getattr(import_module(module), name)(ctx)

    return make


def all_pages() -> list[PageSpec]:
    """Today, Schedule, Patients, Transfers, Equipment, Sessions, Reports, Settings."""
    return [
        PageSpec("schedule", "Schedule", "scheduleView", lazy("ptdesk.ui.schedule.view", "ScheduleView")),
        PageSpec("patients", "Patients", "patientsView", lazy("ptdesk.ui.patients.view", "PatientsView")),
        # Home programs, the exercise library and the day's sheets sit right after Patients.
        PageSpec("exercises", "Exercises", "exercisesView", lazy("ptdesk.ui.exercises.view", "ExercisesView")),
        PageSpec("equipment", "Equipment", "equipmentView", lazy("ptdesk.ui.equipment.view", "EquipmentView")),
        PageSpec("settings", "Settings", "settingsView", lazy("ptdesk.ui.settings.view", "SettingsView")),
    ]  # fmt: skip
