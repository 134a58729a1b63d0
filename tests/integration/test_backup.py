"""`make backup` while visitors chat, and `make restore` into empty databases (SQLite)."""

from tests.backup_checks import assert_a_backup_while_chatting_restores


def test_a_backup_taken_while_visitors_chat_restores_every_message(system, tmp_path):
    restored = (f"sqlite:///{tmp_path / 'restored.db'}", f"sqlite:///{tmp_path / 'restored_tracker.db'}")
    assert_a_backup_while_chatting_restores(
        system.gateway_url, (system.database_url, system.tracker_url), restored, tmp_path / "backup"
    )
