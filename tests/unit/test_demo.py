"""The demo clinic: same seed, same clinic; realistic proportions; a busy today."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from ptdesk.demo import create_demo_file
from ptdesk.errors import PtdeskError

NOW = datetime(2026, 3, 11, 12, 30)
# Shipped tables (the exercise library, the billing codes) are loaded when a file is made or
# opened, so their row times are that moment; everything else about them must match.
SHIPPED = {"exercise", "billing_code"}


def dump(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN "
                "('alembic_version', 'audit_event') AND name NOT LIKE 'sqlite_%'"
            )
        ]
        dumped = {}
        for t in tables:
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]
            if t in SHIPPED:
                cols = [c for c in cols if c not in ("created_at", "updated_at")]
            listed = ", ".join(f'"{c}"' for c in cols)
            dumped[t] = con.execute(f'SELECT {listed} FROM "{t}" ORDER BY 1').fetchall()
        return dumped
    finally:
        con.close()


def test_same_seed_gives_the_same_clinic(tmp_path):
    a, b, c = (tmp_path / f"{n}.sqlite3" for n in "abc")
    create_demo_file(a, years=0.2, seed=3, now=NOW)
    create_demo_file(b, years=0.2, seed=3, now=NOW)
    create_demo_file(c, years=0.2, seed=4, now=NOW)
    assert dump(a) == dump(b)
    assert dump(a)["patient"] != dump(c)["patient"]


def test_default_year_is_realistic(tmp_path):
    path = tmp_path / "year.sqlite3"
    summary = create_demo_file(path, years=1, seed=7, now=NOW)
    assert 4 <= summary.staff <= 8
    assert 12_000 <= summary.appointments <= 18_000
    con = sqlite3.connect(path)
    past = Counter(
        dict(
            con.execute(
                "SELECT status, count(*) FROM appointment WHERE start < '2026-03-11' GROUP BY status"
            )
        )
    )
    total = sum(past.values())
    assert 0.75 < past["completed"] / total < 0.9
    assert 0.02 < past["no_show"] / total < 0.09
    assert 0.05 < past["cancelled"] / total < 0.15
    late = con.execute(
        "SELECT count(*) FROM appointment WHERE status = 'cancelled' AND start < '2026-03-11' "
        "AND (julianday(start) - julianday(cancelled_at)) * 24 < 24"
    ).fetchone()[0]
    assert 0 < late < past["cancelled"]  # some late cancellations, not all
    today = con.execute(
        "SELECT count(*) FROM appointment WHERE date(start) = '2026-03-11'"
    ).fetchone()[0]
    assert today >= 30  # today's schedule is busy
    last = con.execute("SELECT max(date(start)) FROM appointment").fetchone()[0]
    assert date.fromisoformat(last) > NOW.date()  # history runs past today
    # No one is double-booked.
    clashes = con.execute(
        "SELECT count(*) FROM appointment a JOIN appointment b ON a.staff_id = b.staff_id "
        'AND a.id < b.id AND a.start < b."end" AND b.start < a."end"'
    ).fetchone()[0]
    assert clashes == 0
    con.close()


def test_demo_refuses_a_file_that_holds_data(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    create_demo_file(path, years=0.1, seed=1, now=NOW)
    before = path.read_bytes()
    with pytest.raises(PtdeskError):
        create_demo_file(path, years=0.1, seed=1, now=NOW)
    assert path.read_bytes() == before
