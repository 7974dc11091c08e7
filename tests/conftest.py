"""Test configuration: headless Qt, and a fresh data folder and database for every test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

# Headless Qt for every test; set before anything imports Qt.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402

from ptdesk.db import Database, open_database  # noqa: E402
from ptdesk.services import clock  # noqa: E402
from ptdesk.services import staff as staff_service  # noqa: E402
from ptdesk.services.audit import Actor  # noqa: E402

# The demo clinic used by tests is pinned to one moment so it is the same on every run.
DEMO_NOW = datetime(2026, 3, 11, 12, 30)  # a Wednesday, mid-day
DEMO_TODAY = DEMO_NOW.date()


@pytest.fixture(autouse=True)
def clock_runs_free() -> Iterator[None]:
    """Every test starts and ends with the real time in the computer's own zone: a pin or a
    clinic zone set by one test never leaks into the next."""
    clock.pin(None)
    clock.set_zone("")
    yield
    clock.pin(None)
    clock.set_zone("")


@dataclass
class ClinicClock:
    """The clinic clock pinned to one moment (naive clinic wall-clock time) for a test."""

    moment: datetime

    def __post_init__(self) -> None:
        clock.pin(self.moment)

    def set(self, moment: datetime) -> None:
        self.moment = moment
        clock.pin(moment)

    def advance(self, delta: timedelta) -> None:
        self.set(self.moment + delta)

    @property
    def now(self) -> datetime:
        return self.moment

    @property
    def today(self) -> date:
        return self.moment.date()

    @property
    def utc_now(self) -> datetime:
        """The pinned moment as a record time (aware UTC), as the services store it."""
        return clock.utc_now()


@pytest.fixture
def clinic_clock(clock_runs_free: None) -> ClinicClock:
    """Pin the clinic clock to ``DEMO_NOW`` (a Wednesday, mid-day); ``set``/``advance`` move
    it. Request it before the fixtures that write data, so their record times are pinned too.
    The pin is undone after the test."""
    return ClinicClock(DEMO_NOW)


@pytest.fixture
def screen_clock(clock_runs_free: None) -> ClinicClock:
    """The clinic clock pinned to the computer's current minute, for tests of screens that
    still read the computer's own clock (``date.today()``, ``QDate.currentDate()``) beside the
    clinic clock, so both agree on the day. Once those screens read the clinic clock, their
    tests take ``clinic_clock`` instead and this fixture goes."""
    return ClinicClock(datetime.now().replace(second=0, microsecond=0))


@pytest.fixture(autouse=True)
def isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ptdesk's data folder at a temporary one; nothing touches real data."""
    data = tmp_path / "data"
    monkeypatch.setenv("PTDESK_DATA_DIR", str(data))
    monkeypatch.delenv("PTDESK_DB", raising=False)
    return data


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "clinic" / "ptdesk.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def owner(db: Database) -> Actor:
    with db.session() as session:
        row = staff_service.create_first_owner(session, "Olivia Owner", "PT, DPT")
    return Actor.from_staff(row)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo clinic, generated once per test run."""
    from ptdesk.demo import create_demo_file

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    create_demo_file(path, years=0.25, seed=11, today=DEMO_TODAY, now=DEMO_NOW)
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the demo clinic for one test."""
    path = tmp_path / "demo" / "demo.sqlite3"
    path.parent.mkdir(parents=True)
    shutil.copy(demo_template, path)
    database = open_database(path)
    yield database
    database.close()


@pytest.fixture
def ctx(db: Database, owner: Actor):
    """What a screen is handed, for UI tests."""
    from ptdesk.ui.bus import Bus
    from ptdesk.ui.context import AppContext

    return AppContext(db=db, actor=owner, bus=Bus())
