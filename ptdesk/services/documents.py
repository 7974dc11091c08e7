"""Every printable document: its data loaded, the acting person's permission checked, PDF bytes.

The screens and the command line print through these functions and nothing else builds a PDF.
Each one reads what the document shows through the domain services, turns it into the plain
input the builder in ``ptdesk.reports`` takes (labels in words, record times in the clinic's
wall-clock time), and lays it out. The PDF library is loaded on the first print, not when this
module is imported (start-up does not need it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sqlmodel import Session

from ptdesk.errors import PtdeskError
from ptdesk.models import (
    CleaningInterval,
    CleaningMethod,
    Cooperation,
    TransferMethod,
    WeightBearing,
)
from ptdesk.models.transfers import CONDITIONS
from ptdesk.reports.cleaning_log_data import CleaningLog, ItemDue, LogLine, OverdueCheck
from ptdesk.reports.day_sheet_data import DaySheetGroup, DaySheetVisit
from ptdesk.reports.sheet_data import ExerciseSheet
from ptdesk.reports.summary_data import (
    SessionSummary,
    SummaryAddendum,
    SummaryExercise,
    SummaryIntervention,
)
from ptdesk.reports.transfer_record_data import RecordCheck, TransferRecord
from ptdesk.services import cleaning, clinic, clock, patients, programs, reporting, sessions
from ptdesk.services import scheduling as sched
from ptdesk.services import transfers as tr
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require

if TYPE_CHECKING:
    from ptdesk.reports.common import Letterhead

# The permission each document needs. Printing is open to whoever may do the work the paper
# is for: the day sheet, session summaries and transfer records to everyone who works the
# day's visits (every role), the cleaning log to everyone who logs cleanings, the monthly
# report to the owner.
PERMISSION = {
    "day_sheet": "update_appointment_status",
    "exercise_sheets": "print_exercise_sheets",
    "session_summary": "update_appointment_status",
    "cleaning_log": "log_cleaning",
    "monthly_report": "export_report",
    "transfer_record": "update_appointment_status",
}

# Cleaning methods as the log's table prints them: short enough for one line.
SHORT_METHOD = {
    CleaningMethod.CLEAN_THEN_DISINFECT.value: "Clean + disinfect",
    CleaningMethod.DISINFECT_ONLY.value: "Disinfect only",
    CleaningMethod.DEEP_CLEAN.value: "Deep clean",
}

Progress = Callable[[int, int], None]
# Where a document is also written, besides being returned: a file (written whole or not at
# all, readable by this account only) or an open binary stream.
Out = Path | BinaryIO | None


class NothingToPrint(PtdeskError):
    """There is nothing to put in the document (no sheet to print, for instance)."""


def _letterhead(session: Session) -> Letterhead:
    from ptdesk.reports.common import Letterhead

    return Letterhead.from_profile(clinic.get_profile(session))


def _local(value: datetime | None) -> datetime | None:
    """A record time (UTC) as the clinic's wall-clock time."""
    return None if value is None else clock.exact_local(value)


# -- the day sheet ----------------------------------------------------------------------------
def day_sheet(
    session: Session, actor: Actor, day: date, *, printed_on: date | None = None, out: Out = None
) -> bytes:
    """The day's appointments per staff member (cancelled ones left off)."""
    require(actor, PERMISSION["day_sheet"])
    from ptdesk.reports.day_sheet import build_day_sheet

    groups = [
        DaySheetGroup(
            g.staff_name,
            [
                DaySheetVisit(
                    start=a.start,
                    end=a.end,
                    patient_name=a.patient_name,
                    chart_number=a.chart_number,
                    kind_label=a.kind_label,
                    room_name=a.room_name,
                    status_label=a.status_label,
                    precautions=tuple(a.precautions),
                    notes=a.notes,
                )
                for a in g.appointments
            ],
        )
        for g in sched.day_sheet(session, day)
    ]
    return build_day_sheet(
        day, groups, _letterhead(session), printed_on=printed_on or clock.today(), out=out
    )


