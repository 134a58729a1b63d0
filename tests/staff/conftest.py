"""Staff dashboard fixtures: the whole system once for this folder, staff accounts made with the
real CLI, and Debian's Chromium driven by Playwright, signed in as a staff member."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyotp
import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from scripts.system import ROOT, System
from tests.chromium import chromium

ARTIFACTS = ROOT / "test-artifacts"
ADMIN = ("admin@chizai.example.jp", "管理者 山田", "admin")
STAFF = ("sato@chizai.example.jp", "佐藤", "staff")
PASSWORD = "test-password-" + uuid.uuid4().hex[:8]


def make_account(system: System, email: str, name: str, role: str) -> None:
    """Create an account the way staff do: ``python -m bot staff-user`` (password from the env)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CHIZAI_DATABASE_URL": system.database_url}
    env["STAFF_PASSWORD"] = PASSWORD
    command = [str(ROOT / ".venv/bin/python"), "-m", "bot", "staff-user", "--email", email, "--role", role]
    subprocess.run([*command, "--name", name], cwd=ROOT, env=env, check=True, capture_output=True)


# Package scope: the services stop, and Playwright's event loop closes, before other folders run.
@pytest.fixture(scope="package")
def system(tmp_path_factory) -> Iterator[System]:
    with System(tmp_path_factory.mktemp("staff-system")) as running:
        for email, name, role in (ADMIN, STAFF):
            make_account(running, email, name, role)
        yield running


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class Dialogs:
    """Every dialog a page opens; confirms are accepted, anything else is dismissed and kept."""

    def __init__(self, page: Page) -> None:
        self.seen: list[tuple[str, str]] = []
        page.on("dialog", self._handle)

    def _handle(self, dialog: Dialog) -> None:
        self.seen.append((dialog.type, dialog.message))
        if dialog.type == "confirm":
            dialog.accept()
        else:
            dialog.dismiss()

    @property
    def alerts(self) -> list[str]:
        return [message for kind, message in self.seen if kind == "alert"]


# Each account's second-factor secret, read from the enrolment page at its first sign-in.
SECRETS: dict[str, str] = {}


def sign_in(page: Page, system: System, email: str, next_path: str = "/staff/") -> None:
    page.goto(f"{system.gateway_url}/staff/login?next={next_path}")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_load_state()
    if "/staff/second-factor" in page.url:
        give_second_factor(page, email)
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()


def give_second_factor(page: Page, email: str) -> None:
    """Enrol with the secret the page shows (first sign-in), or give the current code."""
    shown = page.locator("#totp-secret")
    if shown.count():
        SECRETS[email] = shown.inner_text()
    page.get_by_label("確認コード").fill(pyotp.TOTP(SECRETS[email]).now())
    page.get_by_role("button", name="確認").click()
    continuing = page.get_by_role("link", name="保管しました。続ける")
    if continuing.count():
        continuing.click()


class SignedInStaff:
    """A browser page signed in to the dashboard, with the dialogs it opened."""

    def __init__(self, page: Page, system: System) -> None:
        self.page = page
        self.system = system
        self.dialogs = Dialogs(page)

    def goto(self, path: str) -> Page:
        self.page.goto(self.system.gateway_url + path)
        return self.page


@pytest.fixture
def staff(browser: Browser, system: System) -> Iterator[SignedInStaff]:
    """A laptop-sized page signed in as the admin."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    try:
        signed_in = SignedInStaff(context.new_page(), system)
        sign_in(signed_in.page, system, ADMIN[0])
        yield signed_in
    finally:
        context.close()


@pytest.fixture
def gateway(system: System) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=system.gateway_url, timeout=30) as client:
        yield client


def chat(gateway: httpx.Client, sender_id: str, text: str) -> str:
    """Send one visitor message through /api/chat; returns the bot's replies joined."""
    response = gateway.post("/api/chat", json={"sender_id": sender_id, "text": text})
    assert response.status_code == 200
    return "\n".join(m["text"] for m in response.json()["messages"])


def query(system: System, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(system.database_url.removeprefix("sqlite:///")) as db:
        return db.execute(sql, params).fetchall()


def wait_for(condition, timeout: float = 15.0):
    """Poll ``condition`` until it returns something truthy (background work such as intents)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("the condition did not become true in time")
