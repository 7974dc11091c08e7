"""The printable transfer record for the chart: assessment, plan, checks, outcome, signatures."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from ptdesk.reports.common import (
    RULE,
    Letterhead,
    Paragraph,
    Styles,
    TableCommand,
    escape,
    render,
    styles,
)
from ptdesk.reports.transfer_record_data import TransferRecord

TITLE = "Transfer record"


def _when(value: datetime | None) -> str:
    return "—" if value is None else value.strftime("%Y-%m-%d %H:%M")


def pdf_label(text: str) -> str:
    """The document font has no two-way arrow: "Wheelchair ↔ table" prints as an en dash."""
    return text.replace("\u2194", "\u2013")


def _arm(value: bool | None) -> str:
    return {True: "strong enough to push up", False: "weak", None: "not assessed"}[value]


def _pairs(rows: list[tuple[str, str]], st: Styles) -> Table:
    data = [
        [Paragraph(escape(k), st["cell_bold"]), Paragraph(escape(v) or "—", st["cell"])]
        for k, v in rows
    ]
    table = Table(data, colWidths=[1.9 * inch, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def subject_for(c: TransferRecord) -> str:
    return f"{c.patient_name} (chart {c.chart_number}) · {c.started.date().isoformat()}"


def build_story(c: TransferRecord) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [
        Paragraph(f"{TITLE}: {escape(pdf_label(c.transfer_label))}", st["title"])
    ]
    story.append(
        _pairs(
            [
                ("Patient", f"{c.patient_name}, chart {c.chart_number}"),
                ("Status", c.status_label),
                (
                    "Appointment",
                    c.appointment_start.strftime("%Y-%m-%d %H:%M") if c.appointment_start else "",
                ),
                ("Started", f"{_when(c.started)} by {c.started_by or '—'}"),
                ("Finished", _when(c.finished)),
            ],
            st,
        )
    )

    story.append(Paragraph("Assessment", st["h2"]))
    size = []
    if c.height_cm:
        size.append(f"{c.height_cm:g} cm")
    if c.weight_kg:
        size.append(f"{c.weight_kg:g} kg")
    if c.bmi is not None:
        size.append(f"BMI {c.bmi:g}" + (" (bariatric equipment)" if c.bariatric else ""))
    story.append(
        _pairs(
            [
                ("Weight bearing", c.weight_bearing or "not assessed"),
                ("Left arm", _arm(c.left_arm_strong)),
                ("Right arm", _arm(c.right_arm_strong)),
                ("Cooperation", c.cooperation or "not assessed"),
                ("Height, weight", ", ".join(size) or "not recorded"),
                ("Risk conditions", "; ".join(c.conditions) or "none"),
            ],
            st,
        )
    )

    story.append(Paragraph("Method", st["h2"]))
    if c.planned:
        rows = [
            ("Recommended", f"{c.recommended_method} ({c.recommended_staff} staff)"),
            ("Used", c.method),
            ("Equipment", ", ".join(c.equipment) or "none"),
        ]
        if c.less_support_reason:
            rows.append(("Why less support", c.less_support_reason))
        story.append(_pairs(rows, st))
        if c.less_support_reason:
            story.append(
                Paragraph(
                    "A less supported method than recommended was used; the reason is "
                    "recorded above.",
                    st["warning"],
                )
            )
    else:
        story.append(
            Paragraph("The plan was not confirmed before the checklist ended.", st["body"])
        )

    story.append(Paragraph("Checks", st["h2"]))
    if c.checks:
        header: list[Flowable | str] = [
            Paragraph(h, st["cell_bold"]) for h in ("Done", "Check", "Required")
        ]
        data = [header]
        phase = None
        phase_rows = []
        for item in c.checks:
            if item.phase != phase:
                phase = item.phase
                label = "Before the move" if phase == "before" else "After the move"
                phase_rows.append(len(data))
                data.append([Paragraph(label, st["cell_bold"]), "", ""])
            data.append(
                [
                    Paragraph(
                        "Yes" if item.done else "NO", st["cell_bold" if not item.done else "cell"]
                    ),
                    Paragraph(escape(item.text), st["cell"]),
                    Paragraph("Required" if item.required else "Optional", st["cell"]),
                ]
            )
        table = Table(data, colWidths=[0.55 * inch, None, 0.85 * inch], repeatRows=1)
        style: list[TableCommand] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        for r in phase_rows:
            style.append(("SPAN", (0, r), (-1, r)))
            style.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#eeeeee")))
        table.setStyle(TableStyle(style))
        story.append(table)
    else:
        story.append(Paragraph("No checks were recorded.", st["body"]))

    story.append(Paragraph("Outcome", st["h2"]))
    rows = [
        ("Result", c.status_label),
        ("Performed by", c.performed_by),
        ("Assisted by", c.assisted_by or "nobody"),
    ]
    if c.abort_reason:
        rows.append(("Why stopped", c.abort_reason))
    rows.append(("Incident", c.incident))
    if c.had_incident:
        rows.append(("What happened", c.incident_description))
        rows.append(
            (
                "Therapist told",
                {True: "Yes", False: "No", None: "not recorded"}[c.therapist_informed],
            )
        )
    if c.notes:
        rows.append(("Notes", c.notes))
    story.append(_pairs(rows, st))
    if c.had_incident:
        story.append(
            Paragraph(
                f"Incident recorded: {escape(c.incident.lower())}. It appears on the "
                "monthly report.",
                st["warning"],
            )
        )

    signature = Table(
        [
            ["Performed by (signature)", "", "Date"],
            ["", "", ""],
        ],
        colWidths=[2.6 * inch, 2.6 * inch, 1.6 * inch],
        rowHeights=[14, 26],
    )
    signature.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "PtSans"),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("LINEBELOW", (0, 1), (0, 1), 0.8, colors.black),
                ("LINEBELOW", (2, 1), (2, 1), 0.8, colors.black),
            ]
        )
    )
    story.append(Spacer(1, 16))
    story.append(KeepTogether([signature]))
    return story


def build_transfer_record(
    checklist: TransferRecord,
    letterhead: Letterhead,
    *,
    printed_on: date | None = None,
    out: Path | BinaryIO | None = None,
) -> bytes:
    """The PDF for one checklist; returns its bytes (and writes them to ``out`` if given)."""
    return render(
        build_story(checklist),
        title=TITLE,
        letterhead=letterhead,
        subject=subject_for(checklist),
        printed_on=printed_on,
        out=out,
    )
