"""The precautions banner: a patient's precautions, framed and marked, for any screen."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

BANNER_STYLE = "QLabel { background: #fff6d6; border: 2px solid #c98a00; padding: 6px; }"
EMPTY_STYLE = "QLabel { border: 1px solid #bbbbbb; padding: 6px; }"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class PrecautionBanner(QLabel):
    """Shows "⚠ PRECAUTIONS" and a bulleted list (words and a sign, not colour alone)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("precautionsBox")
        self.setWordWrap(True)
        self.setAccessibleName("Precautions")
        self.set_precautions([])

    def set_precautions(self, items: list[str]) -> None:
        if items:
            self.setStyleSheet(BANNER_STYLE)
            bullets = "".join(f"<li>{_escape(i)}</li>" for i in items)
            self.setText(
                f"<b>\u26a0 PRECAUTIONS</b><ul style='margin:2px 0 0 -20px'>{bullets}</ul>"
            )
            self.setAccessibleDescription("; ".join(items))
        else:
            self.setStyleSheet(EMPTY_STYLE)
            self.setText("No precautions recorded.")
            self.setAccessibleDescription("No precautions recorded")
