"""The session summary: the chart copy (with codes, units and signatures) and the patient's copy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from ptdesk.reports.common import (
    MARGIN,
    RULE,
    Letterhead,
    Paragraph,
    Styles,
    TableCommand,
    escape,
    render,
    styles,
)
from ptdesk.reports.summary_data import SessionSummary
from ptdesk.reports.text import FONT_BOLD

CLINICAL_TITLE = "Session summary"
PATIENT_TITLE = "Your visit today"
ROLE_WORDS = {
    "owner": "Owner",
    "therapist": "Physical therapist",
    "assistant": "Physical therapist assistant",
    "technician": "Technician / aide",
    "front_desk": "Front desk",
    "system": "ptdesk",
}
KIND_WORDS = {
    "evaluation": "Evaluation",
    "treatment": "Treatment",
    "re_evaluation": "Re-evaluation",
    "discharge": "Discharge",
}


def _when(value: datetime | None) -> str:
    """A record time, already the clinic's wall-clock time."""
    return "" if value is None else f"{value:%Y-%m-%d %H:%M}"


def _num(value: int | None, unit: str = "") -> str:
    return "—" if value is None else f"{value}{unit}"


def _table(rows: Sequence[list[Paragraph]], widths: list[float], *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[TableCommand] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 1 if header else 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        commands += [
            ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
            ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
        ]
    table.setStyle(TableStyle(commands))
    return table


def _pairs(pairs: list[tuple[str, str]], width: float, st: Styles) -> Table:
    rows = [
        [Paragraph(escape(k), st["cell_bold"]), Paragraph(escape(v) or "—", st["cell"])]
        for k, v in pairs
    ]
    return _table(rows, [width * 0.28, width * 0.72], header=False)


def _section(title: str, body: list[Flowable], st: Styles) -> Flowable:
    return KeepTogether([Paragraph(escape(title), st["h2"]), *body])


def _exercises(
    record: SessionSummary, width: float, st: Styles, *, patient: bool
) -> list[Flowable]:
    if not record.exercises:
        return [Paragraph("No exercises were recorded.", st["body"])]
    head = ["Exercise", "Your dose" if patient else "Prescribed", "Done", "How it went"]
    rows = [[Paragraph(h, st["cell_bold"]) for h in head]]
    for e in record.exercises:
        rows.append(
            [
                Paragraph(escape(e.name), st["cell"]),
                Paragraph(escape(e.prescribed) or "—", st["cell"]),
                Paragraph(escape(e.done), st["cell"]),
                Paragraph(escape(e.notes) or "—", st["cell"]),
            ]
        )
    return [_table(rows, [width * 0.3, width * 0.22, width * 0.2, width * 0.28])]


def _interventions(record: SessionSummary, width: float, st: Styles) -> list[Flowable]:
    items = record.interventions
    if not items:
        return [Paragraph("No billable interventions were recorded.", st["body"])]
    rows = [[Paragraph(h, st["cell_bold"]) for h in ("Code", "Intervention", "Minutes", "Units")]]
    for i in items:
        kind = "" if i.timed else " (untimed)"
        rows.append(
            [
                Paragraph(escape(i.code), st["cell"]),
                Paragraph(escape(i.description) + kind, st["cell"]),
                Paragraph(str(i.minutes) if i.minutes else "—", st["cell"]),
                Paragraph(str(i.units), st["cell"]),
            ]
        )
    rows.append(
        [
            Paragraph("", st["cell"]),
            Paragraph("Total timed minutes / total units", st["cell_bold"]),
            Paragraph(str(record.timed_minutes), st["cell_bold"]),
            Paragraph(str(record.total_units), st["cell_bold"]),
        ]
    )
    return [_table(rows, [width * 0.12, width * 0.6, width * 0.14, width * 0.14])]


def _signatures(record: SessionSummary, st: Styles) -> list[Flowable]:
    lines = []
    who = record.provider_name
    if record.provider_credentials:
        who += f", {record.provider_credentials}"
    if record.signed_at:
        lines.append(f"Recorded and signed by {who} on {_when(record.signed_at)}.")
    else:
        lines.append(f"Recorded by {who}; not signed yet (draft).")
    if record.cosigned_at:
        lines.append(f"Co-signed by {record.cosigned_by_name} on {_when(record.cosigned_at)}.")
    elif record.status == "awaiting_cosign":
        lines.append(
            f"Co-sign status: awaiting co-sign by {record.supervisor_name or 'a therapist'}."
        )
    elif record.needs_cosign:
        lines.append("Co-sign status: not yet sent for co-sign.")
    else:
        lines.append("Co-sign status: not needed (recorded by a therapist).")
    lines.append(f"Record status: {record.status_label}.")
    return [Paragraph(escape(line), st["body"]) for line in lines]


def _subject(record: SessionSummary) -> str:
    return f"{record.patient_name} · #{record.chart_number} · {record.start:%Y-%m-%d %H:%M}"


def clinical_story(record: SessionSummary, width: float) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [Paragraph(CLINICAL_TITLE, st["title"])]
    provider = record.provider_name
    if record.provider_credentials:
        provider += f", {record.provider_credentials}"
    provider += f" ({ROLE_WORDS.get(record.provider_role, record.provider_role)})"
    supervisor = record.cosigned_by_name or record.supervisor_name
    if not record.needs_cosign:
        supervisor = supervisor or "Not needed (therapist's own record)"
    visit = [
        ("Patient", f"{record.patient_name} (chart #{record.chart_number})"),
        ("Date of birth", record.date_of_birth.isoformat() if record.date_of_birth else ""),
        (
            "Date and time",
            f"{record.start:%A %Y-%m-%d}, {record.start:%H:%M}–{record.end:%H:%M}",
        ),
        ("Visit", KIND_WORDS.get(record.kind, record.kind)),
        ("Room", record.room_name),
        ("Care given by", provider),
        ("Supervised by", supervisor or ""),
    ]
    story.append(_section("Visit", [_pairs(visit, width, st)], st))
    if record.precautions:
        story.append(
            Paragraph("Precautions: " + escape("; ".join(record.precautions)), st["warning"])
        )
    bp = (
        f"{record.bp_systolic}/{record.bp_diastolic} mmHg"
        if record.bp_systolic is not None
        else "—"
    )
    measures = [
        ("Pain before (0–10)", _num(record.pain_before)),
        ("Pain after (0–10)", _num(record.pain_after)),
        ("Blood pressure", bp),
        ("Heart rate", _num(record.heart_rate, " bpm")),
        ("SpO2", _num(record.spo2, "%")),
    ]
    story.append(_section("Pain and vitals", [_pairs(measures, width, st)], st))
    story.append(Paragraph("Exercises: done against the prescribed dose", st["h2"]))
    story.extend(_exercises(record, width, st, patient=False))
    story.append(Paragraph("Interventions and billing units", st["h2"]))
    story.extend(_interventions(record, width, st))
    notes = [
        ("Patient reported", record.subjective),
        ("What was done", record.treatment),
        ("Assessment", record.assessment),
        ("Plan", record.plan),
    ]
    story.append(_section("Notes", [_pairs(notes, width, st)], st))
    story.append(_section("Signatures", _signatures(record, st), st))
    if record.addenda:
        story.append(Paragraph("Addenda", st["h2"]))
        for a in record.addenda:
            role = ROLE_WORDS.get(a.author_role, a.author_role)
            story.append(
                KeepTogether(
                    [
                        Paragraph(
                            f"<b>{escape(_when(a.at))} — {escape(a.author_name)} ({escape(role)})</b>",
                            st["body"],
                        ),
                        Paragraph(escape(a.text).replace("\n", "<br/>"), st["body"]),
                        Spacer(1, 4),
                    ]
                )
            )
    return story


def patient_story(record: SessionSummary, width: float) -> list[Flowable]:
    """The take-home copy: plain words, no billing codes, no units."""
    st = styles()
    story: list[Flowable] = [
        Paragraph(f"{PATIENT_TITLE}, {escape(record.patient_name)}", st["title"]),
        Paragraph(
            f"{record.start:%A, %B} {record.start.day}, {record.start.year} at "
            f"{record.start:%H:%M} · seen by {escape(record.provider_name)}",
            st["body"],
        ),
        Spacer(1, 6),
    ]
    if record.precautions:
        story.append(
            Paragraph("Your precautions: " + escape("; ".join(record.precautions)), st["warning"])
        )
    pain = []
    if record.pain_before is not None:
        pain.append(f"Your pain when you arrived: {record.pain_before} out of 10.")
    if record.pain_after is not None:
        pain.append(f"Your pain when you left: {record.pain_after} out of 10.")
    if pain:
        story.append(_section("Your pain", [Paragraph(escape(p), st["body"]) for p in pain], st))
    story.append(Paragraph("Exercises you did", st["h2"]))
    story.extend(_exercises(record, width, st, patient=True))
    if record.interventions:
        rows = [[Paragraph(h, st["cell_bold"]) for h in ("Treatment", "Minutes")]]
        for i in record.interventions:
            rows.append(
                [
                    Paragraph(escape(i.description), st["cell"]),
                    Paragraph(str(i.minutes) if i.minutes else "—", st["cell"]),
                ]
            )
        story.append(_section("Treatments you had", [_table(rows, [width * 0.8, width * 0.2])], st))
    if record.treatment:
        story.append(_section("What we did", [Paragraph(escape(record.treatment), st["body"])], st))
    if record.plan:
        story.append(_section("Next steps", [Paragraph(escape(record.plan), st["body"])], st))
    story.append(Spacer(1, 8))
    story.append(
        Paragraph(
            "Keep doing your home exercises as shown on your exercise sheet. "
            "Call the clinic if anything gets worse.",
            st["body"],
        )
    )
    return story


def build_summary(
    record: SessionSummary,
    letterhead: Letterhead,
    *,
    patient_copy: bool = False,
    printed_on: date | None = None,
    out: Path | BinaryIO | None = None,
) -> bytes:
    """The session summary PDF; ``patient_copy`` gives the take-home version."""
    width = letter[0] - 2 * MARGIN
    story = patient_story(record, width) if patient_copy else clinical_story(record, width)
    return render(
        story,
        title=PATIENT_TITLE if patient_copy else CLINICAL_TITLE,
        letterhead=letterhead,
        subject=_subject(record),
        printed_on=printed_on,
        out=out,
    )
