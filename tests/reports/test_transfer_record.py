"""The transfer record PDF: read back, it names the patient, the plan, every check and the outcome."""

from __future__ import annotations

import io

from pypdf import PdfReader

from ptdesk.models import Patient
from ptdesk.services import documents
from ptdesk.services import staff as staff_service
from ptdesk.services import transfers as tr
from ptdesk.services.audit import Actor


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _checklist(db, owner):
    with db.session() as s:
        p = Patient(
            chart_number="004211",
            first_name="Rosa",
            last_name="Delgado",
            weight_bearing="toe_touch",
            upper_limb_strength_left=True,
            upper_limb_strength_right=True,
            cooperation="cooperative",
            height_cm=158,
            weight_kg=131,
            precautions="Right TKA 2 weeks ago\nFoley catheter",
        )
        s.add(p)
        s.flush()
        helper = staff_service.create_staff(s, owner, "Pat Assistant", "assistant")
        c = tr.start_checklist(s, owner, p.id)
        c = tr.plan_checklist(
            s,
            owner,
            c.id,
            c.assessment,
            "two_caregivers",
            less_support_reason="Slide board out for repair",
        )
        for item in c.items:
            if item.required:
                c = tr.set_check(s, owner, c.id, item.id, True)
        c = tr.complete_checklist(
            s,
            owner,
            c.id,
            performed_by_id=owner.id,
            assisted_by_id=helper.id,
            incident="near_miss",
            incident_description="Left knee buckled at the pivot; both caught her with the belt.",
            therapist_informed=True,
        )
    return c


def test_transfer_record_reads_back(db, owner: Actor, tmp_path):
    c = _checklist(db, owner)
    out = tmp_path / "record.pdf"
    with db.session() as s:
        data = documents.transfer_record(s, owner, c.id, out=out)
    assert out.read_bytes() == data
    text = _text(data)
    assert "My Physical Therapy Clinic" in text and "Transfer record" in text
    assert "Rosa Delgado (chart 004211)" in text
    assert "Toe-touch weight bearing" in text
    assert "BMI 52.5 (bariatric equipment)" in text
    assert "Recent joint replacement" in text and "Lines, tubes or drains" in text
    assert "Recommended\nSlide board (2 staff)" in text
    assert "Wheelchair – treatment table" in text
    assert "Two caregivers with gait belt" in text
    assert "Slide board out for repair" in text
    assert "Lines and tubes secured, slack toward the destination" in text
    assert "Wheelchair brakes locked" in text
    assert "Near miss" in text and "Left knee buckled" in text
    assert "Pat Assistant" in text and "Olivia Owner" in text
    assert "Page 1 of" in text
    # The optional checks were left open and say so in words.
    assert "NO\nMoving toward the patient's stronger side\nOptional" in text
    assert "Yes\nWheelchair brakes locked\nRequired" in text


def test_record_of_a_transfer_stopped_before_planning(db, owner: Actor):
    with db.session() as s:
        p = Patient(chart_number="000001", first_name="Ben", last_name="Okafor")
        s.add(p)
        s.flush()
        c = tr.start_checklist(s, owner, p.id, transfer_type="car")
        c = tr.abort_checklist(s, owner, c.id, "Car parked on a slope; practice moved to Friday")
        text = _text(documents.transfer_record(s, owner, c.id))
    assert "Transfer record: Car transfer training" in text
    assert "The plan was not confirmed before the checklist ended." in text
    assert "No checks were recorded." in text
    assert "Car parked on a slope" in text and "Aborted" in text
    assert "weight bearing\nnot assessed" in text.lower()
