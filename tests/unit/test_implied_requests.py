"""The data in a message leads to its flow, whatever the classifier makes of the sentence."""

import pytest

from bot.reading.requests import implied_intent
from bot.services.nothing_pending import WHAT_CAN_I_DO, what_can_i_do


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("CZ-7K3M9P です", "cancel_consultation"),
        ("ｃｚ－７ｋ３ｍ９ｐ", "cancel_consultation"),
        ("折り返し電話ください 090-1234-5678", "request_human"),
        ("０３ー１２３４ー５６７８に電話してほしいです", "request_human"),
        ("suzuki@example.jp まで連絡ください", "request_human"),
        ("12/10に予約したい", "book_consultation"),
        ("来週の水曜に相談したいです", "book_consultation"),
        ("12/10の14時に秋葉原で商標の相談したい！弁理士さんで。", "book_consultation"),
        ("あさっての あさいちに とっきょの そうだんを おねがい したいのですが", "book_consultation"),
        ("弁理士さんに商標の相談をお願いしたい", "book_consultation"),
        ("12がつ22にちの ごご 2じに しょうひょうの そうだんを おねがいします", "book_consultation"),
        ("まどぐちで いしょうの そうだんを よやく したいです", "book_consultation"),
        ("12/11の13時に城南で意匠の相談、アドバイザーでお願い。", "book_consultation"),
        ("再来週 水曜 夕方4時 多摩で 著作権 アドバイザー", "book_consultation"),
        ("城南支援室の場所はどこですか", "ask_center_info"),
        ("城南ってどこにあるの？", "ask_center_info"),
        ("場所は秋葉原で、12月11日の13時に弁理士さんに相談したい", "book_consultation"),
        ("来週のセミナーに参加したい", "ask_program"),  # an event is no consultation booking
        ("特許のこと弁理士さんに聞きたい", "book_consultation"),
        (
            "でんわで はなしを ききたいので おりかえし おでんわ ください ０９０ー４１０１ー００２７",
            "request_human",
        ),
        ("商標について相談したい", None),  # no day, no consultant: the classifier decides
        ("さっきの予約を来週の木曜14時に変えられますか", "cancel_consultation"),
        ("12/8の予約をキャンセルしたいです", "cancel_consultation"),
        ("asdfgh", None),  # six letters alone are no booking number in a sentence
        ("はい", None),
        ("いいえ", None),
        ("090-1234-5678", None),  # a number alone asks for nothing
        ("特願2024-123456", None),
        ("了解", None),
        ("警告書が届いた。明日弁護士に相談したい", None),  # urgent: staff first
    ],
)
def test_the_data_in_a_message_implies_its_intent(text, intent):
    assert implied_intent(text) == intent


def test_otherwise_the_visitor_is_asked_what_they_need_and_nothing_is_claimed():
    [message] = what_can_i_do()
    assert message["text"] == WHAT_CAN_I_DO and "承知" not in message["text"]
    assert [b["title"] for b in message["buttons"]] == ["相談を予約する", "支援制度を見る", "担当者と話す"]
