"""The shipped library: plain-language steps and pictures that match their drawing script."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from ptdesk.services import exercises
from ptdesk.services.exercises import reading_grade

SCRIPT = Path(__file__).resolve().parents[2] / "resources" / "exercises" / "make_pictures.py"


def test_steps_read_at_a_sixth_grade_level_or_below():
    grades = {e.key: reading_grade(list(e.steps)) for e in exercises.library()}
    too_hard = {k: round(g, 1) for k, g in grades.items() if g > 6}
    assert not too_hard
    # the estimate itself tells hard text from easy text
    assert reading_grade(["Sit up tall."]) < 2
    assert (
        reading_grade(
            [
                "Maintain scapular retraction throughout the concentric and eccentric phases "
                "while performing glenohumeral external rotation against elastic resistance."
            ]
        )
        > 12
    )


def test_pictures_on_disk_match_the_drawing_script(monkeypatch):
    spec = importlib.util.spec_from_file_location("make_pictures", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_pictures", module)  # its dataclasses need it
    spec.loader.exec_module(module)
    pictures = module.pictures()
    for entry in exercises.library():
        expected = module.render(pictures[entry.key])
        assert exercises.library_picture_svg(entry.key) == expected, entry.key
