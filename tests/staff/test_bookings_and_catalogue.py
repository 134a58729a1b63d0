"""Bookings changed and cancelled by staff; a program edited with a preview and an audit trail."""

import re

from playwright.sync_api import expect
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from bot.booking.calendar import free_slots
from bot.booking.service import BookingRequest, create_booking
from bot.core.clock import now_tokyo
from bot.reading.contact import Contact


def book(system) -> str:
    """A booking made through the booking rules on the running system's database."""
    engine = create_engine(system.database_url)
    try:
        with sessionmaker(engine).begin() as session:
            slot = free_slots(session, "akihabara", "general", now_tokyo())[0]
            request = BookingRequest(
                kind_id="general",
                place_id="akihabara",
                slot_start=slot.start,
                contact=Contact(phone="03-5555-0101"),
                company="株式会社テスト",
                person_name="鈴木一郎",
                description="<b>商標</b>の出願について",
            )
            return create_booking(session, request).number
    finally:
        engine.dispose()


def test_staff_change_then_cancel_a_booking(staff, system):
    number = book(system)
    page = staff.goto("/staff/bookings")
    row = page.locator("tbody tr", has_text=number)
    expect(row).to_contain_text("新規")
    expect(row).to_contain_text("株式会社テスト / 鈴木一郎")
    row.get_by_role("link", name=number).click()
    expect(page.locator("dl.facts")).to_contain_text("<b>商標</b>の出願について")

    # 「変更あり」 marks a booking updated more than CHANGED_AFTER (1 s) after it was made.
    page.wait_for_timeout(1100)
    choice = page.get_by_label("変更先(同じ場所・種類の空き枠)")
    choice.select_option(index=1)
    page.get_by_role("button", name="この日時に変更").click()
    expect(page.get_by_role("status")).to_have_text("予約の日時を変更しました。")
    expect(page.locator("h1")).to_contain_text("変更あり")

    page.get_by_role("button", name="予約をキャンセル").click()
    expect(page.get_by_role("status")).to_have_text("予約をキャンセルしました。")
    expect(page.locator("h1 .status")).to_have_text("キャンセル")


def test_a_program_edit_is_previewed_saved_and_audited(staff):
    page = staff.goto("/staff/catalogue")
    page.locator("table.list tbody tr a").first.click()
    period = page.get_by_label("募集期間")
    period.fill("2027年4月1日〜5月31日(テスト)")
    page.get_by_role("button", name="プレビュー").click()
    expect(page.get_by_role("heading", name=re.compile("プレビュー・未保存"))).to_be_visible()
    expect(page.locator(".bot-card")).to_contain_text("・募集期間: 2027年4月1日〜5月31日(テスト)")

    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_have_text("保存しました。")
    latest = page.locator("ol.history > li").first
    expect(latest).to_contain_text("admin@chizai.example.jp")
    expect(latest.locator("table.diff")).to_contain_text("募集期間")
    expect(latest.locator("table.diff")).to_contain_text("2027年4月1日〜5月31日(テスト)")

    page.get_by_label("制度名(必須)").fill("")
    page.get_by_label("出典URL").fill("javascript:alert(1)")
    page.locator("form.stack").evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".field-error")).to_have_count(2)
