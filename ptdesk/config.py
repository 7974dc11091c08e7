"""Where ptdesk keeps its files: data, backups and logs (platformdirs, with overrides)."""

from __future__ import annotations

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
