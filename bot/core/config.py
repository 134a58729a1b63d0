"""Gateway settings, read from the environment (prefix ``CHIZAI_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AwareDatetime, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = {None, "", "localhost", "127.0.0.1", "::1", "0.0.0.0"}


class Settings(BaseSettings):
    """Everything the gateway needs to know about its surroundings."""

    model_config = SettingsConfigDict(env_prefix="CHIZAI_", env_file=".env", extra="ignore")

    # "development" (what `make run` uses) or "production" (chosen explicitly; docs/deployment.md):
    # production needs its public address and strong secrets, and refuses test settings.
    env: Literal["development", "production"] = "development"
    # Tests and evaluations through the running system: the clock starts at this instant
    # (ISO 8601 with its offset) and runs on from there (bot/core/clock.py). Refused in production.
    clock_start: AwareDatetime | None = None
    database_url: str = f"sqlite:///{ROOT / 'var' / 'chizai.db'}"
    rasa_url: str = "http://127.0.0.1:5005"  # or replicas: "http://a:5005,http://b:5005"
    # The address visitors reach the gateway at, for links the bot sends (the booking's calendar file);
    # required in production, over https.
    public_url: str = "http://127.0.0.1:8000"
    # Several gateway workers in front of Rasa replicas share this Redis to hand each visitor's
    # messages to Rasa one at a time (bot/services/turn_locks.py); unset = one worker's own locks.
    redis_url: str | None = None
    rasa_timeout_seconds: float = 15.0
    health_timeout_seconds: float = 2.0
    # Sites whose pages may embed the widget (comma-separated origins, "*" for any page, as the
    # one-line embed promises): they may call /api/chat and /api/chat/history (bot/api/widget_cors.py).
    widget_origins: str = "*"
    max_message_chars: int = 2000
    max_body_bytes: int = 64 * 1024
    # Connections (bot/__main__.py serve): a request's headers, an idle keep-alive connection, and
    # connections and requests at once per worker (beyond it: 503). The proxy in front holds
    # slow and idle clients (docs/deployment.md).
    max_header_bytes: int = 16 * 1024
    keep_alive_seconds: int = 5
    max_connections: int = 200
    db_retry_attempts: int = 3
    # One log line per HTTP request. Off by default: the reverse proxy in front keeps access logs,
    # /metrics counts requests per route, and the line cost 12 % of a /api/nlu/parse here.
    access_log: bool = False
    # The sourced facts and the catalogue seed (../shared/content beside the repository).
    content_dir: Path = ROOT.parent / "shared" / "content"
    # The consultation calendar loaded into an empty database (a SAMPLE until staff replace it).
    calendar_file: Path = ROOT / "data" / "booking" / "calendar.sample.yml"
    # Days after a booked slot when its personal data is purged.
    booking_retention_days: int = 30
    # Secret the gateway and the Rasa engine share: the gateway's channel into Rasa and Rasa's
    # calls to the action endpoint (bot/api/routes/engine.py) carry it; unset = the endpoint is closed.
    engine_token: SecretStr | None = None
    # Key of the sign-in form's token (bot/staff/csrf.py); `make run` makes one; unset = per process.
    secret_key: SecretStr | None = None
    # Addresses of the reverse proxies whose X-Forwarded-For is believed (comma-separated, as
    # uvicorn's forwarded_allow_ips); unset = the client address is the socket's.
    trusted_proxies: str = ""
    # The center's SMTP server for e-mail to visitors (bot/notify/mail.py); unset = no e-mail.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "chat@example.invalid"
    # Where each new urgent escalation is announced by e-mail (the staff's shared address); unset = none.
    urgent_mail_to: str | None = None
    # The operators' address for `python -m bot watch` (bot/notify/watch.py): a component down this
    # long, and its recovery, are e-mailed there; unset = logged only.
    operator_mail_to: str | None = None
    alert_after_seconds: float = 60.0
    # The dashboard's address as staff open it, for links in those e-mails; unset = the public address.
    staff_base_url: str = ""
    # Bearer token for ``GET /metrics`` from elsewhere than this machine (a scraper); unset = loopback only.
    metrics_token: SecretStr | None = None
    # LINE Messaging API channel: secrets under LINE's own names (no prefix); unset = LINE off.
    line_channel_secret: SecretStr | None = Field(default=None, validation_alias="LINE_CHANNEL_SECRET")
    line_channel_access_token: SecretStr | None = Field(
        default=None, validation_alias="LINE_CHANNEL_ACCESS_TOKEN"
    )
    line_api_base_url: str = "https://api.line.me"
    line_data_api_base_url: str = "https://api-data.line.me"  # uploads (the rich menu's image)
    # Staff dashboard (bot/staff): days after a conversation's last message when its texts and the
    # escalation's contact details are purged; how often the purge job runs (0 = only by command).
    transcript_retention_days: int = 90
    # Rasa's tracker store (endpoints.yml), purged with the transcripts; unset = not purged here.
    rasa_tracker_url: str | None = f"sqlite:///{ROOT / 'var' / 'rasa_tracker.db'}"
    purge_interval_hours: float = 24.0
    # Where `make run` writes the services' logs (rotated at each start), and how long rotated logs stay.
    log_dir: Path = ROOT / "var" / "log"
    log_retention_days: int = 14
    # Where `make backup` writes its timestamped folders (bot/core/backup.py).
    backup_dir: Path = ROOT / "var" / "backups"
    # Staff sign-in: session lifetime, idle timeout, and failed attempts allowed per window.
    staff_session_hours: float = 12.0
    staff_idle_minutes: int = 120
    login_window_minutes: int = 15
    login_max_failures_per_account: int = 5
    login_max_failures_per_ip: int = 20

    # Public limits (bot/services/limits.py, docs/privacy.md): what one visitor may do in a while.
    turns_per_minute_per_sender: int = 20
    turns_per_minute_per_address: int = 60
    open_bookings_per_sender: int = 2
    open_bookings_per_contact: int = 2
    open_bookings_per_address: int = 6  # an office shares one address
    booking_horizon_days: int = 90
    escalations_per_sender_per_hour: int = 3
    cancel_attempts_per_hour: int = 5  # per booking number and per conversation
    # Local benchmarks and evaluations only: every limit above x100. Refused in production.
    relaxed_limits: bool = False

    @model_validator(mode="after")
    def _safe_in_production(self) -> Settings:
        if self.env == "production" and (problems := production_problems(self)):
            raise ValueError("the production profile refuses these settings: " + "; ".join(problems))
        return self

    def limit(self, value: int) -> int:
        """A public limit as it applies (raised a hundredfold when limits are relaxed)."""
        return value * 100 if self.relaxed_limits else value

    @property
    def api_docs(self) -> bool:
        """Whether the interactive API docs (/docs, /redoc, /openapi.json) are served: in development only."""
        return self.env == "development"

    @property
    def staff_url(self) -> str:
        """The dashboard's address for links in e-mails to staff."""
        return (self.staff_base_url or self.public_url).rstrip("/")

    @property
    def widget_origin_list(self) -> list[str]:
        return [origin.rstrip("/") for origin in comma_separated(self.widget_origins)]


