"""Staff sign-in: argon2 passwords, server-side sessions, CSRF on every form, the sign-in rate
limit, roles, and no page under /staff/ without signing in."""

import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.core.clock import utcnow
from bot.core.db import migrate, session_factory, with_retries
from bot.staff import csrf, passwords, ratelimit
from bot.staff.auth import authenticate, load_session, save_user, start_session
from bot.staff.models import LoginAttempt, StaffSession, StaffUser
from bot.staff.passwords import hash_password, needs_rehash, password_problem, verify_password
from bot.staff.web import safe_next

PASSWORD = "correct-horse-battery-staple"
ADMIN, STAFF = "admin@example.jp", "staff@example.jp"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """argon2id with small costs: the same code paths, without 0.3 s per hash in tests."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    passwords._dummy_hash.cache_clear()
    yield
    passwords._dummy_hash.cache_clear()


# --- passwords ------------------------------------------------------------------------------


def test_passwords_are_stored_as_salted_argon2id_hashes():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("$argon2id$") and PASSWORD not in first
    assert first != second  # a fresh salt each time
    assert verify_password(first, PASSWORD)
    assert not verify_password(first, PASSWORD + "x")
    assert not verify_password("not-a-hash", PASSWORD)
    assert not needs_rehash(first)
    assert needs_rehash(PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD))


@pytest.mark.parametrize(("password", "ok"), [("short", False), (" " * 14, False), (PASSWORD, True)])
def test_weak_passwords_are_refused_in_japanese(password, ok):
    problem = password_problem(password)
    assert (problem is None) == ok
    if problem:
        assert "パスワード" in problem


# --- accounts, sessions, rate limit ---------------------------------------------------------


@pytest.fixture
def db(settings_env):
    migrate()
    with_retries(lambda s: save_user(s, ADMIN, "admin", PASSWORD, "管理者"))
    with_retries(lambda s: save_user(s, STAFF, "staff", PASSWORD, "職員"))


def login(email: str, password: str, ip: str = "192.0.2.1"):
    """The signed-in account, or None; attempts are committed like the login page does."""
    return authenticate(email, password, ip).user


def locked(email: str, password: str, ip: str = "192.0.2.1") -> bool:
    return authenticate(email, password, ip).locked


def test_sign_in_with_the_right_password_only_and_e_mail_case_does_not_matter(db):
    assert login("Admin@Example.JP", PASSWORD).email == ADMIN
    assert login(ADMIN, "wrong password!!") is None
    assert not locked(ADMIN, "wrong password!!")
    assert login("nobody@example.jp", PASSWORD) is None


def test_a_hash_made_with_weaker_parameters_is_upgraded_at_sign_in(db):
    weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD)

    def weaken(session):
        session.scalar(select(StaffUser).where(StaffUser.email == STAFF)).password_hash = weak

    with_retries(weaken)
    assert login(STAFF, PASSWORD)
    with session_factory()() as session:
        upgraded = session.scalar(select(StaffUser.password_hash).where(StaffUser.email == STAFF))
    assert upgraded != weak and not needs_rehash(upgraded) and verify_password(upgraded, PASSWORD)


def test_five_failures_lock_the_account_for_the_window_even_with_the_right_password(db):
    for _ in range(5):
        assert login(STAFF, "wrong password!!") is None
    assert locked(STAFF, PASSWORD)
    assert login(STAFF, PASSWORD) is None
    assert login(ADMIN, PASSWORD)  # another account is not locked
    with time_machine.travel(utcnow() + timedelta(minutes=16)):
        assert login(STAFF, PASSWORD).email == STAFF


def test_a_successful_sign_in_resets_the_account_count(db):
    for _ in range(4):
        assert login(STAFF, "wrong password!!") is None
    assert login(STAFF, PASSWORD)
    for _ in range(4):
        assert login(STAFF, "wrong password!!") is None
    assert login(STAFF, PASSWORD)


def test_one_address_trying_many_accounts_is_locked(db):
    for n in range(20):
        assert login(f"guess{n}@example.jp", "wrong password!!", ip="203.0.113.9") is None
    assert locked(ADMIN, PASSWORD, ip="203.0.113.9")
    assert login(ADMIN, PASSWORD, ip="198.51.100.7")
    with session_factory()() as session:
        assert session.scalar(select(LoginAttempt).where(LoginAttempt.succeeded.is_(False))) is not None
        assert ratelimit.is_locked(session, "anyone@example.jp", "203.0.113.9")


def test_sessions_store_only_a_hash_and_expire_when_idle_or_old(db):
    def start(session):
        return start_session(session, login(ADMIN, PASSWORD))

    token = with_retries(start)
    with session_factory()() as session:
        [row] = session.scalars(select(StaffSession))
        assert row.id != token and len(row.id) == 64
    assert with_retries(lambda s: load_session(s, token)).staff.email == ADMIN
    assert with_retries(lambda s: load_session(s, token + "x")) is None
    with time_machine.travel(utcnow() + timedelta(minutes=121)):
        assert with_retries(lambda s: load_session(s, token)) is None  # idle too long: gone
    token = with_retries(start)
    for minutes in range(100, 12 * 60, 100):  # active all day, but 12 hours is the limit
        with time_machine.travel(utcnow() + timedelta(minutes=minutes)):
            assert with_retries(lambda s: load_session(s, token)) is not None
    with time_machine.travel(utcnow() + timedelta(hours=12, minutes=1)):
        assert with_retries(lambda s: load_session(s, token)) is None


def test_a_password_reset_signs_the_account_out_everywhere(db):
    token = with_retries(lambda s: start_session(s, login(STAFF, PASSWORD)))
    with_retries(lambda s: save_user(s, STAFF, "staff", PASSWORD + "-new"))
    assert with_retries(lambda s: load_session(s, token)) is None


# --- CSRF -----------------------------------------------------------------------------------


def test_csrf_tokens_must_be_present_and_equal():
    token = csrf.new_token()
    assert csrf.tokens_match(token, token)
    assert not csrf.tokens_match(token, None)
    assert not csrf.tokens_match(None, None)
    assert not csrf.tokens_match("", "")
    assert not csrf.tokens_match(token, csrf.new_token())
    with pytest.raises(csrf.CsrfRejected):
        csrf.check(token, "forged")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/staff/escalations?status=open", "/staff/escalations?status=open"),
        ("https://evil.example/staff/", "/staff/"),
        ("//evil.example/staff/", "/staff/"),
        ("/staff//evil.example", "/staff/"),
        ("/api/chat", "/staff/"),
        (None, "/staff/"),
    ],
)
def test_after_sign_in_only_dashboard_paths_are_followed(target, expected):
    assert safe_next(target) == expected


# --- the dashboard over HTTP ----------------------------------------------------------------


@pytest.fixture
def web(client, db) -> TestClient:
    client.follow_redirects = False
    return client


def form_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client: TestClient, email: str) -> str:
    """Sign in through the login form (and the second factor's enrolment, for an admin); returns
    the session's CSRF token."""
    page = client.get("/staff/login")
    response = client.post(
        "/staff/login", data={"email": email, "password": PASSWORD, "csrf_token": form_token(page.text)}
    )
    assert response.status_code == 303
    home = client.get("/staff/")
    if home.status_code == 303 and home.headers["location"].startswith("/staff/second-factor"):
        enrol(client)
    return form_token(client.get("/staff/").text)


def enrol(client: TestClient) -> str:
    """Enrol the second factor as a staff member does with an authenticator app; its secret."""
    page = client.get("/staff/second-factor")
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1)
    data = {"code": pyotp.TOTP(secret).now(), "csrf_token": form_token(page.text)}
    assert "回復コード" in client.post("/staff/second-factor", data=data).text
    return secret


