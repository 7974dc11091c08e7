"""The printable session summary (clinical, or the patient's take-home copy)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session

from ptdesk.errors import PtdeskError
from ptdesk.models.common import saved_id
from ptdesk.services.sessions.reading import _appointment, _record_of, get_record


def summary_pdf(
    session: Session,
    appointment_id: int,
    *,
    patient_copy: bool = False,
    printed_on: date | None = None,
    out: Path | BinaryIO | None = None,
) -> bytes:
    """The session summary PDF (clinical, or the patient's take-home copy)."""
    from ptdesk.reports.common import Letterhead
    from ptdesk.reports.session_summary import build_summary
    from ptdesk.services.clinic import get_profile

    row = _record_of(session, appointment_id)
    if row is None:
        _appointment(session, appointment_id)
        raise PtdeskError("No session has been recorded for that appointment yet.")
    detail = get_record(session, saved_id(row))
    letterhead = Letterhead.from_profile(get_profile(session))
    return build_summary(
        detail, letterhead, patient_copy=patient_copy, printed_on=printed_on, out=out
    )
