"""Equipment figures on a one-year demo clinic: due board, log query, compliance, PDF.

Run: uv run python benchmarks/bench_equipment.py   (prints seconds; asserts nothing)
"""

from __future__ import annotations

import tempfile
import time
from datetime import timedelta
from pathlib import Path

from ptdesk.db import open_database
from ptdesk.demo import create_demo_file
from ptdesk.services import cleaning, documents
from ptdesk.services.audit import SYSTEM


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<40} {time.perf_counter() - start:7.3f} s")
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite3"
        summary = timed("demo clinic, 1 year", lambda: create_demo_file(path, years=1.0))
        db = open_database(path)
        try:
            with db.session() as s:
                end = summary.first_day + timedelta(days=364)
                month = end - timedelta(days=30)
                timed("due board", lambda: cleaning.board(s))
                rows = timed(
                    "cleaning log, one month", lambda: cleaning.history(s, start=month, end=end)
                )
                timed(
                    "compliance, one year", lambda: cleaning.compliance(s, summary.first_day, end)
                )
                timed("log report data, one month", lambda: cleaning.log_report(s, month, end))
                pdf = timed(
                    "cleaning log PDF (data and layout), one month",
                    lambda: documents.cleaning_log(s, SYSTEM, month, end),
                )
            print(f"{len(rows)} entries in the month; PDF {len(pdf) // 1024} KB")
        finally:
            db.close()


if __name__ == "__main__":
    main()
