"""PINs: salted scrypt hashes, sign-in, lockout after five wrong PINs, first-run setup."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from ptdesk.errors import PermissionDenied, PtdeskError, ValidationError
from ptdesk.models import AuditEvent, ClinicProfile, Staff
from ptdesk.models.common import utcnow
from ptdesk.services import auth
from ptdesk.services import staff as staff_service
from ptdesk.services.clinic import ClinicProfileData


def test_pin_hash_is_salted_and_never_holds_the_pin():
    a, b = auth.hash_pin("2468"), auth.hash_pin("2468")
    assert a != b  # a new salt each time
    assert "2468" not in a and a.startswith("scrypt$")
    assert auth.verify_pin("2468", a) and auth.verify_pin("2468", b)
    assert not auth.verify_pin("2469", a)
    assert not auth.verify_pin("2468", "garbage")


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "１２３４"])
def test_pin_format(pin):
    with pytest.raises(ValidationError) as info:
        auth.hash_pin(pin)
    assert info.value.field == "pin"


def _member(db, owner, name="Tina Tech", role="technician", pin="4321"):
    with db.session() as s:
        row = staff_service.create_staff(s, owner, name, role)
        auth.set_pin(s, owner, row.id, pin)
    return row.id


def test_sign_in_and_lockout_after_five_wrong_pins(db, owner):
    tina = _member(db, owner)
    with db.session() as s:
        actor = auth.sign_in(s, tina, "4321")
    assert actor.name == "Tina Tech" and actor.role == "technician"
    now = utcnow()
    for _ in range(4):
        with pytest.raises(ValidationError, match="not right"), db.session() as s:
            auth.sign_in(s, tina, "0000", now=now)
    with db.session() as s:
        assert s.get(Staff, tina).failed_pins == 4
    with pytest.raises(ValidationError, match="locked out"), db.session() as s:
        auth.sign_in(s, tina, "0000", now=now)
    # Even the right PIN is refused while locked out.
    with pytest.raises(PtdeskError, match="Too many wrong PINs"), db.session() as s:
        auth.sign_in(s, tina, "4321", now=now + timedelta(minutes=2))
    with db.session() as s:
        assert auth.sign_in(s, tina, "4321", now=now + auth.LOCKOUT + timedelta(seconds=1))
        row = s.get(Staff, tina)
        assert row.failed_pins == 0 and row.locked_until is None
        actions = [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.entity == "staff"))]
    assert "lockout" in actions and actions.count("sign_in") == 2


def test_owner_reset_lifts_a_lockout_and_only_the_owner_may(db, owner):
    tina = _member(db, owner)
    now = utcnow()
    for _ in range(auth.MAX_WRONG_PINS):
        with pytest.raises(ValidationError), db.session() as s:
            auth.sign_in(s, tina, "9999", now=now)
    tech = _member(db, owner, "Tom Tech")
    with db.session() as s:
        actor = auth.sign_in(s, tech, "4321")
    with pytest.raises(PermissionDenied), db.session() as s:
        auth.set_pin(s, actor, tina, "1357")
    with db.session() as s:
        auth.set_pin(s, owner, tina, "1357")
    with db.session() as s:
        assert auth.sign_in(s, tina, "1357", now=now).id == tina
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "reset_pin")).one()
    assert "1357" not in str(event.changes) and "scrypt" not in str(event.changes)


def test_no_pin_yet_is_refused_in_words(db, owner):
    with db.session() as s:
        row = staff_service.create_staff(s, owner, "Nia New", "front_desk")
    with pytest.raises(PtdeskError, match="no PIN yet"), db.session() as s:
        auth.sign_in(s, row.id, "1234")


def test_first_run_setup_makes_the_owner_and_the_clinic_in_one_go(db):
    clinic = ClinicProfileData(name="Lakeside PT", address="1 Lake Rd", phone="555-111-2222")
    bad = auth.SetupData(clinic, "Olga Owner", "PT", "1234", "1235")
    with pytest.raises(ValidationError) as info, db.session() as s:
        auth.set_up_clinic(s, bad)
    assert info.value.field == "pin_again"
    with db.session() as s:
        assert auth.needs_setup(s)
        actor = auth.set_up_clinic(s, auth.SetupData(clinic, "Olga Owner", "PT", "1234", "1234"))
    assert actor.role == "owner"
    with db.session() as s:
        assert not auth.needs_setup(s)
        assert s.get(ClinicProfile, 1).name == "Lakeside PT"
        assert auth.sign_in(s, actor.id, "1234").name == "Olga Owner"


def test_first_owner_without_pin_claims_one(db, owner):
    """A file from before PINs: its owner chooses a PIN at the first sign-in."""
    with db.session() as s:
        assert auth.may_claim_owner_pin(s, owner.id)
        auth.claim_owner_pin(s, owner.id, "8642", "8642")
    with db.session() as s:
        assert not auth.may_claim_owner_pin(s, owner.id)
        with pytest.raises(PtdeskError):
            auth.claim_owner_pin(s, owner.id, "1111", "1111")
        assert auth.sign_in(s, owner.id, "8642").id == owner.id


def test_idle_lock_setting(db, owner):
    with db.session() as s:
        assert auth.idle_lock_minutes(s) == 5
        with pytest.raises(ValidationError):
            auth.set_idle_lock_minutes(s, owner, 0)
        auth.set_idle_lock_minutes(s, owner, 10)
    with db.session() as s:
        assert auth.idle_lock_minutes(s) == 10
        event = s.exec(select(AuditEvent).where(AuditEvent.entity == "clinic_profile")).one()
    assert event.changes == {"idle_lock_minutes": [5, 10]}


def _note(db, staff_id, now):
    with db.session() as s:
        choice = next(c for c in auth.sign_in_choices(s) if c.id == staff_id)
    return auth.sign_in_note(choice, now=now)


def test_what_the_sign_in_says_beside_a_name_and_for_how_long(db, owner):
    tina = _member(db, owner)
    with db.session() as s:
        nia = staff_service.create_staff(s, owner, "Nia New", "front_desk").id
    now = utcnow()
    assert _note(db, tina, now) == "" and _note(db, nia, now) == "no PIN yet"
    for _ in range(auth.MAX_WRONG_PINS):
        with pytest.raises(ValidationError), db.session() as s:
            auth.sign_in(s, tina, "0000", now=now)
    with db.session() as s:
        until = s.get(Staff, tina).locked_until
    assert auth.locked_out_for(until, now=now) == auth.LOCKOUT
    later = now + timedelta(minutes=3)
    assert auth.locked_out_for(until, now=later) == auth.LOCKOUT - timedelta(minutes=3)
    assert _note(db, tina, later) == "locked for a few minutes"
    # Signing in then says how long is left, in whole minutes rounded up.
    with pytest.raises(ValidationError, match="Try again in 2 minutes") as info, db.session() as s:
        auth.sign_in(s, tina, "4321", now=later + timedelta(seconds=10))
    assert info.value.field == "pin"
    over = now + auth.LOCKOUT
    assert auth.locked_out_for(until, now=over) is None and _note(db, tina, over) == ""
    assert auth.locked_out_for(None, now=now) is None


def test_the_chosen_person_signs_in_or_the_first_owner_chooses_a_pin(db, owner):
    tina = _member(db, owner, pin="1357")
    with db.session() as s:
        # no owner has a PIN yet: the owner chooses one, typed twice
        with pytest.raises(ValidationError) as info:
            auth.sign_in_chosen(s, owner.id, "8642", "8643")
        assert info.value.field == "pin_again"
    with db.session() as s:
        assert auth.sign_in_chosen(s, owner.id, "8642", "8642").id == owner.id
    with db.session() as s:
        assert auth.sign_in_chosen(s, owner.id, "8642").id == owner.id
        assert auth.sign_in_chosen(s, tina, "1357").name == "Tina Tech"
