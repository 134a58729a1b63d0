"""``python -m bot staff-user``: create a staff account or reset its password and role."""

from __future__ import annotations

import getpass
import os
import sys

from email_validator import EmailNotValidError, validate_email

from bot.core.db import with_retries
from bot.staff.auth import normalize_email, save_user
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
    user, created = with_retries(lambda session: save_user(session, email, role, password, name))
    verb = "作成しました" if created else "更新しました(この職員のログイン中のセッションは終了しました)"
    print(f"職員アカウント {user.email} ({role}) を{verb}。", file=sys.stdout)
