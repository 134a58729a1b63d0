"""A staff member answers a LINE visitor from the dashboard: the reply goes out by push through
the stand-in Messaging API, and handing back to the bot is told the same way."""

from __future__ import annotations

import re
import sqlite3

import httpx

from tests.line.conftest import new_user, text_event
from tests.staff.conftest import PASSWORD, STAFF, make_account


def signed_in(system) -> httpx.Client:
    """A staff member signed in through the login form, as a browser does."""
    make_account(system, *STAFF)
    client = httpx.Client(base_url=system.gateway_url, timeout=10)
    page = client.get("/staff/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/staff/login", data={"email": STAFF[0], "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return client


def csrf(client: httpx.Client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def test_a_staff_reply_and_the_hand_back_reach_the_line_visitor_by_push(system, webhook, line_api):
    user = new_user()
    asked = text_event(user, "担当者と話したい")
    webhook.send(asked)
    line_api.wait_for(reply_token=asked["replyToken"])
    with sqlite3.connect(system.database_url.removeprefix("sqlite:///")) as db:
        [(escalation_id,)] = db.execute("SELECT id FROM escalations WHERE sender_id = ?", (user,)).fetchall()

    staff = signed_in(system)
    try:
        page = f"/staff/escalations/{escalation_id}"
        sent = staff.post(
            f"{page}/reply",
            data={"text": "担当の佐藤です。ご用件を伺います。", "csrf_token": csrf(staff, page)},
        )
        assert sent.status_code == 303 and "push_failed" not in sent.headers["location"]
        push = line_api.wait_for(to=user, timeout=10)
        assert any("担当の佐藤です。ご用件を伺います。" in text for text in push.texts)

        back = staff.post(f"{page}/hand-back", data={"csrf_token": csrf(staff, page)})
        assert back.status_code == 303
    finally:
        staff.close()
    pushes = line_api.calls("push", to=user)
    assert len(pushes) == 2 and any("チャットボット" in text for text in pushes[-1].texts)