# -- exercise sheets --------------------------------------------------------------------------
@dataclass(frozen=True)
class SheetBatch:
    """The day's exercise sheets in one PDF, and whose sheets are in it."""

    pdf: bytes
    patients: list[str]  # in the order they print
    left_out: list[str] = field(default_factory=list)  # sheets that could not be laid out


def _lay_out_sheets(
    session: Session,
    sheets: list[ExerciseSheet],
    progress: Progress | None,
    printed_on: date | None,
    out: Out,
) -> SheetBatch:
    from ptdesk.reports.exercise_sheets import build_sheets

    left_out: list[str] = []
    pdf = build_sheets(
        sheets,
        _letterhead(session),
        printed_on=printed_on or clock.today(),
        out=out,
        progress=progress,
        left_out=left_out,
    )
    names = [s.patient_name for s in sheets if s.patient_name not in left_out]
    return SheetBatch(pdf, names, left_out)


def exercise_sheets_for_day(
    session: Session,
    actor: Actor,
    day: date,
    *,
    staff_id: int | None = None,
    progress: Progress | None = None,
    printed_on: date | None = None,
    out: Out = None,
) -> SheetBatch:
    """A home exercise sheet for every patient booked on ``day`` (with ``staff_id`` when
    given) who has an active program; ``progress(done, total)`` follows the layout.

    NothingToPrint when nobody booked has an active program; a sheet that cannot be laid out
    is left out and named (PtdeskError when none can)."""
    require(actor, PERMISSION["exercise_sheets"])
    sheets = programs.sheets_for_day(session, day, staff_id=staff_id)
    if not sheets:
        raise NothingToPrint(f"Nobody booked on {day.isoformat()} has an active home program.")
    return _lay_out_sheets(session, sheets, progress, printed_on, out)


def exercise_sheet_for_patient(
    session: Session,
    actor: Actor,
    patient_id: int,
    day: date,
    *,
    progress: Progress | None = None,
    printed_on: date | None = None,
    out: Out = None,
) -> bytes:
    """One patient's home exercise sheet for ``day``.

    NothingToPrint when they have no active program that day; PtdeskError when the sheet
    cannot be laid out."""
    require(actor, PERMISSION["exercise_sheets"])
    sheet = programs.sheet_for_patient(session, patient_id, day)
    if sheet is None:
        raise NothingToPrint(
            f"{patients.get_patient(session, patient_id).full_name} has no active home program on "
            f"{day.isoformat()}."
        )
    return _lay_out_sheets(session, [sheet], progress, printed_on, out).pdf


# -- the session summary ----------------------------------------------------------------------
def _summary(detail: sessions.RecordDetail) -> SessionSummary:
    d = detail.data
    return SessionSummary(
        patient_name=detail.patient_name,
        chart_number=detail.chart_number,
        date_of_birth=detail.date_of_birth,
        start=detail.start,
        end=detail.end,
        kind=detail.kind,
        room_name=detail.room_name,
        provider_name=detail.provider_name,
        provider_credentials=detail.provider_credentials,
        provider_role=detail.provider_role,
        supervisor_name=detail.supervisor_name,
        status=detail.status,
        status_label=detail.status_label,
        needs_cosign=detail.needs_cosign,
        precautions=list(detail.precautions),
        pain_before=d.pain_before,
        pain_after=d.pain_after,
        bp_systolic=d.bp_systolic,
        bp_diastolic=d.bp_diastolic,
        heart_rate=d.heart_rate,
        spo2=d.spo2,
        subjective=d.subjective,
        treatment=d.treatment,
        assessment=d.assessment,
        plan=d.plan,
        exercises=[SummaryExercise(e.name, e.prescribed, e.done, e.notes) for e in d.exercises],
        interventions=[
            SummaryIntervention(i.code, i.description, i.minutes, i.units, i.timed)
            for i in d.interventions
        ],
        timed_minutes=detail.timed_minutes,
        total_units=detail.total_units,
        signed_at=_local(detail.signed_at),
        cosigned_by_name=detail.cosigned_by_name,
        cosigned_at=_local(detail.cosigned_at),
        addenda=[
            SummaryAddendum(a.author_name, a.author_role, clock.exact_local(a.at), a.text)
            for a in detail.addenda
        ],
    )


