"""Writes tests/migrations/data/schema-REV.sqlite3: a small clinic at one schema revision.

Run when a release adds a migration: ``python tests/migrations/make_old_file.py REV`` (or
``all``). Files of earlier releases are kept as they are; they stand for what those releases
wrote. A file is a fresh database upgraded by Alembic to exactly REV, then filled with plain SQL:
each row below goes into its table when the table exists at REV, with only the columns the
table has at REV, so the file holds what that release could have written. Add rows here for
the tables and columns a new migration brings.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any, NamedTuple

from alembic import command

from ptdesk.db import alembic_config, make_engine, script_directory

DATA = Path(__file__).parent / "data"
PAGE_SIZE = 512  # the smallest page SQLite allows: every table and index takes one, so small files

# Record times (UTC) and wall-clock appointment times, as SQLAlchemy stores them on SQLite.
T0 = "2026-01-05 09:00:00.000000"
T1 = "2026-02-20 10:00:00.000000"
T2 = "2026-03-02 15:30:00.000000"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")

# A table whose one row a migration writes itself: the row below replaces it.
SEEDED = {"clinic_profile"}


class Row(NamedTuple):
    """One row; with ``needs``, written only to a file whose schema has that table too."""

    table: str
    values: dict[str, Any]
    needs: str = ""


# In an order foreign keys accept.
# fmt: off
ROWS: list[Row] = [
    Row("clinic_profile", dict(
        id=1, name="Harbor Physical Therapy", address="120 Harbor Street\nSpringfield",
        phone="555-201-4400", email="frontdesk@example.com", logo_png=PNG,
        opens_at="07:30:00.000000", closes_at="18:00:00.000000", slot_minutes=15,
        clinic_days="1,2,3,4,5", late_cancel_hours=24, updated_at=T0, idle_lock_minutes=10,
    )),
    Row("staff", dict(
        id=1, name="Olivia Owner", role="owner", credentials="PT, DPT", active=1,
        created_at=T0, updated_at=T0, color="#4a90d9",
        working_hours='{"1": ["08:00", "16:30"], "3": ["08:00", "16:30"], "5": ["08:00", "12:00"]}',
        pin_hash="scrypt$16384$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo", failed_pins=0,
        locked_until=None,
    )),
    Row("staff", dict(
        id=2, name="Terry Tech", role="technician", credentials="PT Aide", active=1,
        created_at=T0, updated_at=T2, color="#e08a3c", working_hours="{}", pin_hash="",
        failed_pins=2, locked_until="2026-03-02 15:45:00.000000",
    )),
    Row("staff", dict(
        id=3, name="Ana Assistant", role="assistant", credentials="PTA", active=1,
        created_at=T0, updated_at=T0, color="#7bb661",
        working_hours='{"2": ["10:00", "19:00"], "4": ["10:00", "19:00"]}',
        pin_hash="scrypt$16384$8$1$cGVwcGVycGVwcGVy$ZGlnZXN0ZGlnZXN0", failed_pins=0,
    )),
    Row("staff", dict(
        id=4, name="Frank Desk", role="front_desk", credentials="", active=0,
        created_at=T0, updated_at=T1, color="#9b59b6", working_hours="{}",
    )),
    Row("room", dict(id=1, name="Gym", kind="gym", active=1, created_at=T0, updated_at=T0)),
    Row("room", dict(
        id=2, name="Treatment 1", kind="treatment", active=0, created_at=T0, updated_at=T1,
    )),
    Row("patient", dict(
        id=1, chart_number="000001", first_name="Maria", last_name="Rivera",
        date_of_birth="1961-04-02", phone="555-201-1111", email="", notes="Left knee",
        active=1, created_at=T1, updated_at=T1, address="12 Elm Street\nSpringfield",
        emergency_contact_name="Luis Rivera", emergency_contact_phone="555-201-2222",
        precautions="Latex allergy\nNo heat over the left knee", weight_kg=72.5,
        height_cm=163.0, weight_bearing="partial", upper_limb_strength_left=1,
        upper_limb_strength_right=0, cooperation="cooperative",
        assistance_level="contact_guard", assistive_device="Front-wheeled walker",
        discharged_on=None,
    )),
    Row("patient", dict(
        id=2, chart_number="000002", first_name="Sam", last_name="Lee",
        date_of_birth="1990-11-30", phone="", email="sam@example.com", notes="", active=1,
        created_at="2026-02-21 10:00:00.000000", updated_at="2026-02-21 10:00:00.000000",
    )),
    Row("patient", dict(
        id=3, chart_number="000003", first_name="ليلى", last_name="حداد",
        date_of_birth=None, phone="555-201-3333", email="", notes="Prefers Arabic handouts",
        active=0, created_at=T0, updated_at=T2, weight_kg=None, height_cm=None,
        weight_bearing="non_weight_bearing", upper_limb_strength_left=None,
        upper_limb_strength_right=None, cooperation="unpredictable", assistance_level="max",
        assistive_device="Wheelchair", discharged_on="2026-03-02",
    )),
    Row("insurance_authorization", dict(
        id=1, patient_id=1, payer="Blue Cross Blue Shield", member_number="A70266980",
        visits_authorized=12, start_date="2026-03-01", end_date="2026-05-31", notes="",
        active=1, created_at=T1, updated_at=T1,
    )),
    Row("insurance_authorization", dict(
        id=2, patient_id=3, payer="Medicare", member_number="1EG4-TE5-MK72",
        visits_authorized=20, start_date="2026-01-01", end_date="2026-02-28",
        notes="Renewal asked for", active=0, created_at=T0, updated_at=T1,
    )),
    Row("appointment_series", dict(
        id=1, patient_id=2, staff_id=1, room_id=1, weekdays="4", first_day="2026-03-05",
        until="2026-04-30", visits=None, description="Weekly on Thu until Apr 30",
        created_at="2026-02-21 10:05:00.000000",
    )),
    Row("appointment", dict(
        id=1, patient_id=1, staff_id=1, room_id=1, start="2026-03-02 09:00:00.000000",
        end="2026-03-02 09:45:00.000000", status="completed", kind="evaluation", notes="",
        cancelled_at=None, cancel_reason="", created_at=T1, updated_at=T2, late_cancel=0,
        arrived_at="2026-03-02 13:55:00.000000", series_id=None, override_reason="",
    )),
    Row("appointment", dict(
        id=2, patient_id=1, staff_id=2, room_id=1, start="2026-03-04 09:00:00.000000",
        end="2026-03-04 09:45:00.000000", status="cancelled", kind="treatment", notes="",
        cancelled_at="2026-03-03 15:00:00.000000", cancel_reason="Patient ill",
        created_at=T1, updated_at="2026-03-03 15:00:00.000000", late_cancel=1,
    )),
    Row("appointment", dict(
        id=3, patient_id=2, staff_id=1, room_id=None, start="2026-03-05 14:00:00.000000",
        end="2026-03-05 14:45:00.000000", status="scheduled", kind="treatment",
        notes="bring shoes", cancelled_at=None, cancel_reason="",
        created_at="2026-02-21 10:05:00.000000", updated_at="2026-02-21 10:05:00.000000",
        series_id=1, override_reason="Booked over the lunch break at the patient's request",
    )),
    Row("appointment", dict(
        id=4, patient_id=3, staff_id=3, room_id=2, start="2026-02-27 11:00:00.000000",
        end="2026-02-27 11:30:00.000000", status="no_show", kind="re_evaluation", notes="",
        cancel_reason="", created_at=T0, updated_at="2026-02-27 17:00:00.000000",
    )),
    Row("appointment", dict(
        id=5, patient_id=3, staff_id=3, room_id=1, start="2026-03-02 10:00:00.000000",
        end="2026-03-02 10:45:00.000000", status="completed", kind="discharge", notes="",
        cancel_reason="", created_at=T1, updated_at=T2,
        arrived_at="2026-03-02 14:58:00.000000",
    )),
    Row("appointment_status_change", dict(
        id=1, appointment_id=1, from_status="scheduled", to_status="checked_in", actor_id=4,
        actor_name="Frank Desk", note="", correction=0, at="2026-03-02 13:55:00.000000",
    )),
    Row("appointment_status_change", dict(
        id=2, appointment_id=1, from_status="checked_in", to_status="completed", actor_id=1,
        actor_name="Olivia Owner", note="", correction=0, at="2026-03-02 14:45:00.000000",
    )),
    Row("appointment_status_change", dict(
        id=3, appointment_id=4, from_status="scheduled", to_status="no_show", actor_id=None,
        actor_name="ptdesk", note="Marked at closing", correction=1,
        at="2026-02-27 17:00:00.000000",
    )),
    Row("audit_event", dict(
        id=1, at=T1, actor_id=1, actor_name="Olivia Owner", action="create", entity="patient",
        entity_id="1", summary="Patient added", changes="{}", patient_id=1,
    )),
    # Equipment 2 was out of service for ten days in February (0011 rebuilds that outage).
    Row("audit_event", dict(
        id=2, at="2026-02-20 16:00:00.000000", actor_id=2, actor_name="Terry Tech",
        action="in_service", entity="equipment", entity_id="2",
        summary="Back in service",
        changes='{"in_service": [false, true], "out_of_service_since": ["2026-02-10", null],'
        ' "out_of_service_reason": ["Probe cracked", ""]}',
        patient_id=None,
    ), needs="equipment"),
    # Equipment 3 was retired (0011 dates its retirement from this event).
    Row("audit_event", dict(
        id=3, at="2026-02-27 16:00:00.000000", actor_id=1, actor_name="Olivia Owner",
        action="retire", entity="equipment", entity_id="3", summary="Retired",
        changes='{"active": [true, false]}', patient_id=None,
    ), needs="equipment"),
    Row("audit_event", dict(
        id=4, at=T2, actor_id=None, actor_name="ptdesk", action="update", entity="staff",
        entity_id="2", summary="Sign-in locked after wrong PINs",
        changes='{"failed_pins": [1, 2]}', patient_id=None,
    )),
    Row("equipment_settings", dict(id=1, temperature_unit="F", updated_at=T0)),
    Row("equipment", dict(
        id=1, name="Treatment table 1", category="treatment_table", room_id=1,
        asset_tag="RPT-0100", serial_number="", cleaning_interval="after_use",
        product="Quaternary disinfectant wipes", contact_minutes=2, safety_check_due=None,
        calibration_due=None, in_service=1, out_of_service_reason="",
        out_of_service_since=None, safe_min_c=None, safe_max_c=None, water_change_days=None,
        notes="", active=1, created_at=T0, updated_at=T0, retired_on=None,
    )),
    Row("equipment", dict(
        id=2, name="Ultrasound unit", category="ultrasound", room_id=1, asset_tag="RPT-0200",
        serial_number="US-55821", cleaning_interval="daily", product="Alcohol 70%",
        contact_minutes=1, safety_check_due="2026-06-01", calibration_due="2026-09-01",
        in_service=0, out_of_service_reason="Gel port leaking",
        out_of_service_since="2026-03-01", notes="", active=1, created_at=T0, updated_at=T2,
        retired_on=None,
    )),
    Row("equipment", dict(
        id=3, name="Hydrocollator", category="hydrocollator", room_id=None,
        asset_tag="RPT-0300", serial_number="HC-1988", cleaning_interval="weekly",
        product="Hot pack unit cleaner", contact_minutes=10, in_service=1,
        out_of_service_reason="", safe_min_c=71.1, safe_max_c=76.7, water_change_days=14,
        notes="Replaced by a new unit", active=0, created_at=T0,
        updated_at="2026-02-27 16:00:00.000000", retired_on="2026-02-27",
    )),
    Row("cleaning_log", dict(
        id=1, equipment_id=1, cleaned_at="2026-03-02 14:50:00.000000",
        recorded_at="2026-03-02 14:51:00.000000", staff_id=2, staff_name="Terry Tech",
        method="clean_then_disinfect", product="Quaternary disinfectant wipes",
        contact_minutes=2, label_contact_minutes=2, short_contact=0, notes="",
        corrects_id=None, voids=0, correction_reason="",
    )),
    Row("cleaning_log", dict(
        id=2, equipment_id=1, cleaned_at="2026-03-02 14:50:00.000000",
        recorded_at="2026-03-02 15:20:00.000000", staff_id=2, staff_name="Terry Tech",
        method="disinfect_only", product="Quaternary disinfectant wipes", contact_minutes=1,
        label_contact_minutes=2, short_contact=1, notes="Wiped before the next patient",
        corrects_id=1, voids=0, correction_reason="Wrong method chosen",
    )),
    Row("water_reading", dict(
        id=1, equipment_id=3, taken_at="2026-02-20 12:00:00.000000", staff_id=2,
        staff_name="Terry Tech", temperature_c=72.4, water_changed=1, notes="Water changed",
    )),
    Row("exercise", dict(
        id=1, key="clinic:1", source="clinic", name="Wall slide", region="shoulder",
        steps="Stand facing a wall.\nSlide both hands up the wall.\nSlide them back down.",
        sets=2, reps=10, hold_seconds=3, times_per_day=2, days_per_week=5, photo=PNG,
        active=1, created_at=T1, updated_at=T1,
    )),
    Row("exercise", dict(
        id=2, key="library:chin_tuck", source="library", name="Chin tuck", region="neck",
        steps="Sit up tall.\nDraw your chin straight back.", sets=1, reps=10, hold_seconds=5,
        times_per_day=2, days_per_week=7, photo=None, active=0, created_at=T0, updated_at=T1,
    )),
    Row("home_program", dict(
        id=1, patient_id=1, therapist_id=1, start_date="2026-03-02", end_date=None,
        large_print=1, notes="Print in large type", created_at=T2, updated_at=T2,
    )),
    Row("program_exercise", dict(
        id=1, program_id=1, exercise_id=1, position=0, sets=2, reps=10, hold_seconds=3,
        load="", times_per_day=2, days_per_week=5, side="both", notes="",
    )),
    Row("program_exercise", dict(
        id=2, program_id=1, exercise_id=2, position=1, sets=1, reps=10, hold_seconds=5,
        load="1 kg", times_per_day=1, days_per_week=7, side="", notes="Slowly",
    )),
    Row("transfer_settings", dict(id=1, bariatric_bmi=45.0, updated_at=T0)),
    Row("transfer_decision", dict(
        id=1, transfer_type="wheelchair_table", weight_bearing="partial", upper_limbs="one",
        cooperation="cooperative", method="one_with_belt", updated_at=T0,
    )),
    Row("transfer_check_template", dict(
        id=1, transfer_type="wheelchair_table", position=0, phase="before",
        text="Wheelchair brakes locked", required=1, applies_when="", updated_at=T0,
    )),
    Row("transfer_check_template", dict(
        id=2, transfer_type="wheelchair_table", position=1, phase="before",
        text="Gait belt on, snug at the waist", required=1, applies_when="belt",
        updated_at=T0,
    )),
    Row("transfer_checklist", dict(
        id=1, patient_id=1, appointment_id=1, transfer_type="wheelchair_table",
        status="completed", weight_bearing="partial", upper_limb_strength_left=1,
        upper_limb_strength_right=0, cooperation="cooperative", height_cm=163.0,
        weight_kg=72.5, conditions='["fragile_skin"]', planned=1,
        recommended_method="one_with_belt", recommended_staff=1, equipment="Gait belt",
        bariatric=0, chosen_method="one_with_belt", less_support_reason="",
        started_at="2026-03-02 14:00:00.000000", started_by_id=1,
        finished_at="2026-03-02 14:04:00.000000", performed_by_id=1, assisted_by_id=None,
        abort_reason="", incident="none", incident_description="", therapist_informed=None,
        notes="Toward the stronger side", created_at="2026-03-02 14:00:00.000000",
        updated_at="2026-03-02 14:04:00.000000",
    )),
    Row("transfer_checklist", dict(
        id=2, patient_id=3, appointment_id=None, transfer_type="sit_stand", status="aborted",
        weight_bearing="non_weight_bearing", cooperation="unpredictable", height_cm=None,
        weight_kg=None, conditions="[]", planned=0, recommended_method="sit_to_stand_lift",
        recommended_staff=2, equipment="Sit-to-stand lift\nStanding sling", bariatric=0,
        chosen_method="two_caregivers", less_support_reason="The lift was in use",
        started_at="2026-02-27 15:00:00.000000", started_by_id=3,
        finished_at="2026-02-27 15:03:00.000000", performed_by_id=3, assisted_by_id=2,
        abort_reason="Patient too tired", incident="near_miss",
        incident_description="Knees buckled; lowered back to the chair",
        therapist_informed=1, notes="", created_at="2026-02-27 15:00:00.000000",
        updated_at="2026-02-27 15:03:00.000000",
    )),
    Row("transfer_checklist_item", dict(
        id=1, checklist_id=1, position=0, phase="before", text="Wheelchair brakes locked",
        required=1, done=1, done_at="2026-03-02 14:01:00.000000",
    )),
    Row("transfer_checklist_item", dict(
        id=2, checklist_id=2, position=0, phase="after", text="Patient seated safely",
        required=0, done=0, done_at=None,
    )),
    Row("billing_code", dict(
        id=20, code="97018", description="Paraffin bath", timed=0, active=0, created_at=T1,
        updated_at=T1,
    )),
    Row("session_record", dict(
        id=1, appointment_id=1, patient_id=1, provider_id=1, provider_name="Olivia Owner",
        provider_role="owner", supervisor_id=None, status="signed", pain_before=5,
        pain_after=3, bp_systolic=128, bp_diastolic=82, heart_rate=72, spo2=98,
        subjective="Knee stiff in the morning.", treatment="Evaluation; home program given.",
        assessment="Good rehabilitation potential.", plan="Twice a week for six weeks.",
        signed_by_id=1, signed_by_name="Olivia Owner", signed_at="2026-03-02 15:00:00.000000",
        cosigned_by_id=None, cosigned_by_name="", cosigned_at=None,
        created_at="2026-03-02 14:10:00.000000", updated_at="2026-03-02 15:00:00.000000",
    )),
    Row("session_record", dict(
        id=2, appointment_id=5, patient_id=3, provider_id=3, provider_name="Ana Assistant",
        provider_role="assistant", supervisor_id=1, status="awaiting_cosign",
        pain_before=None, pain_after=None, bp_systolic=None, bp_diastolic=None,
        heart_rate=None, spo2=None, subjective="", treatment="Discharge visit.",
        assessment="Goals met.", plan="Discharge.", signed_by_id=3,
        signed_by_name="Ana Assistant", signed_at="2026-03-02 15:10:00.000000",
        cosigned_by_id=None, cosigned_by_name="", cosigned_at=None,
        created_at="2026-03-02 15:00:00.000000", updated_at="2026-03-02 15:10:00.000000",
    )),
    Row("session_exercise", dict(
        id=1, record_id=1, position=0, exercise_id=1, name="Wall slide", prescribed="2 × 10",
        sets=2, reps=10, load="", duration_min=None, notes="",
    )),
    Row("session_exercise", dict(
        id=2, record_id=1, position=1, exercise_id=None, name="Stationary bike",
        prescribed="", sets=None, reps=None, load="Level 3", duration_min=10, notes="Warm-up",
    )),
    Row("session_intervention", dict(
        id=1, record_id=1, position=0, code="97110", description="Therapeutic exercise",
        timed=1, minutes=23, units=2,
    )),
    Row("session_intervention", dict(
        id=2, record_id=1, position=1, code="97161",
        description="PT evaluation, low complexity", timed=0, minutes=0, units=1,
    )),
    Row("session_addendum", dict(
        id=1, record_id=1, author_id=1, author_name="Olivia Owner", author_role="owner",
        text="Patient called: the pain eased overnight.", at="2026-03-03 09:00:00.000000",
    )),
    Row("clinic_closed_day", dict(id=1, day="2026-12-25", note="Christmas Day")),
    Row("equipment_outage", dict(
        id=1, equipment_id=2, start="2026-02-10", end="2026-02-20", reason="Probe cracked",
        created_at="2026-02-20 16:00:00.000000",
    )),
    Row("equipment_outage", dict(
        id=2, equipment_id=2, start="2026-03-01", end=None, reason="Gel port leaking",
        created_at=T2,
    )),
]
# fmt: on


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]


def fill(con: sqlite3.Connection) -> set[str]:
    """Insert every row whose table exists; return the "table.column" names left out."""
    left_out: set[str] = set()
    for table, row, needs in ROWS:
        columns = _columns(con, table)
        if not columns or (needs and not _columns(con, needs)):
            continue
        kept = [c for c in row if c in columns]
        left_out.update(f"{table}.{c}" for c in row if c not in columns)
        verb = "INSERT OR REPLACE" if table in SEEDED else "INSERT"
        names = ", ".join(f'"{c}"' for c in kept)
        marks = ", ".join("?" for _ in kept)
        con.execute(f'{verb} INTO "{table}" ({names}) VALUES ({marks})', [row[c] for c in kept])
    return left_out


def main(rev: str) -> Path:
    out = DATA / f"schema-{rev}.sqlite3"
    out.unlink(missing_ok=True)
    engine = make_engine(out)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, rev)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    engine.dispose()
    con = sqlite3.connect(out, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("BEGIN")
        left_out = fill(con)
        con.execute("COMMIT")
        broken = con.execute("PRAGMA foreign_key_check").fetchall()
        assert not broken, f"rows point at rows that do not exist: {broken}"
        if rev == script_directory().get_current_head():
            assert not left_out, f"columns the newest schema lacks (misspelt?): {left_out}"
        con.execute(f"PRAGMA page_size={PAGE_SIZE}")
        con.execute("VACUUM")
    finally:
        con.close()
    return out


if __name__ == "__main__":
    wanted = sys.argv[1]
    if wanted == "all":
        chain = [r.revision for r in reversed(list(script_directory().walk_revisions()))]
        for revision in chain:
            print(main(revision))
    else:
        print(main(wanted))
