"""Exercises (the shipped library and the clinic's own) and each patient's home program."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field

from ptdesk.models.common import Table, utcnow


class BodyRegion(StrEnum):
    NECK = "neck"
    SHOULDER = "shoulder"
    BACK = "back"
    HIP = "hip"
    KNEE = "knee"
    ANKLE = "ankle"
    BALANCE = "balance"
    CORE = "core"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Side(StrEnum):
    NONE = ""
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"

    @property
    def label(self) -> str:
        return {"": "Not sided", "left": "Left", "right": "Right", "both": "Both sides"}[self.value]


class Exercise(Table, table=True):
    """One exercise. Library rows mirror resources/exercises; clinic rows are the clinic's own."""

    id: int | None = Field(default=None, primary_key=True)
    # "library:<key>" for shipped exercises, "clinic:<n>" for the clinic's own.
    key: str = Field(max_length=80, unique=True, index=True)
    source: str = Field(default="clinic", max_length=10)
    name: str = Field(max_length=120)
    region: str = Field(max_length=20, index=True)
    # Numbered steps, one per line (without the numbers).
    steps: str = Field(default="")
    sets: int = Field(default=1)
    reps: int = Field(default=10)
    hold_seconds: int = Field(default=0)
    times_per_day: int = Field(default=1)
    days_per_week: int = Field(default=7)
    # The clinic's own photo (PNG or JPEG); a library exercise without one uses its drawing.
    photo: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]


class HomeProgram(Table, table=True):
    """A patient's home exercise program (one per patient) and how their sheet is printed."""

    __tablename__ = "home_program"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", unique=True)
    therapist_id: int | None = Field(default=None, foreign_key="staff.id")
    start_date: date
    end_date: date | None = None
    large_print: bool = Field(default=False)
    notes: str = Field(default="")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ProgramExercise(Table, table=True):
    """One exercise in a program with the dose the therapist set, in sheet order."""

    __tablename__ = "program_exercise"
    __table_args__ = (UniqueConstraint("program_id", "position", name="uq_program_position"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="home_program.id", index=True)
    exercise_id: int = Field(foreign_key="exercise.id")
    position: int
    sets: int = Field(default=1)
    reps: int = Field(default=10)
    hold_seconds: int = Field(default=0)
    load: str = Field(default="", max_length=60)
    times_per_day: int = Field(default=1)
    days_per_week: int = Field(default=7)
    side: str = Field(default="", max_length=10)
    notes: str = Field(default="")
