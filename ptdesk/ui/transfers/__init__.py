"""The Transfers screen, its checklist runner and its Settings tab."""

from ptdesk.ui.transfers.runner import ChecklistDialog, run_checklist

__all__ = ["ChecklistDialog", "run_checklist"]
