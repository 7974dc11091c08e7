"""The exercise library: shipped exercises kept in step with resources/, and the clinic's own."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from typing import TypedDict

from sqlmodel import Session, col, select

from ptdesk.errors import NotFound, ValidationError
from ptdesk.models import BodyRegion, Exercise
from ptdesk.models.common import saved_id, utcnow
from ptdesk.resources import resource_path
from ptdesk.services import audit, validation
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require

LIBRARY = "library"
CLINIC = "clinic"
MAX_PHOTO_BYTES = 4 * 1024 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
DOSE_LIMITS = {
    "sets": (1, 10, "Sets"),
    "reps": (1, 100, "Repetitions"),
    "hold_seconds": (0, 600, "Hold"),
    "times_per_day": (1, 10, "Times a day"),
    "days_per_week": (1, 7, "Days a week"),
}


@dataclass(frozen=True)
class LibraryEntry:
    """One exercise as shipped in resources/exercises/library.toml."""

    key: str
    name: str
    region: str
    steps: tuple[str, ...]
    sets: int
    reps: int
    hold_seconds: int
    times_per_day: int
    days_per_week: int


@dataclass
class ExerciseInfo:
    """An exercise as plain values, for lists, editors and sheets."""

    id: int
    key: str
    source: str
    name: str
    region: str
    steps: list[str]
    sets: int
    reps: int
    hold_seconds: int
    times_per_day: int
    days_per_week: int
    has_photo: bool
    active: bool

    @property
    def is_library(self) -> bool:
        return self.source == LIBRARY

    @property
    def library_key(self) -> str | None:
        return self.key.split(":", 1)[1] if self.is_library else None

    @property
    def region_label(self) -> str:
        return self.region.capitalize()


class ExerciseValues(TypedDict):
    """The fields of an exercise that its wording and dose set, as the table takes them."""

    name: str
    region: str
    steps: str
    sets: int
    reps: int
    hold_seconds: int
    times_per_day: int
    days_per_week: int


@dataclass
class ExerciseInput:
    """What a therapist types for a clinic exercise."""

    name: str = ""
    region: str = ""
    steps: list[str] = field(default_factory=list)
    sets: int = 1
    reps: int = 10
    hold_seconds: int = 0
    times_per_day: int = 1
    days_per_week: int = 7


def _syllables(word: str) -> int:
    word = word.lower().strip(".,;:!?'\"()")
    if not word:
        return 0
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def reading_grade(steps: list[str]) -> float:
    """An estimate of the school grade needed to read the steps (Flesch-Kincaid, each step
    counted as a sentence). Patient handouts aim for grade 6 or lower."""
    words = [w for step in steps for w in step.split()]
    if not words or not steps:
        return 0.0
    syllables = sum(_syllables(w) for w in words)
    return max(0.0, 0.39 * len(words) / len(steps) + 11.8 * syllables / len(words) - 15.59)


@cache
def library() -> tuple[LibraryEntry, ...]:
    """The shipped library, read once."""
    with resource_path("exercises", "library.toml").open("rb") as fh:
        data = tomllib.load(fh)
    entries = []
    for item in data["exercise"]:
        dose = item["dose"]
        entries.append(
            LibraryEntry(
                key=item["key"],
                name=item["name"],
                region=item["region"],
                steps=tuple(item["steps"]),
                sets=dose["sets"],
                reps=dose["reps"],
                hold_seconds=dose["hold_seconds"],
                times_per_day=dose["times_per_day"],
                days_per_week=dose["days_per_week"],
            )
        )
    return tuple(entries)


def library_picture_svg(library_key: str) -> str | None:
    """The drawing of a shipped exercise (SVG text), or None if it has none."""
    try:
        return resource_path("exercises", "pictures", f"{library_key}.svg").read_text("utf-8")
    except FileNotFoundError:
        return None


def sync_library(session: Session) -> int:
    """Add shipped exercises the database does not have yet and refresh their wording.

    Returns how many were added or changed. Photos a clinic attached are kept.
    """
    rows = {
        r.key: r for r in session.exec(select(Exercise).where(Exercise.source == LIBRARY)).all()
    }
    changed = 0
    for entry in library():
        key = f"{LIBRARY}:{entry.key}"
        values = ExerciseValues(
            name=entry.name,
            region=entry.region,
            steps="\n".join(entry.steps),
            sets=entry.sets,
            reps=entry.reps,
            hold_seconds=entry.hold_seconds,
            times_per_day=entry.times_per_day,
            days_per_week=entry.days_per_week,
        )
        row = rows.get(key)
        if row is None:
            session.add(Exercise(key=key, source=LIBRARY, **values))
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.updated_at = utcnow()
            session.add(row)
            changed += 1
    if changed:
        session.flush()
        audit.record(
            session,
            audit.SYSTEM,
            "sync",
            "exercise",
            None,
            summary=f"Exercise library brought up to date ({changed} exercises)",
        )
    return changed


def _info(row: Exercise) -> ExerciseInfo:
    return ExerciseInfo(
        id=saved_id(row),
        key=row.key,
        source=row.source,
        name=row.name,
        region=row.region,
        steps=row.step_list,
        sets=row.sets,
        reps=row.reps,
        hold_seconds=row.hold_seconds,
        times_per_day=row.times_per_day,
        days_per_week=row.days_per_week,
        has_photo=row.photo is not None,
        active=row.active,
    )


def list_exercises(
    session: Session, *, region: str | None = None, include_inactive: bool = False
) -> list[ExerciseInfo]:
    """Every exercise, by region then name (the shipped library is brought up to date first)."""
    sync_library(session)
    stmt = select(Exercise).order_by(col(Exercise.region), col(Exercise.name))
    if region:
        stmt = stmt.where(Exercise.region == region)
    if not include_inactive:
        stmt = stmt.where(col(Exercise.active).is_(True))
    return [_info(r) for r in session.exec(stmt)]


def _row(session: Session, exercise_id: int) -> Exercise:
    row = session.get(Exercise, exercise_id)
    if row is None:
        raise NotFound("That exercise no longer exists.")
    return row


def get_photo(session: Session, exercise_id: int) -> bytes | None:
    return _row(session, exercise_id).photo


def _validate(data: ExerciseInput) -> ExerciseValues:
    name = validation.text(data.name, "name", "The exercise name", required=True, max_len=120)
    if data.region not in {r.value for r in BodyRegion}:
        raise ValidationError("region", "Choose the body region this exercise is for.")
    steps = [" ".join(s.split()) for s in data.steps if s and s.strip()]
    if not steps:
        raise ValidationError("steps", "Write at least one step, one per line.")
    if any(len(s) > 300 for s in steps):
        raise ValidationError("steps", "Each step must be at most 300 characters.")
    dose = {
        fname: check_number(getattr(data, fname), fname, label, low, high)
        for fname, (low, high, label) in DOSE_LIMITS.items()
    }
    return ExerciseValues(
        name=name,
        region=data.region,
        steps="\n".join(steps),
        sets=dose["sets"],
        reps=dose["reps"],
        hold_seconds=dose["hold_seconds"],
        times_per_day=dose["times_per_day"],
        days_per_week=dose["days_per_week"],
    )


def check_number(value: int | float | str, field: str, label: str, low: int, high: int) -> int:
    """A whole number typed into a form, refused when it is not one or not in [low, high]."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(field, f"{label} must be a whole number.") from None
    if not low <= number <= high:
        raise ValidationError(field, f"{label} must be between {low} and {high}.")
    return number


