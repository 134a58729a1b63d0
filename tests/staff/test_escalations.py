"""An urgent escalation from a real conversation, worked to closed in the dashboard in Chromium."""

import re
import uuid

from playwright.sync_api import expect

from tests.staff.conftest import ADMIN, chat, query

URGENT = "競合から警告状が届きました。回答期限は明日です"
XSS = "<img src=x onerror=alert(1)>"


def urgent_conversation(gateway) -> str:
    """A visitor writes about a warning letter, leaves a phone number, then types some HTML."""
    sender_id = f"web-{uuid.uuid4().hex}"
    assert "優先して引き継ぎました" in chat(gateway, sender_id, URGENT)
    chat(gateway, sender_id, "/affirm")
    chat(gateway, sender_id, "株式会社サンプル 佐藤花子")
    assert "連絡先を承りました" in chat(gateway, sender_id, "０３－１２３４－５６７８")
    assert "うまく読み取れませんでした" in chat(gateway, sender_id, XSS)  # the bot goes on answering
    return sender_id


def test_an_urgent_escalation_is_found_read_noted_and_closed(staff, system, gateway, artifacts):
    sender_id = urgent_conversation(gateway)
    [(escalation_id,)] = query(system, "SELECT id FROM escalations WHERE sender_id = ?", sender_id)
    page = staff.goto("/staff/escalations")

    # The new urgent escalation is at the top of the list.
    first = page.locator("table.list tbody tr").first
    expect(first).to_contain_text("緊急")
    expect(first).to_contain_text("未対応")
    expect(first).to_contain_text(URGENT)
    page.screenshot(path=artifacts / "staff-escalations.png", full_page=True)

    # Filters and search find it too.
    page.get_by_label("緊急度").select_option("high")
    page.get_by_label("キーワード").fill("警告状")
    page.get_by_role("button", name="絞り込む").click()
    first.get_by_role("link", name=re.compile("警告状")).click()
    expect(page).to_have_url(re.compile(rf"/staff/escalations/{escalation_id}$"))

    # The full transcript: the visitor's words, the bot's replies, the button pressed, Japan time.
    transcript = page.locator("ol.transcript")
    expect(transcript.locator(".turn.visitor").first).to_contain_text(URGENT)
    expect(transcript.locator(".turn.bot", has_text="優先して引き継ぎました")).to_be_visible()
    expect(transcript).to_contain_text("ボタン「連絡先を入力する」を押しました")
    expect(transcript.locator("time").first).to_have_text(
        re.compile(r"\d{4}/\d{2}/\d{2}\(.\) \d{2}:\d{2}:\d{2}")
    )

    # The visitor's HTML is shown as text, never run.
    expect(transcript.locator(".turn.visitor .text", has_text=XSS)).to_be_visible()
    assert page.locator("main img").count() == 0
    assert staff.dialogs.alerts == []

    # The contact details the visitor gave.
    expect(page.get_by_role("link", name="03-1234-5678")).to_be_visible()

    # A note, then in progress, then closed with a resolution.
    page.get_by_label("メモ(来訪者には表示されません)").fill("明日午前に電話で折り返す")
    page.get_by_role("button", name="メモを追加").click()
    expect(page.get_by_role("status")).to_have_text("メモを追加しました。")
    history = page.locator("ol.history")
    expect(history).to_contain_text("明日午前に電話で折り返す")
    expect(history).to_contain_text(ADMIN[1])

    page.get_by_role("button", name="対応中にする").click()
    expect(page.locator("h1 .status")).to_have_text("対応中")

    page.get_by_label("対応結果(必須)").fill("電話で回答し、専門家相談を案内した")
    page.get_by_role("button", name="完了にする").click()
    expect(page.locator("h1 .status")).to_have_text("完了")
    expect(history).to_contain_text("電話で回答し、専門家相談を案内した")
    assert [kind for kind, _ in staff.dialogs.seen] == ["confirm"]

    # Closed: «まだですか» is no longer about a case waiting.
    assert "お待ちいただいています" not in chat(gateway, sender_id, "まだですか")
    assert query(system, "SELECT status FROM escalations WHERE id = ?", escalation_id) == [("closed",)]


def test_a_form_posted_without_its_csrf_token_is_refused(staff, system, gateway):
    sender_id = f"web-{uuid.uuid4().hex}"
    chat(gateway, sender_id, "担当者と話したいです")
    [(escalation_id,)] = query(system, "SELECT id FROM escalations WHERE sender_id = ?", sender_id)
    url = f"{system.gateway_url}/staff/escalations/{escalation_id}/notes"

    # With the session cookie but without the form's token, or with a wrong one: 403.
    request = staff.page.context.request
    assert request.post(url, form={"note": "トークンなし"}, max_redirects=0).status == 403
    wrong = {"note": "違うトークン", "csrf_token": "x" * 43}
    assert request.post(url, form=wrong, max_redirects=0).status == 403

    # A form in the page whose hidden token was removed is refused the same way.
    page = staff.goto(f"/staff/escalations/{escalation_id}")
    page.locator("form[action$='/notes'] input[name=csrf_token]").evaluate("input => input.remove()")
    page.get_by_label("メモ(来訪者には表示されません)").fill("消されたトークン")
    with page.expect_response(url) as refused:
        page.get_by_role("button", name="メモを追加").click()
    assert refused.value.status == 403
    expect(page.locator("main")).to_contain_text("受け付けませんでした")
    assert query(system, "SELECT count(*) FROM escalation_events WHERE action = 'note' AND escalation_id = ?",
                 escalation_id) == [(0,)]  # fmt: skip


def test_pages_left_open_show_new_cases_and_messages_without_a_reload(staff, system, gateway):
    page = staff.goto("/staff/escalations")
    page.evaluate("window.__notReloaded = true")
    sender_id = f"web-{uuid.uuid4().hex}"
    assert "優先して引き継ぎました" in chat(
        gateway, sender_id, "取引先から警告状が届きました。回答期限は明後日です"
    )

    # Within the poll (10 s) the new urgent case is at the top and the tab title counts it.
    first = page.locator("table.list tbody tr").first
    expect(first).to_contain_text("回答期限は明後日", timeout=15_000)
    expect(first).to_contain_text("緊急")
    expect(page).to_have_title(re.compile(r"^\(\d+・緊急\d+\) エスカレーション"))
    expect(page.get_by_role("status")).to_have_text("一覧を更新しました。")
    assert page.evaluate("window.__notReloaded")

    # The escalation page shows what the visitor types next, and keeps what staff are writing.
    first.get_by_role("link", name=re.compile("警告状")).click()
    note = page.get_by_label("メモ(来訪者には表示されません)")
    note.fill("書きかけのメモ")
    chat(gateway, sender_id, "期限は来週の金曜です")
    transcript = page.locator("ol.transcript")
    expect(transcript).to_contain_text("期限は来週の金曜です", timeout=15_000)
    expect(page.locator("#live-summary")).to_contain_text("来週の金曜")
    expect(note).to_have_value("書きかけのメモ")
