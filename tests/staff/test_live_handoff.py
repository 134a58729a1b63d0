"""The live hand-off in two real Chromium contexts: a visitor on the widget, a staff member on
the dashboard, on a Tuesday morning in Tokyo (a fixed clock), within staffed hours."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from scripts.system import System
from tests.browser.conftest import Widget
from tests.staff.conftest import ADMIN, SECRETS, STAFF, SignedInStaff, make_account, query

TUESDAY_MORNING = "2026-12-01T10:00:00+09:00"
LIVE_MS = 2_000  # a staff reply shows in the widget within this


@pytest.fixture(scope="module")
def system(tmp_path_factory) -> Iterator[System]:
    enrolled = dict(SECRETS)  # this system's accounts enrol second factors of their own
    with System(tmp_path_factory.mktemp("live-system"), clock_start=TUESDAY_MORNING) as running:
        for email, name, role in (ADMIN, STAFF):
            make_account(running, email, name, role)
        yield running
    SECRETS.clear()
    SECRETS.update(enrolled)


@pytest.fixture
def visitor(browser: Browser, system: System) -> Iterator[Widget]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    try:
        yield Widget(context.new_page()).visit(system.gateway_url + "/")
    finally:
        context.close()


def staffed_and_on_duty(staff: SignedInStaff) -> None:
    """Weekday hours 9:00–17:00 and the signed-in admin on duty (whatever an earlier test left)."""
    page = staff.goto("/staff/hours")
    for day in ("月", "火", "水", "木", "金"):
        page.get_by_label(f"{day}曜日の開始時刻").fill("09:00")
        page.get_by_label(f"{day}曜日の終了時刻").fill("17:00")
    page.get_by_role("button", name="対応時間を保存").click()
    on_duty = page.get_by_role("button", name="対応中にする")
    if on_duty.count():
        on_duty.click()
    expect(page.get_by_text("対応中です", exact=False)).to_be_visible()


def test_a_staff_member_answers_in_the_chat_and_hands_back(staff: SignedInStaff, visitor, system, artifacts):
    # Off by default: with no staffed hours nobody is on duty, and the bot says so.
    page = staff.goto("/staff/hours")
    expect(page.get_by_text("設定されていません")).to_be_visible()
    for day in ("月", "火", "水", "木", "金"):
        page.get_by_label(f"{day}曜日の開始時刻").fill("09:00")
        page.get_by_label(f"{day}曜日の終了時刻").fill("17:00")
    page.get_by_role("button", name="対応時間を保存").click()
    expect(page.get_by_text("月〜金 9:00〜17:00(祝日・休業日を除く)")).to_be_visible()
    page.get_by_role("button", name="対応中にする").click()
    expect(page.get_by_text("対応中です", exact=False)).to_be_visible()

    visitor.open()
    visitor.send("担当者と話したい")
    visitor.expect_bot_reply(1, "いま1番目です")
    [(escalation_id,)] = query(system, "SELECT id FROM escalations WHERE sender_id = ?", visitor.sender_id())

    page = staff.goto(f"/staff/escalations/{escalation_id}")
    page.get_by_label("来訪者への返信").fill("センターの山田です。どのようなご相談でしょうか。")
    page.get_by_role("button", name="送信").click()
    expect(page.get_by_text("来訪者に返信しました")).to_be_visible()

    staff_bubble = visitor.root.locator(".msg.staff .bubble")
    expect(staff_bubble.last).to_contain_text("どのようなご相談でしょうか", timeout=LIVE_MS)
    expect(visitor.root.locator("#title small")).to_have_text("センターの担当者がお答えしています")
    expect(visitor.root.locator(".msg.staff .author").last).to_have_text("担当者 管理者 山田")

    visitor.send("商標の件で、名前が他社とかぶっていないか心配です")
    expect(visitor.bot.last).to_contain_text("担当者にお送りしました")
    page.reload()
    expect(page.locator(".transcript")).to_contain_text("名前が他社とかぶっていないか心配です")
    page.screenshot(path=artifacts / "live-handoff-staff.png", full_page=True)
    visitor.page.screenshot(path=artifacts / "live-handoff-visitor.png")

    page.get_by_role("button", name="チャットボットに戻す").click()
    expect(visitor.bot.last).to_contain_text("チャットボットがお答えします", timeout=LIVE_MS)
    expect(visitor.root.locator("#title small")).to_have_text("自動応答でお答えします")
    visitor.send("相談は無料ですか")
    expect(visitor.bot.last).not_to_contain_text("担当者にお送りしました", timeout=30_000)
    steps = [
        row[0]
        for row in query(
            system, "SELECT action FROM escalation_events WHERE escalation_id = ?", escalation_id
        )
    ]
    assert steps[:5] == ["opened", "queued", "started", "replied", "handed_back"]


def test_the_widget_reconnects_after_the_gateway_restarts_and_loses_nothing(staff, visitor, system):
    staffed_and_on_duty(staff)
    visitor.open()
    visitor.send("担当者と話したい")
    visitor.expect_bot_reply(1, "番目です")
    [(escalation_id,)] = query(system, "SELECT id FROM escalations WHERE sender_id = ?", visitor.sender_id())

    system.stop("gateway")  # the widget's event stream breaks
    system.start_gateway()
    system.wait_until_healthy()

    page = staff.goto(f"/staff/escalations/{escalation_id}")
    page.get_by_label("来訪者への返信").fill("再起動のあとの返信です。")
    page.get_by_role("button", name="送信").click()
    expect(page.get_by_text("来訪者に返信しました")).to_be_visible()
    # The stream reconnects on its own (a few seconds) and reads the history: the reply shows once.
    expect(visitor.root.locator(".msg.staff .bubble").last).to_contain_text(
        "再起動のあとの返信です。", timeout=15_000
    )
    expect(visitor.root.locator(".msg.staff .bubble", has_text="再起動のあとの返信です。")).to_have_count(1)
