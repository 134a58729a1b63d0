"""Staff accounts as admins manage them, and the audit log of staff actions."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.staff.auth import end_user_sessions, normalize_email, save_user
from bot.staff.models import ROLES, AuditEntry, StaffUser
from bot.staff.passwords import hash_password, password_problem

AUDIT_ACTIONS = {
    "account_created": "アカウント追加",
    "account_changed": "アカウント変更",
    "booking_changed": "予約の日時変更",
    "booking_cancelled": "予約のキャンセル",
    "slot_pattern_changed": "毎週の予約枠の変更",
    "closed_day_added": "休業日の追加",
    "closed_day_deleted": "休業日の削除",
    "purge": "保存期間を過ぎた個人情報の削除",
    "contact_viewed": "来訪者の連絡先の閲覧",
}


class AccountError(Exception):
    """An account change that cannot be made (message in Japanese)."""


def accounts(session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.email)))


def _audit(session: Session, actor: str, action: str, target: str, detail: str | None = None) -> None:
    session.add(AuditEntry(actor=actor, action=action, target=target, detail=detail))


def create(
    session: Session, email: str, name: str, role: str, password: str, actor: str, can_call_back: bool = False
) -> None:
    try:
        email = validate_email(normalize_email(email), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise AccountError("メールアドレスを確認してください。") from error
    if session.scalar(select(StaffUser).where(StaffUser.email == email)):
        raise AccountError("そのメールアドレスのアカウントはすでにあります。")
    _check(name, role, password)
    user, _ = save_user(session, email, role, password, name.strip())
    user.can_call_back = can_call_back
    _audit(
        session, actor, "account_created", email, ROLES[role] + ("、折り返し対応" if can_call_back else "")
    )


def _check(name: str, role: str, password: str | None) -> None:
    if not name.strip() or len(name.strip()) > 100:
        raise AccountError("表示名を100文字以内で入力してください。")
    if role not in ROLES:
        raise AccountError("役割を選んでください。")
    if password is not None and (problem := password_problem(password)):
        raise AccountError(problem)


def _admins_left(session: Session, without: int) -> int:
    query = select(func.count()).select_from(StaffUser)
    return (
        session.scalar(query.where(StaffUser.role == "admin", StaffUser.active, StaffUser.id != without)) or 0
    )


def update(
    session: Session,
    user_id: int,
    name: str,
    role: str,
    active: bool,
    password: str,
    actor: str,
    can_call_back: bool = False,
) -> None:
    """Change name, role, the ``callbacks`` permission, whether the account may sign in, and
    (when given) the password."""
    user = session.get(StaffUser, user_id)
    if user is None:
        raise LookupError(user_id)
    _check(name, role, password or None)
    if (role != "admin" or not active) and user.role == "admin" and not _admins_left(session, user.id):
        raise AccountError("管理者が1人もいなくなるため、この変更はできません。")
    changed = []
    sign_out = False  # a new password, a new role or a disabled account ends the sessions
    if user.display_name != name.strip():
        user.display_name = name.strip()
        changed.append("表示名")
    if user.role != role:
        user.role, sign_out = role, True
        changed.append(f"役割→{ROLES[role]}")
    if user.can_call_back != can_call_back:
        user.can_call_back, sign_out = can_call_back, True  # a new right may need the second factor
        changed.append("折り返し対応の権限" + ("付与" if can_call_back else "取消"))
    if user.active != active:
        user.active, sign_out = active, sign_out or not active
        changed.append("有効化" if active else "無効化")
    if password:
        user.password_hash, sign_out = hash_password(password), True
        changed.append("パスワード再設定")
    if sign_out:
        end_user_sessions(session, user.id)
    if changed:
        _audit(session, actor, "account_changed", user.email, "、".join(changed))


def audit_log(session: Session, limit: int = 200) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
