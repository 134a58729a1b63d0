"""Rasa's action endpoint in the gateway: the actions run in-process on trackers Rasa sends, and
only a call carrying the engine's token is run (a forged call from outside is refused)."""

import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.core.config import ROOT, get_settings
from bot.core.db import session_factory
from bot.escalation.models import Escalation
from bot.services.nothing_pending import WHAT_CAN_I_DO

TRACKERS = Path(__file__).parent / "trackers"
TOKEN = "engine-secret"


@pytest.fixture
def engine_client(client, monkeypatch):
    monkeypatch.setenv("CHIZAI_ENGINE_TOKEN", TOKEN)
    get_settings.cache_clear()
    return client


def action_call(action: str, tracker: dict) -> dict:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
    return {"next_action": action, "sender_id": tracker["sender_id"], "tracker": tracker,
            "domain": domain, "version": "3.6.21"}  # fmt: skip


def fixture(name: str, **changes) -> dict:
    tracker = json.loads((TRACKERS / f"{name}.json").read_text("utf-8"))
    return {**tracker, **changes}


def run(client, action: str, tracker: dict, token: str = TOKEN):
    return client.post(f"/engine/actions?token={token}", json=action_call(action, tracker))


def test_a_bare_answer_with_nothing_pending_gets_the_menu_and_claims_nothing(engine_client):
    said_yes = fixture("nothing_pending", latest_message={"text": "はい", "intent": {"name": "affirm"}})
    menu = run(engine_client, "action_nothing_pending", said_yes).json()
    assert menu["events"] == [] and menu["responses"][0]["text"] == WHAT_CAN_I_DO


def test_an_urgent_topic_question_is_answered_and_handed_to_staff_in_one_call(engine_client):
    text = "警告書が届いて、特許侵害で訴えると言われています"
    urgent = fixture(
        "nothing_pending",
        sender_id="web-urgent",
        latest_message={"text": text, "intent": {"name": "ask_infringement", "confidence": 0.9}},
    )
    answer = run(engine_client, "action_answer_topic", urgent).json()
    assert answer["events"] == [{"event": "followup", "name": "contact_form", "timestamp": None}]
    assert any("優先して引き継ぎました" in r["text"] for r in answer["responses"])
    with session_factory()() as session:
        escalation = session.scalar(select(Escalation).where(Escalation.sender_id == "web-urgent"))
    assert escalation is not None and escalation.priority == "high"


def test_a_forged_call_without_the_token_is_refused_and_does_nothing(engine_client):
    forged = fixture("nothing_pending", sender_id="web-forged")
    assert run(engine_client, "action_escalate", forged, token="guess").status_code == 403
    assert (
        engine_client.post("/engine/actions", json=action_call("action_escalate", forged)).status_code == 403
    )
    with session_factory()() as session:
        assert session.scalar(select(Escalation).where(Escalation.sender_id == "web-forged")) is None


def test_without_a_configured_token_the_endpoint_is_closed(client):
    assert run(client, "action_escalate", fixture("nothing_pending")).status_code == 503


def test_rasa_sdk_answers_are_kept_unknown_action_404_and_a_bad_body_400(engine_client):
    unknown = run(engine_client, "action_nobody_wrote", fixture("nothing_pending"))
    assert unknown.status_code == 404 and unknown.json()["action_name"] == "action_nobody_wrote"
    bad = engine_client.post(f"/engine/actions?token={TOKEN}", content=b"not json")
    assert bad.status_code == 400
    call = action_call("action_nothing_pending", fixture("nothing_pending"))
    del call["domain"]
    missing_domain = engine_client.post(f"/engine/actions?token={TOKEN}", json=call)
    assert missing_domain.status_code == 449


def test_every_custom_action_of_the_domain_is_registered():
    from bot.api.routes.engine import EXECUTOR

    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
    assert set(domain["actions"]) <= set(EXECUTOR.actions)


def test_an_urgent_topic_question_asking_for_a_consultation_goes_to_staff_first(engine_client):
    urgent = "警告書が届いて訴えると言われています。来週相談したい"
    first_staff = fixture(
        "nothing_pending", latest_message={"text": urgent, "intent": {"name": "ask_infringement"}}
    )
    handed = run(engine_client, "action_answer_topic", first_staff).json()
    assert handed["events"] == [{"event": "followup", "name": "contact_form", "timestamp": None}]
