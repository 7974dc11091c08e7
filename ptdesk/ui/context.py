"""What every screen is handed: the open database, who is acting, and the signal hub."""

from __future__ import annotations

from dataclasses import dataclass

from ptdesk.db import Database
from ptdesk.services.audit import Actor
from ptdesk.ui.bus import Bus


@dataclass
class AppContext:
    db: Database
    actor: Actor
    bus: Bus
    demo: bool = False
