"""FAQ answers: the sub-topic a question names, else the general entry; center answers."""

import pytest

from bot.catalogue.seed import seed_catalogue
from bot.core.config import get_settings
from bot.core.db import migrate, with_retries
from bot.faq.select import load_faq, select_entry
from bot.services.answers import OWN_CASE, topic_answer


@pytest.mark.parametrize(
    ("question", "entry", "phone"),
    [
        ("城南支援室の電話番号は？", "center_jonan", "03-3737-1435"),
        ("蒲田の支援室はどこですか", "center_jonan", "03-3737-1435"),
        ("多摩支援室の場所を教えて", "center_tama", "042-500-1322"),
        ("葛飾にある窓口の住所", "center_joto", "03-5680-4741"),
        ("センターの住所を教えてください", "center_general", "03-3832-3656"),
    ],
)
def test_a_named_branch_gets_its_own_address_and_phone(question, entry, phone):
    chosen = select_entry("ask_center_info", question)
    assert chosen.id == entry
    assert phone in chosen.answer


def test_the_fee_question_quotes_the_source_and_says_what_is_unknown():
    chosen = select_entry("ask_center_info", "相談は無料ですか")
    assert chosen.id == "center_fee"
    assert "ごく一部を除き無料" in chosen.answer and "第三者サイト" in chosen.source


def test_center_answers_do_not_end_with_the_own_case_advice_but_topic_answers_do(settings_env):
    migrate()
    seed_catalogue(get_settings().content_dir / "programs.yml")
    [center] = with_retries(lambda s: topic_answer(s, "ask_center_info", "城南支援室の電話番号は？"))
    [patent] = with_retries(lambda s: topic_answer(s, "ask_patent", "特許の存続期間は？"))
    assert OWN_CASE not in center["text"] and OWN_CASE in patent["text"]


def test_folded_lines_leave_no_space_after_a_japanese_full_stop_or_comma():
    assert not [e.id for e in load_faq() if "。 " in e.answer or "、 " in e.answer or "を 助成" in e.answer]


def test_photos_used_without_permission_get_the_copyright_answer_not_the_warning_letter():
    chosen = select_entry("ask_infringement", "ホームページの写真を無断で使われました")
    assert chosen.id == "infringement_copyright"
    assert "第17条" in chosen.answer


def test_a_domestic_infringement_offers_no_foreign_subsidy(settings_env):
    migrate()
    seed_catalogue(get_settings().content_dir / "programs.yml")
    [answer] = with_retries(
        lambda s: topic_answer(s, "ask_infringement", "他社に特許を侵害されているかもしれない")
    )
    assert "外国" not in " ".join(b["title"] for b in answer["buttons"])
