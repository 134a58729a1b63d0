"""Run the scripted conversations of tests/dialogues/ through the real system and score them.

Starts the whole system on free ports with its clock fixed at Tue 2026-12-01 10:00 Tokyo time
(the conversations' "today"), sends every turn to ``/api/chat`` as a visitor would, and checks
what each turn states (tests/dialogues/README.md): the intent recorded, what the bot is asking
for next, text that must or must not appear, the buttons, the booking in the database and the
hand-off. Every turn is also checked for what must never happen: an empty reply, a full phone
number or e-mail address shown back, 承知しました after a turn that did nothing, an ISO date.

Prints turns passed / total, conversations passed / total, and each failure with the bot's
reply. ``--sealed`` runs the sealed third too (only before resolving an issue, never in CI).
Conversations of ``channel: line`` go through ``/api/chat`` as well: the LINE protocol is
tested in tests/line.

Usage: python scripts/eval_dialogues.py [--sealed] [--only ID-PREFIX] [--json out.json] [--floor 0.75]

``--floor`` makes the run fail when fewer turns pass than that share (``make test`` gates on it,
so that a change that breaks conversations as typed does not land).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.booking.models import Booking, ConsultationKind, Place
from bot.escalation.models import Escalation
from bot.models import Conversation, Message
from scripts.system import ROOT, System

DIALOGUES = ROOT / "tests" / "dialogues"
CLOCK_START = "2026-12-01T10:00:00+09:00"
SOURCES = ROOT.parent / "shared" / "content" / "sources.md"

# What the bot is asking for, from Rasa's active form and requested slot.
ASKS_FOR = {
    "booking_topic": "topic",
    "consultation_kind": "kind",
    "place": "place",
    "booking_slot": "datetime",
    "company": "company",
    "person_name": "name",
    "booking_contact": "contact",
    "booking_description": "description",
    "booking_consent": "consent",
    "booking_confirmed": "confirm",
    "booking_change": "what_to_change",
    "cancel_number": "booking_number",
    "cancel_contact": "cancel_contact",
    "cancel_choice": "cancel_or_change",
    "cancel_confirmed": "cancel_confirm",
    "new_booking_slot": "new_datetime",
    "contact_consent": "callback_consent",
    "contact_name": "callback_name",
    "contact_detail": "callback_contact",
}
# The writers' topic labels and the topic keys a booking may store for them.
TOPICS = {
    "特許・実用新案": {"patent", "utility_model"},
    "意匠": {"design"},
    "商標": {"trademark"},
    "著作権": {"copyright"},
    "営業秘密": {"trade_secret"},
    "契約": {"contract", "other"},
    "侵害": {"infringement", "other"},
    "その他": {"other"},
}
BOOKING_STATES = {"booked": "confirmed", "cancelled": "cancelled"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\d)(?:\+81[- ]?|0)\d{1,4}[- ]?\d{1,4}[- ]?\d{3,4}(?!\d)")
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
EMPTY_ACK = "承知しました"
INTENT_WAIT_SECONDS = 3.0


@dataclass
class Turn:
    """The outcome of one turn: what the bot said and the checks that failed."""

    said: str
    reply: str
    failures: list[str] = field(default_factory=list)


def public_numbers() -> set[str]:
    """Phone numbers the center publishes (the bot may show them), digits only."""
    text = SOURCES.read_text("utf-8") if SOURCES.exists() else ""
    return {re.sub(r"\D", "", m) for m in PHONE.findall(text)}


def load(sealed: bool, only: str | None) -> list[dict]:
    files = sorted(DIALOGUES.glob("*.yml")) + (sorted((DIALOGUES / "sealed").glob("*.yml")) if sealed else [])
    conversations = [c for path in files for c in yaml.safe_load(path.read_text("utf-8"))["conversations"]]
    return [c for c in conversations if not only or c["id"].startswith(only)]


class Runner:
    """One system, many conversations: sends turns and reads the stores to check them."""

    def __init__(self, system: System) -> None:
        self.system = system
        self.http = httpx.Client(base_url=system.gateway_url, timeout=60)
        self.db = create_engine(system.database_url)
        self.published = public_numbers()

    def run(self, conversation: dict) -> list[Turn]:
        # /api/chat takes web sender ids only (any other is replaced by a fresh one each turn).
        channel = "line" if conversation.get("channel") == "line" else "web"
        sender = f"web-{channel}-eval-{uuid.uuid4().hex[:12]}"
        last: list[dict] = []
        turns = []
        for step in conversation["turns"]:
            said, payload = self._input(step, last)
            if payload is None:
                turns.append(Turn(said, "", [f"no button containing {step['press']!r} in the last reply"]))
                continue
            before = self._acts(sender)
            last = self.http.post("/api/chat", json={"sender_id": sender, "text": payload}).json()["messages"]
            turns.append(self._check(sender, step.get("expect") or {}, said, last, before))
        return turns

    @staticmethod
    def _input(step: dict, last: list[dict]) -> tuple[str, str | None]:
        if "user" in step:
            return str(step["user"]), str(step["user"])
        wanted = str(step["press"])
        buttons = [b for m in last for b in m.get("buttons", [])]
        payload = next((b["payload"] for b in buttons if wanted in b["title"]), None)
        return f"[press {wanted}]", payload

    def _check(self, sender: str, expect: dict, said: str, messages: list[dict], before: tuple) -> Turn:
        reply = "\n".join(m.get("text", "") for m in messages)
        buttons = [b["title"] for m in messages for b in m.get("buttons", [])]
        turn = Turn(said, reply + (f"\n  [buttons: {' | '.join(buttons)}]" if buttons else ""))
        fail = turn.failures.append
        if not reply.strip():
            fail("empty reply")
        for email in EMAIL.findall(reply):
            fail(f"full e-mail address shown: {email}")
        for phone in PHONE.findall(reply):
            if re.sub(r"\D", "", phone) not in self.published:
                fail(f"full phone number shown: {phone}")
        if ISO_DATE.search(reply):
            fail("a date shown as YYYY-MM-DD")
        if EMPTY_ACK in reply and self._acts(sender) == before:
            fail("承知しました, and nothing was done")
        if "intent" in expect and (got := self._intent(sender)) != expect["intent"]:
            fail(f"intent {got}, expected {expect['intent']}")
        if "asks_for" in expect and (got := self._asks_for(sender)) != expect["asks_for"]:
            fail(f"asks for {got}, expected {expect['asks_for']}")
        for text in expect.get("says_none") or []:
            if text in reply:
                fail(f"says {text!r}")
        if (wanted := expect.get("says_any")) and not any(text in reply for text in wanted):
            fail(f"says none of {wanted}")
        if (wanted := expect.get("buttons_any")) and not any(w in b for w in wanted for b in buttons):
            fail(f"no button with any of {wanted}")
        if "booking" in expect:
            turn.failures += self._booking_failures(sender, expect["booking"])
        if "handoff" in expect or "urgent" in expect:
            turn.failures += self._handoff_failures(sender, expect)
        return turn

    def _acts(self, sender: str) -> tuple:
        """What the system has done for this visitor: bookings and escalations with their state,
        and the form in progress (stopping a booking is an act)."""
        with Session(self.db) as session:
            bookings = session.execute(
                select(Booking.id, Booking.status, Booking.slot_start).where(Booking.sender_id == sender)
            ).all()
            escalations = session.execute(
                select(
                    Escalation.id, Escalation.priority, Escalation.contact_phone, Escalation.contact_email
                ).where(Escalation.sender_id == sender)
            ).all()
        return (
            tuple(bookings),
            tuple(escalations),
            (self._tracker(sender).get("active_loop") or {}).get("name"),
        )

    def _intent(self, sender: str) -> str | None:
        """The intent recorded for the visitor's last message (recorded just after the reply)."""
        deadline = time.monotonic() + INTENT_WAIT_SECONDS
        while True:
            with Session(self.db) as session:
                intent = session.scalar(
                    select(Message.intent)
                    .join(Conversation)
                    .where(Conversation.sender_id == sender, Message.direction == "visitor")
                    .order_by(Message.id.desc())
                    .limit(1)
                )
            if intent is not None or time.monotonic() > deadline:
                return intent
            time.sleep(0.05)

    def _tracker(self, sender: str) -> dict:
        """Rasa's current state of the conversation (slots, active form), without its events."""
        url = f"{self.system.rasa_url}/conversations/{sender}/tracker"
        return httpx.get(url, params={"include_events": "NONE", **self.system.rasa_auth}, timeout=30).json()

    def _asks_for(self, sender: str) -> str:
        tracker = self._tracker(sender)
        if not (tracker.get("active_loop") or {}).get("name"):
            return "nothing"
        requested = tracker.get("slots", {}).get("requested_slot")
        return ASKS_FOR.get(requested, f"unknown ({requested})")

    def _booking_failures(self, sender: str, wanted: dict) -> list[str]:
        with Session(self.db) as session:
            booking = session.scalar(
                select(Booking)
                .where(Booking.sender_id == sender)
                .order_by(Booking.updated_at.desc())
                .limit(1)
            )
            state = BOOKING_STATES.get(booking.status, booking.status) if booking else "none"
            if wanted.get("state", "confirmed") != state:
                return [f"booking {state}, expected {wanted.get('state', 'confirmed')}"]
            if booking is None:
                return []
            actual = {
                "date": booking.slot_start.date().isoformat(),
                "time": f"{booking.slot_start:%H:%M}",
                "place": session.get(Place, booking.place_id).name,
                "kind": session.get(ConsultationKind, booking.kind_id).name,
                "topic": booking.topic or "other",
                "company": bare(booking.company),
                "name": bare(booking.person_name),
                "email": booking.email or "",
                "phone": re.sub(r"\D", "", booking.phone or ""),
            }
        return [
            f"booking {key} {actual[key]!r}, expected {value!r}"
            for key, value in wanted.items()
            if key != "state" and key in actual and not matches(key, str(value), actual[key])
        ]

    def _handoff_failures(self, sender: str, wanted: dict) -> list[str]:
        with Session(self.db) as session:
            escalation = session.scalar(select(Escalation).where(Escalation.sender_id == sender).limit(1))
        failures = []
        if "handoff" in wanted and bool(escalation) != bool(wanted["handoff"]):
            failures.append(
                f"hand-off {'filed' if escalation else 'not filed'}, expected {wanted['handoff']}"
            )
        if wanted.get("urgent") and not (escalation and escalation.priority == "high"):
            failures.append("hand-off not filed as urgent")
        return failures


