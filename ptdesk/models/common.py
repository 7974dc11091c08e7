"""Helpers shared by the table modules: UTC record timestamps."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Record timestamps are timezone-aware UTC (appointment times are not)."""
    return datetime.now(UTC)
