"""The signal hub: one ``changed(topic)`` signal that tells screens what kind of data changed."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

# Topics. A screen refreshes when a topic it shows is announced; "*" means everything.
ALL = "*"
CLINIC = "clinic"
STAFF = "staff"
ROOMS = "rooms"
PATIENTS = "patients"
SCHEDULE = "schedule"
BACKUPS = "backups"
EQUIPMENT = "equipment"
CLEANING = "cleaning"
EXERCISES = "exercises"
PROGRAMS = "programs"
TRANSFERS = "transfers"  # checklists started, ticked, completed or aborted
TRANSFER_RULES = "transfer_rules"  # decision table, bariatric threshold, check templates
SESSIONS = "sessions"
BILLING_CODES = "billing_codes"


AUDIT = "audit"


class Bus(QObject):
    changed = Signal(str)
    # Ask the main window to open a screen: (page key, {"day": ..., "patient_id": ...}).
    navigate = Signal(str, object)

    def announce(self, topic: str) -> None:
        self.changed.emit(topic)


def concerns(topic: str, *wanted: str) -> bool:
    """Whether an announced topic is one a listener cares about."""
    return topic == ALL or topic in wanted
