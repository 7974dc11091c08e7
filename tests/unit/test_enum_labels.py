"""Every choice a screen or a printout names has its wording on its enum, once."""

from __future__ import annotations

import inspect
from enum import Enum

import pytest

from ptdesk import models
from ptdesk.models import AppointmentStatus, Cooperation, WeightBearing
from ptdesk.services import patients

LABELLED = sorted(
    (
        e
        for _, e in inspect.getmembers(models, inspect.isclass)
        if issubclass(e, Enum) and isinstance(getattr(e, "label", None), property)
    ),
    key=lambda e: e.__name__,
)


def test_the_enums_with_labels_are_found():
    names = {e.__name__ for e in LABELLED}
    assert {"WeightBearing", "Cooperation", "AssistanceLevel", "Role", "AppointmentStatus"} <= names


@pytest.mark.parametrize("enum", LABELLED, ids=lambda e: e.__name__)
def test_every_member_has_its_own_label(enum):
    labels = [member.label for member in enum]
    assert all(isinstance(text, str) and text.strip() for text in labels)
    assert len(set(labels)) == len(labels)


def test_screens_lists_take_the_enum_wording():
    assert (
        patients.WEIGHT_BEARING_LABELS["non_weight_bearing"]
        == WeightBearing.NON_WEIGHT_BEARING.label
    )
    assert patients.COOPERATION_LABELS["cooperative"] == Cooperation.COOPERATIVE.label
    assert Cooperation.UNPREDICTABLE.assessment_label != Cooperation.UNPREDICTABLE.label
    assert AppointmentStatus("no_show").label == "No-show"
