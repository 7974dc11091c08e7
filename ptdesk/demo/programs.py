"""The demo clinic's home exercise programs: most patients being seen now have one."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import insert
from sqlmodel import Session, select

from ptdesk.models import (
    AppointmentStatus,
    AuditEvent,
    Exercise,
    HomeProgram,
    ProgramExercise,
    Staff,
)

if TYPE_CHECKING:
    from ptdesk.demo.schedule import ClinicBuilder

# A home program leans on one body region, with a little core or balance work added.
PROGRAM_REGIONS = ["back", "knee", "shoulder", "hip", "neck", "ankle", "knee", "back", "balance"]
BANDS = ["yellow band", "red band", "green band", "blue band"]
PROGRAM_NOTES = [
    "Go slowly; stop if it pinches.",
    "Do these after a warm shower.",
    "Keep the movement small at first.",
    "Breathe out as you lift.",
    "Use the kitchen counter for balance.",
]


def add_programs(session: Session, b: ClinicBuilder, seed: int, staff: list[Staff]) -> None:
    """Most patients being seen now get a home program of 3 to 8 exercises."""
    from ptdesk.services.exercises import sync_library
    from ptdesk.services.programs import ENTITY

    rng = random.Random(seed * 1009 + 17)  # its own stream: other demo data stays the same
    sync_library(session)
    library = list(session.exec(select(Exercise).order_by(Exercise.id)))
    by_region: dict[str, list[Exercise]] = {}
    for ex in library:
        by_region.setdefault(ex.region, []).append(ex)
    prescribers = {s.id: s for s in staff if s.role in ("owner", "therapist", "assistant")}
    lead = next(s for s in staff if s.role == "therapist")
    window_start = b.today - timedelta(days=28)
    first_visit: dict[int, date] = {}
    seen_by: dict[int, int] = {}
    current: set[int] = set()
    for a in b.appointments:
        pid, day = a["patient_id"], a["start"].date()
        first_visit[pid] = min(first_visit.get(pid, day), day)
        if window_start <= day <= b.last_day and a["status"] != AppointmentStatus.CANCELLED.value:
            current.add(pid)
            seen_by.setdefault(pid, a["staff_id"])
    programs, items, events = [], [], []
    for pid in sorted(current):
        if rng.random() > 0.85:
            continue
        therapist = prescribers.get(seen_by[pid], lead)
        start = first_visit[pid]
        region = rng.choice(PROGRAM_REGIONS)
        count = rng.randint(3, 8)
        main = rng.sample(by_region[region], min(len(by_region[region]), count))
        extra_pool = [e for r in ("core", "balance") if r != region for e in by_region[r]]
        chosen = main + rng.sample(extra_pool, count - len(main))
        side = rng.choice(["left", "right", "both"])
        program_id = len(programs) + 1
        created = datetime.combine(start, time(11, 30), UTC)
        programs.append(
            dict(
                id=program_id,
                patient_id=pid,
                therapist_id=therapist.id,
                start_date=start,
                end_date=start + timedelta(weeks=rng.choice([6, 8, 12]))
                if rng.random() < 0.3
                else None,
                large_print=rng.random() < 0.12,
                notes="",
                created_at=created,
                updated_at=created,
            )
        )
        lines = []
        for position, ex in enumerate(chosen):
            sided = ex.region in ("shoulder", "hip", "knee", "ankle") and rng.random() < 0.8
            band = "band" in ex.name.lower()
            item = dict(
                program_id=program_id,
                exercise_id=ex.id,
                position=position,
                sets=ex.sets,
                reps=ex.reps if rng.random() < 0.7 else max(1, ex.reps + rng.choice([-5, 5])),
                hold_seconds=ex.hold_seconds,
                load=rng.choice(BANDS) if band else "",
                times_per_day=ex.times_per_day,
                days_per_week=ex.days_per_week,
                side=side if sided else "",
                notes=rng.choice(PROGRAM_NOTES) if rng.random() < 0.15 else "",
            )
            items.append(item)
            lines.append(ex.name)
        events.append(
            dict(
                at=created,
                actor_id=therapist.id,
                actor_name=therapist.name,
                action="create",
                entity=ENTITY,
                entity_id=str(program_id),
                summary=f"Home program set ({len(chosen)} exercises)",
                changes={"exercises": [None, lines]},
                patient_id=pid,
            )
        )
    if programs:
        session.execute(insert(HomeProgram), programs)
        session.execute(insert(ProgramExercise), items)
        session.execute(insert(AuditEvent), events)
