"""The rules of a hand-off: one open escalation per conversation, contact only with consent; a
person answers in the chat when someone is on duty (bot/escalation/live.py), else the bot tells
so honestly and goes on answering."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.conversation.messages import BotMessage
from bot.core.clock import utcnow
from bot.core.config import get_settings
from bot.escalation import live, messages
from bot.escalation.models import Escalation, record_step
from bot.escalation.urgency import likely_urgent_reason, urgent_reason
from bot.forms import drafts
from bot.models import Conversation
from bot.notify import mail
from bot.privacy import held
from bot.reading import booking_number
from bot.reading.answers import wants_contact
from bot.reading.clauses import carried
from bot.reading.contact import Contact, parse_contact
from bot.staffing import duty
from bot.text.normalize import normalize

VISITOR = "visitor"
# «まだですか», «どうなりましたか», «いつ連絡もらえますか»: asking how the hand-off stands.
_ASKS_STATUS = re.compile(
    r"^まだ(です|でしょう)?か|まだかな|まだ(連絡|返事|回答)|どうなり(まし)?た|どうなって(い)?(ます|る)|"
    r"いつ(頃|ごろ)?(連絡|返事|回答|電話)|(連絡|返事|回答)(は|って)?(まだ|いつ)|待って(い)?(ます|る)けど"
)
BOT = "bot"


def _open_for(session: Session, sender_id: str) -> Escalation | None:
    return session.scalar(
        select(Escalation)
        .where(Escalation.sender_id == sender_id, Escalation.status != "closed")
        .order_by(Escalation.id.desc())
    )


def open_escalation(session: Session, sender_id: str, reason: str, trigger_text: str | None) -> Escalation:
    """The conversation's open escalation, created (or raised to high priority) as needed."""
    priority = "high" if reason == "urgent" else "normal"
    escalation = _open_for(session, sender_id)
    if escalation is not None:
        if priority == "high" and escalation.priority != "high":
            escalation.priority, escalation.reason = "high", reason
            record_step(session, escalation, BOT, "raised", trigger_text)
            announce_urgent(session, escalation)
        return escalation
    channel = session.scalar(select(Conversation.channel).where(Conversation.sender_id == sender_id))
    escalation = Escalation(
        reference=new_reference(),
        sender_id=sender_id,
        channel=channel or "web",
        reason=reason,
        priority=priority,
        trigger_text=trigger_text,
    )
    session.add(escalation)
    session.flush()
    record_step(session, escalation, BOT, "opened", trigger_text)
    if priority == "high":
        announce_urgent(session, escalation)
    return escalation


def announce_urgent(session: Session, escalation: Escalation) -> None:
    """E-mail the staff's address about a new urgent case: its number and where to open it, never
    the visitor's words or contact (those stay behind the dashboard's sign-in)."""
    settings = get_settings()
    link = f"{settings.staff_url}/staff/escalations/{escalation.id}"
    mail.queue(
        session,
        settings.urgent_mail_to,
        f"[緊急] チャットの新しいエスカレーション {escalation.reference}",
        messages.URGENT_MAIL.format(ref=escalation.reference, link=link),
    )


def new_reference() -> str:
    """A reference number (受付番号) that reveals nothing: ``R-7K3M9P``."""
    return booking_number.random_code("R-")


def status(session: Session, sender_id: str, text: str) -> BotMessage | None:
    """The honest answer to «まだですか» while the conversation's escalation is open: a staff
    member is on it, the place in the queue, or waiting (with the staffed hours when off)."""
    if not _ASKS_STATUS.search(normalize(text)):
        return None
    escalation = _open_for(session, sender_id)
    if escalation is None:
        return None
    position = live.queue_position(session, escalation) if escalation.bot_paused else None
    return messages.waiting(escalation, duty.availability(session), position)


_CHANGES_CONTACT = re.compile(
    r"(連絡先|連絡|電話|メール|アドレス|番号).{0,12}(変更|変え|替え|代え)|(変更|変え|替え)(て|た|まし|ます|たい|希望)|"
    r"ではなく|じゃなくて|やっぱり|の方が|のほうが|にしてください|宛て?に(ご)?連絡"
)


def change_contact(session: Session, sender_id: str, text: str) -> BotMessage | None:
    """A call-back's contact changed later in the conversation («やっぱりメールでお願いします
    a@b.jp»): stored, and the visitor told (masked); None when the message is not that."""
    if not _CHANGES_CONTACT.search(text):
        return None
    escalation = _open_for(session, sender_id)
    if escalation is None or not escalation.contact_consent:
        return None
    contact = parse_contact(text)
    if contact is None:
        return None
    escalation.contact_phone, escalation.contact_email = contact.phone, contact.email
    held.release(session, sender_id)
    record_step(session, escalation, VISITOR, "contact_changed")
    return messages.contact_changed(escalation, contact.masked())


def needs_contact(escalation: Escalation) -> bool:
    """True until the visitor has said whether staff may contact them."""
    return escalation.contact_consent is None


def finish_handoff(
    session: Session, sender_id: str, contact: Contact | None, name: str | None
) -> Escalation | None:
    """Store the contact given with consent (or the refusal). The bot goes on answering: no staff
    member talks in the chat (yet), so nothing holds the conversation."""
    escalation = _open_for(session, sender_id)
    if escalation is None:
        return None
    escalation.contact_consent = contact is not None
    if contact is not None:
        escalation.contact_name = name
        escalation.contact_phone, escalation.contact_email = contact.phone, contact.email
        held.release(session, sender_id)  # the call-back keeps the contact now
    record_step(session, escalation, VISITOR, "contact_given" if contact else "contact_declined")
    return escalation


