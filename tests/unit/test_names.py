"""Company and person names as visitors type them, without the words around them."""

import pytest

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
    ],
)
def test_a_name_is_kept_without_desu_or_honorifics(text, name):
    assert read_person_name(text) == name
