"""The main window opens, lists its pages and switches between them."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidget, QStackedWidget

from ptdesk.ui.main_window import MainWindow


def test_window_opens_and_navigation_switches_pages(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    nav = window.findChild(QListWidget, "navigation")
    stack = window.findChild(QStackedWidget, "pages")
    assert nav is not None and nav.count() == len(window.pages) >= 1
    titles = [nav.item(i).text() for i in range(nav.count())]
    assert "Settings" in titles
    for row in range(nav.count()):
        nav.setCurrentRow(row)
        assert stack.currentIndex() == row
        assert (
            stack.currentWidget().objectName()
            == window.findChild(
                type(stack.currentWidget()), stack.currentWidget().objectName()
            ).objectName()
        )
    assert str(ctx.db.path) in window.location_label.text()
    assert "Last backup: never" in window.backup_label.text()


def test_closing_with_unsaved_program_changes_asks_first(qtbot, ctx, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    exercises = window.pages["exercises"]
    exercises.programs.editor.dirty = True
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[1]) or answers.pop(0)
    )
    assert window.close() is False  # kept open: the person chose to go back
    assert window.isVisible() and asked == ["Unsaved program"]
    assert window.stack.currentWidget() is exercises
    assert window.close() is True and not window.isVisible()
