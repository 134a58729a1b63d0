"""The booking conversation as the actions drive it: what to ask, how to read an answer,
the summary, and the outcome. Rasa keeps which questions are answered; the personal answers are
in the form's draft (bot/forms/drafts.py); the rules live here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.booking import form
from bot.booking import messages as say
from bot.booking.calendar import Slot, closure_reason, free_slots
from bot.booking.corrections import Correction, correction_in
from bot.booking.dates import Wanted, parse_wanted, weekday_alone
from bot.booking.form import FORM
from bot.booking.models import Booking, ConsultationKind, Place
from bot.booking.service import (
    BookingError,
    BookingRequest,
    cancel_booking,
    change_booking,
    create_booking,
    find_booking,
    may_try_cancel,
    own_open_bookings,
    record_cancel_try,
)
from bot.conversation.messages import BotMessage, Button, bot_message
from bot.core.clock import TOKYO, now_tokyo
from bot.forms import drafts
from bot.reading import clauses
from bot.reading.answers import is_clear_yes
from bot.reading.contact import parse_contact
from bot.text.normalize import content_words, normalize

IP_TYPES = {
    "patent": "特許・実用新案",
    "utility_model": "実用新案",
    "design": "意匠(デザイン)",
    "trademark": "商標",
    "copyright": "著作権",
    "trade_secret": "営業秘密・ノウハウ",
    "other": "その他・契約・侵害など",
}
SLOT_CHOICES = 5
_REMOTE = re.compile(
    r"オンライン|おんらいん|リモート|zoom|ズーム|teams|ウェブ会議|web会議|ビデオ通話|(電話|でんわ)(で|の)?\s*(相談|そうだん)|電話でお願い",
    re.I,
)


@dataclass
class Step:
    """A slot's new value (``None`` = ask again) and what to tell the visitor."""

    value: str | None = None
    messages: list[BotMessage] = field(default_factory=list)


def _inform(slot: str, value: str) -> str:
    return f'/inform{{"{slot}":"{value}"}}'


def _kinds(session: Session) -> list[ConsultationKind]:
    return list(session.scalars(select(ConsultationKind).where(ConsultationKind.enabled)))


def wants_remote(text: str) -> bool:
    """The visitor asks for a consultation at a distance (オンライン, Zoom, 電話で)."""
    return bool(_REMOTE.search(normalize(text)))


def _places(session: Session) -> list[Place]:
    return list(session.scalars(select(Place).where(Place.enabled)))


def _slots_offer(text: str, slots: list[Slot]) -> BotMessage:
    """Slots to choose from: a button each, and the card that lists them by day."""
    return say.slot_offer(text, [s.start for s in slots], _slot_buttons(slots))


def _slot_buttons(slots: list[Slot]) -> list[Button]:
    return [
        Button(title=say.slot_label(s.start), payload=_inform("booking_slot", s.start.isoformat()))
        for s in slots
    ]


# The day last asked for, kept in the form's draft: a time typed alone later («13時») is on that day,
# and the slots offered are near it.
WHEN = "booking_when"


def wanted_in(session: Session, sender_id: str, form_name: str, text: str) -> Wanted:
    """The day and time ``text`` asks for, a time alone on the day asked for before; what has a day
    is remembered for the turns after."""
    wanted = parse_wanted(text, now_tokyo().date())
    remembered = _remembered(session, sender_id, form_name)
    if not wanted.day and remembered.day and not wanted.past and (wanted.at or wanted.part):
        wanted = replace(wanted, day=remembered.day)
    _remember(session, sender_id, form_name, wanted)
    return wanted


def _remember(session: Session, sender_id: str, form_name: str, wanted: Wanted) -> None:
    if wanted.day:
        at = wanted.at.strftime("%H:%M") if wanted.at else ""
        drafts.keep(
            session, sender_id, form_name, {WHEN: f"{wanted.day.isoformat()}|{at}|{wanted.part or ''}"}
        )


def _remembered(session: Session, sender_id: str, form_name: str) -> Wanted:
    """The day, and the time or part of the day, asked for earlier in the form, if any."""
    remembered = drafts.answers(session, sender_id, form_name).get(WHEN)
    if not remembered:
        return Wanted()
    day, at, part = remembered.split("|")
    return Wanted(day=date.fromisoformat(day), at=time.fromisoformat(at) if at else None, part=part or None)


