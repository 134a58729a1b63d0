"""The dashboard's rules without a browser: escalation list and steps, transcripts, analytics and
the training-data export, charts, catalogue edits with their audit trail, the weekly slot grid."""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import yaml
from sqlalchemy import select

from bot.booking.calendar import seed_calendar
from bot.booking.models import OpeningRule
from bot.catalogue.models import Program, ProgramChange
from bot.core.clock import now_tokyo, utcnow
from bot.core.config import get_settings
from bot.core.db import migrate, session_factory, with_retries
from bot.escalation.models import EscalationEvent
from bot.escalation.service import finish_handoff, held_for_staff, open_escalation
from bot.models import PURGED_TEXT, Conversation, Message
from bot.reading.contact import Contact
from bot.staff import analytics, bookings, catalogue, charts, escalations
from bot.staff.auth import save_user
from bot.staff.models import AuditEntry

ACTOR = "sato@example.jp"


@pytest.fixture
def session(settings_env):
    migrate()
    with session_factory().begin() as session:
        yield session


def say(session, sender_id: str, *turns: tuple[str, str, list | None], at: datetime | None = None) -> None:
    conversation = session.scalar(select(Conversation).where(Conversation.sender_id == sender_id))
    if conversation is None:
        conversation = Conversation(sender_id=sender_id, channel="web")
        session.add(conversation)
        session.flush()
    for direction, text, buttons in turns:
        session.add(
            Message(conversation_id=conversation.id, direction=direction, text=text, status="answered",
                    buttons=json.dumps(buttons) if buttons is not None else None, created_at=at or utcnow())
        )  # fmt: skip
    session.flush()


# --- escalations ----------------------------------------------------------------------------


def test_unfinished_urgent_escalations_come_first_newest_first(session):
    normal = open_escalation(session, "web-1", "requested_human", "人と話したい")
    urgent_old = open_escalation(session, "web-2", "urgent", "警告状が届いた")
    urgent_new = open_escalation(session, "web-3", "urgent", "訴状が届いた")
    closed = open_escalation(session, "web-4", "urgent", "税関で止められた")
    urgent_old.created_at = utcnow() - timedelta(hours=1)
    closed.status = "closed"
    rows, total = escalations.list_escalations(session, escalations.Filters(status="all"))
    assert [e.id for e in rows] == [urgent_new.id, urgent_old.id, normal.id, closed.id]
    assert total == 4
    rows, _ = escalations.list_escalations(session, escalations.Filters())  # default: unfinished only
    assert closed.id not in [e.id for e in rows]


def test_filters_and_search_reach_the_transcript_and_treat_wildcards_as_text(session):
    say(session, "web-a", ("visitor", "商標の件で100%困っています", None))
    found = open_escalation(session, "web-a", "requested_human", None)
    open_escalation(session, "web-b", "repeated_fallback", "ほげほげ")
    params = {"q": "100%困", "reason": "requested_human", "status": "active"}
    rows, _ = escalations.list_escalations(session, escalations.Filters.parse(params))
    assert [e.id for e in rows] == [found.id]
    rows, _ = escalations.list_escalations(session, escalations.Filters.parse({"q": "%"}))
    assert [e.id for e in rows] == [found.id]
    today = now_tokyo().date().isoformat()  # the staff's day is Japan's, not the machine's
    tomorrow = (now_tokyo().date() + timedelta(days=2)).isoformat()
    assert escalations.list_escalations(session, escalations.Filters.parse({"date_from": tomorrow}))[1] == 0
    assert escalations.list_escalations(session, escalations.Filters.parse({"date_to": today}))[1] == 2


def test_unknown_filter_values_are_ignored_not_refused():
    filters = escalations.Filters.parse(
        {"status": "<x>", "priority": "urgent!", "page": "-3", "date_from": "tomorrow"}
    )
    assert (filters.status, filters.priority, filters.page, filters.date_from) == ("active", "", 1, None)