# Words of placeholder secrets copied from an example rather than generated.
PLACEHOLDER_WORDS = ("change", "example", "default", "secret", "password", "test", "dummy")
MIN_SECRET_CHARS = 32


def weak_secret(value: SecretStr | None) -> bool:
    """Whether a secret is missing, short, or a placeholder (``head -c 32 /dev/urandom | base64`` is not)."""
    text = value.get_secret_value() if value else ""
    lowered = text.lower()
    return len(text) < MIN_SECRET_CHARS or len(set(text)) < 12 or any(w in lowered for w in PLACEHOLDER_WORDS)


def production_problems(settings: Settings) -> list[str]:
    """What the production profile refuses in these settings (empty when they are safe)."""
    problems = []
    if settings.clock_start is not None:
        problems.append("CHIZAI_CLOCK_START is for tests and evaluations")
    if settings.relaxed_limits:
        problems.append("CHIZAI_RELAXED_LIMITS is for local benchmarks")
    url = urlsplit(settings.public_url)
    if "public_url" not in settings.model_fields_set or url.scheme != "https" or url.hostname in LOCAL_HOSTS:
        problems.append("CHIZAI_PUBLIC_URL must be the https address visitors reach the chat at")
    for name in ("engine_token", "secret_key"):
        if weak_secret(getattr(settings, name)):
            problems.append(
                f"CHIZAI_{name.upper()} must be a generated secret of {MIN_SECRET_CHARS}+ characters"
            )
    if settings.metrics_token is not None and weak_secret(settings.metrics_token):
        problems.append(f"CHIZAI_METRICS_TOKEN must be a generated secret of {MIN_SECRET_CHARS}+ characters")
    return problems


def comma_separated(value: str) -> list[str]:
    """The non-empty, stripped items of a comma-separated setting."""
    return [item.strip() for item in value.split(",") if item.strip()]


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache to change them)."""
    return Settings()
