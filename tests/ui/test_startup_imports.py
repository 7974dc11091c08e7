"""Start-up loads only what the first screen needs: the PDF library waits for the first print."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CODE = """
import sys
from PySide6.QtWidgets import QApplication
from ptdesk.db import open_database
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import Actor
from ptdesk.ui.app import make_application
from ptdesk.ui.bus import Bus
from ptdesk.ui.context import AppContext
from ptdesk.ui.main_window import MainWindow

app = make_application([sys.argv[0]])
database = open_database(sys.argv[1], backup=False)
with database.session() as s:
    actor = Actor.from_staff(staff_service.default_actor(s))
window = MainWindow(AppContext(db=database, actor=actor, bus=Bus(), demo=True))
window.show()
QApplication.processEvents()
print(window.navigation.currentItem().text())
print(sorted(m for m in ("reportlab", "alembic", "pypdfium2") if m in sys.modules))
window.close()
database.close()
"""


def _run_on_demo_copy(code: str, demo_template: Path, tmp_path: Path) -> list[str]:
    """Run ``code`` in a fresh process on a copy of the demo clinic; its output lines."""
    path = tmp_path / "clinic.sqlite3"
    shutil.copy(demo_template, path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PTDESK_DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return out.stdout.splitlines()


def test_the_first_window_does_not_load_the_pdf_library(demo_template: Path, tmp_path: Path):
    page, loaded = _run_on_demo_copy(CODE, demo_template, tmp_path)[-2:]
    assert page == "Today"  # the owner's first page, with every section filled
    assert loaded == "[]"


DATA_FIRST = """
import sys
from ptdesk.cli import load_data_layer
load_data_layer()
assert "PySide6" not in sys.modules, "the data layer loaded Qt"
before = set(sys.modules)
from PySide6.QtWidgets import QApplication
from ptdesk.db import open_database
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import Actor
from ptdesk.ui.app import make_application
from ptdesk.ui.bus import Bus
from ptdesk.ui.context import AppContext
from ptdesk.ui.main_window import MainWindow

app = make_application([sys.argv[0]])
database = open_database(sys.argv[1], backup=False)
with database.session() as s:
    actor = Actor.from_staff(staff_service.default_actor(s))
window = MainWindow(AppContext(db=database, actor=actor, bus=Bus(), demo=True))
window.show()
QApplication.processEvents()
late = sorted(
    m for m in set(sys.modules) - before
    if m.startswith("ptdesk.") and not m.startswith("ptdesk.ui")
)
print(late)
window.close()
database.close()
"""


def test_the_first_window_needs_no_data_module_loaded_after_qt(demo_template, tmp_path):
    """Qt's bindings read the source of every module imported after them; the start-up loads
    the data layer first (``ptdesk.cli.load_data_layer``), so nothing of it comes late."""
    assert _run_on_demo_copy(DATA_FIRST, demo_template, tmp_path)[-1] == "[]"
