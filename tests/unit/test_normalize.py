import pytest

from bot.text.normalize import (
    has_content,
    is_stray_keys,
    normalize,
    normalized_tokens,
    reading,
    search_key,
    to_hiragana,
)


def test_full_width_letters_and_digits_become_half_width():
    assert normalize("ＮＤＡ　２０年") == "NDA 20年"


def test_half_width_katakana_becomes_full_width():
    assert normalize("ﾛｺﾞ ﾗｲｾﾝｽ") == "ロゴ ライセンス"


def test_long_vowel_variants_are_unified():
    assert normalize("サ－バ") == "サーバ"
    assert normalize("コピ〜") == "コピー"
    assert normalize("ラ—メン") == "ラーメン"


def test_control_and_invisible_characters_are_dropped_and_spaces_collapsed():
    assert normalize("特\u200b許\x00の\t\n  期間\ufeff") == "特許 の 期間"


def test_lone_surrogates_do_not_break_normalisation():
    assert normalize("特許\ud800です") == "特許 です"


def test_emoji_sequences_are_kept_whole():
    family = "👨\u200d👩\u200d👧"
    assert normalize(family) == family


def test_normalize_is_idempotent():
    for text in ["ﾄｯｷｮ　ＰＣＴ", "サ－－バ", " a\x01b ", "商標権の更新🙏"]:
        assert normalize(normalize(text)) == normalize(text)


def test_has_content():
    assert has_content("特許")
    assert has_content("🙏")
    assert not has_content(normalize(" \u3000\t\x00\u200b "))


def test_kana_spellings_share_the_kanji_reading():
    assert reading("特許") == reading("とっきょ") == reading("ﾄｯｷｮ") == "トッキョ"


def test_sudachi_normalized_forms_unify_spelling_variants():
    assert normalized_tokens("打合せ") == ["打ち合わせ"]
    assert search_key("サーバ") == search_key("ｻｰﾊﾞｰ")


def test_to_hiragana():
    assert to_hiragana("トッキョ ABC") == "とっきょ ABC"


@pytest.mark.parametrize(
    "text", ["ｋ", "ん", "いいいい", "ｋｋｋｋ", "？？？", "…", "ーーー", "a a a", "ｗｗｗ"]
)
def test_stray_keys(text):
    assert is_stray_keys(normalize(text))


@pytest.mark.parametrize(
    "text", ["ええ", "いい", "はい", "うん", "ok", "1", "111", "林", "👍", "jjjjkkkk", ""]
)
def test_words_numbers_kanji_and_emoji_are_not_stray_keys(text):
    assert not is_stray_keys(normalize(text))


def test_dashes_between_digits_are_hyphens_and_long_vowels_stay():
    assert normalize("０３ー１２３４ー５６７８") == "03-1234-5678"
    assert normalize("03−1234‐5678") == "03-1234-5678"
    assert normalize("サーバー 3ー") == "サーバー 3ー"
