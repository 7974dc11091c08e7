"""The lock screen: nothing of the clinic's data shows until someone signs in again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ptdesk.ui.context import AppContext
from ptdesk.ui.signin import SignInPanel


def demo_pins(demo: bool) -> dict[str, str] | None:
    """The demo clinic's known PINs, shown on its sign-in screens (never for a real clinic)."""
    if not demo:
        return None
    from ptdesk.demo import DEMO_PIN_LABELS

    return DEMO_PIN_LABELS


class LockScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        card = QFrame()
        card.setObjectName("lockCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(460)
        inner = QVBoxLayout(card)
        note = QLabel(
            "The screen is locked and patient information is hidden. Sign in to carry on where "
            "you left off; someone else can sign in too."
        )
        note.setWordWrap(True)
        note.setObjectName("lockNote")
        self.panel = SignInPanel(
            ctx.db, demo_pins=demo_pins(ctx.demo), heading="Screen locked", bus=ctx.bus
        )
        inner.addWidget(self.panel)
        inner.addWidget(note)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 2)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row, 4)
        outer.addStretch(1)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
