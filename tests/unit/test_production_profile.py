"""The production profile (CHIZAI_ENV=production) refuses what is unsafe to serve visitors with."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from bot.core.config import ROOT, Settings
from tests.production import PRODUCTION_ENV

SAFE = {
    "env": "production",
    "public_url": PRODUCTION_ENV["CHIZAI_PUBLIC_URL"],
    "engine_token": PRODUCTION_ENV["CHIZAI_ENGINE_TOKEN"],
    "secret_key": PRODUCTION_ENV["CHIZAI_SECRET_KEY"],
}


def test_safe_production_settings_are_accepted():
    settings = Settings(**SAFE)
    assert settings.staff_url == "https://chat.example.jp"
    assert not settings.api_docs


def test_production_needs_the_public_address_visitors_reach():
    unset = {k: v for k, v in SAFE.items() if k != "public_url"}
    for settings in (
        unset,
        {**SAFE, "public_url": "http://chat.example.jp"},
        {**SAFE, "public_url": "https://127.0.0.1"},
    ):
        with pytest.raises(ValidationError, match="CHIZAI_PUBLIC_URL"):
            Settings(**settings)


@pytest.mark.parametrize("name", ["engine_token", "secret_key"])
@pytest.mark.parametrize(
    "value",
    [None, "short", "change-me-change-me-change-me-change-me", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
)
def test_production_refuses_a_missing_short_or_placeholder_secret(name, value):
    with pytest.raises(ValidationError, match=f"CHIZAI_{name.upper()}"):
        Settings(**{**SAFE, name: value})


def test_development_keeps_its_defaults():
    settings = Settings(env="development")
    assert settings.public_url == "http://127.0.0.1:8000" and settings.api_docs


def test_production_requirements_carry_no_test_tools():
    pinned = {line.split("==")[0].lower() for line in (ROOT / "requirements" / "app.txt").read_text().split()}
    assert not pinned & {"pytest", "pytest-asyncio", "playwright", "hypothesis", "ruff", "mypy", "aiosmtpd"}
    assert Path(ROOT / "requirements" / "dev.txt").read_text().splitlines()[1] == "-r app.txt"


def test_the_command_line_names_what_production_refuses(tmp_path):
    env = {**os.environ, "CHIZAI_ENV": "production", "CHIZAI_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    for name in ("CHIZAI_PUBLIC_URL", "CHIZAI_ENGINE_TOKEN", "CHIZAI_SECRET_KEY"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "CHIZAI_PUBLIC_URL" in done.stderr and "CHIZAI_SECRET_KEY" in done.stderr
    assert not (tmp_path / "x.db").exists()


def test_the_image_and_the_compose_file_run_the_production_profile_behind_the_proxy():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "CHIZAI_ENV=production" in dockerfile and "requirements/dev.txt" not in dockerfile
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name in ("gateway", "watch", "rasa-1", "rasa-2"):
        env = services[name]["environment"]
        assert env["CHIZAI_ENV"] == "production" and env["CHIZAI_PUBLIC_URL"].startswith("https://"), name
    assert [name for name, service in services.items() if "ports" in service] == ["proxy"]
