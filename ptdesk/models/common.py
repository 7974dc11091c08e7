"""Helpers shared by the table modules: UTC record timestamps."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import ConfigDict
from sqlmodel import SQLModel


def utcnow() -> datetime:
    """Record timestamps are timezone-aware UTC (appointment times are not)."""
    return datetime.now(UTC)


class Table(SQLModel):
    """Base of every table. Pydantic's validators for a table are built when first needed, not
    when the module is imported: tables are never validated on creation, and building the
    validators of every table up front was a large part of start-up."""

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]  # SQLModel types this as its private SQLModelConfig, the same dict