def _exact_slot(session: Session, wanted: Wanted, known: dict) -> str | None:
    """The free slot at the exact day and time (or the day's first, 朝イチ) asked for, once the kind
    and the place are known."""
    exact = wanted.day and (wanted.at or wanted.part == "first")
    if not (exact and known.get("place") and known.get("consultation_kind")):
        return None
    return _check_wanted(session, wanted, known).value


def ask(session: Session, sender_id: str, slot: str, slots: dict, text: str = "") -> list[BotMessage]:
    """The question for ``slot``, with buttons for the choices the calendar allows; a wish for an
    online or phone consultation, which the chat cannot book, is answered first in one sentence."""
    messages = _question(session, sender_id, slot, slots, text)
    if messages and _remote_refused(session, text):
        messages[0] = bot_message(f"{say.REMOTE_NOT_OFFERED}{messages[0]['text']}", messages[0]["buttons"])
    return messages


def _remote_refused(session: Session, text: str) -> bool:
    return wants_remote(text) and not any(p.online for p in _places(session))


def _question(session: Session, sender_id: str, slot: str, slots: dict, text: str) -> list[BotMessage]:
    """For the date, what the visitor typed («来週火曜の午後», now or earlier in the form) narrows the offer."""
    if slot == "booking_topic":
        buttons = [Button(title=label, payload=_inform("ip_type", key)) for key, label in IP_TYPES.items()]
        return [bot_message(say.ASK_TOPIC, buttons)]
    if slot == "consultation_kind":
        buttons = [Button(title=k.name, payload=_inform(slot, k.id)) for k in _kinds(session)]
        return [bot_message(say.ASK_KIND, buttons)]
    if slot == "place":
        buttons = [Button(title=p.name, payload=_inform(slot, p.id)) for p in _places(session)]
        return [bot_message(say.ASK_PLACE, buttons)]
    if slot == "booking_slot":
        wanted = wanted_in(session, sender_id, FORM, text)
        if wanted.empty:
            wanted = _remembered(session, sender_id, FORM)
        if not wanted.empty and (messages := _check_wanted(session, wanted, slots).messages):
            return messages
        return _offer(session, slots)
    raise ValueError(f"no dynamic question for {slot}")


def _offer(session: Session, slots: dict) -> list[BotMessage]:
    """The first free slots, to choose from."""
    choices = free_slots(session, slots["place"], slots["consultation_kind"], now_tokyo(), SLOT_CHOICES)
    if not choices:
        return [bot_message(say.NO_FREE_SLOTS, say.FALLBACK_BUTTONS)]
    return [_slots_offer(say.ASK_SLOT, choices)]


# Words that name a consultation kind or a place wherever they stand in a message (a kind's
# words are in its name; a place is named by its name without 本部/支援室).
_KIND_WORDS = ("弁理士", "弁護士", "専門家", "アドバイザー")
_PLACE_SUFFIXES = re.compile(r"本部|支援室")
# Other words for them: kana spellings, and the station or town each place is known by.
_OTHER_WORDS = (
    (r"べんりし", "弁理士"), (r"べんごし", "弁護士"), (r"せんもんか", "専門家"), (r"あどばいざー", "アドバイザー"),
    (r"あきはばら|本部|ほんぶ", "秋葉原"), (r"じょうとう|青砥|青戸|あおと", "城東"),
    (r"じょうなん|蒲田|かまた", "城南"), (r"たま(?=で|の|に|支援|しえん|$)|昭島|あきしま", "多摩"),
)  # fmt: skip


def _plain_words(text: str) -> str:
    """``text`` normalised, with the other words for kinds and places in their names' words."""
    text = normalize(text)
    for pattern, word in _OTHER_WORDS:
        text = re.sub(pattern, word, text)
    return text


def mentions(session: Session, text: str) -> dict[str, str]:
    """The kind and the place a message names in passing («弁理士さんに、秋葉原で»), by id."""
    text = _plain_words(text)
    found = {}
    kinds = [k for k in _kinds(session) if any(w in text and w in k.name for w in _KIND_WORDS)]
    if len(kinds) == 1:
        found["consultation_kind"] = kinds[0].id
    places = [p for p in _places(session) if not p.online and _PLACE_SUFFIXES.sub("", p.name) in text]
    if len(places) == 1:
        found["place"] = places[0].id
    return found


