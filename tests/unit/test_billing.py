"""The 8-minute rule for timed codes, one unit per untimed code, and the code table."""

from __future__ import annotations

import pytest
from sqlmodel import select

from ptdesk.errors import PermissionDenied, ValidationError
from ptdesk.models import AuditEvent
from ptdesk.services import billing
from ptdesk.services.billing import billable_units
from tests.exercise_helpers import make_staff


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        # A single timed code at the edges of each unit.
        ({"97110": 7}, {"97110": 0}),
        ({"97110": 8}, {"97110": 1}),
        ({"97110": 22}, {"97110": 1}),
        ({"97110": 23}, {"97110": 2}),
        ({"97110": 37}, {"97110": 2}),
        ({"97110": 38}, {"97110": 3}),
        ({"97110": 0}, {"97110": 0}),
        ({"97110": 15}, {"97110": 1}),
        ({"97110": 60}, {"97110": 4}),
        # Several codes under 8 minutes each: the total decides, the largest remainders win.
        ({"97110": 7, "97140": 7}, {"97110": 1, "97140": 0}),
        ({"97110": 5, "97140": 6, "97112": 4}, {"97110": 0, "97112": 0, "97140": 1}),
        (
            {"97110": 7, "97140": 7, "97112": 7, "97530": 7},
            {"97110": 1, "97112": 1, "97140": 0, "97530": 0},
        ),
        ({"97110": 3, "97140": 4}, {"97110": 0, "97140": 0}),
        # The examples of the rule: whole units first, then the most minutes left over.
        ({"97110": 33, "97140": 7}, {"97110": 2, "97140": 1}),
        ({"97112": 24, "97110": 23}, {"97112": 2, "97110": 1}),
        ({"97110": 30, "97140": 15, "97035": 8}, {"97110": 2, "97140": 1, "97035": 1}),
        ({"97110": 40, "97140": 8}, {"97110": 3, "97140": 0}),
        # Mixed timed and untimed: each untimed code given is one unit.
        ({"97161": 45}, {"97161": 1}),
        ({"97010": 10, "97110": 7}, {"97010": 1, "97110": 0}),
        ({"97162": 30, "97110": 23, "97014": 15}, {"97162": 1, "97110": 2, "97014": 1}),
        ({"97010": 0, "97140": 11, "97110": 10}, {"97010": 1, "97140": 1, "97110": 0}),
        # A tie on minutes left over goes to the lower code, so the result is always the same.
        ({"97140": 10, "97110": 10}, {"97140": 0, "97110": 1}),
        ({}, {}),
    ],
)
def test_billable_units(minutes, expected):
    assert billable_units(minutes) == expected


def test_every_code_given_is_in_the_result_and_the_input_is_untouched():
    minutes = {"97110": 2, "97140": 3, "97010": 0}
    result = billable_units(minutes)
    assert set(result) == set(minutes)
    assert minutes == {"97110": 2, "97140": 3, "97010": 0}


def test_total_units_follow_the_total_timed_minutes():
    for total in range(0, 120):
        first = total // 3
        result = billable_units({"97110": first, "97140": total - first})
        assert sum(result.values()) == billing.units_for_minutes(total)


def test_negative_minutes_are_refused():
    with pytest.raises(ValueError):
        billable_units({"97110": -1})


def test_timed_codes_can_be_given():
    assert billable_units({"X1": 30}, timed_codes={"X1"}) == {"X1": 2}
    assert billable_units({"X1": 30}, timed_codes=set()) == {"X1": 1}


def test_shipped_table_has_the_common_codes(db):
    with db.session() as s:
        codes = {c.code: c for c in billing.list_codes(s)}
    for code in ("97110", "97112", "97116", "97140", "97530", "97035"):
        assert codes[code].timed
    for code in ("97161", "97162", "97163", "97164", "97010", "97014"):
        assert not codes[code].timed


def test_the_clinic_table_decides_what_is_timed(db, owner):
    with db.session() as s:
        assert billing.units_for(s, {"97010": 30}) == {"97010": 1}
        code = next(c for c in billing.list_codes(s) if c.code == "97010")
        billing.save_code(s, owner, code.id, "97010", code.description, timed=True)
    with db.session() as s:
        assert billing.units_for(s, {"97010": 30}) == {"97010": 2}
        event = s.exec(select(AuditEvent).where(AuditEvent.entity == "billing_code")).one()
        assert "97010" in event.summary


def test_adding_and_checking_codes(db, owner):
    with db.session() as s:
        added = billing.save_code(s, owner, None, " g0283 ", "E-stim, unattended (Medicare)", False)
        assert added.code == "G0283"
        with pytest.raises(ValidationError) as err:
            billing.save_code(s, owner, None, "97110", "Again", True)
        assert err.value.field == "code"
        with pytest.raises(ValidationError) as err:
            billing.save_code(s, owner, None, "97999", "  ", True)
        assert err.value.field == "description"


def test_only_the_owner_changes_the_code_table(db, owner):
    therapist = make_staff(db, owner, "Tara Therapist", "therapist", "PT")
    with db.session() as s, pytest.raises(PermissionDenied):
        billing.save_code(s, therapist, None, "97999", "Unlisted procedure", True)
