"""Alembic environment: runs on the connection ptdesk hands it (never opens its own file)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import ptdesk.models  # noqa: F401  (registers every table on the metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("ptdesk migrations run only through ptdesk.db")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
