"""The signal hub: one ``changed(topic)`` signal that tells screens what kind of data changed."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

# The topics are defined with the services, which mark what each unit of work changed.
from ptdesk.services.changes import (  # noqa: F401  (re-exported for the screens)
    ALL,
    AUDIT,
    BACKUPS,
    BILLING_CODES,
    CLEANING,
    CLINIC,
    EQUIPMENT,
    EXERCISES,
    PATIENTS,
    PROGRAMS,
    ROOMS,
    SCHEDULE,
    SESSIONS,
    STAFF,
    TRANSFER_RULES,
    TRANSFERS,
)


class Bus(QObject):
    changed = Signal(str)
    # Ask the main window to open a screen: (page key, {"day": ..., "patient_id": ...}).
    navigate = Signal(str, object)

    def announce(self, topic: str) -> None:
        self.changed.emit(topic)


def concerns(topic: str, *wanted: str) -> bool:
    """Whether an announced topic is one a listener cares about."""
    return topic == ALL or topic in wanted
