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
    expected = {
        "Today": "todayView", "Schedule": "scheduleView", "Patients": "patientsView",
        "Exercises": "exercisesView", "Transfers": "transfersView", "Equipment": "equipmentView",
        "Sessions": "sessionsView", "Reports": "reportsView", "Audit": "auditView",
        "Settings": "settingsView",
    }  # fmt: skip
    assert titles == list(expected)
    for row in range(nav.count()):
        nav.setCurrentRow(row)
        assert stack.currentIndex() == row
        page = stack.currentWidget()
        # Screen readers and tests find each page by these names.
        assert page.objectName() == expected[titles[row]]
        assert page.accessibleName() == titles[row]
    assert str(ctx.db.path) in window.location_label.text()
    assert "Last backup: never" in window.backup_label.text()


def test_pages_are_built_when_first_shown(qtbot, ctx):
    from ptdesk.ui.pages import all_pages

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    first, *rest = [spec.key for spec in all_pages()]
    assert set(window.pages.built) == {first}  # only the page on screen at start-up
    assert rest and all(key in window.pages for key in rest)
    settings = window.show_page("settings")
    assert settings is window.pages["settings"]
    assert settings.objectName() == "settingsView"
    assert window.stack.currentWidget() is settings
    assert window.stack.count() == len(window.pages)
    window.navigation.setCurrentRow(1)
    assert window.stack.currentWidget().objectName() == all_pages()[1].object_name


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
