"""Knowledge-base answers: the entry that fits the question over the whole knowledge base, its
sources as the visitor reads them, and the honest «not in this chat»."""

import pytest

from bot.catalogue.seed import seed_catalogue
from bot.core.config import get_settings
from bot.core.db import migrate, with_retries
from bot.faq.knowledge import Entry, Fact, load_knowledge
from bot.faq.render import GENERAL_INFORMATION, OWN_CASE, THIRD_PARTY, THIRD_PARTY_NOTE, answer_text
from bot.faq.select import Selector, select_entry
from bot.services.answers import NOT_IN_THIS_CHAT, NOT_IN_THIS_CHAT_CENTER, topic_answer


@pytest.fixture
def catalogue(settings_env):
    migrate()
    seed_catalogue(get_settings().content_dir / "programs.yml")


def ask(sender: str, intent: str, text: str) -> dict:
    [answer] = with_retries(lambda s: topic_answer(s, sender, intent, text))
    return answer


@pytest.mark.parametrize(
    ("question", "entry", "phone"),
    [
        ("城南支援室の電話番号は？", "center_branch_jonan", "03-3737-1435"),
        ("蒲田の支援室はどこですか", "center_branch_jonan", "03-3737-1435"),
        ("多摩支援室の場所を教えて", "center_branch_tama", "042-500-1322"),
        ("葛飾にある窓口の住所", "center_branch_joto", "03-5680-4741"),
        ("センターの住所を教えてください", "center_main_office", "03-3832-3656"),
    ],
)
def test_a_named_branch_gets_its_own_address_and_phone(question, entry, phone):
    chosen = select_entry("ask_center_info", question)
    assert chosen is not None and chosen.id == entry
    assert phone in chosen.answer


@pytest.mark.parametrize(
    ("intent", "question", "entries"),
    [
        # The questions the issue found answered with the wrong paragraph.
        ("ask_trademark", "商標登録できない名前ってありますか", "trademark_unregistrable"),
        (
            "ask_patent",
            "展示会で発表した後でも特許出願できますか",
            "patent_disclose_before_filing patent_grace_period",
        ),
        ("ask_copyright", "社員が作ったプログラムの著作権は会社のもの？", "copyright_work_for_hire"),
        ("ask_infringement", "警告書が届いた、まず何をすれば", "infringement_warning_received"),
        (
            "ask_infringement",
            "ホームページの写真を無断で使われました",
            "copyright_infringement copyright_internet_images",
        ),
    ],
)
def test_different_questions_get_the_entry_that_answers_them(intent, question, entries):
    chosen = select_entry(intent, question)
    assert chosen is not None and chosen.id in entries.split()


def test_the_intent_is_a_prior_not_a_filter():
    """A question classified under the wrong topic still finds its answer elsewhere."""
    chosen = select_entry("ask_patent", "商標登録できない名前ってありますか")
    assert chosen is not None and chosen.topic == "trademark"


def test_the_first_steps_after_a_warning_letter_are_given():
    answer = select_entry("ask_infringement", "警告書が届いた、まず何をすれば")
    assert answer is not None and "無視" in answer.answer


def test_a_question_no_entry_answers_gets_the_honest_answer_with_the_official_page(catalogue):
    answer = ask("v-none", "ask_patent", "法人税の申告期限はいつですか")
    assert answer["text"] == NOT_IN_THIS_CHAT
    assert [b["title"] for b in answer["buttons"]][:2] == ["公式ページ", "相談を予約する"]


def test_the_general_information_line_comes_once_then_the_own_case_line(catalogue):
    first = ask("v-notice", "ask_patent", "特許の存続期間は？")
    second = ask("v-notice", "ask_trademark", "商標の更新はどうすればいいですか")
    assert GENERAL_INFORMATION in first["text"] and OWN_CASE not in first["text"]
    assert OWN_CASE in second["text"] and GENERAL_INFORMATION not in second["text"]


def test_a_center_question_no_entry_answers_gets_the_main_offices_number(catalogue):
    answer = ask("v-center-none", "ask_center_info", "駐輪場はありますか")
    assert answer["text"] == NOT_IN_THIS_CHAT_CENTER and "03-3832-3656" in answer["text"]


def test_center_answers_carry_neither_line(catalogue):
    center = ask("v-center", "ask_center_info", "城南支援室の電話番号は？")
    assert OWN_CASE not in center["text"] and GENERAL_INFORMATION not in center["text"]


def fact(url: str, official: bool, date: str | None = None) -> Fact:
    return Fact(
        quote="引用",
        url=url,
        publisher="特許庁" if official else "事務所のサイト",
        page_date=date,
        official=official,
    )


def entry(*facts: Fact) -> Entry:
    return Entry("patent_x", "patent", "題", ("問",), "答えです。", "consultation", tuple(facts))


def test_sources_show_official_pages_first_with_their_date_and_mark_third_parties():
    text = answer_text(
        entry(fact("https://b.example/", False), fact("https://a.go.jp/", True, "2024年12月")), False
    )
    lines = text.splitlines()
    assert lines[1] == THIRD_PARTY_NOTE
    assert lines[2] == "出典: 特許庁 https://a.go.jp/ (2024年12月)"
    assert lines[3] == f"出典: 事務所のサイト{THIRD_PARTY} https://b.example/ (ページに日付の記載なし)"


def test_an_official_only_answer_has_no_third_party_note():
    assert THIRD_PARTY_NOTE not in answer_text(entry(fact("https://a.go.jp/", True)), False)


def test_an_official_page_next_step_offers_the_page_first(catalogue):
    official = next(e for e in load_knowledge() if e.next_step == "official_page" and e.official_url)
    [answer] = with_retries(lambda s: topic_answer(s, "v-page", official.intent, official.questions[0]))
    assert answer["buttons"][0] == {"title": "公式ページ", "payload": official.official_url}


def test_a_domestic_infringement_offers_no_foreign_subsidy(catalogue):
    answer = ask("v-domestic", "ask_infringement", "他社に特許を侵害されているかもしれない")
    assert "外国" not in " ".join(b["title"] for b in answer["buttons"])


def test_an_entry_added_is_found_by_a_new_selector():
    added = Entry(
        "trademark_new",
        "trademark",
        "ゆるキャラの名前",
        ("ゆるキャラの名前は商標にできますか",),
        "答え。",
        "none",
        (),
    )
    chosen = Selector([*load_knowledge(), added]).choose("ゆるキャラの名前を商標にしたい", "ask_trademark")
    assert chosen is not None and chosen.id == "trademark_new"


def test_folded_lines_leave_no_space_after_a_japanese_full_stop_or_comma():
    assert not [e.id for e in load_knowledge() if "。 " in e.answer or "、 " in e.answer]


def test_a_program_question_near_no_program_is_answered_from_the_knowledge_base(catalogue):
    from bot.services.answers import program_answer

    [answer] = with_retries(
        lambda s: program_answer(s, "v-madrid", "マドリッドプロトコルの仕組みを教えてください", None)
    )
    assert "マドリッド" in answer["text"] and "出典:" in answer["text"]


def test_a_misunderstood_message_is_answered_only_when_an_entry_clearly_fits(catalogue):
    from bot.services.answers import misunderstood_answer

    answered = with_retries(
        lambda s: misunderstood_answer(s, "v-fallback", "特許の審査請求はいつまでにすればいい")
    )
    assert answered and "出典:" in answered[0]["text"]
    assert with_retries(lambda s: misunderstood_answer(s, "v-fallback", "あしたの天気はどうですか")) is None
