"""Helpers shared by the table modules: UTC record timestamps."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict
from sqlmodel import SQLModel

from ptdesk.services import clock  # the one clock; it imports nothing else of ptdesk


def utcnow() -> datetime:
    """Record timestamps are timezone-aware UTC (appointment times are not), from the clinic
    clock, so a test that pins the clock gets the record times it pinned."""
    return clock.utc_now()


class Table(SQLModel):
    """Base of every table. Pydantic's validators for a table are built when first needed, not
    when the module is imported: tables are never validated on creation, and building the
    validators of every table up front was a large part of start-up."""

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]  # SQLModel types this as its private SQLModelConfig, the same dict
