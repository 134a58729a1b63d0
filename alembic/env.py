"""Alembic environment: migrations for the gateway's store (SQLite or PostgreSQL)."""

from sqlalchemy import engine_from_config, pool

import bot.booking.models
import bot.catalogue.models
import bot.escalation.models
import bot.events.models
import bot.faq.models
import bot.feedback.models
import bot.forms.models
import bot.notify.models
import bot.privacy.models
import bot.staff.models
import bot.staffing.models  # noqa: F401 - these imports register the tables on Base.metadata
from alembic import context
from bot.core.config import get_settings
from bot.models import Base

config = context.config
target_metadata = Base.metadata
url = config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_offline() -> None:
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = engine_from_config({"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
