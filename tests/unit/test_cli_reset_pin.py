"""``ptdesk reset-pin``: the way back in for an owner who forgot their PIN."""

from __future__ import annotations

import io

from ptdesk.cli import run
from ptdesk.services import auth


def test_reset_pin_from_the_command_line(db, db_path, owner, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("4321\n4321\n"))
    assert run(["reset-pin", "--db", str(db_path), "olivia owner"]) == 0
    assert "PIN for Olivia Owner is set" in capsys.readouterr().out
    with db.session() as s:
        assert auth.sign_in(s, owner.id, "4321").id == owner.id


def test_reset_pin_refuses_unknown_names_and_mismatched_pins(
    db, db_path, owner, monkeypatch, capsys
):
    monkeypatch.setattr("sys.stdin", io.StringIO("4321\n4321\n"))
    assert run(["reset-pin", "--db", str(db_path), "Nobody"]) == 1
    assert "Nobody" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("4321\n4322\n"))
    assert run(["reset-pin", "--db", str(db_path), "Olivia Owner"]) == 1
    assert "not the same" in capsys.readouterr().err
