"""Where ptdesk keeps its files: data, backups and logs (platformdirs, with overrides)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "ptdesk"
ORGANIZATION = "ptdesk"
DB_FILENAME = "ptdesk.sqlite3"
DEMO_FILENAME = "ptdesk-demo.sqlite3"

ENV_DB = "PTDESK_DB"
ENV_DATA_DIR = "PTDESK_DATA_DIR"


def data_dir() -> Path:
    """The folder that holds the clinic's database (``PTDESK_DATA_DIR`` overrides)."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The folder for the rotating log file."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser() / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The clinic database: ``--db`` first, then ``PTDESK_DB``, then the data folder."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser().resolve()
    return data_dir() / DB_FILENAME


def demo_db_path() -> Path:
    """The demo clinic lives in its own folder so it never mixes with real data."""
    return data_dir() / "demo" / DEMO_FILENAME


def backup_dir_for(db_path: Path) -> Path:
    """Backups of a database sit in a ``backups`` folder beside it."""
    return Path(db_path).parent / "backups"


# -- privacy: clinic data is readable by this user account only ------------------------------

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def make_private(path: str | os.PathLike[str], *, folder: bool = False) -> None:
    """Limit a file (0600) or folder (0700) to this user account; POSIX only, best effort."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_DIR_MODE if folder else PRIVATE_FILE_MODE)


def private_folder(path: str | os.PathLike[str]) -> Path:
    """Create a folder of ptdesk's own (and its missing parents) readable by this user only."""
    folder = Path(path)
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    folder.mkdir(parents=True, exist_ok=True)
    for created in missing:  # only folders made here; an existing folder is the user's choice
        make_private(created, folder=True)
    return folder


def make_database_private(db_path: str | os.PathLike[str]) -> None:
    """The clinic file and its WAL/shared-memory companions: 0600."""
    base = Path(db_path)
    for candidate in (base, Path(f"{base}-wal"), Path(f"{base}-shm"), Path(f"{base}-journal")):
        if candidate.exists():
            make_private(candidate)
