"""How long the day's exercise sheets take for 60 patients (prints the figures).

Run: uv run python benchmarks/bench_exercise_sheets.py [PATIENTS]
(benchmarks/run.py measures the same clinic as `exercise_sheets_60_s`.)
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from ptdesk.db import open_database
from ptdesk.models import Appointment, Patient
from ptdesk.reports.common import Letterhead
from ptdesk.reports.exercise_sheets import build_sheets
from ptdesk.services import clinic, exercises, programs
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import Actor
from ptdesk.services.programs import ProgramData, ProgramItem

DAY = date(2026, 3, 11)


def make_clinic(path: Path, count: int) -> None:
    """A clinic whose day DAY has ``count`` patients, each with a program of 3 to 8 exercises."""
    rng = random.Random(5)
    db = open_database(path)
    try:
        with db.session() as s:
            owner = Actor.from_staff(staff_service.create_first_owner(s, "Olivia Owner"))
            library = exercises.list_exercises(s)
        with db.session() as s:
            for n in range(count):
                p = Patient(
                    chart_number=f"{n:06d}",
                    first_name=f"Patient{n}",
                    last_name="Bench",
                    precautions="Fall risk\nNo lifting over 10 lb" if n % 3 == 0 else "",
                )
                s.add(p)
                s.flush()
                start = datetime.combine(DAY, datetime.min.time()) + timedelta(hours=7 + n % 10)
                s.add(Appointment(patient_id=p.id, staff_id=owner.id, start=start, end=start))
                items = [
                    ProgramItem.from_exercise(e) for e in rng.sample(library, rng.randint(3, 8))
                ]
                programs.save_program(
                    s, owner, p.id, ProgramData(p.id, DAY, large_print=n % 8 == 0, items=items)
                )
    finally:
        db.close()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    with tempfile.TemporaryDirectory() as tmp:
        make_clinic(Path(tmp) / "bench.sqlite3", count)
        db = open_database(Path(tmp) / "bench.sqlite3")
        t0 = time.perf_counter()
        with db.session() as s:
            sheets = programs.sheets_for_day(s, DAY)
            letterhead = Letterhead.from_profile(clinic.get_profile(s))
        t1 = time.perf_counter()
        data = build_sheets(sheets, letterhead)
        t2 = time.perf_counter()
        db.close()
    print(f"patients with sheets: {len(sheets)}")
    print(f"collect data:         {t1 - t0:6.2f} s")
    print(f"lay out PDF:          {t2 - t1:6.2f} s  ({len(data) / 1024:.0f} KiB)")
    print(f"total:                {t2 - t0:6.2f} s")


if __name__ == "__main__":
    main()