def _session_summary_pdf(
    session: Session,
    actor: Actor,
    appointment_id: int,
    *,
    patient_copy: bool,
    printed_on: date | None,
    out: Out,
) -> bytes:
    require(actor, PERMISSION["session_summary"])
    from ptdesk.reports.session_summary import build_summary

    detail = sessions.record_for_appointment(session, appointment_id)
    if detail.id is None:
        raise NothingToPrint("No session has been recorded for that appointment yet.")
    return build_summary(
        _summary(detail),
        _letterhead(session),
        patient_copy=patient_copy,
        printed_on=printed_on or clock.today(),
        out=out,
    )


def session_summary(
    session: Session,
    actor: Actor,
    appointment_id: int,
    *,
    printed_on: date | None = None,
    out: Out = None,
) -> bytes:
    """The chart copy of a visit's session record: codes, units and signatures."""
    return _session_summary_pdf(
        session, actor, appointment_id, patient_copy=False, printed_on=printed_on, out=out
    )


def patient_copy(
    session: Session,
    actor: Actor,
    appointment_id: int,
    *,
    printed_on: date | None = None,
    out: Out = None,
) -> bytes:
    """The patient's take-home copy of a visit's session record: plain words, no codes."""
    return _session_summary_pdf(
        session, actor, appointment_id, patient_copy=True, printed_on=printed_on, out=out
    )


# -- the cleaning log -------------------------------------------------------------------------
def _cleaning_log(report: cleaning.CleaningLogReport) -> CleaningLog:
    c = report.compliance
    return CleaningLog(
        start=report.start,
        end=report.end,
        as_of=c.as_of,
        entries=[
            LogLine(
                number=e.id,
                cleaned=e.cleaned_local,
                item_name=e.item_name,
                room_name=e.room_name,
                method=SHORT_METHOD.get(e.method, e.method_label),
                product=e.product,
                contact_minutes=e.contact_minutes,
                label_contact_minutes=e.label_contact_minutes,
                short_contact=e.short_contact,
                staff_name=e.staff_name,
                status=e.status,
                correction_reason=e.correction_reason,
                notes=e.notes,
                voids=e.voids,
            )
            for e in report.entries
        ],
        items=[
            ItemDue(
                name=i.name,
                room_name=i.room_name,
                interval=CleaningInterval(i.interval).label,
                due_periods=i.due_periods,
                done_periods=i.done_periods,
                share=i.share,
                missed=list(i.missed),
            )
            for i in c.items
        ],
        due_periods=c.due_periods,
        done_periods=c.done_periods,
        share=c.share,
        overdue_checks=[OverdueCheck(f.name, f.room_name, f.what, f.due) for f in c.overdue_checks],
    )


def cleaning_log(
    session: Session,
    actor: Actor,
    start: date,
    end: date,
    *,
    room_id: int | None = None,
    staff_id: int | None = None,
    now: datetime | None = None,
    printed_on: date | None = None,
    out: Out = None,
) -> bytes:
    """Every cleaning logged from ``start`` to ``end`` (both included), then due versus done;
    ``now`` (the clinic's wall-clock time) is when the due periods are counted up to."""
    require(actor, PERMISSION["cleaning_log"])
    from ptdesk.reports import cleaning_log as builder

    report = cleaning.log_report(
        session, start, end, room_id=room_id, staff_id=staff_id, now=now or clock.now()
    )
    return builder.build(
        _cleaning_log(report), _letterhead(session), printed_on=printed_on or clock.today(), out=out
    )