PAGES = (
    "/staff/", "/staff/escalations", "/staff/escalations/1", "/staff/escalations/version.json",
    "/staff/escalations/1/version.json", "/staff/bookings", "/staff/bookings/CZ-7K3M9P",
    "/staff/slots", "/staff/catalogue", "/staff/catalogue/new", "/staff/analytics",
    "/staff/analytics/training-data.yml", "/staff/events", "/staff/answers", "/staff/answers/new", "/staff/answers/patent_term",
    "/staff/accounts", "/staff/audit",
    "/staff/anything/else",
)  # fmt: skip


def test_no_page_under_staff_without_sign_in(web):
    for path in PAGES:
        response = web.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"] == "/staff/login?next=" + path.replace("/", "%2F")


def test_posts_without_sign_in_go_to_the_login_page_not_through(web):
    response = web.post("/staff/escalations/1/notes", data={"note": "x"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/staff/login")


def test_the_login_form_is_refused_without_its_double_submit_token(web):
    web.get("/staff/login")
    response = web.post("/staff/login", data={"email": ADMIN, "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 403
    web.cookies.clear()
    response = web.post("/staff/login", data={"email": ADMIN, "password": PASSWORD})
    assert response.status_code == 403


def test_session_cookie_is_httponly_lax_and_secure_over_https(db, settings_env):
    from bot.api.app import create_app

    with TestClient(create_app(), base_url="https://staff.example", follow_redirects=False) as secure:
        page = secure.get("/staff/login")
        response = secure.post(
            "/staff/login", data={"email": ADMIN, "password": PASSWORD, "csrf_token": form_token(page.text)}
        )
        cookie = response.headers["set-cookie"].lower()
        assert "chizai_staff_session=" in cookie
        assert (
            "httponly" in cookie
            and "samesite=lax" in cookie
            and "secure" in cookie
            and "path=/staff" in cookie
        )


def test_every_post_needs_the_session_token(web):
    token = sign_in(web, ADMIN)
    for data in ({"name": "x", "role": "staff"}, {"name": "x", "role": "staff", "csrf_token": "forged"}):
        response = web.post("/staff/accounts/1", data=data)
        assert response.status_code == 403
        assert "受け付けませんでした" in response.text
    response = web.post("/staff/logout", data={})
    assert response.status_code == 403
    assert web.get("/staff/").status_code == 200  # still signed in
    assert web.post("/staff/logout", data={"csrf_token": token}).status_code == 303
    assert web.get("/staff/").status_code == 303


def test_staff_members_cannot_manage_accounts_or_settings(web):
    token = sign_in(web, STAFF)
    for path in ("/staff/accounts", "/staff/audit", "/staff/slots"):
        assert web.get(path).status_code == 403
    response = web.post(
        "/staff/accounts", data={"csrf_token": token, "email": "new@example.jp", "name": "新人", "role": "admin",
                                 "password": PASSWORD}
    )  # fmt: skip
    assert response.status_code == 403
    response = web.post(
        "/staff/slots/closed-days", data={"csrf_token": token, "day": "2030-01-04", "reason": "x"}
    )
    assert response.status_code == 403
    assert web.get("/staff/escalations").status_code == 200
    assert web.get("/staff/catalogue").status_code == 200


def test_admins_manage_accounts_and_the_last_admin_stays(web):
    token = sign_in(web, ADMIN)
    response = web.post(
        "/staff/accounts",
        data={
            "csrf_token": token,
            "email": "New@Example.jp",
            "name": "新人",
            "role": "staff",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 303
    assert "new@example.jp" in web.get("/staff/accounts").text
    response = web.post(
        "/staff/accounts/1", data={"csrf_token": token, "name": "管理者", "role": "staff", "active": "on"}
    )
    assert response.status_code == 400
    assert "管理者が1人もいなくなる" in response.text


def test_staff_pages_send_no_store_and_a_strict_content_security_policy(web):
    sign_in(web, ADMIN)
    response = web.get("/staff/escalations")
    assert response.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


# Every route only admins may use. The test below derives the same set from the router, so a
# route that loses its admin check (or a new one that lacks it) fails here.
ADMIN_ONLY = {
    ("GET", "/staff/accounts"),
    ("POST", "/staff/accounts"),
    ("POST", "/staff/accounts/{user_id}"),
    ("GET", "/staff/audit"),
    ("GET", "/staff/slots"),
    ("POST", "/staff/slots/pattern"),
    ("POST", "/staff/slots/closed-days"),
    ("POST", "/staff/slots/closed-days/{day}/delete"),
    ("POST", "/staff/hours/pattern"),
    ("POST", "/staff/hours/closed-days"),
    ("POST", "/staff/hours/closed-days/{day}/delete"),
}


def admin_only_routes() -> set[tuple[str, str]]:
    """(method, path) of the staff routes whose dependencies include the admin check."""
    from fastapi.routing import APIRoute

    from bot.staff.routes import MODULES
    from bot.staff.web import _admin

    def needs_admin(dependant) -> bool:
        return any(d.call is _admin or needs_admin(d) for d in dependant.dependencies)

    return {
        (method, route.path)
        for module in MODULES
        for route in module.router.routes
        if isinstance(route, APIRoute) and needs_admin(route.dependant)
        for method in route.methods
    }


def test_the_admin_only_routes_are_exactly_the_expected_ones():
    assert admin_only_routes() == ADMIN_ONLY


@pytest.mark.parametrize(("method", "path"), sorted(ADMIN_ONLY))
def test_a_staff_member_is_refused_on_every_admin_only_route(web, method, path):
    token = sign_in(web, STAFF)
    concrete = path.replace("{user_id}", "1").replace("{day}", "2030-01-04")
    data = {"csrf_token": token, "role": "admin", "active": "on", "password": PASSWORD, "email": "x@example.jp",
            "name": "x", "day": "2030-01-04", "reason": "x"}  # fmt: skip
    response = web.get(concrete) if method == "GET" else web.post(concrete, data=data)
    assert response.status_code == 403, (method, path)
