"""Dialogs of the window itself (About, the note kept on lock, sign-in, PDF preview) are
destroyed when they close, not left hidden under the window."""

from __future__ import annotations

import io

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from ptdesk.ui import app as app_module
from ptdesk.ui.main_window import MainWindow
from ptdesk.ui.signin import SignInDialog
from ptdesk.ui.widgets.pdf_preview import PdfPreviewDialog


def _flush() -> None:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def _alive(name: str) -> list:
    return [w for w in QApplication.allWidgets() if w.objectName() == name]


def _answer_and_close(monkeypatch, seen: list[str]) -> None:
    """A person who reads a box and closes it."""

    def fake_exec(box) -> int:
        box.show()
        seen.append(box.objectName())
        box.close()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)


def test_about_box_is_destroyed_when_closed(qtbot, ctx, monkeypatch):
    seen: list[str] = []
    _answer_and_close(monkeypatch, seen)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    about = next(a for a in window.menuBar().actions() if "Help" in a.text()).menu().actions()[0]
    about.trigger()
    assert seen == ["aboutBox"]
    _flush()
    assert _alive("aboutBox") == []


def test_the_note_of_work_kept_on_lock_is_destroyed_when_closed(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    draft = QDialog(window)
    draft.keep_on_lock = lambda: "Your session record was kept as a draft."
    draft.show()
    window.lock()
    window.unlock(ctx.actor)
    (note,) = [w for w in _alive("keptOnLock") if w.isVisible()]
    note.close()
    _flush()
    assert _alive("keptOnLock") == []


def test_pdf_preview_window_is_destroyed_when_closed(qtbot, ctx):
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, "Day sheet")
    pdf.save()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    dialog = PdfPreviewDialog(out.getvalue(), "Day sheet", "day.pdf", window)
    dialog.open()
    with qtbot.waitSignal(dialog.destroyed, timeout=2000):
        dialog.reject()
        _flush()


def test_the_sign_in_dialog_is_destroyed_after_sign_in(qtbot, db, owner, monkeypatch):
    from ptdesk.services import auth

    with db.session() as s:
        auth.set_pin(s, owner, owner.id, "2468")

    def fake_exec(dialog) -> int:
        dialog.panel.select(owner.id)
        dialog.panel.pin.setText("2468")
        dialog.panel.sign_in()
        return dialog.result()

    monkeypatch.setattr(SignInDialog, "exec", fake_exec)
    assert app_module.choose_actor(db, ask=True) == owner
    _flush()
    assert _alive("signInDialog") == []
