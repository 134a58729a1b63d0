"""Consent and booking confirmations count only a plain yes."""

import pytest

from bot.reading.answers import is_clear_yes, wants_contact


@pytest.mark.parametrize(
    "text",
    [
        "はい",
        "はい、お願いします",
        "はい、相違ございません。",
        "問題ありません、お願いします",
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


def test_the_call_back_offer_takes_the_name_or_the_contact_given_with_the_answer():
    from bot.escalation.service import call_back_answer

    assert call_back_answer("株式会社ミライボックスの岡田") == (True, "株式会社ミライボックス 岡田", None)
    consent, name, contact = call_back_answer("折り返しお願いします 080-1234-5678")
    assert consent is True and name is None and contact.phone == "080-1234-5678"
    assert call_back_answer("いや折り返しはいいです") == (False, None, None)
    assert call_back_answer("うーん") == (None, None, None)