def bare(value: str | None) -> str:
    """A company or person name without legal forms, honorifics and spaces, for comparison."""
    value = re.sub(r"株式会社|有限会社|合同会社|（株）|\(株\)|㈱|さん$|様$", "", value or "")
    return re.sub(r"\s|　", "", value)


def matches(key: str, wanted: str, actual: str) -> bool:
    if key == "topic":
        return actual in TOPICS.get(wanted, {wanted})
    if key in {"company", "name"}:
        return bare(wanted) == actual
    if key == "place":
        return wanted in actual or actual in wanted
    if key == "kind":
        return wanted.removesuffix("相談") in actual
    if key == "phone":
        return re.sub(r"\D", "", wanted) == actual
    if key == "email":
        return wanted.lower() == actual.lower()
    return wanted == actual


def report(results: dict[str, list[Turn]]) -> dict:
    turns = [t for ts in results.values() for t in ts]
    passed_turns = sum(not t.failures for t in turns)
    passed = [cid for cid, ts in results.items() if all(not t.failures for t in ts)]
    print("\n== failures")
    for cid, ts in results.items():
        for number, turn in enumerate(ts, 1):
            if turn.failures:
                print(f"\n{cid} turn {number}: {turn.said}")
                for failure in turn.failures:
                    print(f"  ✗ {failure}")
                print("  bot: " + turn.reply.replace("\n", "\n       "))
    print(f"\nturns passed          {passed_turns} / {len(turns)} ({passed_turns / max(len(turns), 1):.1%})")
    print(f"conversations passed  {len(passed)} / {len(results)} ({len(passed) / max(len(results), 1):.1%})")
    return {
        "turns": len(turns),
        "turns_passed": passed_turns,
        "conversations": len(results),
        "conversations_passed": len(passed),
        "failures": {cid: [t.failures for t in ts] for cid, ts in results.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sealed", action="store_true", help="also run the sealed third")
    parser.add_argument("--only", help="only conversations whose id starts with this")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--floor", type=float, help="fail when the share of turns passed is lower")
    args = parser.parse_args()
    conversations = load(args.sealed, args.only)
    with tempfile.TemporaryDirectory() as workdir, System(Path(workdir), clock_start=CLOCK_START) as system:
        runner = Runner(system)
        results = {c["id"]: runner.run(c) for c in conversations}
    figures = report(results)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), "utf-8")
    share = figures["turns_passed"] / max(figures["turns"], 1)
    if args.floor is not None and share < args.floor:
        sys.exit(f"turns passed {share:.1%}, below the floor of {args.floor:.0%}")


if __name__ == "__main__":
    main()
