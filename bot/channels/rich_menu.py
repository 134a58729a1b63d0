"""The LINE rich menu as code: ``python -m bot line-rich-menu`` draws its image from
``data/line/rich_menu.yml`` and makes it the channel's default menu through the Messaging API.

Idempotent: the menu's name carries a digest of the layout and its image, so a rerun with nothing
changed finds its menu and leaves it; a changed layout becomes a new default menu, and the older
menus of ours are deleted.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    PostbackAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
)
from PIL import Image, ImageDraw, ImageFont

from bot.core.config import ROOT, get_settings

LAYOUT = ROOT / "data" / "line" / "rich_menu.yml"
MAX_NAME_CHARS = 300
MAX_CHAT_BAR_CHARS = 14


@dataclass(frozen=True)
class Menu:
    """A rich menu ready to send: LINE's request and its PNG image."""

    request: RichMenuRequest
    image: bytes

    @property
    def name(self) -> str:
        return str(self.request.name)


def load_menu(path: Path = LAYOUT) -> Menu:
    """The menu of a layout file, its name ending in the digest of the layout and image."""
    layout = yaml.safe_load(path.read_text("utf-8"))
    image = draw(layout)
    digest = hashlib.sha256(json.dumps(layout, sort_keys=True).encode() + image).hexdigest()[:12]
    areas = [
        RichMenuArea(
            bounds=RichMenuBounds(x=a["x"], y=a["y"], width=a["width"], height=a["height"]),
            action=PostbackAction(label=a["label"], data=a["data"], display_text=a["label"]),
        )
        for a in layout["areas"]
    ]
    request = RichMenuRequest(
        size=RichMenuSize(**layout["size"]),
        selected=True,
        name=f"{layout['name']} {digest}",
        chat_bar_text=layout["chat_bar_text"][:MAX_CHAT_BAR_CHARS],
        areas=areas,
    )
    return Menu(request, image)


def draw(layout: dict[str, Any]) -> bytes:
    """The menu's PNG: each area a coloured tile with its label and a short note, centred."""
    size = (layout["size"]["width"], layout["size"]["height"])
    image = Image.new("RGB", size, layout["background"])
    pen = ImageDraw.Draw(image)
    label_font = ImageFont.truetype(layout["font"], 96)
    note_font = ImageFont.truetype(layout["font"], 56)
    for area in layout["areas"]:
        left, top = area["x"], area["y"]
        box = (left + 8, top + 8, left + area["width"] - 8, top + area["height"] - 8)
        pen.rounded_rectangle(box, radius=28, fill=area["color"])
        centre = (left + area["width"] // 2, top + area["height"] // 2)
        pen.text((centre[0], centre[1] - 40), area["label"], font=label_font, fill="#ffffff", anchor="mm")
        pen.text((centre[0], centre[1] + 70), area["note"], font=note_font, fill="#e8eef5", anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def install(menu: Menu) -> str:
    """Make ``menu`` the default rich menu (creating it only when it is not there); its id."""
    settings = get_settings()
    token = settings.line_channel_access_token
    if token is None:
        raise SystemExit("LINE_CHANNEL_ACCESS_TOKEN is not set")
    family = menu.name.rsplit(" ", 1)[0]
    with (
        ApiClient(
            Configuration(host=settings.line_api_base_url, access_token=token.get_secret_value())
        ) as client,
        ApiClient(
            Configuration(host=settings.line_data_api_base_url, access_token=token.get_secret_value())
        ) as data,
    ):
        api = MessagingApi(client)
        ours = [m for m in api.get_rich_menu_list().richmenus if m.name.rsplit(" ", 1)[0] == family]
        current = next((m.rich_menu_id for m in ours if m.name == menu.name), None)
        if current is None:
            current = api.create_rich_menu(menu.request).rich_menu_id
            try:
                MessagingApiBlob(data).set_rich_menu_image(
                    current, menu.image, _headers={"Content-Type": "image/png"}
                )
            except Exception:  # a menu without its image must not be found by the next run
                api.delete_rich_menu(current)
                raise
        api.set_default_rich_menu(current)
        for older in (m.rich_menu_id for m in ours if m.rich_menu_id != current):
            api.delete_rich_menu(older)
    return current