def in_passing(
    session: Session, sender_id: str, text: str, open_slots: list[str], slots: dict, starting: bool
) -> dict[str, str | None]:
    """What a message gives in passing for the open questions: the kind and the place it names; the
    free slot at the exact day and time it names, once kind and place are known; a phone number
    or e-mail, and an introduction with the company, it carries; and, in the message that starts
    the booking, a few words about the matter (kept in the draft; the slot gets FILLED). What does
    not fit exactly (a slot taken, a contact that cannot take another booking) is left for its
    question, which says why."""
    found: dict[str, str | None] = {
        slot: value for slot, value in mentions(session, text).items() if slot in open_slots
    }
    known = {**slots, **found}
    if "booking_slot" in open_slots:
        wanted = wanted_in(session, sender_id, FORM, text)
        if wanted.empty:
            wanted = _remembered(session, sender_id, FORM)
        if slot := _exact_slot(session, wanted, known):
            found["booking_slot"] = slot
    if "booking_contact" in open_slots:
        reading = form.read_contact(session, text, {})
        if reading.values["booking_contact"]:
            found.update(drafts.keep(session, sender_id, FORM, reading.values))
    typed = _carried(text, open_slots, starting)
    if typed:
        found.update(drafts.keep(session, sender_id, FORM, typed))
    return found


def _carried(text: str, open_slots: list[str], starting: bool) -> dict[str, str | None]:
    """The introduction, and the description when named as such («相談内容は…») or when the
    message starts the booking."""
    carried = clauses.carried(text)
    values = {"company": carried.company, "person_name": carried.person_name}
    values["booking_description"] = clauses.named_matter(text) or (carried.description if starting else None)
    return {slot: value for slot, value in values.items() if value and slot in open_slots}


def _match_option(text: str, options: list, entity: str | None) -> str | None:
    """The option chosen by button (entity), found in passing (its id), or named in typed text
    («秋葉原で» → 秋葉原本部)."""
    ids = {o.id for o in options}
    if entity in ids:
        return entity
    if text in ids:
        return text
    words = set(content_words(text))
    scores = sorted(((len(words & set(content_words(o.name))), o.id) for o in options), reverse=True)
    if scores and scores[0][0] > 0 and (len(scores) == 1 or scores[0][0] > scores[1][0]):
        return scores[0][1]
    return None


def check(session: Session, sender_id: str, slot: str, text: str, entity: str | None, slots: dict) -> Step:
    """Read the visitor's answer for ``slot``; a clear ``Step`` either way (not understood: what is
    expected, with the question's buttons)."""
    if slot in ("consultation_kind", "place"):
        options = _kinds(session) if slot == "consultation_kind" else _places(session)
        chosen = _match_option(text, options, entity) or mentions(session, text).get(slot)
        if chosen:
            return Step(chosen)
        return Step(None, [*_missed(session, sender_id, slot), *ask(session, sender_id, slot, slots, text)])
    if slot == "booking_slot":
        # A slot's own value (a button, or read in passing) is checked as the slot it names; when
        # not settled, the step's messages offer slots near what was typed.
        return _check_slot(session, sender_id, FORM, text, entity or _slot_value(text), slots)
    raise ValueError(f"no check for {slot}")


def _slot_value(text: str) -> str | None:
    """``text`` when it is a slot's start as the bot writes it (ISO 8601), else ``None``."""
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return None
    return text


def _wall_clock(start: datetime) -> datetime:
    """Slots are Tokyo wall-clock times: an instant with an offset is read as Tokyo time."""
    return start.astimezone(TOKYO).replace(tzinfo=None) if start.tzinfo else start


def _check_slot(
    session: Session, sender_id: str, form_name: str, text: str, entity: str | None, slots: dict
) -> Step:
    place, kind = slots["place"], slots["consultation_kind"]
    if entity:
        try:
            start = _wall_clock(datetime.fromisoformat(entity))
        except ValueError:
            return Step(None, _offer(session, slots))
        free = free_slots(session, place, kind, start, 1, only_day=start.date())
        if free and free[0].start == start:
            return Step(start.isoformat())
        return Step(None, [_slots_offer(say.SLOT_TAKEN, free_slots(session, place, kind, start))])
    return _check_wanted(session, wanted_in(session, sender_id, form_name, text), slots)


