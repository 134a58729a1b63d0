"""Grounded answers: FAQ topics and catalogue programs, as messages with next-step buttons."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue.models import Program
from bot.catalogue.render import CENTER_PAGE, program_button, program_card, program_detail, program_list
from bot.catalogue.search import best, named_program, prefer_ip, rank
from bot.conversation import context
from bot.conversation.messages import BotMessage, Button, bot_message
from bot.conversation.replies import HUMAN_BUTTON
from bot.core.clock import now_tokyo
from bot.escalation.service import Handoff, hand_off
from bot.escalation.urgency import urgent_reason
from bot.events.catalogue import events_message, upcoming
from bot.faq import menu
from bot.faq import store as knowledge
from bot.faq.knowledge import Entry
from bot.faq.render import answer_text
from bot.faq.select import select_entry
from bot.feedback import service as feedback
from bot.reading.requests import about_an_event

BOOK = Button(title="相談を予約する", payload="/book_consultation")
MAX_RELATED = 2

NOT_IN_THIS_CHAT = (
    "申し訳ありません。このご質問にお答えできる確かな情報は、このチャットにはありません。"
    "公社の公式ページをご覧いただくか、知的財産相談でご相談ください。"
)
# About the center itself, the center can say: its main office's number.
NOT_IN_THIS_CHAT_CENTER = (
    "申し訳ありません。このご質問にお答えできる確かな情報は、このチャットにはありません。"
    "秋葉原本部(電話 03-3832-3656)にお問い合わせいただくか、公社の公式ページをご覧ください。"
)
# Events are no consultation: their dates and how to join are not in the catalogue.
EVENTS_UNKNOWN = (
    "セミナーや講座の開催日程・参加方法・参加費は、このチャットでは確認できた情報がありません。"
    "公社の公式ページでご確認ください。ご自身の案件のご相談は、知的財産相談(予約制)でお受けしています。"
)
NEAREST_PROGRAM = (
    "ご質問にいちばん近い制度は「{name}」です。ほかの近い制度とあわせて、詳しく知りたい制度をお選びください。"
)
ALL_PROGRAMS = (
    "当センターの主な支援制度です。詳しく知りたい制度をお選びください。"
    "助成の申請前には、申請内容について公社の知財相談を受けていることが要件です。"
)


def events_answer(session: Session) -> BotMessage:
    """The events staff announced that are still ahead; none known: say so, with the official page."""
    more = [Button(title="公式ページ", payload=CENTER_PAGE), BOOK]
    events = upcoming(session, now_tokyo().date())
    return events_message(events, more) if events else bot_message(EVENTS_UNKNOWN, more)


def _published(session: Session) -> list[Program]:
    return list(session.scalars(select(Program).where(Program.published).order_by(Program.name)))


def _next_steps(session: Session, entry: Entry) -> list[Button]:
    """The entry's next step first (the official page, a program or a consultation), then the rest."""
    programs = [session.get(Program, pid) for pid in entry.related_programs[:MAX_RELATED]]
    related = [program_button(p) for p in programs if p is not None and p.published]
    official = [Button(title="公式ページ", payload=entry.official_url)] if entry.official_url else []
    if entry.next_step == "official_page":
        return [*official, BOOK, *related]
    if entry.next_step == "program":
        return [*related, BOOK]
    return [BOOK, *related, HUMAN_BUTTON]


def topic_answer(session: Session, sender_id: str, intent: str, text: str) -> list[BotMessage]:
    """The knowledge-base entry that answers ``text`` with its sources and next steps, or the
    honest «not in this chat» with the official page and a consultation. A bare topic button
    (``/ask_patent``) gets the topic's common questions; the center's, its address."""
    entries = knowledge.current(session)
    if (topic := menu.bare_topic(intent, text)) and topic != "center":
        return [menu.questions_of(topic, entries) or menu.choose_topic()]
    entry = menu.center_address(entries) if topic else select_entry(intent, text, entries)
    if entry is None:
        honest = NOT_IN_THIS_CHAT_CENTER if intent == "ask_center_info" else NOT_IN_THIS_CHAT
        return [bot_message(honest, [Button(title="公式ページ", payload=CENTER_PAGE), BOOK, HUMAN_BUTTON])]
    return entry_answer(session, sender_id, entry)


