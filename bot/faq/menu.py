"""«よくある質問»: the topics to choose from, then a topic's common questions as buttons.

Asked for in words («よくある質問», «FAQ»), by the LINE rich menu or a topic button; the gateway
answers these itself (bot/services/assistant.py). A question button sends the entry's first
question, so the answer comes the way a typed question's does.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

import yaml
from sqlalchemy.orm import Session

from bot.conversation.messages import BotMessage, Button, bot_message
from bot.faq import store
from bot.faq.knowledge import FAQ_DIR, TOPIC_INTENTS, Entry
from bot.faq.select import bare_payload

MENU_FILE = FAQ_DIR / "menus" / "topics.yml"
MENU_PAYLOAD = "/faq_menu"
_TOPIC_PAYLOAD = re.compile(r'^/faq_menu\{"topic": ?"([a-z_]{1,32})"\}$')
_ASKS_FOR_MENU = re.compile(
    r"^(よくある(ご)?質問|faq|q&a|質問(の)?一覧)(を|が)?(見たい|みたい|見せて|教えて|知りたい)?(です|ください)?[。!?！？]*$"
)
CHOOSE_TOPIC = (
    "よくあるご質問の分野をお選びください。知りたいことを、そのまま入力していただくこともできます。"
)
TOPIC_QUESTIONS = (
    "{name}について、よくあるご質問です。お選びいただくか、知りたいことをそのまま入力してください。"
)


@dataclass(frozen=True)
class TopicMenu:
    topic: str
    name: str
    entry_ids: tuple[str, ...]


@cache
def topic_menus() -> dict[str, TopicMenu]:
    """The topics of the menu, in the order they are offered."""
    raw = yaml.safe_load(MENU_FILE.read_text("utf-8"))
    return {topic: TopicMenu(topic, spec["name"], tuple(spec["entries"])) for topic, spec in raw.items()}


def topic_button(menu: TopicMenu) -> Button:
    payload = json.dumps({"topic": menu.topic}, separators=(",", ":"))
    return Button(title=menu.name, payload=f"{MENU_PAYLOAD}{payload}")


def choose_topic() -> BotMessage:
    """The topics to choose from."""
    return bot_message(CHOOSE_TOPIC, [topic_button(menu) for menu in topic_menus().values()])


def questions_of(topic: str, entries: tuple[Entry, ...]) -> BotMessage | None:
    """A topic's common questions as buttons (None for a topic the menu does not have)."""
    menu = topic_menus().get(topic)
    if menu is None:
        return None
    by_id = {entry.id: entry for entry in entries}
    shown = [
        by_id[entry_id] for entry_id in menu.entry_ids if entry_id in by_id and by_id[entry_id].questions
    ]
    buttons = [Button(title=entry.title, payload=entry.questions[0]) for entry in shown]
    others = Button(title="ほかの分野", payload=MENU_PAYLOAD)
    return bot_message(TOPIC_QUESTIONS.format(name=menu.name), [*buttons, others])


def menu_reply(session: Session, text: str) -> BotMessage | None:
    """The menu a message asks for (normalised text), or None when it asks for none."""
    if text == MENU_PAYLOAD or _ASKS_FOR_MENU.match(text.lower()):
        return choose_topic()
    if chosen := _TOPIC_PAYLOAD.match(text):
        return questions_of(chosen.group(1), store.current(session))
    return None


# The center's bare button («センターの場所»: ``/ask_center_info``) asks for its address.
CENTER_ADDRESS = "center_main_office"


def center_address(entries: tuple[Entry, ...]) -> Entry | None:
    return next((entry for entry in entries if entry.id == CENTER_ADDRESS), None)


def bare_topic(intent: str, text: str) -> str | None:
    """The topic a bare topic button (``/ask_patent``) names, or None for any other message."""
    topic = next((t for t, i in TOPIC_INTENTS.items() if i == intent), None)
    return topic if topic and bare_payload(intent, text) else None
