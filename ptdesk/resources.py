"""Finding shipped files (icons, stylesheet, exercise library) from source or from a build."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_root() -> Path:
    """The resources folder: beside a frozen build, inside an installed wheel, or the repo's."""
    candidates = []
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base:
        candidates.append(Path(frozen_base) / "resources")
    here = Path(__file__).resolve().parent
    candidates.append(here / "_resources")  # installed wheel
    candidates.append(here.parent / "resources")  # source checkout
    for c in candidates:
        if c.is_dir():
            return c
    raise FileNotFoundError("ptdesk's resources folder is missing; reinstall ptdesk.")


def resource_path(*parts: str) -> Path:
    """The path of a shipped file, e.g. ``resource_path("icons", "ptdesk.svg")``."""
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"ptdesk's file {'/'.join(parts)} is missing; reinstall ptdesk.")
    return path
