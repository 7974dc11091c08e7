"""Sign-in, the setup wizard, the idle lock driven by its timer, and PINs in Settings → Staff."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog
from sqlmodel import col, select

from ptdesk.models import AuditEvent, ClinicProfile
from ptdesk.services import auth, staff
from ptdesk.services.audit import Actor
from ptdesk.ui.main_window import MainWindow
from ptdesk.ui.signin import SetupWizard, SignInPanel


def _with_pins(db, owner):
    with db.session() as s:
        auth.set_pin(s, owner, owner.id, "2468")
        tina = staff.create_staff(s, owner, "Tina Tech", "technician")
        auth.set_pin(s, owner, tina.id, "1357")
    return Actor.from_staff(tina)


def _window(qtbot, ctx) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def test_home_after_sign_in_is_today(qtbot, ctx):
    window = _window(qtbot, ctx)
    assert window.page_keys[0] == "today"
    assert window.stack.currentWidget().objectName() == "todayView"
    assert "Signed in: Olivia Owner (Owner)" in window.actor_label.text()


def test_idle_timer_locks_and_the_same_person_returns_where_they_were(qtbot, ctx):
    _with_pins(ctx.db, ctx.actor)
    window = _window(qtbot, ctx)
    assert window.idle.timer.isActive() and window.idle.timer.interval() == 5 * 60_000
    window.show_page("patients")
    patients = window.pages["patients"]
    assert patients.isVisible()

    window.idle.timer.timeout.emit()  # five quiet minutes, without waiting for them

    assert window.locked and window.outer.currentWidget() is window.lock_screen
    assert not patients.isVisible() and not window.navigation.isVisible()
    assert window.actor_label.text().startswith("Locked")
    assert not window.action_lock.isEnabled() and not window.idle.timer.isActive()
    panel = window.lock_screen.panel
    assert panel.chosen_id() == ctx.actor.id

    panel.pin.setText("0000")
    panel.sign_in()
    assert window.locked and "not right" in panel.error.text()

    panel.pin.setText("2468")
    panel.sign_in()
    assert not window.locked
    assert window.pages["patients"] is patients and patients.isVisible()
    assert window.idle.timer.isActive()
    with ctx.db.session() as s:
        actions = [e.action for e in s.exec(select(AuditEvent).order_by(col(AuditEvent.id)))]
    assert actions[-2:] == ["sign_out", "sign_in"]


def test_input_restarts_the_countdown(qtbot, ctx):
    window = _window(qtbot, ctx)
    event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    with qtbot.waitSignal(window.idle.activity, timeout=1000):
        QApplication.sendEvent(window.navigation, event)
    assert window.idle.timer.isActive()
    window.lock()  # while locked, input does not count
    with qtbot.assertNotEmitted(window.idle.activity):
        QApplication.sendEvent(window.lock_screen.panel.pin, event)
    assert not window.idle.timer.isActive()


def test_lock_shortcut_closes_open_dialogs_and_another_person_starts_on_today(qtbot, ctx):
    tina = _with_pins(ctx.db, ctx.actor)
    window = _window(qtbot, ctx)
    window.show_page("audit")
    dialog = QDialog(window.pages["patients"])
    dialog.show()
    window.action_lock.trigger()
    assert window.locked and not dialog.isVisible()
    panel = window.lock_screen.panel
    panel.select(tina.id)
    panel.pin.setText("1357")
    panel.sign_in()
    assert not window.locked and window.ctx.actor == tina
    assert window.current_key() == "today"
    audit_row = window.page_keys.index("audit")
    assert window.navigation.item(audit_row).isHidden()  # owners only
    assert window.show_page("audit") is None
    assert not window.pages["patients"].new_button.isEnabled()  # desk work
    assert "Tina Tech (Technician / aide)" in window.actor_label.text()


def test_idle_minutes_follow_the_setting(qtbot, ctx):
    window = _window(qtbot, ctx)
    with ctx.db.session() as s:
        auth.set_idle_lock_minutes(s, ctx.actor, 12)
    from ptdesk.ui import bus

    ctx.bus.announce(bus.CLINIC)
    assert window.idle.timer.interval() == 12 * 60_000


def test_sign_in_panel_locks_out_after_five_wrong_pins(qtbot, db, owner):
    tina = _with_pins(db, owner)
    panel = SignInPanel(db)
    qtbot.addWidget(panel)
    panel.select(tina.id)
    for _ in range(5):
        panel.pin.setText("9999")
        assert panel.sign_in() is None
    assert "locked out" in panel.error.text()
    panel.pin.setText("1357")
    assert panel.sign_in() is None and "Too many wrong PINs" in panel.error.text()
    panel.reset()
    assert "locked for a few minutes" in panel.names.currentItem().text()


def test_owner_of_a_file_without_pins_chooses_one(qtbot, db, owner):
    panel = SignInPanel(db)
    qtbot.addWidget(panel)
    panel.show()
    panel.select(owner.id)
    assert panel.pin_again.isVisible() and "no PINs yet" in panel.intro.text()
    with qtbot.waitSignal(panel.signed_in) as signal:
        panel.pin.setText("8642")
        panel.pin_again.setText("8642")
        panel.sign_in()
    assert signal.args[0] == owner


def test_demo_sign_in_shows_the_demo_pins_and_they_work(qtbot, demo_db):
    from ptdesk.demo import DEMO_PIN_LABELS, DEMO_PINS
    from ptdesk.ui.lock import demo_pins

    panel = SignInPanel(demo_db, demo_pins=demo_pins(True))
    qtbot.addWidget(panel)
    assert "Owner: 1111" in panel.demo_hint.text()
    assert demo_pins(False) is None and DEMO_PIN_LABELS["Front desk"] == "5555"
    with demo_db.session() as s:
        for choice in auth.sign_in_choices(s):
            assert auth.sign_in(s, choice.id, DEMO_PINS[choice.role]).id == choice.id


def test_setup_wizard_shows_problems_on_their_page(qtbot, db):
    wizard = SetupWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.owner_name.setText("Dana Owner")
    wizard.pin.setText("1357")
    wizard.pin_again.setText("1358")
    assert wizard.finish() is None
    assert wizard.currentId() == 0 and wizard.forms["name"][1].errors["name"].isVisible()
    wizard.name.setText("Lakeside PT")
    wizard.phone.setText("555-100-2000")
    wizard.days[5].setChecked(True)
    assert wizard.finish() is None
    assert wizard.currentId() == 2
    assert "not the same" in wizard.forms["pin_again"][1].errors["pin_again"].text()
    wizard.pin_again.setText("1357")
    actor = wizard.finish()
    assert actor is not None and actor.name == "Dana Owner"
    with db.session() as s:
        profile = s.get(ClinicProfile, 1)
        assert profile.name == "Lakeside PT" and profile.clinic_days == "1,2,3,4,5,6"
        assert auth.sign_in(s, actor.id, "1357")


def test_owner_sets_a_pin_in_settings(qtbot, qtmodeltester, ctx):
    from ptdesk.ui.settings.staff_tab import StaffTab

    with ctx.db.session() as s:
        member = staff.create_staff(s, ctx.actor, "Fran Desk", "front_desk")
    tab = StaffTab(ctx)
    qtbot.addWidget(tab)
    qtmodeltester.check(tab.model)
    tab.select_id(member.id)
    assert tab.pin_button.isEnabled()
    row = tab.selected()
    pin_column = len(tab.model.columns) - 1
    assert tab.model.index(tab.model.rows().index(row), pin_column).data() == "✗ Not set"
    dialog = tab.open_pin_dialog(row)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pin.setText("12")
    dialog.pin_again.setText("12")
    assert not dialog.save() and dialog.form.errors["pin"].isVisible()
    dialog.pin.setText("4826")
    dialog.pin_again.setText("4826")
    assert dialog.save()
    tab.select_id(member.id)
    row = tab.selected()
    assert tab.model.index(tab.model.rows().index(row), pin_column).data() == "✓ Set"
    with ctx.db.session() as s:
        assert auth.sign_in(s, member.id, "4826").name == "Fran Desk"


def test_pin_button_is_off_for_everyone_but_the_owner(qtbot, ctx):
    from ptdesk.ui.settings.staff_tab import StaffTab

    tina = _with_pins(ctx.db, ctx.actor)
    ctx.actor = tina
    tab = StaffTab(ctx)
    qtbot.addWidget(tab)
    tab.select_id(tina.id)
    assert not tab.pin_button.isEnabled()
