"""One check for both databases: Alembic's migrations go up, match the models, and come down."""

from __future__ import annotations

import sqlalchemy
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import bot.booking.models
import bot.catalogue.models
import bot.escalation.models
import bot.staff.models
import bot.staffing.models  # noqa: F401 - these imports register the tables on Base.metadata
from alembic import command
from bot.core.db import alembic_config
from bot.models import Base


def tables(url: str) -> set[str]:
    engine = sqlalchemy.create_engine(url)
    try:
        return set(sqlalchemy.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def schema_drift(url: str) -> list:
    """What autogenerate would still change: the migrations and the models must agree."""
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            return compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()


def assert_migrations_round_trip(url: str) -> None:
    """Upgrade to head, compare with the models, downgrade to base, upgrade again."""
    config = alembic_config(url)
    command.upgrade(config, "head")
    assert tables(url) == set(Base.metadata.tables)
    assert schema_drift(url) == []
    command.downgrade(config, "base")
    assert tables(url) == set()
    command.upgrade(config, "head")
    assert tables(url) == set(Base.metadata.tables)
