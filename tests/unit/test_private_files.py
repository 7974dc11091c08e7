"""The database, its backups and the logs are readable by this user account only (POSIX)."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from ptdesk.backup import create_backup
from ptdesk.db import open_database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX matter")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_database_folder_file_and_backups_are_private(tmp_path):
    path = tmp_path / "new-folder" / "clinic" / "ptdesk.sqlite3"
    db = open_database(path)
    try:
        with db.session() as s:  # a write creates the WAL companions
            from ptdesk.services import staff

            staff.create_first_owner(s, "Olivia Owner")
        assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700
        assert mode(path) == 0o600
        for companion in (f"{path}-wal", f"{path}-shm"):
            if os.path.exists(companion):
                assert mode(companion) == 0o600
        backup = create_backup(path, reason="manual")
    finally:
        db.close()
    assert mode(backup) == 0o600 and mode(backup.parent) == 0o700


def test_an_existing_folder_chosen_by_the_user_is_left_alone(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    db = open_database(folder / "clinic.sqlite3")
    db.close()
    assert mode(folder) == 0o755 and mode(folder / "clinic.sqlite3") == 0o600


def test_log_files_are_private(isolated_data):
    from ptdesk.ui.app import setup_logging

    root = logging.getLogger()
    before = list(root.handlers)
    levels = {h: h.level for h in before}
    root_level = root.level
    try:
        log_file = setup_logging()
        logging.getLogger("ptdesk.test").info("hello")
        assert log_file is not None and mode(log_file) == 0o600
        assert mode(log_file.parent) == 0o700
    finally:
        for handler in list(root.handlers):
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        for handler, level in levels.items():
            handler.setLevel(level)
        root.setLevel(root_level)
