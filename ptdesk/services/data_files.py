"""Actions on the clinic file itself that need a permission: restoring a backup."""

from __future__ import annotations

from pathlib import Path

from ptdesk.backup import restore_backup
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require


def restore(actor: Actor, db_path: Path, backup_file: Path) -> Path | None:
    """Restore ``backup_file`` over the clinic file, for someone allowed to (the owner).

    Returns the safety copy of the file it replaced. The caller closes its connections first.
    """
    require(actor, "restore_backup")
    return restore_backup(Path(db_path), Path(backup_file))
