"""A deterministic synthetic clinic for demos, tests and benchmarks (same seed, same data).

``create_demo_file`` writes one to a new file; the parts of the clinic are built in the
package's modules (clinic, schedule, equipment, programs, transfers, sessions, sign_ins).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ptdesk.db import open_database
from ptdesk.demo.clinic import DEMO_PIN_LABELS, DEMO_PINS, DemoSummary, generate
from ptdesk.errors import PtdeskError

__all__ = ["DEMO_PINS", "DEMO_PIN_LABELS", "DemoSummary", "create_demo_file", "generate"]


def create_demo_file(
    path: Path,
    *,
    years: float = 1.0,
    seed: int = 7,
    today: date | None = None,
    now: datetime | None = None,
) -> DemoSummary:
    """Write a new demo clinic file at ``path`` (which must not hold data yet)."""
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        raise PtdeskError(f"{path} already exists; choose a new file name for the demo clinic.")
    # Built under a temporary name and renamed when whole: an interrupted run leaves no
    # half-made clinic behind under the real name.
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    db = open_database(partial)
    try:
        summary = generate(db, years=years, seed=seed, today=today, now=now)
    except BaseException:
        db.close()
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.replace(path)
    return summary