def add_exercise(session: Session, actor: Actor, data: ExerciseInput) -> ExerciseInfo:
    """A clinic's own exercise."""
    require(actor, "edit_exercise_library")
    values = _validate(data)
    row = Exercise(key=f"{CLINIC}:pending", source=CLINIC, **values)
    session.add(row)
    session.flush()
    row.key = f"{CLINIC}:{row.id}"
    session.add(row)
    session.flush()
    audit.record_new(
        session,
        actor,
        "create",
        "exercise",
        row,
        f"Exercise '{row.name}' added to the library",
    )
    return _info(row)


def update_exercise(
    session: Session, actor: Actor, exercise_id: int, data: ExerciseInput
) -> ExerciseInfo:
    """Change a clinic exercise (the shipped ones keep their wording)."""
    require(actor, "edit_exercise_library")
    row = _row(session, exercise_id)
    if row.source == LIBRARY:
        raise ValidationError(
            "name",
            "Exercises that come with ptdesk cannot be reworded. Add your own version instead.",
        )
    before = audit.snapshot(row)
    for k, v in _validate(data).items():
        setattr(row, k, v)
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "update",
        "exercise",
        row.id,
        audit.diff(before, audit.snapshot(row)),
        f"Exercise '{row.name}' changed",
    )
    return _info(row)


def set_active(session: Session, actor: Actor, exercise_id: int, active: bool) -> ExerciseInfo:
    """Hide an exercise from the picker (programs that use it keep it)."""
    require(actor, "edit_exercise_library")
    row = _row(session, exercise_id)
    if row.active == active:
        return _info(row)
    row.active = active
    row.updated_at = utcnow()
    session.add(row)
    audit.record(
        session,
        actor,
        "update",
        "exercise",
        row.id,
        {"active": [not active, active]},
        f"Exercise '{row.name}' {'shown again' if active else 'hidden'} in the library",
    )
    return _info(row)


def set_photo(
    session: Session, actor: Actor, exercise_id: int, photo: bytes | None
) -> ExerciseInfo:
    """Attach the clinic's own photo (PNG or JPEG) to any exercise, or remove it (None)."""
    require(actor, "edit_exercise_library")
    row = _row(session, exercise_id)
    if photo is not None:
        if not (photo.startswith(PNG_MAGIC) or photo.startswith(JPEG_MAGIC)):
            raise ValidationError("photo", "The photo must be a PNG or JPEG picture.")
        if len(photo) > MAX_PHOTO_BYTES:
            raise ValidationError(
                "photo", "The photo is too large (at most 4 MB). Save a smaller copy and try again."
            )
    before = "<none>" if row.photo is None else f"<{len(row.photo)} bytes>"
    row.photo = photo
    row.updated_at = utcnow()
    session.add(row)
    after = "<none>" if photo is None else f"<{len(photo)} bytes>"
    audit.record(
        session,
        actor,
        "update",
        "exercise",
        row.id,
        {"photo": [before, after]},
        f"Photo {'attached to' if photo else 'removed from'} exercise '{row.name}'",
    )
    return _info(row)
