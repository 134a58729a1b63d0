"""Gateway settings, read from the environment (prefix ``CHIZAI_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Everything the gateway needs to know about its surroundings."""

    model_config = SettingsConfigDict(env_prefix="CHIZAI_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{ROOT / 'var' / 'chizai.db'}"
    rasa_url: str = "http://127.0.0.1:5005"
    actions_url: str = "http://127.0.0.1:5055"
    rasa_timeout_seconds: float = 15.0
    health_timeout_seconds: float = 2.0
    max_message_chars: int = 2000
    max_body_bytes: int = 64 * 1024
    db_retry_attempts: int = 3


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache to change them)."""
    return Settings()