def test_the_transcript_names_the_buttons_the_visitor_pressed(session):
    buttons = [
        {"title": "連絡先を入力する", "payload": "/affirm"},
        {"title": "入力しない", "payload": "/deny"},
    ]
    say(
        session,
        "web-t",
        ("visitor", "担当者と話したい", None),
        ("bot", "担当者におつなぎします。", []),
        ("bot", "連絡先を伺ってもよいですか。", buttons),
        ("visitor", "/affirm", None),
        ("bot", "お名前を入力してください。", []),
        ("visitor", "/deny", None),  # typed, not offered by the last reply
        ("visitor", PURGED_TEXT, None),
    )
    turns = escalations.transcript(session, "web-t")
    assert [t.pressed for t in turns if t.direction == "visitor"] == [None, "連絡先を入力する", None, None]
    assert turns[-1].purged


def test_staff_work_an_escalation_from_open_to_closed_and_every_step_is_in_its_history(session):
    save_user(session, ACTOR, "staff", "correct-horse-battery", "佐藤")
    escalation = open_escalation(session, "web-w", "urgent", "警告状が届いた")
    finish_handoff(session, "web-w", Contact(phone="03-1234-5678"), "山田")

    with pytest.raises(escalations.EscalationError):
        escalations.add_note(session, escalation.id, "   ", ACTOR)
    with pytest.raises(escalations.EscalationError):
        escalations.assign(session, escalation.id, "stranger@example.jp", ACTOR)
    escalations.assign(session, escalation.id, ACTOR, ACTOR)
    escalations.add_note(session, escalation.id, "明日電話する", ACTOR)
    escalations.start(session, escalation.id, ACTOR)
    with pytest.raises(escalations.EscalationError):
        escalations.start(session, escalation.id, ACTOR)
    with pytest.raises(escalations.EscalationError):
        escalations.close(session, escalation.id, "", ACTOR)
    escalations.close(session, escalation.id, "電話で回答した", ACTOR)

    assert escalation.status == "closed" and escalation.resolution == "電話で回答した"
    assert held_for_staff(session, "web-w") is None
    history = [(e.actor, e.action, e.note) for e in escalations.history(session, escalation.id)]
    assert history[2:] == [
        (ACTOR, "assigned", "佐藤"),
        (ACTOR, "note", "明日電話する"),
        (ACTOR, "started", None),
        (ACTOR, "closed", "電話で回答した"),
    ]
    with pytest.raises(escalations.EscalationError):
        escalations.close(session, escalation.id, "もう一度", ACTOR)
    with pytest.raises(LookupError):
        escalations.add_note(session, 999, "x", ACTOR)


# --- analytics and the improvement loop -----------------------------------------------------


def intent_message(session, sender_id: str, text: str, intent: str | None, at: datetime) -> Message:
    say(session, sender_id, ("visitor", text, None), at=at)
    message = session.scalar(select(Message).order_by(Message.id.desc()))
    message.intent = intent
    return message


