"""clinic time zone: the clinic profile keeps the zone its wall clock runs in

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 10:41:05.795134
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An IANA name such as "Europe/Berlin". A file from before the setting gets "": the zone of
    # the computer that opens it, which is what every time in it was read with until now.
    with op.batch_alter_table('clinic_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sqlmodel.sql.sqltypes.AutoString(length=64), server_default='', nullable=False))


def downgrade() -> None:
    op.drop_column('clinic_profile', 'time_zone')
