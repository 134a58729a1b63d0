"""Analytics at a glance, and the improvement loop: label what the bot did not understand, export."""

import uuid

import yaml
from playwright.sync_api import expect

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
    expect(page.locator("svg.chart")).to_have_count(5)
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