def test_figures_are_counted_by_japan_time_day(session):
    today = date(2026, 11, 25)
    late_utc = datetime(2026, 11, 24, 16, 30, tzinfo=UTC)  # 01:30 on the 25th in Tokyo
    intent_message(session, "web-x", "特許について", "ask_patent", late_utc)
    intent_message(session, "web-x", "asdf", "nlu_fallback", late_utc)
    intent_message(session, "web-y", "商標", "ask_trademark", datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    intent_message(session, "web-y", "/restart", None, datetime(2026, 11, 24, 2, 1, tzinfo=UTC))
    figures = analytics.figures(session, 7, today)
    assert figures.days[-1] == today
    assert figures.messages[-2:] == [2, 2]
    assert figures.conversations[-2:] == [1, 1]
    assert figures.fallback_rate[-2:] == [0.0, 50.0]
    assert figures.fallback_rate[0] is None  # no data that day: no point, not 0 %
    assert dict(figures.intents)["理解できず (nlu_fallback)"] == 1
    assert figures.totals["fallback_rate"] == pytest.approx(100 / 3)


def test_not_understood_messages_are_labelled_masked_and_exported_as_rasa_nlu_data(session):
    now = utcnow()
    first = intent_message(session, "web-n", "090-1234-5678に電話ほしい特許のやつ", "nlu_fallback", now)
    second = intent_message(session, "web-n", "ぷよぷよ", "nlu_fallback", now)
    purged = intent_message(session, "web-n", PURGED_TEXT, "nlu_fallback", now)
    intent_message(session, "web-n", "特許", "ask_patent", now)
    assert [m.id for m in analytics.not_understood(session)] == [second.id, first.id]
    assert purged.id not in [m.id for m in analytics.not_understood(session)]

    analytics.label(session, first.id, "ask_patent", ACTOR)
    analytics.label(session, second.id, analytics.NOT_USABLE, ACTOR)
    with pytest.raises(ValueError):
        analytics.label(session, second.id, "inform", ACTOR)
    with pytest.raises(LookupError):
        analytics.label(session, purged.id, "ask_patent", ACTOR)
    assert analytics.not_understood(session) == []

    exported = analytics.training_data(session)
    data = yaml.safe_load(exported)
    assert data == {
        "version": "3.1",
        "nlu": [{"intent": "ask_patent", "examples": "- [電話番号]に電話ほしい特許のやつ\n"}],
    }
    assert "090" not in exported


def test_an_empty_export_is_still_valid_training_data(session):
    assert yaml.safe_load(analytics.training_data(session)) == {"version": "3.1", "nlu": []}


def test_every_intent_a_message_can_be_labelled_with_is_in_the_domain():
    intents = analytics.labellable_intents()
    assert "ask_patent" in intents and "inform" not in intents
    assert all(i in analytics.INTENT_NAMES for i in intents)


def test_charts_escape_their_labels():
    svg = charts.hbar_chart("分布", [("<script>alert(1)</script>", 3)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    line = charts.line_chart("率", ["11/24", "11/25"], [charts.Series("<b>", [None, 50.0])], percent=True)
    assert "<b>" not in line and line.count("<circle") == 1


# --- catalogue ------------------------------------------------------------------------------


def form(**changes) -> dict[str, str]:
    base = {"name": "テスト助成事業", "summary": "費用の一部を助成", "rate": "1/2以内", "published": "on"}
    return {**base, **changes}


def test_program_forms_are_validated():
    values, errors = catalogue.validate(form(name="", source_url="javascript:alert(1)", rate="x" * 101))
    assert set(errors) == {"name", "source_url", "rate"}
    values, errors = catalogue.validate(form(source_url="https://www.tokyo-kosha.or.jp/chizai/"))
    assert errors == {}
    assert values["published"] is True and values["third_party"] is False and values["limit"] is None


def test_every_save_is_audited_with_who_when_before_and_after(session):
    assert catalogue.validate_new_id(session, "Bad Id") is not None
    values, _ = catalogue.validate(form())
    assert catalogue.save(session, "test_grant", values, ACTOR, None)
    assert catalogue.validate_new_id(session, "test_grant") == "そのIDの制度はすでにあります。"
    seen = catalogue.version(session, "test_grant")
    changed, _ = catalogue.validate(form(application_period="2027年4月〜5月"))
    assert catalogue.save(session, "test_grant", changed, ACTOR, seen)
    assert not catalogue.save(session, "test_grant", changed, ACTOR, catalogue.version(session, "test_grant"))
    with pytest.raises(catalogue.StaleEdit):
        catalogue.save(session, "test_grant", values, ACTOR, seen)

    [latest, first] = catalogue.changes(session, "test_grant")
    assert latest.entry.changed_by == ACTOR
    assert latest.fields == [("募集期間", None, "2027年4月〜5月")]
    assert first.entry.before is None
    assert (
        session.scalar(select(ProgramChange.after).where(ProgramChange.id == latest.entry.id))[
            "application_period"
        ]
        == "2027年4月〜5月"
    )
    card = catalogue.preview("test_grant", changed)
    assert "・募集期間: 2027年4月〜5月" in card["text"]
    assert session.get(Program, "test_grant").application_period == "2027年4月〜5月"


# --- the weekly slot grid -------------------------------------------------------------------


def test_the_weekly_grid_adds_changes_and_removes_slots_and_is_audited(session):
    seed_calendar(session, get_settings().calendar_file)
    rows = bookings.weekly_pattern(session)
    assert [r.start_time for r in rows] == ["10:00", "11:00", "13:00", "14:00", "15:00", "16:00"]
    grid = {}
    for n, row in enumerate(rows, 1):
        grid[f"time-{n}"], grid[f"minutes-{n}"] = row.start_time, str(row.minutes)
        grid |= {f"cap-{n}-{d}": str(c) for d, c in enumerate(row.capacity)}
    grid["time-1"] = ""  # 10:00 removed on every day
    grid["cap-2-4"] = "0"  # no 11:00 slot on Fridays
    grid["cap-3-0"] = "5"  # five seats on Monday 13:00
    grid |= {"time-new": "17:00", "minutes-new": "30", **{f"cap-new-{d}": "1" for d in range(5)}}
    assert bookings.save_pattern(session, grid, ACTOR) == 5 + 1 + 1 + 5
    rules = {
        (r.weekday, r.start_time): (r.slot_minutes, r.capacity) for r in session.scalars(select(OpeningRule))
    }
    assert (0, "10:00") not in rules and (4, "11:00") not in rules
    assert rules[(0, "13:00")] == (60, 5) and rules[(2, "17:00")] == (30, 1)
    assert session.scalar(select(AuditEntry.action)) == "slot_pattern_changed"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"time-1": "25:00"}, "24時間制"),
        ({"minutes-1": "5"}, "15〜240分"),
        ({"cap-1-0": "-1"}, "定員"),
        ({"time-2": "10:00"}, "2回"),
    ],
)
def test_the_weekly_grid_refuses_impossible_values(changes, problem):
    grid = {
        "time-1": "10:00",
        "minutes-1": "60",
        "cap-1-0": "2",
        "time-2": "11:00",
        "minutes-2": "60",
        "cap-2-0": "2",
    }
    with pytest.raises(bookings.SettingsError, match=problem):
        bookings.parse_pattern({**grid, **changes})


