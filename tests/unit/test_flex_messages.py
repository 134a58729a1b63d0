"""Cards as LINE Flex Messages, read through the SDK's models so that a malformed one fails;
plain answers stay text; LINE's limits counted as LINE counts them."""

import json
import re
from datetime import datetime

from linebot.v3.messaging import FlexMessage, TextMessage

from bot.booking import messages as say
from bot.booking.models import Booking
from bot.catalogue.models import Program
from bot.catalogue.render import program_card
from bot.channels.flex import MAX_ALT_TEXT, alt_text, flex_message
from bot.channels.line import to_line_messages
from bot.conversation.messages import bot_message, card
from bot.core.config import ROOT

PROGRAM = Program(
    id="foreign_patent",
    name="外国特許出願費用助成",
    summary="外国への特許出願に要する経費の一部を助成します。",
    eligibility="都内の中小企業者(公社知財相談を受けていること)",
    rate="2分の1以内",
    limit="400万円",
    application_period=None,
    as_of="令和7年度",
    source_url="https://www.tokyo-kosha.or.jp/chizai/josei/tokkyo/index.html",
    third_party=False,
    published=True,
)


def as_dict(message: FlexMessage) -> dict:
    """The message as it goes to LINE, read back through the SDK's model."""
    sent = message.to_dict()
    assert FlexMessage.from_dict(sent) is not None
    return sent


def texts_of(node) -> list[str]:
    if isinstance(node, dict):
        return ([node["text"]] if node.get("type") == "text" else []) + [
            t for v in node.values() for t in texts_of(v)
        ]
    if isinstance(node, list):
        return [t for item in node for t in texts_of(item)]
    return []


def test_a_program_card_is_a_flex_bubble_with_its_facts_and_buttons():
    sent = as_dict(flex_message(program_card(PROGRAM)))
    bubble = sent["contents"]
    assert texts_of(bubble["header"]) == ["外国特許出願費用助成"]
    body = texts_of(bubble["body"])
    assert body[body.index("助成率") : body.index("助成率") + 2] == ["助成率", "2分の1以内"]
    assert "(令和7年度の情報です)" in body and any("募集期間は" in t for t in body)
    labels = [b["action"]["label"] for b in bubble["footer"]["contents"]]
    assert labels == ["相談を予約する", "公式ページ", "他の制度"]
    assert bubble["footer"]["contents"][1]["action"]["type"] == "uri"
    assert sent["altText"].startswith("外国特許出願費用助成 / 支援内容:")


def test_the_booking_confirmation_shows_the_number_date_and_a_calendar_button():
    booking = Booking(number="CZ-AB12CD", slot_start=datetime(2026, 12, 8, 10, 0), access_key="k" * 20)
    sent = as_dict(flex_message(say.confirmation(booking, "秋葉原本部", "https://chat.example.jp")))
    body = texts_of(sent["contents"]["body"])
    assert body[:2] == ["予約番号", "CZ-AB12CD"] and "秋葉原本部" in body
    calendar = sent["contents"]["footer"]["contents"][0]["action"]
    assert calendar == {"type": "uri", "label": "カレンダーに登録",
                        "uri": "https://chat.example.jp/bookings/CZ-AB12CD.ics?key=" + "k" * 20}  # fmt: skip


def test_slot_offers_are_listed_by_day():
    starts = [datetime(2026, 12, 8, 10), datetime(2026, 12, 8, 13), datetime(2026, 12, 9, 10)]
    offer = say.slot_offer(
        say.ASK_SLOT, starts, [{"title": say.slot_label(s), "payload": "/x"} for s in starts]
    )
    assert offer["card"]["rows"] == [["12/8(火)", "10:00・13:00"], ["12/9(水)", "10:00"]]
    assert flex_message(offer) is not None


def test_a_reply_sends_cards_as_flex_and_text_as_text_with_every_button_as_a_quick_reply():
    answer = [
        bot_message("こちらの制度です。", [{"title": "他の制度", "payload": "/ask_program"}]),
        program_card(PROGRAM),
    ]
    sent = to_line_messages(answer)
    assert [type(m) for m in sent] == [TextMessage, FlexMessage]
    assert sent[0].quick_reply is None
    assert [i.action.label for i in sent[1].quick_reply.items] == ["他の制度", "相談を予約する", "公式ページ"]


def test_a_bubble_past_line_s_size_goes_as_text():
    huge = bot_message("長い内容", card=card("長い内容", [("項目", "あ" * 12_000)]))
    assert flex_message(huge) is None
    assert [type(m) for m in to_line_messages([huge])] == [TextMessage]


def test_the_alt_text_stays_short_and_a_plain_answer_has_no_card():
    long = card("題名", [("項目", "い" * 1000)])
    assert len(alt_text(long)) == MAX_ALT_TEXT
    assert flex_message(bot_message("特許権の存続期間は出願日から20年です。")) is None


def test_the_examples_in_docs_line_md_are_flex_messages_line_accepts():
    blocks = re.findall(r"```json\n(.*?)```", (ROOT / "docs" / "line.md").read_text("utf-8"), re.S)
    assert len(blocks) >= 3
    for block in blocks:
        assert FlexMessage.from_dict(json.loads(block)) is not None