def _check_wanted(session: Session, wanted: Wanted, slots: dict) -> Step:
    """The free slot at the day and time the visitor asked for, or why not with slots near it."""
    place, kind = slots["place"], slots["consultation_kind"]
    if wanted.past:
        later = free_slots(session, place, kind, now_tokyo(), SLOT_CHOICES)
        return Step(None, [_slots_offer(say.PAST_DAY, later)])
    if wanted.empty:
        return Step(None, [bot_message(say.DATE_NOT_UNDERSTOOD), *_offer(session, slots)])
    if wanted.day and (reason := closure_reason(session, wanted.day)):
        later = free_slots(session, place, kind, datetime.combine(wanted.day, datetime.min.time()))
        return Step(None, [_slots_offer(say.closed_day(wanted.day, reason), later)])
    candidates = free_slots(session, place, kind, now_tokyo(), 40, only_day=wanted.day)
    matching = [s for s in candidates if say.fits(s.start, wanted)]
    exact = wanted.part == "first" or (wanted.at and matching and matching[0].start.time() == wanted.at)
    if matching and wanted.day and exact:  # a time alone names no slot: on which day?
        return Step(matching[0].start.isoformat())
    offer = matching or candidates
    return Step(None, [_slots_offer(say.offer_for(wanted), offer[:SLOT_CHOICES])])


def given(session: Session, sender_id: str, slots: dict) -> dict:
    """The form's answers: Rasa's slots with the personal answers of the draft in place of FILLED."""
    return {**slots, **drafts.answers(session, sender_id, FORM)}


def read_answer(
    session: Session, sender_id: str, slot: str, text: str, slots: dict
) -> tuple[dict[str, str | None], list[BotMessage]]:
    """Read a typed answer by its question's reader (bot/booking/form.py) and keep it in the draft;
    what Rasa's slots get instead (FILLED, or None to ask again), and what to tell the visitor."""
    read = form.question(slot).read
    if read is None:
        raise ValueError(f"{slot} is not a typed answer")
    reading = read(session, text, given(session, sender_id, slots))
    return drafts.keep(session, sender_id, FORM, reading.values), reading.messages


def correction_for(text: str, slots: dict, asked: str | None) -> Correction | None:
    """The correction ``text`` makes to an answer already given, at the question ``asked`` (an
    answer not given yet is read in passing, not corrected). Reads no store: most turns correct
    nothing."""
    fix = correction_in(text, asked) if asked else None
    if fix is None or fix.slot not in slots or slots.get(fix.slot) is None:
        return None
    return fix


def correct(
    session: Session, sender_id: str, fix: Correction, slots: dict
) -> tuple[dict[str, str | None], list[BotMessage]]:
    """A correction typed at any question or at the summary changes that answer only (or asks it
    again); the summary is then shown anew."""
    values: dict[str, str | None] = {fix.slot: None, "booking_confirmed": None}
    messages: list[BotMessage] = []
    if fix.value and fix.slot in ("consultation_kind", "place"):
        values.update({k: v for k, v in mentions(session, fix.value).items() if k == fix.slot})
        known = {**slots, **values}
        if values[fix.slot] and slots.get("booking_slot"):
            kept = _check_slot(session, sender_id, FORM, "", slots["booking_slot"], known)
            values["booking_slot"], messages = kept.value, kept.messages
        elif values[fix.slot] and (
            slot := _exact_slot(session, _remembered(session, sender_id, FORM), known)
        ):
            values["booking_slot"] = slot
    elif fix.value and fix.slot == "booking_slot" and slots.get("place") and slots.get("consultation_kind"):
        wanted = _corrected_when(session, sender_id, fix.value, slots.get("booking_slot"))
        step = _check_wanted(session, wanted, slots)
        values["booking_slot"], messages = step.value, step.messages
    elif fix.value and form.question(fix.slot).personal:
        answer, messages = read_answer(session, sender_id, fix.slot, fix.value, slots)
        values.update(answer)
    said = _said_back(session, sender_id, fix.slot, values.get(fix.slot))
    return values, [*said, *messages]


