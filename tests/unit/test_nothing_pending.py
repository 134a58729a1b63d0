"""A yes, a no or a bare answer with nothing pending: the flow its data implies, or the menu."""

import pytest

from bot.services.nothing_pending import WHAT_CAN_I_DO, implied_flow, what_can_i_do


@pytest.mark.parametrize(
    ("text", "flow"),
    [
        ("CZ-7K3M9P です", "cancel"),
        ("ｃｚ－７ｋ３ｍ９ｐ", "cancel"),
        ("折り返し電話ください 090-1234-5678", "callback"),
        ("０３ー１２３４ー５６７８に電話してほしいです", "callback"),
        ("suzuki@example.jp まで連絡ください", "callback"),
        ("12/10に予約したい", "booking"),
        ("来週の水曜に相談したいです", "booking"),
        ("はい", None),
        ("いいえ", None),
        ("090-1234-5678", None),  # a number alone asks for nothing
        ("特願2024-123456", None),
        ("了解", None),
    ],
)
def test_the_data_in_a_bare_answer_leads_to_its_flow(text, flow):
    assert implied_flow(text) == flow


def test_otherwise_the_visitor_is_asked_what_they_need_and_nothing_is_claimed():
    [message] = what_can_i_do()
    assert message["text"] == WHAT_CAN_I_DO and "承知" not in message["text"]
    assert [b["title"] for b in message["buttons"]] == ["相談を予約する", "支援制度を見る", "担当者と話す"]
