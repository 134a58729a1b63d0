"""Sign-in findings of the personal-data issue, each as a test: the client address, attempts at
once, memory under many attempts, weak passwords, the login form's token, older sessions, and
cookies and HSTS in production."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.api.app import create_app
from bot.core.config import get_settings
from bot.core.db import migrate, session_factory, with_retries
from bot.staff import auth, csrf, passwords
from bot.staff.auth import authenticate, save_user
from bot.staff.models import StaffSession
from bot.staff.passwords import password_problem
from tests.production import use_production

PASSWORD = "correct-horse-battery-staple"
STAFF = "staff@example.jp"


@pytest.fixture
def account(settings_env, monkeypatch):
    """One account, with cheap hashes (the same code paths)."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    passwords._dummy_hash.cache_clear()
    migrate()
    with_retries(lambda s: save_user(s, STAFF, "staff", PASSWORD))
    yield STAFF
    passwords._dummy_hash.cache_clear()


def form_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_a_rotating_forwarded_for_header_from_this_machine_is_not_a_new_address(system):
    """From loopback, uvicorn used to believe X-Forwarded-For: 25 failures were never throttled."""
    statuses = []
    with httpx.Client(base_url=system.gateway_url, timeout=30) as web:
        for n in range(get_settings().login_max_failures_per_ip + 1):
            token = form_token(web.get("/staff/login").text)
            data = {"email": f"guess{n}@example.jp", "password": "wrong password!!", "csrf_token": token}
            headers = {"X-Forwarded-For": f"203.0.113.{n + 1}"}
            statuses.append(web.post("/staff/login", data=data, headers=headers).status_code)
    assert statuses[:-1] == [401] * (len(statuses) - 1)
    assert statuses[-1] == 429


def test_wrong_passwords_at_once_get_no_more_checks_than_the_limit(account, monkeypatch):
    checks = []

    def counted(password_hash, password):
        checks.append(password)
        return False

    monkeypatch.setattr(auth, "verify_password", counted)
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: authenticate(account, "wrong password!!", "192.0.2.1"), range(30)))
    assert len(checks) <= get_settings().login_max_failures_per_account
    assert sum(r.locked for r in results) >= 30 - get_settings().login_max_failures_per_account


def test_password_hashes_wait_their_turn_instead_of_running_all_at_once(account, monkeypatch):
    running, most = 0, 0
    lock = threading.Lock()

    class SlowHasher:
        def verify(self, password_hash, password):
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(0.02)
            with lock:
                running -= 1
            return True

    monkeypatch.setattr(passwords, "_hasher", SlowHasher())
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(lambda _: passwords.verify_password("hash", "pw"), range(20)))
    assert most == passwords.AT_ONCE


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "password1234", "qwertyuiop12", "1qaz2wsx3edc"])
def test_common_and_patterned_passwords_are_refused_though_long_enough(password):
    assert password_problem(password)


def test_the_login_form_s_token_must_be_the_one_made_for_its_cookie(account, client):
    client.follow_redirects = False
    client.cookies.set(csrf.LOGIN_COOKIE, "x", path="/staff/login")
    forged = client.post("/staff/login", data={"email": STAFF, "password": PASSWORD, "csrf_token": "x"})
    assert forged.status_code == 403
    client.cookies.clear()
    token = form_token(client.get("/staff/login").text)
    signed = client.post("/staff/login", data={"email": STAFF, "password": PASSWORD, "csrf_token": token})
    assert signed.status_code == 303


def sessions() -> int:
    with session_factory()() as session:
        return session.scalar(select(func.count()).select_from(StaffSession)) or 0


def test_a_new_sign_in_ends_the_account_s_older_sessions(account):
    first, _ = auth.sign_in(STAFF, PASSWORD, "192.0.2.1")
    second, _ = auth.sign_in(STAFF, PASSWORD, "192.0.2.2")
    assert first and second and sessions() == 1
    with session_factory()() as session:
        assert auth.load_session(session, first) is None
        assert auth.load_session(session, second) is not None


def test_production_cookies_are_secure_and_pages_send_hsts(account, monkeypatch):
    use_production(monkeypatch)
    with TestClient(create_app(), follow_redirects=False) as web:  # http: TLS ends at the proxy
        page = web.get("/staff/login")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        assert "secure" in page.headers["set-cookie"].lower()
        pre_session = page.cookies[csrf.LOGIN_COOKIE]  # a browser sends it back: the page is https to it
        data = {"email": STAFF, "password": PASSWORD, "csrf_token": form_token(page.text)}
        signed = web.post("/staff/login", data=data, headers={"Cookie": f"{csrf.LOGIN_COOKIE}={pre_session}"})
        assert signed.status_code == 303
        assert "chizai_staff_session=" in signed.headers["set-cookie"]
        assert "secure" in signed.headers["set-cookie"].lower()