def _said_back(session: Session, sender_id: str, slot: str, value: str | None) -> list[BotMessage]:
    """The changed answer said back («場所を「城東支援室」に変更しました。»); nothing when it is to
    be asked again."""
    if value is None:
        return []
    label = say.CHOICE_LABELS.get(slot)
    if slot == "consultation_kind":
        kind = session.get(ConsultationKind, value)
        shown = kind.name if kind else value
    elif slot == "place":
        place = session.get(Place, value)
        shown = place.name if place else value
    elif slot == "booking_slot":
        shown = say.slot_label(datetime.fromisoformat(value))
    else:
        question = form.question(slot)
        label, shown = question.label, _shown(question, given(session, sender_id, {}).get(slot)) or ""
    return [bot_message(say.changed_field(label or slot, shown))]


MISSES = "misses:"  # draft key: how often a question's answer could not be read


def _missed(session: Session, sender_id: str, slot: str) -> list[BotMessage]:
    """What the question expects; from the second miss on, with a person and a way out."""
    key = MISSES + slot
    misses = int(drafts.answers(session, sender_id, FORM).get(key) or 0) + 1
    drafts.keep(session, sender_id, FORM, {key: str(misses)})
    hint = f"{say.STILL_NOT_READ}{say.HINTS.get(slot, '')}"
    return [bot_message(hint, say.STUCK_BUTTONS if misses >= 2 else [])]


CHOICES = ("booking_topic", "consultation_kind", "place", "booking_slot")  # asked with buttons


def unanswered(
    session: Session, sender_id: str, asked: str, text: str, intent: str | None, slots: dict
) -> tuple[dict[str, Any], list[BotMessage]] | None:
    """A message that answered nothing at ``asked``. ``None`` when it leaves the form or asks
    something else (the dialogue's rules take it, then the form resumes); a yes or a no to the
    consent and the summary; else the question again with what it expects, never dropped silently."""
    if form.stops(text, intent) or form.asks_something_else(text, intent):
        return None
    if asked in ("booking_consent", "booking_confirmed") and is_clear_yes(text):
        return {asked: True if asked == "booking_consent" else "yes"}, []
    if asked == "booking_consent" and form.says_no(text):
        return None  # no consent, no booking: the form's rule stops it
    if asked == "booking_confirmed" and form.says_no(text):
        return {asked: form.REFUSED}, []  # what to change is asked next
    if form.is_courtesy(text, intent):
        return {asked: None}, [bot_message(say.THANKS_IN_FORM if intent == "thank" else say.GREETING_IN_FORM)]
    if asked == "booking_confirmed":
        return {asked: None}, [bot_message(say.CONFIRM_OR_CHANGE)]  # the summary follows
    if asked in CHOICES:  # its question, with its buttons, follows what it expects
        said = [] if _remote_refused(session, text) else _missed(session, sender_id, asked)
        return {asked: None}, [*said, *ask(session, sender_id, asked, slots, text)]
    if _remote_refused(session, text):
        return {asked: None}, [bot_message(say.REMOTE_NOT_BOOKABLE)]
    return {asked: None}, _missed(session, sender_id, asked)


def what_to_change(
    session: Session, sender_id: str, text: str, entity: str | None, slots: dict
) -> tuple[dict[str, str | None], list[BotMessage]] | None:
    """The field the visitor wants to change, pressed or named: changed at once when the new value
    came with it («名前は山田花子です»), else emptied to be asked again."""
    if fix := correction_for(text, slots, form.CHANGE):
        values, messages = correct(session, sender_id, fix, slots)
        return {**values, form.CHANGE: None}, messages
    field = entity if entity in form.SLOTS else form.field_named(text)
    if field is None:
        return None
    return {field: None, "booking_confirmed": None, form.CHANGE: None}, []


def _corrected_when(session: Session, sender_id: str, typed: str, chosen: str | None) -> Wanted:
    """The new day and time of a correction, read against the slot chosen: a weekday alone is
    that day of the same week («火曜じゃなくて水曜で»), a time alone is on the same day, and a new
    day keeps the time chosen unless another is typed."""
    wanted = wanted_in(session, sender_id, FORM, typed)
    if not chosen:
        return wanted
    start = datetime.fromisoformat(chosen)
    if (weekday := weekday_alone(typed)) is not None:
        wanted = replace(wanted, day=start.date() + timedelta(days=weekday - start.weekday()))
    if not wanted.day:
        wanted = replace(wanted, day=start.date())
    if not wanted.at and not wanted.part:
        wanted = replace(wanted, at=start.time())
    _remember(session, sender_id, FORM, wanted)
    return wanted


