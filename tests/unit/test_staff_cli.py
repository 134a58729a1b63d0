"""``python -m bot staff-user``: accounts are created and reset from the command line."""

import pytest
from sqlalchemy import select

from bot.core.db import migrate, session_factory
from bot.staff.cli import staff_user
from bot.staff.models import StaffUser
from bot.staff.passwords import verify_password


@pytest.fixture
def store(settings_env, monkeypatch):
    migrate()
    monkeypatch.setenv("STAFF_PASSWORD", "correct-horse-battery")


def account(email: str) -> StaffUser | None:
    with session_factory()() as session:
        return session.scalar(select(StaffUser).where(StaffUser.email == email))


def test_an_account_is_created_with_the_password_from_the_environment(store, capsys):
    staff_user("Tanaka@Example.JP", "admin", "田中")
    user = account("tanaka@example.jp")
    assert (user.role, user.display_name, user.active) == ("admin", "田中", True)
    assert verify_password(user.password_hash, "correct-horse-battery")
    assert "作成しました" in capsys.readouterr().out


def test_running_it_again_resets_the_password_and_role(store, monkeypatch, capsys):
    staff_user("tanaka@example.jp", "admin", None)
    monkeypatch.setenv("STAFF_PASSWORD", "another-long-password")
    staff_user("tanaka@example.jp", "staff", None)
    user = account("tanaka@example.jp")
    assert user.role == "staff" and verify_password(user.password_hash, "another-long-password")
    assert "更新しました" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("email", "password"), [("not-an-address", "correct-horse-battery"), ("a@example.jp", "short")]
)
def test_bad_addresses_and_weak_passwords_are_refused(store, monkeypatch, email, password):
    monkeypatch.setenv("STAFF_PASSWORD", password)
    with pytest.raises(SystemExit):
        staff_user(email, "staff", None)
    assert account(email) is None


def test_the_password_is_asked_twice_when_not_in_the_environment(store, monkeypatch):
    monkeypatch.delenv("STAFF_PASSWORD")
    answers = iter(["correct-horse-battery", "different-horse-battery"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(SystemExit, match="一致しません"):
        staff_user("b@example.jp", "staff", None)
