"""The spaCy ja pipeline: Sudachi tokens and the entity ruler for IP terms and programs."""

import pytest

from bot.text.normalize import normalize


def entities(nlp, text):
    # SpacyNLP lower-cases text before spaCy sees it (case_sensitive: false).
    return [(e.label_, e.ent_id_) for e in nlp(normalize(text).lower()).ents]


@pytest.mark.parametrize(
    ("text", "ip_id"),
    [
        ("特許を取りたい", "patent"),
        ("とっきょの費用", "patent"),
        ("ﾄｯｷｮについて", "patent"),
        ("ＰＣＴ出願", "patent"),
        ("商標権の更新", "trademark"),
        ("しょうひょうのこと", "trademark"),
        ("意匠登録したい", "design"),
        ("実用新案の期間", "utility_model"),
        ("著作権は誰のもの", "copyright"),
        ("営業秘密の管理", "trade_secret"),
        ("ノウハウを守りたい", "trade_secret"),
    ],
)
def test_ip_terms_are_found_in_any_spelling(nlp, text, ip_id):
    assert ("ip_type", ip_id) in entities(nlp, text)


@pytest.mark.parametrize(
    ("text", "program_id"),
    [
        ("外国特許出願費用助成事業に申し込みたい", "gaikoku_tokkyo_shutsugan"),
        ("外国出願助成について", "gaikoku_tokkyo_shutsugan"),
        ("侵害調査費用助成の対象は", "gaikoku_shingai_chosa"),
        ("海外商標対策の補助金", "kaigai_shohyo_taisaku"),
        ("グローバルニッチトップ助成事業", "global_niche_top"),
    ],
)
def test_program_names_from_the_catalogue_are_found(nlp, text, program_id):
    assert ("program", program_id) in entities(nlp, text)


def test_tokenizer_uses_sudachi_normalized_forms(nlp):
    doc = nlp("打合せの日程")
    assert doc[0].norm_ == "打ち合わせ"


def test_sentences_without_ip_terms_have_no_entities(nlp):
    assert entities(nlp, "法人税の申告について知りたい") == []
