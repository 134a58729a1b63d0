"""Settings of a production profile that passes its checks, for tests that switch it on."""

import secrets

import pytest

from bot.core.config import get_settings

PRODUCTION_ENV = {
    "CHIZAI_ENV": "production",
    "CHIZAI_PUBLIC_URL": "https://chat.example.jp",
    "CHIZAI_ENGINE_TOKEN": secrets.token_urlsafe(32),
    "CHIZAI_SECRET_KEY": secrets.token_urlsafe(32),
}


def use_production(monkeypatch: pytest.MonkeyPatch, **overrides: str) -> None:
    """Switch the process's settings to the production profile (with these variables changed)."""
    for name, value in {**PRODUCTION_ENV, **overrides}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
