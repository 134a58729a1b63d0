"""No page under /staff/ without signing in; signing in and out; roles."""

import re

import pytest
from playwright.sync_api import expect

from tests.staff.conftest import PASSWORD, STAFF, sign_in


@pytest.mark.parametrize(
    "path",
    ["/staff/", "/staff/escalations", "/staff/escalations/1", "/staff/analytics", "/staff/no-such-page"],
)
def test_a_page_under_staff_without_sign_in_goes_to_the_login_page(browser, system, path):
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(system.gateway_url + path)
        expect(page).to_have_url(re.compile(r"/staff/login\?next="))
        expect(page.get_by_role("heading", name="職員ページにログイン")).to_be_visible()
        assert "エスカレーション" not in page.locator("main").inner_text()
    finally:
        context.close()


def test_sign_in_returns_to_the_page_asked_for_and_sign_out_ends_the_session(browser, system):
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(system.gateway_url + "/staff/bookings")
        page.get_by_label("メールアドレス").fill(STAFF[0])
        page.get_by_label("パスワード").fill("wrong-" + PASSWORD)
        page.get_by_role("button", name="ログイン").click()
        expect(page.get_by_role("alert")).to_have_text("メールアドレスまたはパスワードが正しくありません。")

        page.get_by_label("パスワード").fill(PASSWORD)
        page.get_by_role("button", name="ログイン").click()
        expect(page).to_have_url(re.compile(r"/staff/bookings$"))
        cookie = next(c for c in context.cookies() if c["name"] == "chizai_staff_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/staff"

        # A staff member (not admin) sees no account or settings pages.
        expect(page.get_by_role("link", name="アカウント")).to_have_count(0)
        page.goto(system.gateway_url + "/staff/accounts")
        expect(page.locator("main")).to_contain_text("この操作を行う権限がありません。")

        page.get_by_role("button", name="ログアウト").click()
        expect(page.get_by_role("status")).to_have_text("ログアウトしました。")
        page.goto(system.gateway_url + "/staff/escalations")
        expect(page).to_have_url(re.compile(r"/staff/login\?next="))
    finally:
        context.close()


def test_admin_sees_accounts_and_slot_settings(browser, system):
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        sign_in(page, system, "admin@chizai.example.jp", "/staff/accounts")
        expect(page.get_by_role("heading", name="職員アカウント")).to_be_visible()
        expect(page.locator("table.list")).to_contain_text(STAFF[0])
        page.get_by_role("link", name="予約枠の設定").click()
        expect(page.get_by_role("heading", name="予約枠の設定")).to_be_visible()
    finally:
        context.close()
