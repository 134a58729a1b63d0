"""Consent and booking confirmations count only a plain yes."""

import pytest

from bot.reading.answers import is_clear_yes


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
