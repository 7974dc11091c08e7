"""The project's exception types: every expected failure carries a plain sentence."""

from __future__ import annotations


class PtdeskError(Exception):
    """An expected failure with a message a front-desk person can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(PtdeskError):
    """Input that cannot be saved; ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotFound(PtdeskError):
    """The record asked for does not exist (any more)."""


class PermissionDenied(PtdeskError):
    """The acting staff member may not do this."""


class DatabaseProblem(PtdeskError):
    """The database file cannot be used as it is.

    ``kind`` is one of: ``newer``, ``corrupt``, ``not_sqlite``, ``not_ptdesk``,
    ``locked``, ``readonly``, ``missing``, ``disk_full``, ``disk_error`` (the drive refused
    a read or write: full in a way SQLite cannot tell, unplugged or failing).
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
