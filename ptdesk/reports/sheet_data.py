"""What an exercise sheet shows, as plain data.

Kept apart from the layout so that the services which gather a sheet's contents do not load
the PDF library: the program and session screens (and start-up, through Today) need the data,
and only printing needs reportlab.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Picture:
    """An exercise's picture: the project's drawing (SVG text) or the clinic's photo."""

    svg: str | None = None
    image: bytes | None = None


@dataclass
class SheetExercise:
    name: str
    dose: str
    steps: list[str]
    notes: str = ""
    picture: Picture | None = None


@dataclass
class ExerciseSheet:
    """Everything one patient's sheet shows."""

    patient_name: str
    day: date
    exercises: list[SheetExercise]
    chart_number: str = ""
    therapist: str = ""
    precautions: list[str] = field(default_factory=list)
    large_print: bool = False
    notes: str = ""

    @property
    def subject(self) -> str:
        chart = f" · Chart {self.chart_number}" if self.chart_number else ""
        return f"{self.patient_name}{chart} · {self.day.isoformat()}"