# --- pages escape what visitors typed -------------------------------------------------------


def test_a_visitors_html_is_shown_as_text_on_the_escalation_page(client):
    client.follow_redirects = False
    with_retries(lambda s: save_user(s, ACTOR, "staff", "correct-horse-battery", "佐藤"))
    payload = "<img src=x onerror=alert(1)>"
    client.post("/api/chat", json={"sender_id": "web-xss", "text": payload})
    escalation_id = with_retries(lambda s: open_escalation(s, "web-xss", "urgent", payload).id)
    with_retries(lambda s: s.add(EscalationEvent(escalation_id=escalation_id, actor="visitor", action="note",
                                                  note=payload)))  # fmt: skip
    login = client.get("/staff/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
    client.post(
        "/staff/login", data={"email": ACTOR, "password": "correct-horse-battery", "csrf_token": token}
    )
    for path in (f"/staff/escalations/{escalation_id}", "/staff/escalations", "/staff/"):
        page = client.get(path).text
        assert "<img src=x" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_date_filter_counts_by_japan_time_day_at_both_edges(session):
    early = open_escalation(session, "web-early", "requested_human", None)
    early.created_at = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # 05:00 on 12/1 in Tokyo
    late = open_escalation(session, "web-late", "requested_human", None)
    late.created_at = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)  # 23:30 on 12/1 in Tokyo
    before = open_escalation(session, "web-before", "requested_human", None)
    before.created_at = datetime(2026, 11, 30, 14, 59, tzinfo=UTC)  # 23:59 on 11/30 in Tokyo
    session.flush()
    on_the_first = escalations.Filters.parse(
        {"date_from": "2026-12-01", "date_to": "2026-12-01", "status": "all"}
    )
    rows, total = escalations.list_escalations(session, on_the_first)
    assert total == 2 and {e.id for e in rows} == {early.id, late.id}
