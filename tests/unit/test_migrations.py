"""Alembic migrations on SQLite (PostgreSQL: tests/scaled)."""

from tests.migration_checks import assert_migrations_round_trip


def test_migrations_go_up_match_the_models_and_come_down_on_sqlite(tmp_path):
    assert_migrations_round_trip(f"sqlite:///{tmp_path / 'migrations.db'}")
