"""Opening a current file needs no Alembic: the shipped revisions are read from the files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ptdesk import db as db_module


def test_revision_chain_read_from_the_files_matches_alembic():
    script = db_module.script_directory()
    assert db_module.head_revision() == script.get_current_head()
    assert db_module.known_revisions() == {r.revision for r in script.walk_revisions()}


def test_opening_a_current_file_does_not_load_alembic(db_path: Path, db):
    db.close()
    code = (
        "import sys\n"
        "from ptdesk.db import open_database\n"
        f"d = open_database({str(db_path)!r}, backup=False)\n"
        "print(d.revision())\n"
        "d.close()\n"
        "print('alembic' in sys.modules)\n"
    )
    env = dict(os.environ)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    revision, loaded = out.stdout.split()
    assert revision == db_module.head_revision()
    assert loaded == "False"


def test_revision_of_a_blank_engine_is_none(tmp_path: Path):
    engine = db_module.make_engine(tmp_path / "blank.sqlite3")
    try:
        assert db_module.Database(tmp_path / "blank.sqlite3", engine).revision() is None
    finally:
        engine.dispose()
