"""Consent and booking confirmations count only a plain yes."""

import pytest

from bot.reading.answers import is_clear_yes, wants_contact


@pytest.mark.parametrize(
    "text",
    [
        "はい",
        "はい、お願いします",
        "同意します",
        "OK",
        "ｏｋです",
        "うん",
        "了解です",
        "この内容で予約してください",
        "/affirm",
        "👍",
    ],
)
def test_plain_yeses(text):
    assert is_clear_yes(text)


@pytest.mark.parametrize(
    "text",
    [
        "うーん",
        "もういいです",
        "大丈夫です",
        "いいです",
        "同意しません",
        "ちょっと考えます",
        "予約をやめる",
        "ｋ",
        "",
    ],
)
def test_hesitations_refusals_and_ambiguous_politeness_are_not_yes(text):
    assert not is_clear_yes(text)


@pytest.mark.parametrize(
    ("text", "has_contact", "wanted"),
    [
        ("ほな折り返しで頼むわ", False, True),
        ("連絡ください", False, True),
        ("090-1234-5678 です", True, True),  # the contact typed at once is a yes
        ("/affirm", False, True),
        ("入力しない", False, False),
        ("結構です", False, False),
        ("/deny", False, False),
        ("うーん", False, None),  # a hesitation: asked again
        ("いや折り返しはいいです", False, False),
    ],
)
def test_a_call_back_is_wanted_in_words_or_by_typing_the_contact(text, has_contact, wanted):
    assert wants_contact(text, has_contact) is wanted
