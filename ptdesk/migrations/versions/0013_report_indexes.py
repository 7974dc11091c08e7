"""indexes for the monthly report: appointments by status and start, by patient, status and
start; intervention units by record; authorizations by end date

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27 11:28:01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Indexes only: no column changes, so a database with rows upgrades as it is.
INDEXES = [
    (
        "ix_appointment_status_start",
        "appointment",
        ["status", "start", "patient_id", "kind", "cancelled_at", "late_cancel"],
    ),
    ("ix_appointment_patient_status_start", "appointment", ["patient_id", "status", "start"]),
    (
        "ix_session_intervention_record_code_units",
        "session_intervention",
        ["record_id", "code", "units"],
    ),
    ("ix_insurance_authorization_end_date", "insurance_authorization", ["end_date"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
