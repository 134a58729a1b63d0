"""Cards reach LINE as Flex Messages through the real system, and LINE (the stand-in) takes them."""

from tests.line.conftest import event, new_user, text_event


def test_a_program_question_gets_its_card_as_a_flex_message(webhook, line_api):
    message = text_event(new_user(), "外国特許出願費用助成について教えてください")
    webhook.send(message)
    reply = line_api.wait_for(reply_token=message["replyToken"])
    (card,) = [m for m in reply.body["messages"] if m["type"] == "flex"]
    assert card["altText"].startswith("外国特許出願費用助成")
    assert card["contents"]["footer"]["contents"][0]["action"]["label"] == "相談を予約する"
    assert "役に立った" in [action["label"] for action in reply.quick_replies]


def test_an_ordinary_answer_stays_text(webhook, line_api):
    message = text_event(new_user(), "商標権は何年ですか")
    webhook.send(message)
    reply = line_api.wait_for(reply_token=message["replyToken"])
    assert [m["type"] for m in reply.body["messages"]] == ["text"]


def test_how_a_hand_off_stands_comes_as_a_card_with_its_reference(webhook, line_api):
    user = new_user()
    for text in ("担当者と話したいです", "入力しない"):
        message = text_event(user, text)
        webhook.send(message)
        line_api.wait_for(reply_token=message["replyToken"])
    asked = text_event(user, "まだですか")
    webhook.send(asked)
    reply = line_api.wait_for(reply_token=asked["replyToken"])
    (card,) = [m for m in reply.body["messages"] if m["type"] == "flex"]
    assert card["altText"].startswith("お問い合わせの状況 / 受付番号: R-")


def test_slot_offers_in_a_booking_on_line_come_as_a_card_listed_by_day(webhook, line_api):
    user, data = new_user(), "/book_consultation"
    for _ in range(6):
        press = event("postback", user, postback={"data": data})
        webhook.send(press)
        reply = line_api.wait_for(reply_token=press["replyToken"])
        cards = [m for m in reply.body["messages"] if m["type"] == "flex"]
        if cards:
            break
        data = reply.quick_replies[0]["data"]  # the first choice each time: topic, kind, place
    assert cards and cards[0]["altText"].startswith("空いている日時 / ")
    assert len(reply.quick_replies) >= 3  # every slot stays a quick reply
