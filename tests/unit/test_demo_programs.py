"""The demo clinic gives most patients being seen now a home program of 3 to 8 exercises."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, func, select

from ptdesk.models import Appointment, AppointmentStatus, HomeProgram, ProgramExercise
from ptdesk.services import programs
from tests.conftest import DEMO_TODAY


def test_most_current_patients_have_a_program_of_three_to_eight(demo_db):
    with demo_db.session() as s:
        current = set(
            s.exec(
                select(Appointment.patient_id).where(
                    col(Appointment.start) >= DEMO_TODAY - timedelta(days=28),
                    col(Appointment.status) != AppointmentStatus.CANCELLED.value,
                )
            )
        )
        with_program = set(s.exec(select(HomeProgram.patient_id)))
        sizes = s.exec(
            select(func.count()).select_from(ProgramExercise).group_by(ProgramExercise.program_id)
        ).all()
        sheets = programs.sheets_for_day(s, DEMO_TODAY)
        history = programs.program_history(s, next(iter(with_program)))
    assert with_program <= current
    assert len(with_program) >= 0.7 * len(current)
    assert sizes and min(sizes) >= 3 and max(sizes) <= 8
    assert sheets, "the demo's busy day prints sheets"
    assert history and history[0].actor_name
