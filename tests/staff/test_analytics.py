"""Analytics at a glance, and the improvement loop: label what the bot did not understand, export."""

import uuid

import yaml
from playwright.sync_api import expect

from bot.feedback.service import buttons
from tests.staff.conftest import chat, query, wait_for

NONSENSE = "asdfgh"


def test_analytics_charts_and_labelling_a_message_the_bot_did_not_understand(
    staff, system, gateway, artifacts
):
    # A little traffic of several kinds, so every chart has something to show.
    for turns in (
        ["特許の出願費用はいくらですか", "人と話したい", "/deny"],
        ["使える補助金ってありますか", "ありがとう"],
    ):
        other = f"web-{uuid.uuid4().hex}"
        for text in turns:
            chat(gateway, other, text)
    sender_id = f"web-{uuid.uuid4().hex}"
    chat(gateway, sender_id, "商標の登録はどれくらい有効ですか")
    chat(gateway, sender_id, NONSENSE)
    # The intent Rasa gave each message is recorded in the background, after the reply.
    wait_for(
        lambda: (
            query(
                system,
                "SELECT m.intent FROM messages m JOIN conversations c ON c.id = m.conversation_id "
                "WHERE c.sender_id = ? AND m.direction = 'visitor' AND m.intent IS NOT NULL",
                sender_id,
            )
            == [("ask_trademark",), ("nlu_fallback",)]
        )
    )

    page = staff.goto("/staff/analytics")
    expect(page.locator("div.charts > section.card svg.chart")).to_have_count(5)
    for heading in ("会話数とメッセージ数(日別)", "理解できなかった割合(日別)", "意図(インテント)の分布",
                    "エスカレーション(理由別)", "予約の受付数(日別)"):  # fmt: skip
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("img", name="意図(インテント)の分布")).to_contain_text("商標 (ask_trademark)")
    row = page.locator("#not-understood tr", has_text=NONSENSE)
    expect(row).to_be_visible()
    page.screenshot(path=artifacts / "staff-analytics.png", full_page=True)

    row.get_by_label("正しい意図").select_option("out_of_scope")
    row.get_by_role("button", name="登録").click()
    expect(page.get_by_role("status")).to_have_text("意図を登録しました。")
    expect(page.locator("#not-understood tr", has_text=NONSENSE)).to_have_count(0)

    export = page.context.request.get(system.gateway_url + "/staff/analytics/training-data.yml")
    assert export.status == 200
    assert "attachment" in export.headers["content-disposition"]
    data = yaml.safe_load(export.text())
    assert data["version"] == "3.1"
    blocks = {block["intent"]: block["examples"] for block in data["nlu"]}
    assert f"- {NONSENSE}" in blocks["out_of_scope"].splitlines()


def test_staff_see_which_answers_helped_and_the_questions_no_entry_answered(staff, gateway):
    sender_id = f"web-{uuid.uuid4().hex}"
    assert "起算して20年" in chat(gateway, sender_id, "特許の存続期間は？")
    [_, not_helpful] = buttons("faq:patent_term")
    assert "お役に立てず" in chat(gateway, sender_id, not_helpful["payload"])
    chat(gateway, sender_id, '/feedback_reason{"answer":"faq:patent_term","reason":"unclear"}')
    assert "このチャットにはありません" in chat(
        gateway, sender_id, "特許の図面は手書きでもいいですか 03-1234-5678"
    )

    page = staff.goto("/staff/analytics")
    answers = page.locator("#answers")
    expect(answers.get_by_role("img", name="分野別の「役に立った」の割合(%)")).to_contain_text(
        "特許・実用新案"
    )
    row = answers.locator("tr", has_text="特許権の存続期間")
    expect(row).to_contain_text("わかりにくい 1件")
    unanswered = answers.locator("li", has_text="特許の図面は手書きでもいいですか")
    expect(unanswered).to_be_visible()
    expect(unanswered).not_to_contain_text("03-1234-5678")
