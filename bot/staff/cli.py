"""``python -m bot staff-user``: create a staff account or reset its password and role."""

from __future__ import annotations

import getpass
import os
import sys

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from bot.core.db import with_retries
from bot.staff import second_factor
from bot.staff.auth import normalize_email, save_user
from bot.staff.models import StaffUser
from bot.staff.passwords import password_problem

PASSWORD_ENV = "STAFF_PASSWORD"


def _password() -> str:
    """The password from ``STAFF_PASSWORD``, else asked twice on the terminal."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env is not None:
        return from_env
    first = getpass.getpass("パスワード: ")
    if getpass.getpass("パスワード(確認): ") != first:
        raise SystemExit("パスワードが一致しません。")
    return first


def staff_user(email: str, role: str, name: str | None) -> None:
    """Create or update the account ``email`` (its sessions end when it is updated)."""
    try:
        email = validate_email(normalize_email(email), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise SystemExit(f"メールアドレスを確認してください: {error}") from error
    password = _password()
    problem = password_problem(password)
    if problem:
        raise SystemExit(problem)

    def save(session: Session) -> tuple[StaffUser, bool]:
        user, created = save_user(session, email, role, password, name)
        second_factor.reset(user)  # a reset by an administrator: the next sign-in enrols again
        return user, created

    user, created = with_retries(save)
    verb = (
        "作成しました"
        if created
        else "更新しました(ログイン中のセッションは終了し、確認コードの登録もやり直しになります)"
    )
    print(f"職員アカウント {user.email} ({role}) を{verb}。", file=sys.stdout)