def stop(session: Session, sender_id: str) -> None:
    """The visitor stopped booking or cancelling: the answers are forgotten."""
    drafts.discard(session, sender_id, FORM)
    drafts.discard(session, sender_id, CANCEL_FORM)


def summary(session: Session, sender_id: str, slots: dict) -> list[BotMessage]:
    """Everything the visitor gave, to confirm or correct. The day asked for is forgotten: the slot
    is chosen, and a new date asked for from here starts afresh."""
    drafts.keep(session, sender_id, FORM, {WHEN: None})
    slots = given(session, sender_id, slots)
    kind = session.get(ConsultationKind, slots["consultation_kind"])
    place = session.get(Place, slots["place"])
    start = datetime.fromisoformat(slots["booking_slot"])
    answers = [(q.label, _shown(q, slots.get(q.slot))) for q in form.QUESTIONS if q.label]
    topic = IP_TYPES.get(slots.get("booking_topic") or "other", IP_TYPES["other"])
    return [say.summary(answers, kind, place, start, topic)]


def _shown(question: form.Question, answer: str | None) -> str | None:
    return question.shown(answer) if answer else None


def submit(session: Session, slots: dict, sender_id: str, base_url: str) -> tuple[bool, list[BotMessage]]:
    """Book; ``(True, confirmation)`` or ``(False, why, with other slots to choose)``."""
    slots = given(session, sender_id, slots)
    contact = parse_contact(slots.get("booking_contact") or "")
    if contact is None:
        return False, [bot_message(say.INVALID_CONTACT)]
    request = BookingRequest(
        kind_id=slots["consultation_kind"],
        place_id=slots["place"],
        slot_start=datetime.fromisoformat(slots["booking_slot"]),
        contact=contact,
        topic=slots.get("booking_topic"),
        company=slots.get("company"),
        person_name=slots.get("person_name"),
        description=slots.get("booking_description"),
        sender_id=sender_id,
    )
    try:
        with session.begin_nested():
            booking = create_booking(session, request)
    except BookingError as error:
        others = free_slots(session, request.place_id, request.kind_id, request.slot_start)
        return False, [_slots_offer(say.refusal(error.code), others)]
    drafts.discard(session, sender_id, FORM)
    return True, [say.confirmation(booking, _place_name(session, booking), base_url)]


def _place_name(session: Session, booking: Booking) -> str:
    place = session.get(Place, booking.place_id)
    return place.name if place else booking.place_id


CANCEL_FORM = "cancel_form"
LIMITED = "limited"  # in the cancel form's draft: the hour's tries were used up


def check_cancel_contact(session: Session, sender_id: str, number: str, text: str) -> bool:
    """Whether number and contact match an open booking (the caller never says which failed);
    the contact is kept in the cancel form's draft, not in Rasa's slots. Past the hour's tries
    (bot/booking/service.py ``may_try_cancel``) nothing matches, and the form ends saying so."""
    contact = parse_contact(text)  # a placeholder stands for the contact only in this turn
    if not may_try_cancel(session, sender_id, number):
        drafts.keep(session, sender_id, CANCEL_FORM, {"cancel_contact": None, LIMITED: "yes"})
        return False
    drafts.keep(session, sender_id, CANCEL_FORM, {"cancel_contact": str(contact) if contact else None})
    matched = contact is not None and find_booking(session, number, str(contact)) is not None
    record_cancel_try(session, sender_id, number, matched)
    return matched


def own_booking(session: Session, sender_id: str) -> str | None:
    """The number of the one open booking this conversation made («さっきの予約»); its contact
    goes to the cancel form's draft, as if typed. ``None`` when there is none, or several."""
    bookings = own_open_bookings(session, sender_id, now_tokyo().replace(tzinfo=None))
    if len(bookings) != 1:
        return None
    contact = bookings[0].email or bookings[0].phone or ""
    drafts.keep(session, sender_id, CANCEL_FORM, {"cancel_contact": contact})
    return bookings[0].number


