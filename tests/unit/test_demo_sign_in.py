"""The demo clinic: known PINs per role and two weeks of sign-ins and record viewings."""

from __future__ import annotations

from sqlmodel import select

from ptdesk.demo import DEMO_PINS
from ptdesk.models import AuditEvent, Staff
from ptdesk.services import auth
from tests.conftest import DEMO_NOW


def test_demo_staff_sign_in_with_their_role_pin(demo_db):
    with demo_db.session() as s:
        members = list(s.exec(select(Staff)))
        for member in members:
            assert member.pin_hash.startswith("scrypt$")
            assert DEMO_PINS[member.role] not in member.pin_hash
        owner = next(m for m in members if m.role == "owner")
        assert auth.sign_in(s, owner.id, "1111").name == owner.name


def test_demo_trail_has_recent_sign_ins_and_viewings(demo_db):
    with demo_db.session() as s:
        events = list(s.exec(select(AuditEvent).where(AuditEvent.action.in_(["sign_in", "view"]))))
    sign_ins = [e for e in events if e.action == "sign_in"]
    views = [e for e in events if e.action == "view"]
    assert len(sign_ins) > 20 and len(views) > 50
    assert all(e.patient_id is not None for e in views)
    assert max(e.at.replace(tzinfo=None) for e in events) <= DEMO_NOW.replace(hour=23)
