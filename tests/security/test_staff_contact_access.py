"""Who sees a visitor's raw contact: staff with the ``callbacks`` permission (and admins), each
view audited; everyone else sees it masked. Those who may see it sign in with a second factor."""

import re

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from bot.core.db import migrate, with_retries
from bot.escalation.service import finish_handoff, open_escalation
from bot.reading.contact import Contact
from bot.staff import accounts, passwords
from bot.staff.auth import save_user
from bot.staff.models import AuditEntry, StaffUser

PASSWORD = "correct-horse-battery-staple"
CLERK, CALLER = "clerk@example.jp", "caller@example.jp"


@pytest.fixture
def web(client, monkeypatch):
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    passwords._dummy_hash.cache_clear()
    migrate()

    def accounts(session):
        save_user(session, CLERK, "staff", PASSWORD, "事務")
        caller, _ = save_user(session, CALLER, "staff", PASSWORD, "折返")
        caller.can_call_back = True
        escalation = open_escalation(session, "web-callme", "requested_human", "電話がほしい")
        finish_handoff(
            session, "web-callme", Contact(phone="090-2468-1357", email="hikari@example.jp"), "田中"
        )
        return escalation.id

    client.escalation_id = with_retries(accounts)
    client.follow_redirects = False
    yield client
    passwords._dummy_hash.cache_clear()


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def log_in(web, email: str):
    page = web.get("/staff/login")
    data = {"email": email, "password": PASSWORD, "csrf_token": token_of(page.text)}
    assert web.post("/staff/login", data=data).status_code == 303
    return web.get(f"/staff/escalations/{web.escalation_id}")


def views() -> list[tuple[str, str]]:
    return with_retries(
        lambda s: [
            (e.actor, e.target)
            for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "contact_viewed"))
        ]
    )


def test_staff_without_the_permission_see_the_contact_masked(web):
    page = log_in(web, CLERK)
    assert page.status_code == 200
    assert "電話 末尾1357" in page.text and "h***@example.jp" in page.text
    assert "2468" not in page.text and "hikari@" not in page.text and 'href="tel:' not in page.text
    assert views() == []


def test_the_permission_needs_a_second_factor_then_shows_the_contact_and_audits_the_view(web):
    before = log_in(web, CALLER)
    assert before.status_code == 303 and before.headers["location"].startswith("/staff/second-factor")
    enrolment = web.get("/staff/second-factor")
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', enrolment.text).group(1)
    assert "<svg" in enrolment.text  # the QR code for the authenticator app

    wrong = web.post("/staff/second-factor", data={"code": "000000", "csrf_token": token_of(enrolment.text)})
    assert wrong.status_code == 400
    assert web.get(f"/staff/escalations/{web.escalation_id}").status_code == 303  # still not in
    shown = web.post(
        "/staff/second-factor",
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": token_of(enrolment.text)},
    )
    recovery = re.findall(r"<code>([0-9a-f]{4}-[0-9a-f]{4})</code>", shown.text)
    assert len(recovery) == 10

    page = web.get(f"/staff/escalations/{web.escalation_id}")
    assert page.status_code == 200 and 'href="tel:090-2468-1357"' in page.text
    assert views() == [(CALLER, f"escalation {web.escalation_id}")]

    # The next sign-in asks for a code again; a recovery code works once.
    web.cookies.clear()
    assert log_in(web, CALLER).status_code == 303
    code_page = web.get("/staff/second-factor")
    assert 'id="totp-secret"' not in code_page.text  # enrolled: no secret shown again
    used = web.post(
        "/staff/second-factor", data={"code": recovery[0], "csrf_token": token_of(code_page.text)}
    )
    assert used.status_code == 303
    web.cookies.clear()
    log_in(web, CALLER)
    again = web.get("/staff/second-factor")
    assert (
        web.post(
            "/staff/second-factor", data={"code": recovery[0], "csrf_token": token_of(again.text)}
        ).status_code
        == 400
    )


def test_wrong_codes_are_limited(web):
    log_in(web, CALLER)
    page = web.get("/staff/second-factor")
    statuses = [
        web.post(
            "/staff/second-factor", data={"code": "123456", "csrf_token": token_of(page.text)}
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]


def test_giving_the_permission_ends_the_sessions_so_the_second_factor_is_asked(web):
    log_in(web, CLERK)
    assert web.get("/staff/").status_code == 200

    def grant(session):
        clerk = session.scalar(select(StaffUser).where(StaffUser.email == CLERK))
        accounts.update(session, clerk.id, "事務", "staff", True, "", "admin@example.jp", can_call_back=True)

    with_retries(grant)
    assert web.get("/staff/").status_code == 303  # signed out