# -- the monthly report -----------------------------------------------------------------------
@dataclass(frozen=True)
class MonthlyDocument:
    """The monthly report's figures (for a screen to show) and the PDF made from them."""

    figures: reporting.MonthlyReport
    pdf: bytes


def monthly_report_and_figures(
    session: Session,
    actor: Actor,
    month: date,
    *,
    now: datetime | None = None,
    printed_on: date | None = None,
    out: Out = None,
) -> MonthlyDocument:
    """The owner's report on ``month`` (its first day) with the figures it shows, worked out
    once. ``now`` (the clinic's wall-clock time) is when the figures are counted up to."""
    require(actor, PERMISSION["monthly_report"])
    from ptdesk.reports import monthly

    figures = reporting.monthly_report(session, actor, month, now=now or clock.now())
    pdf = monthly.build(
        figures, _letterhead(session), printed_on=printed_on or clock.today(), out=out
    )
    return MonthlyDocument(figures, pdf)


def monthly_report(
    session: Session,
    actor: Actor,
    month: date,
    *,
    now: datetime | None = None,
    printed_on: date | None = None,
    out: Out = None,
) -> bytes:
    """The owner's report on ``month`` (its first day): figures, charts and the tables behind
    them. ``now`` (the clinic's wall-clock time) is when the figures are counted up to."""
    made = monthly_report_and_figures(
        session, actor, month, now=now, printed_on=printed_on, out=out
    )
    return made.pdf


# -- the transfer record ----------------------------------------------------------------------
def _transfer_record(c: tr.ChecklistData) -> TransferRecord:
    a = c.assessment
    weight_bearing = cooperation = ""
    if a.weight_bearing:
        weight_bearing = WeightBearing(a.weight_bearing).label
    if a.cooperation:
        cooperation = Cooperation(a.cooperation).assessment_label
    return TransferRecord(
        transfer_label=c.transfer_label,
        patient_name=c.patient_name,
        chart_number=c.chart_number,
        status_label=c.status_label,
        started=clock.exact_local(c.started_at),
        started_by=c.started_by,
        appointment_start=c.appointment_start,
        finished=_local(c.finished_at),
        weight_bearing=weight_bearing,
        left_arm_strong=a.upper_limb_strength_left,
        right_arm_strong=a.upper_limb_strength_right,
        cooperation=cooperation,
        height_cm=a.height_cm,
        weight_kg=a.weight_kg,
        bmi=a.bmi,
        bariatric=c.bariatric,
        conditions=[CONDITIONS[k] for k in a.conditions if k in CONDITIONS],
        planned=c.planned,
        recommended_method=(
            TransferMethod(c.recommended_method).label if c.recommended_method else ""
        ),
        recommended_staff=c.recommended_staff,
        method=c.method_label,
        equipment=list(c.equipment),
        less_support_reason=c.less_support_reason,
        checks=[RecordCheck(i.phase, i.text, i.required, i.done) for i in c.items],
        performed_by=c.performed_by,
        assisted_by=c.assisted_by,
        abort_reason=c.abort_reason,
        incident=c.incident_label,
        had_incident=c.incident != "none",
        incident_description=c.incident_description,
        therapist_informed=c.therapist_informed,
        notes=c.notes,
    )


def transfer_record(
    session: Session,
    actor: Actor,
    checklist_id: int,
    *,
    printed_on: date | None = None,
    out: Out = None,
) -> bytes:
    """One transfer checklist for the chart: assessment, plan, checks, outcome, signatures."""
    require(actor, PERMISSION["transfer_record"])
    from ptdesk.reports.transfer_record import build_transfer_record

    record = _transfer_record(tr.get_checklist(session, checklist_id))
    return build_transfer_record(
        record, _letterhead(session), printed_on=printed_on or clock.today(), out=out
    )
