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
    from ptdesk.ui.settings.view import SettingsView
    from ptdesk.ui.transfers.view import TransfersView

    return [
        PageSpec("transfers", "Transfers", "transfersView", TransfersView),
        PageSpec("settings", "Settings", "settingsView", SettingsView),
    ]
