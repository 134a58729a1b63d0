"""The LINE rich menu as code (``python -m bot line-rich-menu``) against the stand-in, and a tap on
each of its areas answered through the real system."""

import io
import os
import subprocess
import sys

import pytest
import yaml
from PIL import Image

from bot.channels import rich_menu
from bot.core.config import ROOT, get_settings
from tests.line.conftest import ACCESS_TOKEN, event, new_user

LAYOUT = yaml.safe_load(rich_menu.LAYOUT.read_text("utf-8"))
# What each area's answer starts with or contains.
EXPECTED = {
    "/book_consultation": "ご相談のテーマをお選びください",
    "/ask_program": "支援制度",
    "/faq_menu": "よくあるご質問の分野をお選びください",
    "/request_human": "受付番号",
    "/ask_center_info": "台東区台東1-3-5",
}


def line_env(line_api) -> dict[str, str]:
    """The channel's token and both API hosts (messages and uploads) pointed at the stand-in."""
    return {"LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN, "CHIZAI_LINE_API_BASE_URL": line_api.url,
            "CHIZAI_LINE_DATA_API_BASE_URL": line_api.url}  # fmt: skip


def run_command(line_api) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **line_env(line_api)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "line-rich-menu"], env=env, capture_output=True, text=True
    )


def test_the_command_run_twice_leaves_one_default_menu_with_its_image(line_api):
    for _ in range(2):
        done = run_command(line_api)
        assert done.returncode == 0, done.stderr
    assert len(line_api.rich_menus) == 1
    ((menu_id, menu),) = line_api.rich_menus.items()
    assert line_api.default_rich_menu == menu_id and menu["chatBarText"] == "メニュー"
    assert [area["action"]["data"] for area in menu["areas"]] == list(EXPECTED)
    with Image.open(io.BytesIO(line_api.rich_menu_images[menu_id])) as image:
        assert image.size == (2500, 843)


def test_a_changed_layout_becomes_the_default_and_the_older_menu_goes(line_api, tmp_path, monkeypatch):
    assert run_command(line_api).returncode == 0
    before = line_api.default_rich_menu
    changed = {**LAYOUT, "areas": [{**LAYOUT["areas"][0], "note": "予約はこちら"}, *LAYOUT["areas"][1:]]}
    (tmp_path / "menu.yml").write_text(yaml.safe_dump(changed, allow_unicode=True), "utf-8")
    for name, value in line_env(line_api).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        after = rich_menu.install(rich_menu.load_menu(tmp_path / "menu.yml"))
    finally:
        get_settings.cache_clear()
    assert after != before and line_api.default_rich_menu == after and list(line_api.rich_menus) == [after]


@pytest.mark.parametrize("area", LAYOUT["areas"], ids=[area["label"] for area in LAYOUT["areas"]])
def test_a_tap_on_each_area_gets_its_answer_through_the_assistant(webhook, line_api, area):
    tap = event("postback", new_user(), postback={"data": area["data"]})
    webhook.send(tap)
    reply = line_api.wait_for(reply_token=tap["replyToken"])
    assert EXPECTED[area["data"]] in "\n".join(reply.texts), reply.texts
