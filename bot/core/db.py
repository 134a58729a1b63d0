"""Database engine, sessions and migrations (SQLite by default, PostgreSQL for scale-out)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

from alembic.config import Config
from sqlalchemy import CursorResult, Engine, Result, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from alembic import command
from bot.core.config import ROOT, get_settings

T = TypeVar("T")


@lru_cache
def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: the configured database)."""
    url = url or get_settings().database_url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 5}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def session_factory() -> sessionmaker[Session]:
    """Sessions bound to the configured engine."""
    return sessionmaker(get_engine(), expire_on_commit=False)


def with_retries(work: Callable[[Session], T], attempts: int | None = None) -> T:
    """Run ``work`` in a transaction, retrying a few times when the database is busy."""
    attempts = attempts or get_settings().db_retry_attempts
    for attempt in range(1, attempts + 1):
        try:
            with session_factory().begin() as session:
                return work(session)
        except OperationalError:
            if attempt == attempts:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def database_ok() -> bool:
    """True when the database answers a trivial query."""
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def alembic_config(url: str | None = None) -> Config:
    """Alembic's configuration for ``url`` (default: the configured database)."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.set_main_option("sqlalchemy.url", url or get_settings().database_url)
    return config


def migrate(url: str | None = None, revision: str = "head") -> None:
    """Bring the schema to ``revision`` with Alembic."""
    command.upgrade(alembic_config(url), revision)


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (its result is a cursor result)."""
    return cast(CursorResult[Any], result).rowcount or 0
