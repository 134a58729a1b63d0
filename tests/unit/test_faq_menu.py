"""«よくある質問»: asked in words or by a button, the topics; a topic, its common questions, each
button answered by its own entry."""

import pytest

from bot.core.db import migrate, with_retries
from bot.faq.knowledge import TOPIC_INTENTS, load_knowledge
from bot.faq.menu import MENU_PAYLOAD, choose_topic, menu_reply, questions_of, topic_menus
from bot.faq.select import select_entry
from bot.services.answers import topic_answer

ENTRIES = load_knowledge()


@pytest.fixture
def store(settings_env):
    migrate()


@pytest.mark.parametrize(
    "text", ["よくある質問", "よくあるご質問を見たいです", "FAQ", "質問一覧", MENU_PAYLOAD]
)
def test_asking_for_the_faq_gets_the_topics(settings_env, text):
    reply = with_retries(lambda s: menu_reply(s, text))
    assert reply == choose_topic()
    assert [b["title"] for b in reply["buttons"]][:3] == ["特許・実用新案", "意匠", "商標"]


@pytest.mark.parametrize("text", ["よくある質問に答えがなかった", "特許のFAQはどこですか", "こんにちは"])
def test_other_messages_are_left_to_the_assistant(settings_env, text):
    assert with_retries(lambda s: menu_reply(s, text)) is None


def test_a_topic_button_gets_its_common_questions_and_a_way_back(store):
    press = choose_topic()["buttons"][2]["payload"]
    reply = with_retries(lambda s: menu_reply(s, press))
    assert reply["text"].startswith("商標について、よくあるご質問です。")
    assert reply["buttons"][0] == {
        "title": "商標とは",
        "payload": ENTRIES_BY_ID["trademark_what"].questions[0],
    }
    assert reply["buttons"][-1]["payload"] == MENU_PAYLOAD


ENTRIES_BY_ID = {entry.id: entry for entry in ENTRIES}
MENU_ENTRIES = [(menu.topic, entry_id) for menu in topic_menus().values() for entry_id in menu.entry_ids]


def test_every_topic_has_a_menu_of_existing_entries_of_its_own_topic():
    assert set(topic_menus()) == set(TOPIC_INTENTS)
    for topic, entry_id in MENU_ENTRIES:
        assert ENTRIES_BY_ID[entry_id].topic == topic, entry_id


@pytest.mark.parametrize(("topic", "entry_id"), MENU_ENTRIES)
def test_each_question_button_is_answered_by_its_own_entry(topic, entry_id):
    question = ENTRIES_BY_ID[entry_id].questions[0]
    assert select_entry(TOPIC_INTENTS[topic], question, ENTRIES).id == entry_id


def test_a_bare_topic_button_gets_the_topic_s_questions(store):
    reply = with_retries(lambda s: topic_answer(s, "v-menu", "ask_patent", "/ask_patent"))
    assert reply == [questions_of("patent", ENTRIES)]


def test_the_bare_center_button_gets_the_main_office_s_address(store):
    reply = with_retries(lambda s: topic_answer(s, "v-menu", "ask_center_info", "/ask_center_info"))
    assert "台東区台東1-3-5" in reply[0]["text"]


def test_a_bare_payload_is_no_question_for_the_selector():
    assert select_entry("ask_trademark", "/ask_trademark", ENTRIES) is None
    assert select_entry("ask_program", "/ask_program", ENTRIES) is None
