"""The shared document frame: letterhead, subject on every page, page numbers."""

from __future__ import annotations

import io
import os
import stat

import pytest
from pypdf import PdfReader
from reportlab.platypus import PageBreak, Paragraph

from ptdesk.reports.common import Letterhead, Subject, render, styles


def _pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_every_page_has_letterhead_subject_and_page_numbers():
    st = styles()
    head = Letterhead("Harbor PT", "1 Main St\nTown", "555-201-0000", "desk@example.com")
    story = [
        Subject("Ana Diaz · 2026-03-11", restart_numbering=True),
        Paragraph("first patient page one", st["body"]),
        PageBreak(),
        Paragraph("first patient page two", st["body"]),
        PageBreak(),
        Subject("Ben Okafor · 2026-03-11", restart_numbering=True),
        Paragraph("second patient 90° hip <limit>", st["body"]),
    ]
    pages = _pages_text(render(story, title="Home exercises", letterhead=head, subject="start"))
    assert len(pages) == 3
    for text in pages:
        assert "Harbor PT" in text and "Home exercises" in text
    assert "Ana Diaz" in pages[0] and "Page 1 of 2" in pages[0]
    assert "Ana Diaz" in pages[1] and "Page 2 of 2" in pages[1]
    assert "Ben Okafor" in pages[2] and "Page 1 of 1" in pages[2]
    assert "Ana Diaz" not in pages[2]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_saved_pdfs_are_private_to_this_account_and_replace_the_old_file(tmp_path):
    from ptdesk.reports.common import write_atomically

    target = tmp_path / "day.pdf"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    (tmp_path / "day.pdf.partial").write_bytes(b"left over from a crash")
    write_atomically(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day.pdf"]