def cancel_summary(
    session: Session, sender_id: str, number: str, choice: str, new_slot: str | None
) -> list[BotMessage]:
    """What will be done, to confirm: the booking found, and the new slot of a change."""
    booking = _cancelling(session, sender_id, number)
    if booking is None:
        return [bot_message(say.NOT_FOUND, say.FALLBACK_BUTTONS)]
    place = _place_name(session, booking)
    new_start = datetime.fromisoformat(new_slot) if choice == "change" and new_slot else None
    return [say.cancel_summary(booking.number, booking.slot_start, place, new_start)]


def _cancelling(session: Session, sender_id: str, number: str) -> Booking | None:
    contact = drafts.answers(session, sender_id, CANCEL_FORM).get("cancel_contact") or ""
    return find_booking(session, number, contact)


def ask_new_slot(session: Session, sender_id: str, number: str) -> list[BotMessage]:
    """The new slot's question: slots near the day asked for with the change, else the first free."""
    booking = _cancelling(session, sender_id, number)
    if booking is None:
        return [bot_message(say.NOT_FOUND, say.FALLBACK_BUTTONS)]
    known = {"place": booking.place_id, "consultation_kind": booking.kind_id}
    found = bot_message(say.booking_found(booking.number, booking.slot_start, _place_name(session, booking)))
    wanted = _remembered(session, sender_id, CANCEL_FORM)
    if not wanted.empty and (messages := _check_wanted(session, wanted, known).messages):
        return [found, *messages]
    slots = free_slots(session, booking.place_id, booking.kind_id, now_tokyo(), SLOT_CHOICES)
    return [found, _slots_offer(say.ASK_NEW_SLOT, slots)]


def ask_cancel_choice(session: Session, sender_id: str, number: str) -> list[BotMessage]:
    """The booking found, and whether to cancel or change it."""
    booking = _cancelling(session, sender_id, number)
    if booking is None:
        return [bot_message(say.NOT_FOUND, say.FALLBACK_BUTTONS)]
    found = say.booking_found(booking.number, booking.slot_start, _place_name(session, booking))
    return [bot_message(f"{found}\n{say.ASK_CANCEL_CHOICE}", say.CANCEL_CHOICE_BUTTONS)]


def new_slot_in_passing(session: Session, sender_id: str, number: str | None, text: str) -> str | None:
    """The new slot named with the change request («再来週の火曜の13時に変えたい»), once the booking
    is known and free at that exact time; the day asked for is remembered either way."""
    wanted = wanted_in(session, sender_id, CANCEL_FORM, text)
    booking = _cancelling(session, sender_id, number) if number else None
    if booking is None:
        return None
    known = {"place": booking.place_id, "consultation_kind": booking.kind_id}
    return _exact_slot(session, wanted, known)


def check_new_slot(session: Session, sender_id: str, number: str, text: str, entity: str | None) -> Step:
    booking = _cancelling(session, sender_id, number)
    if booking is None:
        return Step(None, [bot_message(say.NOT_FOUND, say.FALLBACK_BUTTONS)])
    slots = {"place": booking.place_id, "consultation_kind": booking.kind_id}
    return _check_slot(session, sender_id, CANCEL_FORM, text, entity, slots)


def cancel_or_change(
    session: Session, sender_id: str, number: str, choice: str, new_slot: str | None
) -> list[BotMessage]:
    """Cancel, or move to ``new_slot``, the booking matching number and the contact given; the
    cancel form's draft is then forgotten."""
    booking = _cancelling(session, sender_id, number)
    limited = drafts.answers(session, sender_id, CANCEL_FORM).get(LIMITED)
    drafts.discard(session, sender_id, CANCEL_FORM)
    if booking is None:
        return [bot_message(say.TOO_MANY_CANCEL_TRIES if limited else say.NOT_FOUND, say.FALLBACK_BUTTONS)]
    if choice == "cancel":
        cancel_booking(session, booking)
        return [bot_message(say.cancelled(booking.number))]
    try:
        change_booking(session, booking, datetime.fromisoformat(new_slot or ""))
    except (BookingError, ValueError) as error:
        return [bot_message(say.refusal(getattr(error, "code", "no_such_slot")), say.FALLBACK_BUTTONS)]
    return [bot_message(say.changed(booking.number, booking.slot_start, _place_name(session, booking)))]
