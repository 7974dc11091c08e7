"""Checks the fault tests run on a clinic file after something went wrong."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path


def file_digest(path: Path) -> str:
    """The file's bytes as a digest: proof that nothing wrote to it."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def integrity(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("PRAGMA integrity_check")]
    finally:
        con.close()


def read_report(report: Path) -> list[tuple[str, int, str]]:
    """The writes a child reported as committed (a line cut short by the kill is ignored)."""
    if not report.exists():
        return []
    text = report.read_text()
    lines = text.split("\n")[:-1]  # whatever follows the last newline was cut off
    out = []
    for line in lines:
        kind, ident, token = line.split(" ")
        out.append((kind, int(ident), token))
    return out


@dataclass
class Found:
    appointments: int
    sessions: int
    cleanings: int


def check_writes(path: Path, reported: list[tuple[str, int, str]]) -> Found:
    """Every reported write is present, and every write present is whole (row, history, audit)."""
    con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        appts = {
            i: (notes, status)
            for i, notes, status in con.execute("SELECT id, notes, status FROM appointment")
        }
        records = {
            i: (subj, status)
            for i, subj, status in con.execute("SELECT id, subjective, status FROM session_record")
        }
        cleanings = {i: notes for i, notes in con.execute("SELECT id, notes FROM cleaning_log")}
        audit = set(con.execute("SELECT entity, entity_id, action FROM audit_event"))
        history = set(
            con.execute("SELECT appointment_id, to_status FROM appointment_status_change")
        )
    finally:
        con.close()
    for kind, ident, token in reported:
        if kind == "book":
            assert appts.get(ident, (None,))[0] == token, f"booked appointment {ident} lost"
        elif kind == "checkin":
            assert appts[ident][1] == "checked_in", f"check-in of appointment {ident} lost"
        elif kind == "session":
            assert records.get(ident) == (token, "signed"), f"session record {ident} lost"
        elif kind == "clean":
            assert cleanings.get(ident) == token, f"cleaning entry {ident} lost"
    # Nothing half-written: each row came with its history and its audit event.
    for ident, (_notes, status) in appts.items():
        assert ("appointment", str(ident), "book") in audit, f"appointment {ident} has no audit"
        assert (ident, "scheduled") in history, f"appointment {ident} has no history"
        if status == "checked_in":
            assert (ident, "checked_in") in history
            assert ("appointment", str(ident), "checked_in") in audit
    for ident in records:
        assert ("session_record", str(ident), "create") in audit, f"record {ident} has no audit"
    for ident in cleanings:
        assert ("cleaning_log", str(ident), "clean") in audit, f"cleaning {ident} has no audit"
    return Found(len(appts), len(records), len(cleanings))
