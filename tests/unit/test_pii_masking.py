import logging
import sys

import pytest

from bot.core.logging import MaskingFormatter, mask_pii


@pytest.mark.parametrize(
    "text",
    [
        "電話は03-3832-3656です",
        "携帯 090-1234-5678 まで",
        "０９０－１２３４－５６７８に連絡ください",
        "09012345678",
        "(03)1234-5678",
        "+81-90-1234-5678",
    ],
)
def test_phone_numbers_are_masked(text):
    masked = mask_pii(text)
    assert "[電話番号]" in masked
    assert not any(run in masked for run in ("1234", "3832", "5678"))


def test_email_addresses_are_masked_full_width_included():
    assert mask_pii("taro@example.com へ") == "[メールアドレス] へ"
    assert mask_pii("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ") == "[メールアドレス]"


def test_booking_numbers_and_years_are_not_masked():
    assert mask_pii("予約番号 CZ-20261203-0042 です") == "予約番号 CZ-20261203-0042 です"
    assert mask_pii("2024年の助成") == "2024年の助成"


def test_the_log_formatter_masks_arguments_and_tracebacks():
    try:
        raise ValueError("could not store yamada@example.jp 090-1234-5678")
    except ValueError:
        error = sys.exc_info()
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "contact %s", ("03-3832-3656",), error)
    line = MaskingFormatter("%(message)s").format(record)
    assert line.startswith("contact [電話番号]")
    assert "ValueError: could not store [メールアドレス] [電話番号]" in line
    assert not any(run in line for run in ("yamada", "1234", "3832"))


@pytest.mark.parametrize(
    "text",
    [
        "０３（３８３２）３６５６へお電話ください",  # full-width brackets around the exchange
        "TEL 03(3832)3656",
        "０９０ー１２３４ー５６７８です",  # the long-vowel mark typed as a dash
        "03−3832−3656",  # minus sign
        "03‐3832‐3656",  # hyphen
        "03―3832―3656",  # horizontal bar
        "電話番号：０９０　１２３４　５６７８",  # ideographic spaces
        "＋８１－９０－１２３４－５６７８",
    ],
)
def test_phone_numbers_in_the_forms_japanese_visitors_type_are_masked(text):
    masked = mask_pii(text)
    assert "[電話番号]" in masked
    assert not any(run in masked for run in ("1234", "3832", "5678", "3656"))


def test_e_mail_written_with_full_width_at_and_dots_is_masked():
    assert (
        mask_pii("メールはｙａｍａｄａ．ｔａｒｏ＋ｉｐ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐまで")
        == "メールは[メールアドレス]まで"
    )


@pytest.mark.parametrize("number", ["CZ-7K3M9P", "CZ-2345AB", "CZ-98765Q"])
def test_booking_numbers_like_cz_7k3m9p_are_not_masked(number):
    assert mask_pii(f"予約番号は {number} です") == f"予約番号は {number} です"


def test_the_engine_token_in_an_action_call_url_is_not_logged():
    line = '127.0.0.1:51234 - "POST /engine/actions?token=Xy9_secret-123 HTTP/1.1" 200'
    assert mask_pii(line) == '127.0.0.1:51234 - "POST /engine/actions?token=[secret] HTTP/1.1" 200'
