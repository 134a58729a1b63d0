"""Seminars and events staff announce: what staff may enter, what the bot lists, and what it says
when nothing is announced."""

from datetime import date, timedelta

import pytest

from bot.catalogue.seed import seed_catalogue
from bot.core.clock import now_tokyo
from bot.core.config import get_settings
from bot.core.db import migrate, with_retries
from bot.events import catalogue
from bot.services.answers import EVENTS_UNKNOWN, events_answer
from bot.staff.auth import save_user
from tests.unit.test_staff_auth import PASSWORD, STAFF, form_token, sign_in

FORM = {
    "title": "知財入門セミナー",
    "held_on": "2027-01-20",
    "time_text": "14:00〜16:00",
    "format": "online",
    "how_to_apply": "案内ページの申込みフォームから",
    "source_url": "https://www.tokyo-kosha.or.jp/chizai/",
}


@pytest.fixture
def store(settings_env):
    migrate()


@pytest.fixture
def web(client, store):
    """The app with a staff member who may sign in (not an admin: events are staff work)."""
    with_retries(lambda s: save_user(s, STAFF, "staff", PASSWORD, "職員"))
    client.follow_redirects = False
    return client


def add(**changes) -> None:
    values, errors = catalogue.validate({**FORM, **changes})
    assert not errors
    with_retries(lambda s: catalogue.add(s, values, "staff@example.jp"))


def test_what_staff_enter_is_checked_field_by_field():
    _, errors = catalogue.validate(
        {**FORM, "title": "", "held_on": "来週", "format": "zoom", "source_url": "x"}
    )
    assert set(errors) == {"title", "held_on", "format", "source_url"}
    assert catalogue.validate(FORM)[1] == {}


def test_with_nothing_announced_the_bot_says_no_schedule_is_known_here_and_links_the_page(store):
    answer = with_retries(events_answer)
    assert answer["text"] == EVENTS_UNKNOWN
    assert answer["buttons"][0]["title"] == "公式ページ"


def test_the_bot_lists_the_events_still_ahead_soonest_first(store):
    today = now_tokyo().date()
    add(title="終わった講座", held_on=str(today - timedelta(days=1)))
    add(title="後の講座", held_on=str(today + timedelta(days=30)), time_text="")
    add(title="次の講座", held_on=str(today))
    text = with_retries(events_answer)["text"]
    assert "終わった講座" not in text
    assert text.index("次の講座") < text.index("後の講座")
    assert "(オンライン)" in text and "申込み: 案内ページの申込みフォームから" in text
    assert "案内: https://www.tokyo-kosha.or.jp/chizai/" in text


def test_a_date_is_written_the_japanese_way():
    values, _ = catalogue.validate(FORM)
    assert catalogue.when(catalogue.Event(**values, updated_by="")) == "2027年1月20日(水) 14:00〜16:00"
    assert date(2027, 1, 20).weekday() == 2


def test_staff_add_preview_and_remove_an_event_on_the_page(web):
    token = sign_in(web, STAFF)
    data = {**FORM, "held_on": str(now_tokyo().date() + timedelta(days=7)), "csrf_token": token}
    preview = web.post("/staff/events", data={**data, "action": "preview"})
    assert (
        preview.status_code == 200
        and "プレビュー(未保存)" in preview.text
        and "知財入門セミナー" in preview.text
    )
    assert "登録された予定はありません" in preview.text
    saved = web.post("/staff/events", data={**data, "action": "save"})
    assert saved.status_code == 303
    page = web.get(saved.headers["location"])
    assert "予定を追加しました" in page.text and "知財入門セミナー" in page.text
    event_id = int(page.text.split("/staff/events/")[1].split("/delete")[0])
    removed = web.post(f"/staff/events/{event_id}/delete", data={"csrf_token": form_token(page.text)})
    assert "登録された予定はありません" in web.get(removed.headers["location"]).text


def test_a_wrong_entry_is_shown_again_with_what_to_fix(web):
    token = sign_in(web, STAFF)
    page = web.post("/staff/events", data={**FORM, "source_url": "", "csrf_token": token})
    assert page.status_code == 400 and "案内ページのアドレス" in page.text


def test_a_short_follow_up_after_the_events_is_about_them_until_a_program_is_shown(store):
    from bot.conversation.context import follows_up_on_events
    from bot.services.answers import program_answer

    seed_catalogue(get_settings().content_dir / "programs.yml")
    with_retries(lambda s: program_answer(s, "v-follow", "知財のセミナーってありますか", None))
    [again] = with_retries(lambda s: program_answer(s, "v-follow", "次回の日程は？", None))
    assert again["text"] == EVENTS_UNKNOWN
    with_retries(lambda s: program_answer(s, "v-follow", "外国特許出願費用助成", "gaikoku_tokkyo_shutsugan"))
    assert not with_retries(lambda s: follows_up_on_events(s, "v-follow", "次回の日程は？"))