def entry_answer(session: Session, sender_id: str, entry: Entry) -> list[BotMessage]:
    """``entry`` as the visitor reads it (the general-information line the first time)."""
    first = entry.topic != "center" and context.general_notice_due(session, sender_id)
    return [
        bot_message(
            answer_text(entry, first), [*_next_steps(session, entry), *feedback.buttons(f"faq:{entry.id}")]
        )
    ]


def _card(program: Program) -> BotMessage:
    """A program's card with the feedback buttons."""
    shown = program_card(program)
    return bot_message(
        shown["text"], [*shown["buttons"], *feedback.buttons(f"program:{program.id}")], shown.get("card")
    )


def misunderstood_answer(session: Session, sender_id: str, text: str) -> list[BotMessage] | None:
    """The program a message the intent classifier did not understand names, or the entry that
    clearly answers it, if any."""
    if program := named_program(text, _published(session)):
        return _shown(session, sender_id, program)
    entry = select_entry(None, text, knowledge.current(session))
    return entry_answer(session, sender_id, entry) if entry else None


def _shown(session: Session, sender_id: str, program: Program) -> list[BotMessage]:
    context.remember_program(session, sender_id, program.id)
    return [_card(program)]


def answer_topic(session: Session, sender_id: str, intent: str, text: str) -> Handoff:
    """The FAQ answer to a topic question (the card of a program it names); an urgent matter also
    goes to staff at once. The conversation has moved on from any program shown before."""
    if program := named_program(text, _published(session)):
        answer = _shown(session, sender_id, program)  # a program named outright is what is asked
    else:
        context.remember_program(session, sender_id, None)
        answer = topic_answer(session, sender_id, intent, text)
    if urgent_reason(text):
        return hand_off(session, sender_id, "urgent", text, answer)
    return Handoff(answer, needs_contact=False)


def program_answer(
    session: Session, sender_id: str, text: str, program_id: str | None, ip_type: str | None = None
) -> list[BotMessage]:
    """The program the visitor means as a card; when the question is vague, the programs near it,
    the nearest named (and followed up on: «それっていくら»), those for the IP right named first;
    the detail asked for when the question follows up on the program last shown or named."""
    if program_id is None and context.follows_up_on_events(session, sender_id, text):
        return [events_answer(session)]
    program = session.get(Program, program_id) if program_id else named_program(text, _published(session))
    if program is None and context.follows_up_on_program(session, sender_id, text):
        program = session.get(Program, context.program_in_context(session, sender_id))
        if program is not None and program.published:
            return [program_detail(program, context.asked_about(text))]
    if program is not None and program.published:
        context.remember_program(session, sender_id, program.id)
        return [_card(program)]
    programs = _published(session)
    matches = rank(text, programs)
    chosen = best(matches)
    if chosen is None and about_an_event(text):
        context.remember_events(session, sender_id)
        return [events_answer(session)]
    if chosen is not None:
        context.remember_program(session, sender_id, chosen.id)
        return [_card(chosen)]
    if matches:
        nearest = prefer_ip(matches, ip_type)
        context.remember_program(session, sender_id, nearest[0].program.id)
        return [
            program_list([m.program for m in nearest], NEAREST_PROGRAM.format(name=nearest[0].program.name))
        ]
    entry = select_entry(
        "ask_program", text, knowledge.current(session)
    )  # no program near it: an entry may answer (マドリッド)
    if entry is not None:
        context.remember_program(session, sender_id, None)
        return entry_answer(session, sender_id, entry)
    return [program_list(programs, ALL_PROGRAMS)]
