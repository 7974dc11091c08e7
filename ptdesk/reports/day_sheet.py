"""The day sheet: the day's appointments per staff member, printed in black and white."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from ptdesk.reports.common import RULE, Letterhead, Paragraph, escape, render, styles
from ptdesk.reports.day_sheet_data import DaySheetGroup
from ptdesk.reports.text import FONT_BOLD

HEADERS = ["Time", "Patient", "Visit", "Room", "Status", "Precautions / notes"]
WIDTHS = [70, 130, 70, 70, 70, 140]


def build_day_sheet(
    day: date,
    groups: Sequence[DaySheetGroup],
    letterhead: Letterhead,
    *,
    out: Path | BinaryIO | None = None,
    printed_on: date | None = None,
) -> bytes:
    """One section per staff member: time, patient, kind, room, status, precautions."""
    st = styles()
    story: list[Flowable] = []
    total = sum(len(g.appointments) for g in groups)
    story.append(
        Paragraph(
            f"{day:%A %d %B %Y} — {total} appointment{'s' if total != 1 else ''}", st["title"]
        )
    )
    if not groups:
        story.append(Paragraph("No appointments are booked for this day.", st["body"]))
    for group in groups:
        rows = [[Paragraph(h, st["cell_bold"]) for h in HEADERS]]
        for a in group.appointments:
            extra = []
            if a.precautions:
                extra.append("<b>! " + escape("; ".join(a.precautions)) + "</b>")
            if a.notes:
                extra.append(escape(a.notes))
            rows.append(
                [
                    Paragraph(f"{a.start:%H:%M}–{a.end:%H:%M}", st["cell"]),
                    Paragraph(
                        f"{escape(a.patient_name)}<br/>#{escape(a.chart_number)}", st["cell"]
                    ),
                    Paragraph(escape(a.kind_label), st["cell"]),
                    Paragraph(escape(a.room_name or "—"), st["cell"]),
                    Paragraph(escape(a.status_label), st["cell"]),
                    Paragraph("<br/>".join(extra), st["cell"]),
                ]
            )
        table = Table(rows, colWidths=WIDTHS, repeatRows=1, splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                    ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        n = len(group.appointments)
        heading = Paragraph(
            f"{escape(group.staff_name)} — {n} appointment{'s' if n != 1 else ''}", st["h2"]
        )
        story.append(KeepTogether([heading, table]) if n < 12 else heading)
        if n >= 12:
            story.append(table)
        story.append(Spacer(1, 6))
    return render(
        story,
        title="Day sheet",
        letterhead=letterhead,
        subject=f"{day:%A %Y-%m-%d}",
        printed_on=printed_on,
        out=out,
    )