def staff_answering(session: Session, sender_id: str) -> bool:
    """Whether a staff member has taken the visitor's conversation and answers in it now."""
    escalation = _open_for(session, sender_id)
    return escalation is not None and escalation.bot_paused and escalation.status == "in_progress"


def held_for_staff(session: Session, sender_id: str) -> live.Holding | None:
    """What a visitor message gets while the conversation is held for a person
    (bot/escalation/live.py); None when the bot answers."""
    escalation = _open_for(session, sender_id)
    if escalation is None or not escalation.bot_paused:
        return None
    return live.holding(session, escalation)


def file_if_urgent(session: Session, sender_id: str, text: str) -> list[BotMessage]:
    """Urgency on every path: a turn whose text is urgent (a form's answer, a question the bot
    answered) files the conversation as 緊急 unless it is already; what to tell the visitor
    (the phone number at once), said before the bot's own replies."""
    if not urgent_reason(text):
        return []
    escalation = _open_for(session, sender_id)
    if escalation is not None and escalation.priority == "high":
        return []
    escalation = open_escalation(session, sender_id, "urgent", text)
    return [messages.urgent_noted(escalation, duty.availability(session))]


def resume_bot(session: Session, sender_id: str) -> BotMessage | None:
    """The visitor stops waiting for a person (「チャットボットに戻る」, or starting over): the bot
    answers again, the escalation stays open for staff; what to tell them (None: not held)."""
    escalation = _open_for(session, sender_id)
    if escalation is None or not escalation.bot_paused:
        return None
    escalation.bot_paused = False
    record_step(session, escalation, VISITOR, "restarted")
    return messages.back_to_bot(escalation)


def close_escalation(session: Session, escalation: Escalation, actor: str, resolution: str) -> None:
    """Staff close the escalation; the bot answers the visitor again (and says so, when a person
    was in the chat)."""
    live.hand_back(session, escalation, actor)
    escalation.status, escalation.resolution = "closed", resolution
    escalation.closed_at = utcnow()
    record_step(session, escalation, actor, "closed", resolution)


def _opened_too_often(session: Session, sender_id: str) -> bool:
    settings = get_settings()
    since = utcnow() - timedelta(hours=1)
    count = session.scalar(
        select(func.count())
        .select_from(Escalation)
        .where(Escalation.sender_id == sender_id, Escalation.created_at >= since)
    )
    return (count or 0) >= settings.limit(settings.escalations_per_sender_per_hour)


@dataclass(frozen=True)
class Handoff:
    """What the visitor is told when the conversation goes to staff, and whether the contact
    form comes next."""

    messages: list[BotMessage]
    needs_contact: bool


def hand_off(
    session: Session, sender_id: str, reason: str, text: str, before: list[BotMessage] | None = None
) -> Handoff:
    """Open (or raise) the escalation and say so with its reference number. While a person is on
    duty the visitor waits in the chat for them; otherwise the contact form follows unless
    contact was settled. A conversation that has opened its hour's escalations is given the
    phone number instead."""
    if _open_for(session, sender_id) is None and _opened_too_often(session, sender_id):
        return Handoff([*(before or []), messages.too_often()], needs_contact=False)
    if likely_urgent_reason(text):  # on every path: asked for a person, a fallback, a topic question
        reason = "urgent"
    escalation = open_escalation(session, sender_id, reason, text or None)
    presence = duty.availability(session)
    if presence.live:
        return Handoff([*(before or []), *live.start_waiting(session, escalation)], needs_contact=False)
    told = [*(before or []), *messages.opened(escalation, presence)]
    if needs_contact(escalation):
        return Handoff(told, needs_contact=True)
    return Handoff([*told, *messages.finished(escalation)], needs_contact=False)


CONTACT_FORM = "contact_form"


def keep_contact_answer(session: Session, sender_id: str, slot: str, value: str | None) -> str | None:
    """Keep a contact-form answer in the form's draft; what Rasa's slot gets (FILLED or None)."""
    return drafts.keep(session, sender_id, CONTACT_FORM, {slot: value})[slot]


def give_contact(session: Session, sender_id: str, consent: bool) -> list[BotMessage]:
    """Store the contact the visitor agreed to give (or the refusal) from the contact form's
    draft, which is then forgotten; what to tell them."""
    answers = drafts.answers(session, sender_id, CONTACT_FORM)
    drafts.discard(session, sender_id, CONTACT_FORM)
    contact = parse_contact(answers.get("contact_detail") or "") if consent else None
    escalation = finish_handoff(session, sender_id, contact, answers.get("contact_name") if contact else None)
    return messages.finished(escalation) if escalation else []


FALLBACK = "nlu_fallback"


def fallbacks_hand_off(intents: list[str | None], in_form: bool) -> bool:
    """Two misunderstood messages in a row go to staff, except inside a form (the form asks its
    question again, and its buttons include a person)."""
    return intents[-2:] == [FALLBACK, FALLBACK] and not in_form


def call_back_answer(text: str) -> tuple[bool | None, str | None, Contact | None]:
    """The answer to the call-back offer: whether it is wanted (``None``: not said), and the name
    and the contact given with it («株式会社ミライボックスの岡田» is a yes with the name)."""
    contact, introduced = parse_contact(text), carried(text)
    name = (
        " ".join(v for v in (introduced.company, introduced.person_name) if v)
        if introduced.person_name
        else None
    )
    consent = wants_contact(text, contact is not None)
    if consent is None and name:
        consent = True
    return consent, name if consent else None, contact if consent else None
