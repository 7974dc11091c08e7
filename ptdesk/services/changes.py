"""What kinds of data a unit of work changed, so every screen showing them can refresh.

A service marks the kinds it changes on its database session; ``audit.record`` marks them from
the audited entity, so every audited write is covered without a line of its own. The screens'
operations helper reads the marks after the commit and announces them on the signal hub.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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

# The audited entity (``audit.record``'s ``entity``) → the topics a change to it concerns.
ENTITY_TOPICS: dict[str, tuple[str, ...]] = {
    "addendum": (SESSIONS,),
    "appointment": (SCHEDULE,),
    "appointment_series": (SCHEDULE,),
    "authorization": (PATIENTS, SCHEDULE),
    "billing_code": (BILLING_CODES,),
    "cleaning_log": (CLEANING, EQUIPMENT),
    "clinic": (CLINIC,),
    "clinic_profile": (CLINIC, SCHEDULE),
    "database": (ALL,),
    "closed_day": (CLINIC, SCHEDULE),
    "equipment": (EQUIPMENT,),
    "equipment_settings": (EQUIPMENT, CLEANING),
    "exercise": (EXERCISES, PROGRAMS),
    "home_program": (PROGRAMS,),
    "patient": (PATIENTS,),
    "patients": (PATIENTS,),  # a CSV import of patients
    "appointments": (SCHEDULE,),  # a CSV import of appointments
    "room": (ROOMS,),
    "session_record": (SESSIONS,),
    "staff": (STAFF,),
    "transfer_check_template": (TRANSFER_RULES,),
    "transfer_checklist": (TRANSFERS,),
    "transfer_decision": (TRANSFER_RULES,),
    "transfer_settings": (TRANSFER_RULES,),
    "water_reading": (EQUIPMENT, CLEANING),
}

_KEY = "ptdesk.changed"


def mark(session: Any, *topics: str) -> None:
    """Note on ``session`` (a database session) that this unit of work changed ``topics``."""
    marks: set[str] = session.info.setdefault(_KEY, set())
    marks.update(topics)


def mark_entity(session: Any, entity: str) -> None:
    """Mark the topics a change to an audited ``entity`` concerns (and the audit trail)."""
    mark(session, AUDIT, *ENTITY_TOPICS.get(entity, ()))


def marked(session: Any) -> frozenset[str]:
    """The topics marked on ``session`` so far."""
    return frozenset(session.info.get(_KEY, ()))


def ordered(topics: Iterable[str]) -> list[str]:
    """Topics in a stable order (for announcing them one by one): the kinds of data first, the
    audit trail (which every audited change also touches) last."""
    return sorted(set(topics), key=lambda topic: (topic == AUDIT, topic))
