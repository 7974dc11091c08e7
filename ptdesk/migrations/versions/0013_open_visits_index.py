"""index of visits waiting for an outcome

A partial index on appointment start for visits still scheduled or checked in: the list of
past visits without an outcome (Today, every minute) no longer reads years of history.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27 11:20:58.918774
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status IN ('scheduled', 'checked_in')"


def upgrade() -> None:
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_appointment_open",
            ["start"],
            unique=False,
            sqlite_where=sa.text(OPEN),
        )


def downgrade() -> None:
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index("ix_appointment_open")
