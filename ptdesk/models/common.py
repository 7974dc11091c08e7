"""Helpers shared by the table modules: UTC record timestamps, the key of a saved row."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import ConfigDict
from sqlmodel import SQLModel

from ptdesk.errors import NotFound
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


class Keyed(Protocol):
    """A table row: its ``id`` is None until the row is added to a session and flushed."""

    @property
    def id(self) -> int | None: ...


def saved_id(row: Keyed) -> int:
    """The key of a row that is in the database (read from it, or added and flushed).

    A row without one was never saved: asking for its key then is a mistake in the caller,
    refused here rather than carried on as None.
    """
    if row.id is None:
        raise NotFound(f"This {type(row).__name__} record has not been saved yet.")
    return row.id
