"""Company and person names as visitors type them, without the words around them."""

import pytest

from bot.reading.clauses import carried
from bot.reading.names import read_company_and_name, read_person_name


@pytest.mark.parametrize(
    ("text", "company", "name"),
    [
        ("株式会社ミドリ電機の鈴木です", "株式会社ミドリ電機", "鈴木"),
        ("ミドリ電機の鈴木と申します", "ミドリ電機", "鈴木"),
        ("（株）アオト工機の小林", "(株)アオト工機", "小林"),
        ("青戸メッキです。", "青戸メッキ", None),
        ("東京大学の研究室", "東京大学の研究室", None),  # no introduction, no legal form: one name
        ("株式会社サンプル工業", "株式会社サンプル工業", None),
        ("会社名はネクストリーフです", "ネクストリーフ", None),
        ("青戸メッキです。おおたけ と もうします", "青戸メッキ", "おおたけ"),
        ("株式会社クオンタムリーフの佐々木です", "株式会社クオンタムリーフ", "佐々木"),
        ("株式会社ヤマブキ製作所 総務課長の山吹恵子でございます", "株式会社ヤマブキ製作所", "山吹恵子"),
        ("株式会社ネオセル・ラボ、研究開発担当の森田翔です", "株式会社ネオセル・ラボ", "森田翔"),
    ],
)
def test_a_company_answer_may_carry_the_persons_name(text, company, name):
    assert read_company_and_name(text) == (company, name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("鈴木です", "鈴木"),
        ("鈴木と申します", "鈴木"),
        ("はやしだ いさむ と もうします", "はやしだ いさむ"),
        ("西村勇いいます", "西村勇"),
        ("中川浩二や", "中川浩二"),
        ("名前は山田花子です", "山田花子"),
        ("山田様", "山田"),
        ("佐藤 花子", "佐藤 花子"),
        ("はい、山田です", "山田"),
        ("同意します", ""),  # the consent typed early is no name: the question is asked again
        ("はい", ""),
    ],
)
def test_a_name_is_kept_without_desu_or_honorifics(text, name):
    assert read_person_name(text) == name


def test_a_company_is_read_out_of_the_words_around_it():
    text = "大学発ベンチャーの株式会社ヒカリメディカルで研究開発を担当しております"
    assert read_company_and_name(text) == ("株式会社ヒカリメディカル", None)
    assert read_company_and_name("都内のサンプル商事株式会社に勤めております") == (
        "サンプル商事株式会社",
        None,
    )


def test_a_first_message_carries_company_and_name_in_separate_clauses():
    carried_ = carried(
        "お世話になります。大学発ベンチャーの株式会社ヒカリメディカルで研究開発を担当しております、"
        "橋本直樹と申します。特許について相談したいです。連絡先はメールで h.naoki@example.jp です。"
    )
    assert (carried_.company, carried_.person_name) == ("株式会社ヒカリメディカル", "橋本直樹")
    assert "example" not in (carried_.description or "")
